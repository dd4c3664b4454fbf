package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.kernels.Storage;
import dev.ember.kernels.random.Generator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing (PyTorch's {@code torch.utils.checkpoint} with {@code use_reentrant=False}): trade compute
 * for memory by keeping none of a function's intermediate activations and recomputing them during backward.
 *
 * <p>How it works. While {@code fn} runs, a {@link SavedTensorHooks} scope packs every tensor an op saves for
 * backward as a small handle (its index in the order of saving) instead of the tensor. The first time backward
 * unpacks one of those handles, {@code fn} runs again on the same inputs, with grad mode on and the default
 * generator ({@link Generator#defaultGenerator()}, what {@code Ember.rand}/{@code randn} draw from) set to the state
 * it had before the forward, so dropout masks come out the same; the tensors saved during that recomputation are
 * captured in the same order and each handle gets its own back. The generator's state is put back afterwards, so the
 * program's random stream is not disturbed. The unpacked tensors take the place in the graph the originals had, so
 * the graph that backward walks is the one the forward built: {@code Autograd.grad}, {@code backward(inputs)},
 * {@code retainGraph}, {@code createGraph} (double backward) and parameters that {@code fn} reaches through a
 * closure all work as without checkpointing, and the gradients are bit for bit the same. The checkpoint keeps
 * {@code fn} and its inputs (the inputs' elements are the only activations it holds).
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor w1 = Ember.randn(16, 16).mul(0.25).requiresGrad_();
 * Tensor w2 = Ember.randn(16, 16).mul(0.25).requiresGrad_();
 * Tensor x = Ember.randn(8, 16).requiresGrad_();
 * Tensor y = Checkpoint.checkpoint(h -> h.matmul(w1).tanh().matmul(w2).tanh(), x);  // keeps only x
 * y.sum().backward();                  // runs the two layers again, then fills x, w1 and w2's .grad()
 *
 * List<UnaryOperator<Tensor>> layers = new ArrayList<>();   // nn modules implement UnaryOperator<Tensor>
 * for (int i = 0; i < 64; i++) {
 *     Tensor w = Ember.randn(16, 16).mul(0.25).requiresGrad_();
 *     layers.add(h -> h.matmul(w).tanh());
 * }
 * Tensor loss = Checkpoint.checkpointSequential(layers, 8, x).pow(2).mean();
 * System.out.println(Checkpoint.heldBytes(loss) + " bytes held for backward");   // 20480; 131584 without
 * loss.backward();
 * }</pre>
 *
 * <p>Rules, as in PyTorch: {@code fn} must do the same thing when it runs again (the same ops on tensors of the same
 * shapes; if it saves a different number of tensors, backward fails naming the checkpoint); random numbers must come
 * from the default generator to be reproduced; the checkpoint's inputs must not be modified in place, neither by
 * {@code fn} nor afterwards before backward (Ember checks this and names the in-place op; PyTorch does not). When
 * no input requires grad a warning is logged, once per call site, as PyTorch warns; but unlike PyTorch's default
 * (reentrant) checkpoint, whose result then does not require grad and whose parameters silently get no gradient, the
 * result requires grad exactly when the uncheckpointed call's would (when {@code fn} uses parameters that require
 * grad, for example).
 * Checkpoints nest: a checkpointed function may call {@code checkpoint} itself. Under {@code Ember.noGrad()} nothing
 * is saved, so {@code fn} simply runs.
 */
public final class Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Call sites that have already logged the no-input-requires-grad warning (a Python warning's "default" rule). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** How deep this thread is in recomputations (warnings are not repeated while recomputing). */
    private static final ThreadLocal<int[]> RECOMPUTING = ThreadLocal.withInitial(() -> new int[1]);
    /**
     * The checkpoints whose outputs a node produced, for {@link #heldBytes}: weak both ways, so that this table keeps
     * neither nodes nor checkpoints alive. (With a package-private accessor for a {@link SavedTensor}'s packed form,
     * {@code heldBytes} could find the checkpoints through the saved tensors and this table could go.)
     */
    private static final Map<Node, List<WeakReference<Frame>>> OUTPUT_NODES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Checkpoint() {
    }

    // ---- public API ---------------------------------------------------------------------------------------------

    /**
     * Runs {@code fn(input)} without keeping its intermediate activations; they are recomputed during backward.
     *
     * <pre>{@code
     * Tensor y = Checkpoint.checkpoint(h -> h.matmul(w).tanh(), x);
     * }</pre>
     */
    @SuppressWarnings("overloads")   // not ambiguous: the second argument is a Tensor here, a Tensor[] or more there
    public static Tensor checkpoint(Function<? super Tensor, ? extends Tensor> fn, Tensor input) {
        requireFn(fn);
        return single(run(in -> new Tensor[] {fn.apply(in[0])}, new Tensor[] {input}, null));
    }

    /**
     * Runs {@code fn(a, b)} without keeping its intermediate activations.
     *
     * <pre>{@code
     * Tensor y = Checkpoint.checkpoint((p, q) -> p.matmul(q).relu(), a, b);
     * }</pre>
     */
    public static Tensor checkpoint(BiFunction<? super Tensor, ? super Tensor, ? extends Tensor> fn, Tensor a,
                                    Tensor b) {
        requireFn(fn);
        return single(run(in -> new Tensor[] {fn.apply(in[0], in[1])}, new Tensor[] {a, b}, null));
    }

    /**
     * Runs {@code fn(inputs)} without keeping its intermediate activations. {@code fn} receives a copy of the array.
     *
     * <pre>{@code
     * Tensor y = Checkpoint.checkpoint(in -> in[0].mul(in[1]).add(in[2]).tanh(), a, b, c);
     * }</pre>
     */
    @SuppressWarnings("overloads")   // see checkpoint(Function, Tensor)
    public static Tensor checkpoint(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        requireFn(fn);
        return single(run(in -> new Tensor[] {fn.apply(in)}, requireInputs(inputs), null));
    }

    /**
     * Runs a function with several outputs without keeping its intermediate activations; returns its outputs
     * (null entries are passed through).
     *
     * <pre>{@code
     * Tensor[] hc = Checkpoint.checkpointMulti(in -> new Tensor[] {in[0].tanh(), in[0].sigmoid()}, x);
     * }</pre>
     */
    public static Tensor[] checkpointMulti(Function<Tensor[], Tensor[]> fn, Tensor... inputs) {
        requireFn(fn);
        return run(fn, requireInputs(inputs), null);
    }

    /**
     * Runs {@code functions} one after the other on {@code input}, checkpointing them in {@code segments} segments,
     * as {@code torch.utils.checkpoint.checkpoint_sequential}: each segment has {@code functions.size() / segments}
     * functions, all segments but the last are checkpointed (each keeps only its input), and the last segment,
     * which holds the remaining functions, runs normally (its activations are needed first in backward anyway). With
     * n functions and about sqrt(n) segments, the activations kept fall from O(n) to about O(sqrt n), for one extra
     * forward pass. The list is copied, so changing it later does not change what backward recomputes.
     *
     * <pre>{@code
     * List<UnaryOperator<Tensor>> layers = new ArrayList<>();
     * for (Tensor w : weights) layers.add(h -> h.matmul(w).tanh());
     * Tensor out = Checkpoint.checkpointSequential(layers, 8, x);
     * }</pre>
     *
     * @throws EmberException if {@code functions} is empty or holds null, or {@code segments} is not in
     *                        [1, functions.size()]
     */
    public static Tensor checkpointSequential(List<? extends UnaryOperator<Tensor>> functions, int segments,
                                             Tensor input) {
        if (functions == null || functions.isEmpty()) {
            throw new EmberException("checkpointSequential: got " + (functions == null ? "null" : "an empty list")
                    + " of functions; pass the functions (or modules) to run one after the other");
        }
        List<UnaryOperator<Tensor>> fns = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            UnaryOperator<Tensor> f = functions.get(i);
            if (f == null) {
                throw new EmberException("checkpointSequential: function " + i + " of " + functions.size()
                        + " is null");
            }
            fns.add(f);
        }
        int n = fns.size();
        if (segments < 1 || segments > n) {
            throw new EmberException("checkpointSequential: segments = " + segments + " for " + n + " functions; "
                    + "segments must be between 1 and the number of functions (" + n + "). About sqrt(" + n
                    + ") = " + Math.max(1, Math.round(Math.sqrt(n))) + " segments keeps the least memory.");
        }
        int size = n / segments;
        int end = -1;
        StackWalker.StackFrame caller = segments > 1 ? caller() : null;
        for (int start = 0; start < size * (segments - 1); start += size) {
            end = start + size - 1;
            List<UnaryOperator<Tensor>> segment = List.copyOf(fns.subList(start, end + 1));
            Site site = new Site("checkpointSequential segment " + (start / size + 1) + " of " + segments
                    + " (functions " + start + ".." + end + ")", caller);
            input = single(run(in -> new Tensor[] {applyAll(segment, in[0])}, new Tensor[] {input}, site));
        }
        return applyAll(fns.subList(end + 1, n), input);
    }

    /**
     * The bytes that the graph behind {@code roots} keeps alive for backward: every reachable node's saved tensors
     * ({@link Node#savedBytes()}; a tensor packed by a checkpoint counts nothing there) plus, for every checkpoint in
     * the graph, the storage of the inputs it keeps for recomputing (each storage once) and the recomputed tensors
     * that backward has not consumed yet. Parameters saved by ops count too, as {@code savedBytes()} counts them; a
     * tensor saved by two nodes counts twice. After a backward without retainGraph the nodes hold nothing, but each
     * checkpoint still references its inputs for as long as its nodes are reachable.
     *
     * <pre>{@code
     * Tensor loss = Checkpoint.checkpointSequential(layers, 8, x).sum();
     * System.out.println(Checkpoint.heldBytes(loss) + " bytes held for backward");
     * }</pre>
     */
    public static long heldBytes(Tensor... roots) {
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            if (r != null && r.gradFn() != null && seen.put(r.gradFn(), Boolean.TRUE) == null) {
                stack.push(r.gradFn());
            }
        }
        long total = 0;
        Map<Frame, Boolean> frames = new IdentityHashMap<>();
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            total += n.savedBytes();
            List<WeakReference<Frame>> fs = OUTPUT_NODES.get(n);
            if (fs != null) {
                synchronized (fs) {
                    for (WeakReference<Frame> ref : fs) {
                        Frame f = ref.get();
                        if (f != null) {
                            frames.put(f, Boolean.TRUE);
                        }
                    }
                }
            }
            for (Edge e : n.nextFunctions()) {
                if (e != null && seen.put(e.node(), Boolean.TRUE) == null) {
                    stack.push(e.node());
                }
            }
        }
        Map<Storage, Boolean> storages = new IdentityHashMap<>();
        for (Frame f : frames.keySet()) {
            total += f.heldBytes(storages);
        }
        return total;
    }

    // ---- the machinery --------------------------------------------------------------------------------------------

    /**
     * Which checkpoint this is, for messages: a label ("checkpoint #3", "checkpointSequential segment 2 of 8 ...")
     * and the stack frame of the user's call (turned into text only when a message needs it).
     */
    private record Site(String label, StackWalker.StackFrame caller) {
        String callSite() {
            return caller == null ? "an unknown place" : caller.toStackTraceElement().toString();
        }

        String name() {
            return label + " (called at " + callSite() + ")";
        }
    }

    /** What a checkpoint packs in place of a saved tensor: which one it was, in the order of saving. */
    private record Handle(Frame frame, int index) {
    }

    /** Marks a tensor captured during recomputation (the capture scope keeps the tensor itself). */
    private static final Object CAPTURED = new Object();

    private static Tensor[] run(Function<Tensor[], Tensor[]> fn, Tensor[] inputs, Site site) {
        if (!GradMode.isEnabled()) {
            // nothing is saved without grad mode, so there is nothing to recompute
            return requireOutputs(fn.apply(inputs.clone()));
        }
        if (site == null) {
            site = new Site("checkpoint #" + IDS.incrementAndGet(), caller());
        }
        if (RECOMPUTING.get()[0] == 0 && !anyRequiresGrad(inputs) && WARNED.add(site.callSite())) {
            LOG.warn("{}: none of the inputs requires grad, so none of them will get a gradient (PyTorch: \"None of "
                    + "the inputs have requires_grad=True. Gradients will be None\"). Tensors the function uses "
                    + "through a closure, such as parameters, still get theirs, and the result requires grad if they "
                    + "do. Call requiresGrad_() on an input that should get a gradient. (Logged once per call site.)",
                    site.name());
        }
        Frame frame = new Frame(site, fn, inputs, Generator.defaultGenerator().getState());
        long before = new Probe().sequenceNr();
        Tensor[] outputs;
        try (SavedTensorHooks.Scope s = SavedTensorHooks.scope(frame::pack, Checkpoint::unpack)) {
            outputs = fn.apply(inputs.clone());
        }
        frame.forwardDone();
        requireOutputs(outputs);
        for (Tensor out : outputs) {
            Node node = out == null ? null : out.gradFn();
            if (node != null && node.sequenceNr() > before) {
                OUTPUT_NODES.computeIfAbsent(node, k -> Collections.synchronizedList(new ArrayList<>(1)))
                        .add(new WeakReference<>(frame));
            }
        }
        return outputs;
    }

    private static Tensor unpack(Object packed) {
        Handle h = (Handle) packed;
        return h.frame().unpack(h.index());
    }

    /** One checkpointed call: the function, its inputs, the generator state before it ran, what it saved. */
    private static final class Frame {
        private final Site site;
        private final Function<Tensor[], Tensor[]> fn;
        private final Tensor[] inputs;
        /** The inputs' versions when the call began, and when it returned. */
        private final int[] versionsBefore;
        private final int[] versionsAfter;
        private final Generator.State rngState;
        private final List<int[]> shapes = new ArrayList<>();
        private final List<DType> dtypes = new ArrayList<>();
        private boolean forwardDone;
        private boolean recomputing;
        private Tensor[] recomputed;
        private int remaining;

        Frame(Site site, Function<Tensor[], Tensor[]> fn, Tensor[] inputs, Generator.State rngState) {
            this.site = site;
            this.fn = fn;
            this.inputs = inputs.clone();
            this.versionsBefore = versions(inputs);
            this.versionsAfter = versionsBefore.clone();
            this.rngState = rngState;
        }

        private static int[] versions(Tensor[] ts) {
            int[] v = new int[ts.length];
            for (int i = 0; i < ts.length; i++) {
                v[i] = ts[i] == null ? 0 : ts[i].version();
            }
            return v;
        }

        private String name() {
            return site.name();
        }

        synchronized Object pack(Tensor t) {
            shapes.add(t.impl().shape());
            dtypes.add(t.dtype());
            return new Handle(this, shapes.size() - 1);
        }

        synchronized void forwardDone() {
            forwardDone = true;
            System.arraycopy(versions(inputs), 0, versionsAfter, 0, inputs.length);
        }

        synchronized Tensor unpack(int index) {
            if (!forwardDone || recomputing) {
                throw new AutogradException(name() + ": a tensor saved inside the checkpointed function was needed for "
                        + "backward " + (recomputing ? "while the function was being recomputed" : "before the "
                        + "function returned") + " (a backward() or grad() call inside the function through tensors "
                        + "it computed itself). A checkpoint cannot recompute a function that is still running: "
                        + "compute that gradient outside the checkpointed function, or do not checkpoint it.");
            }
            Tensor[] r = recomputed;
            if (r == null || r[index] == null) {
                // first unpack of this backward (or a handle unpacked again, e.g. by a second backward): run fn again
                r = recompute();
            }
            Tensor t = r[index];
            r[index] = null;
            if (--remaining == 0) {
                recomputed = null;
            }
            return t;
        }

        private Tensor[] recompute() {
            for (int i = 0; i < inputs.length; i++) {
                Tensor in = inputs[i];
                if (in == null) {
                    continue;
                }
                String what = name() + ": input " + i + " (a " + in.dtype() + " tensor of shape "
                        + Arrays.toString(in.shape()) + ")";
                if (versionsAfter[i] != versionsBefore[i]) {
                    throw new AutogradException(what + " was modified in place by the checkpointed function itself "
                            + "(its version went from " + versionsBefore[i] + " to " + versionsAfter[i] + " while the "
                            + "function ran; last written by " + lastWriter(in) + "), so recomputing the function "
                            + "during backward would start from different values and modify it again. Fix: use the "
                            + "out-of-place form inside the function (x = x.relu() instead of x.relu_()).");
                }
                if (in.version() != versionsAfter[i]) {
                    throw new AutogradException(what + " was modified in place after the checkpointed call (its "
                            + "version is " + in.version() + ", expected " + versionsAfter[i] + "; last written by "
                            + lastWriter(in) + "), so recomputing the function during backward would give different "
                            + "values. Fix: pass a clone() to checkpoint, or modify the tensor only after backward.");
                }
            }
            int expected = shapes.size();
            List<Tensor> captured = new ArrayList<>(expected);
            Generator gen = Generator.defaultGenerator();
            Generator.State current = gen.getState();
            int[] depth = RECOMPUTING.get();
            recomputing = true;
            depth[0]++;
            try (GradMode.Scope g = GradMode.scope(true);
                 SavedTensorHooks.Scope s = SavedTensorHooks.scope(t -> {
                     captured.add(t.detach());
                     return CAPTURED;
                 }, p -> {
                     throw new AutogradException(name() + ": a tensor saved while the checkpointed function was being "
                             + "recomputed was needed for backward inside that recomputation; backward() or grad() "
                             + "inside a checkpointed function through its own tensors is not supported");
                 })) {
                gen.setState(rngState);
                fn.apply(inputs.clone());
            } finally {
                depth[0]--;
                recomputing = false;
                gen.setState(current);
            }
            if (captured.size() != expected) {
                throw new AutogradException("torch.utils.checkpoint: " + name() + ": the number of saved tensors "
                        + "differs between the forward pass and the recomputation during backward: the function saved "
                        + expected + " tensors for backward when it ran, but " + captured.size() + " when it ran "
                        + "again. A checkpointed function must do the same thing when it runs again: do not branch on "
                        + "state that changes between forward and backward (counters, flags, a module's training "
                        + "mode), and do not change which of its inputs or parameters require grad in between.");
            }
            for (int i = 0; i < expected; i++) {
                Tensor t = captured.get(i);
                if (!Arrays.equals(t.impl().shape(), shapes.get(i)) || t.dtype() != dtypes.get(i)) {
                    throw new AutogradException("torch.utils.checkpoint: " + name() + ": saved tensor " + i + " of "
                            + expected + " was a " + dtypes.get(i) + " tensor of shape "
                            + Arrays.toString(shapes.get(i)) + " in the forward pass but is a " + t.dtype()
                            + " tensor of shape " + Arrays.toString(t.shape()) + " in the recomputation: a "
                            + "checkpointed function must compute the same thing when it runs again");
                }
            }
            recomputed = captured.toArray(new Tensor[0]);
            remaining = expected;
            return recomputed;
        }

        /** What this checkpoint keeps: its inputs' storage (each storage once) and unconsumed recomputed tensors. */
        synchronized long heldBytes(Map<Storage, Boolean> counted) {
            long b = 0;
            for (Tensor t : inputs) {
                if (t != null) {
                    Storage s = t.impl().storage();
                    if (counted.put(s, Boolean.TRUE) == null) {
                        b += (long) s.length() * s.dtype().byteSize();
                    }
                }
            }
            if (recomputed != null) {
                for (Tensor t : recomputed) {
                    if (t != null) {
                        b += (long) t.numel() * t.dtype().byteSize();
                    }
                }
            }
            return b;
        }
    }

    /** A node that is never part of a graph: creating one reads the node sequence number. */
    private static final class Probe extends Node {
        @Override
        protected Tensor[] backward(Tensor[] gradOutputs) {
            return new Tensor[0];
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static Tensor applyAll(List<UnaryOperator<Tensor>> fns, Tensor x) {
        for (UnaryOperator<Tensor> f : fns) {
            x = f.apply(x);
        }
        return x;
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    private static String lastWriter(Tensor t) {
        String w = t.impl().storage().lastWriter();
        return w == null ? "an in-place op" : w + "()";
    }

    private static void requireFn(Object fn) {
        if (fn == null) {
            throw new EmberException("checkpoint: the function to checkpoint is null");
        }
    }

    private static Tensor[] requireInputs(Tensor[] inputs) {
        if (inputs == null) {
            throw new EmberException("checkpoint: the array of inputs is null; pass the input tensors (or none)");
        }
        return inputs;
    }

    private static Tensor[] requireOutputs(Tensor[] outputs) {
        if (outputs == null) {
            throw new EmberException("checkpoint: the checkpointed function returned null; it must return its result "
                    + "tensors");
        }
        return outputs;
    }

    private static Tensor single(Tensor[] outputs) {
        if (outputs[0] == null) {
            throw new EmberException("checkpoint: the checkpointed function returned null; it must return its "
                    + "result tensor");
        }
        return outputs[0];
    }

    /** The first stack frame outside this class: where the user called checkpoint. */
    private static StackWalker.StackFrame caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Checkpoint.class.getName())
                        && !f.getClassName().startsWith(Checkpoint.class.getName() + "$"))
                .findFirst()
                .orElse(null));
    }
}
