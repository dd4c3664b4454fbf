package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.kernels.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recorded operation on the tape: PyTorch's {@code grad_fn}. It holds edges to the nodes of its inputs, what its
 * backward formula needs ({@link SavedTensor}s), and computes the vector-Jacobian product: given the gradients of
 * its outputs, the gradients of its inputs.
 *
 * <pre>{@code
 * Tensor y = w.mul(x);
 * Node n = y.gradFn();
 * System.out.println(n.name());            // MulBackward
 * System.out.println(n.nextFunctions());   // the edges to w's and x's nodes
 * }</pre>
 *
 * <p>Subclasses (one per op, next to the op's forward) implement {@link #backward(Tensor[])} with Tensor ops, so
 * that with {@code createGraph} the backward pass is itself recorded and can be differentiated again.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final long sequenceNr;
    private final Edge[] next;
    private final int[][] inputShapes;
    private final DType[] inputTypes;
    private List<SavedTensor> saved;
    private boolean released;
    private List<TensorHook>[] tensorHooks;
    private Tensor[] retained;
    private final StackTraceElement[] creationSite;

    /** A node whose inputs are the given tensors; inputs that do not require grad get no edge. */
    protected Node(Tensor... inputs) {
        this(SEQUENCE.getAndIncrement(), inputs);
    }

    Node(long sequenceNr, Tensor... inputs) {
        this.sequenceNr = sequenceNr;
        this.creationSite = AnomalyMode.siteIfEnabled();
        int n = inputs.length;
        next = new Edge[n];
        inputShapes = new int[n][];
        inputTypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                continue;
            }
            next[i] = gradientEdge(t);
            inputShapes[i] = t.impl().shape();
            inputTypes[i] = t.dtype();
        }
    }

    /** A node over given edges (for nodes that stand in for another's inputs). */
    Node(Edge[] edges, int[][] inputShapes, DType[] inputTypes) {
        this.sequenceNr = SEQUENCE.getAndIncrement();
        this.creationSite = AnomalyMode.siteIfEnabled();
        this.next = edges.clone();
        this.inputShapes = inputShapes.clone();
        this.inputTypes = inputTypes.clone();
    }

    /** The edge through which a gradient reaches t: its grad_fn, or the accumulator of a leaf; null if none. */
    static Edge gradientEdge(Tensor t) {
        if (!t.requiresGrad()) {
            return null;
        }
        Node fn = t.gradFn();
        return fn != null ? new Edge(fn, t.outputNr()) : new Edge(Internal.accumulator(t), 0);
    }

    /** The op's name, as PyTorch prints it: {@code MulBackward}, {@code SumBackward}, ... */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The edges to the nodes that receive this node's input gradients; null where an input needs none. */
    public List<Edge> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /** How many inputs this node has (and so how many gradients its backward returns). */
    public int numInputs() {
        return next.length;
    }

    /** How many differentiable outputs the op has; most have one. */
    public int numOutputs() {
        return 1;
    }

    /** Where the forward call that created this node was made, if anomaly mode was on; else null. */
    public StackTraceElement[] creationSite() {
        return creationSite;
    }

    /** Creation order; the engine runs the most recently created ready node first, as PyTorch does. */
    public long sequenceNr() {
        return sequenceNr;
    }

    /** True if the input at index i needs a gradient (PyTorch's needs_input_grad); skip work otherwise. */
    protected final boolean needsInputGrad(int i) {
        return next[i] != null;
    }

    /** The shape of input i when the op ran (what its gradient must have). */
    protected final int[] inputShape(int i) {
        return inputShapes[i];
    }

    /** The dtype of input i when the op ran. */
    protected final DType inputType(int i) {
        return inputTypes[i];
    }

    /** Saves a tensor for backward, remembering its version so that a later in-place write is detected. */
    protected final SavedTensor save(Tensor t) {
        SavedTensor s = new SavedTensor(t, this);
        if (saved == null) {
            saved = new ArrayList<>(2);
        }
        saved.add(s);
        return s;
    }

    /**
     * The gradients of the inputs given those of the outputs (the vector-Jacobian product). Entries for inputs
     * that need no gradient may be null; for a node with several outputs, entries of gradOutputs may be null.
     */
    protected abstract Tensor[] backward(Tensor[] gradOutputs);

    /** Runs backward and checks what it returned: one gradient per input, of the input's shape and dtype. */
    Tensor[] apply(Tensor[] gradOutputs) {
        Tensor[] grads = backward(gradOutputs);
        if (grads == null || grads.length != next.length) {
            throw new AutogradException(name() + " returned " + (grads == null ? "null" : grads.length + " gradients")
                    + " but has " + next.length + " inputs: a backward returns exactly one gradient (or null) per input");
        }
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null || next[i] == null) {
                grads[i] = null;
                continue;
            }
            int[] want = inputShapes[i];
            if (!Arrays.equals(g.impl().shape(), want)) {
                if (Shapes.expandable(want, g.impl().shape())) {
                    g = g.sumTo(want);
                } else {
                    throw new AutogradException(name() + " returned a gradient of shape " + Arrays.toString(g.shape())
                            + " for input " + i + ", whose shape is " + Arrays.toString(want)
                            + ": a gradient must have its input's shape (or one that sums to it by broadcasting)");
                }
            }
            if (g.dtype() != inputTypes[i]) {
                if (!g.dtype().isFloatingPoint()) {
                    throw new AutogradException(name() + " returned a " + g.dtype() + " gradient for input " + i
                            + ", which is " + inputTypes[i] + ": gradients must be floating point");
                }
                g = g.to(inputTypes[i]);
            }
            grads[i] = g;
        }
        if (AnomalyMode.isEnabled()) {
            checkFinite(grads);
        }
        return grads;
    }

    private void checkFinite(Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null) {
                continue;
            }
            for (double v : grads[i].toDoubleArray()) {
                if (!Double.isFinite(v)) {
                    throw new AutogradException(name() + " returned " + (Double.isNaN(v) ? "nan" : "inf")
                            + " values in its gradient for input " + i + " (shape "
                            + Arrays.toString(grads[i].shape()) + "). The forward call that created " + name()
                            + " was made here:\n" + AnomalyMode.format(creationSite));
                }
            }
        }
    }

    /** Frees the saved tensors (after a backward without retainGraph). */
    void release() {
        if (saved != null) {
            for (SavedTensor s : saved) {
                s.release();
            }
        }
        released = true;
    }

    /** True once a backward without retainGraph has freed this node's saved tensors. */
    public boolean isReleased() {
        return released;
    }

    /** The tensors this node saved for backward (empty if none); read their shape and dtype without unpacking. */
    public List<SavedTensor> savedTensors() {
        return saved == null ? List.of() : Collections.unmodifiableList(saved);
    }

    /** The bytes held by this node's saved tensors (0 once released). */
    public long savedBytes() {
        long b = 0;
        if (saved != null) {
            for (SavedTensor s : saved) {
                b += s.bytes();
            }
        }
        return b;
    }

    // ---- tensor hooks on this node's outputs (PyTorch's pre-hooks) ----------------------------------------------

    @SuppressWarnings({"unchecked", "rawtypes"})
    RemovableHandle addTensorHook(int output, TensorHook hook) {
        if (tensorHooks == null) {
            tensorHooks = new List[Math.max(numOutputs(), 1)];
        }
        if (tensorHooks[output] == null) {
            tensorHooks[output] = new ArrayList<>(1);
        }
        List<TensorHook> list = tensorHooks[output];
        list.add(hook);
        return new RemovableHandle(() -> list.remove(hook));
    }

    void retainGrad(int output, Tensor t) {
        if (retained == null) {
            retained = new Tensor[Math.max(numOutputs(), 1)];
        }
        retained[output] = t;
    }

    Tensor retainedTensor(int output) {
        return retained == null ? null : retained[output];
    }

    /** Moves the tensor hooks and retained-grad registration of one output to another node (in-place rebase). */
    void moveOutputStateTo(int output, Node target, int targetOutput) {
        if (tensorHooks != null && tensorHooks[output] != null) {
            for (TensorHook h : tensorHooks[output]) {
                target.addTensorHook(targetOutput, h);
            }
            tensorHooks[output] = null;
        }
        if (retained != null && retained[output] != null) {
            target.retainGrad(targetOutput, retained[output]);
            retained[output] = null;
        }
    }

    /** True when tensor hooks are registered on this output (they see, and may keep, its gradient). */
    boolean hasTensorHooks(int output) {
        return tensorHooks != null && tensorHooks[output] != null && !tensorHooks[output].isEmpty();
    }

    /** Applies the tensor hooks of each output to its gradient, then stores retained gradients. */
    void runPreHooks(Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null) {
                continue;
            }
            if (tensorHooks != null && tensorHooks[i] != null) {
                for (TensorHook h : List.copyOf(tensorHooks[i])) {
                    Tensor r = h.apply(grads[i]);
                    if (r != null) {
                        grads[i] = checkHookResult(r, grads[i]);
                    }
                }
            }
            if (retained != null && retained[i] != null) {
                AccumulateGrad.accumulate(retained[i], grads[i]);
            }
        }
    }

    private Tensor checkHookResult(Tensor r, Tensor g) {
        if (!Arrays.equals(r.impl().shape(), g.impl().shape()) || r.dtype() != g.dtype()) {
            throw new AutogradException("a hook on an output of " + name() + " returned a gradient of shape "
                    + Arrays.toString(r.shape()) + " and dtype " + r.dtype() + " for a gradient of shape "
                    + Arrays.toString(g.shape()) + " and dtype " + g.dtype()
                    + ": a hook must return a tensor of the same shape and dtype, or null to keep the gradient");
        }
        return r;
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
