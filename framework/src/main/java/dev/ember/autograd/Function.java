package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A custom differentiable operation (PyTorch's {@code torch.autograd.Function}): subclass it, define
 * {@link #forward} and {@link #backward}, and call {@link #apply}, which records one node named after the class
 * ({@code MySquareBackward}). Non-tensor arguments are fields of the subclass, set through its constructor.
 *
 * <pre>{@code
 * final class MySquare extends Function {
 *     protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
 *         ctx.saveForBackward(inputs[0]);
 *         return new Tensor[] {inputs[0].pow(2)};
 *     }
 *     protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
 *         Tensor input = ctx.savedTensors()[0];
 *         return new Tensor[] {gradOutputs[0].mul(input.mul(2))};
 *     }
 * }
 * Tensor out = new MySquare().apply(Ember.scalar(3.0).requiresGrad_());   // tensor(9., grad_fn=<MySquareBackward>)
 * out.backward();                                                         // input's grad: 6
 * }</pre>
 *
 * <p>forward runs without recording; backward runs with recording only under {@code createGraph}, so a backward
 * written with Tensor ops can be differentiated again. Override {@link #isOnceDifferentiable()} to declare a
 * backward that cannot be: differentiating it then fails with an error naming the function (where PyTorch
 * reports a tensor that "does not require grad"). Override {@link #jvp} to support forward-mode AD.
 */
public abstract class Function {

    /**
     * Computes the outputs. Runs without recording. Save what backward needs with
     * {@link FunctionContext#saveForBackward}; declare in-place-modified inputs with {@code markDirty} and
     * non-differentiable outputs with {@code markNonDifferentiable}.
     */
    protected abstract Tensor[] forward(FunctionContext ctx, Tensor... inputs);

    /**
     * The gradients of the inputs given those of the outputs: exactly one entry per input of forward (null for
     * inputs that need none, see {@link FunctionContext#needsInputGrad}), each of its input's shape and dtype.
     */
    protected abstract Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs);

    /**
     * Forward-mode rule: the tangents of the outputs given those of the inputs (null for inputs without a tangent).
     * Optional; the default fails with a message saying it is needed.
     */
    protected Tensor[] jvp(FunctionContext ctx, Tensor... inputTangents) {
        throw new AutogradException(name() + " does not define jvp(ctx, inputTangents), which forward-mode AD "
                + "through it needs; override jvp in " + getClass().getName());
    }

    /** True if backward cannot itself be differentiated (PyTorch's @once_differentiable). */
    protected boolean isOnceDifferentiable() {
        return false;
    }

    /** The function's name, for its node ({@code name() + "Backward"}) and for errors: the class's simple name. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Function" : n;
    }

    /** Applies a function with exactly one output. */
    public final Tensor apply(Tensor... inputs) {
        Tensor[] out = applyAll(inputs);
        if (out.length != 1) {
            throw new AutogradException(name() + ".forward returned " + out.length + " outputs; use applyAll(...) "
                    + "for functions with several outputs");
        }
        return out[0];
    }

    /** Applies the function and returns all its outputs. */
    public final Tensor[] applyAll(Tensor... inputs) {
        boolean record = GradMode.isEnabled();
        boolean[] needs = new boolean[inputs.length];
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            needs[i] = record && inputs[i] != null && inputs[i].requiresGrad();
            any |= needs[i];
        }
        FunctionContext ctx = new FunctionContext(name(), needs);
        Tensor[] tangents = inputTangents(inputs);
        Tensor[] outputs;
        try (var g = Ember.noGrad(); var s = tangents != null ? ForwardAD.suspend() : null) {
            outputs = forward(ctx, inputs.clone());
        }
        checkOutputs(outputs, inputs, ctx, any);
        if (!any) {
            ctx.endForward(null);
            applyJvp(ctx, tangents, outputs);
            return outputs;
        }
        FunctionNode node = new FunctionNode(this, ctx, inputs, outputs);
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            if (ctx.isNonDifferentiable(out) || !out.dtype().isFloatingPoint()) {
                continue;
            }
            Node old = out.gradFn();
            int oldNr = out.outputNr();
            Internal.attach(out, node, i);
            if (old != null && ctx.isDirty(out)) {
                Autograd.moveOutputState(old, oldNr, node, i);
            }
        }
        List<SavedTensor> saved = new ArrayList<>(ctx.toSave().size());
        for (Tensor t : ctx.toSave()) {
            saved.add(t == null ? null : node.keep(t));
        }
        ctx.endForward(saved);
        applyJvp(ctx, tangents, outputs);
        return outputs;
    }

    /** The live tangents of the inputs, or null when forward mode is off or no input has one. */
    private static Tensor[] inputTangents(Tensor[] inputs) {
        if (!ForwardAD.isActive()) {
            return null;
        }
        Tensor[] t = new Tensor[inputs.length];
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            t[i] = ForwardAD.tangentOf(inputs[i]);
            any |= t[i] != null;
        }
        return any ? t : null;
    }

    /** Forward mode: the outputs' tangents from the user's jvp, checked like backward's gradients. */
    private void applyJvp(FunctionContext ctx, Tensor[] tangents, Tensor[] outputs) {
        if (tangents == null) {
            return;
        }
        Tensor[] out;
        try (var s = ForwardAD.suspend()) {
            out = jvp(ctx, tangents);
        }
        if (out == null || out.length != outputs.length) {
            throw new AutogradException(name() + ".jvp returned " + (out == null ? "null" : out.length + " tangents")
                    + " but forward returned " + outputs.length + " output" + (outputs.length == 1 ? "" : "s")
                    + ": return exactly one tangent (or null) per output");
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null || ctx.isNonDifferentiable(outputs[i]) || !outputs[i].dtype().isFloatingPoint()) {
                continue;
            }
            if (!Arrays.equals(out[i].impl().shape(), outputs[i].impl().shape()) || out[i].dtype() != outputs[i].dtype()) {
                throw new AutogradException(name() + ".jvp returned a " + out[i].dtype() + " tangent of shape "
                        + Arrays.toString(out[i].shape()) + " for output " + i + ", which is " + outputs[i].dtype()
                        + " of shape " + Arrays.toString(outputs[i].shape()) + ": a tangent must match its output");
            }
            ForwardAD.setTangent(outputs[i], out[i]);
        }
    }

    private void checkOutputs(Tensor[] outputs, Tensor[] inputs, FunctionContext ctx, boolean recording) {
        if (outputs == null || outputs.length == 0) {
            throw new AutogradException(name() + ".forward returned no outputs; it must return at least one tensor");
        }
        for (Tensor d : ctx.dirtyTensors()) {
            int at = indexOf(inputs, d);
            if (at < 0) {
                throw new AutogradException(name() + ": markDirty was given a tensor that is not an input of forward; "
                        + "only inputs modified in place can be marked dirty");
            }
            if (indexOf(outputs, d) < 0) {
                throw new AutogradException(name() + ": input " + at + " was marked dirty but forward did not return "
                        + "it; a function that modifies an input in place must return it as an output");
            }
            if (recording && d.isLeaf() && d.requiresGrad()) {
                throw new AutogradException(name() + ": input " + at + " is a leaf tensor that requires grad and "
                        + "forward modified it in place (markDirty); modify a clone() of it instead");
            }
        }
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            if (out == null) {
                throw new AutogradException(name() + ".forward returned null as output " + i);
            }
            boolean repeated = indexOf(outputs, out) < i;
            if (repeated || (indexOf(inputs, out) >= 0 && !ctx.isDirty(out))) {
                // an input (or an output) returned as is: give the caller its own tensor object, as PyTorch's view
                Tensor alias = Internal.view(out.impl().alias(), out);
                if (ctx.isNonDifferentiable(out)) {
                    ctx.markNonDifferentiable(alias);
                }
                outputs[i] = alias;
            }
        }
    }

    private static int indexOf(Tensor[] ts, Tensor t) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        return -1;
    }

    /** The node a custom function records: runs the user's backward and checks what it returns. */
    static final class FunctionNode extends Node {
        private final Function function;
        private final FunctionContext ctx;
        private final int[][] outputShapes;
        private final DType[] outputTypes;

        FunctionNode(Function function, FunctionContext ctx, Tensor[] inputs, Tensor[] outputs) {
            super(inputs);
            this.function = function;
            this.ctx = ctx;
            this.outputShapes = new int[outputs.length][];
            this.outputTypes = new DType[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                outputShapes[i] = outputs[i].impl().shape();
                outputTypes[i] = outputs[i].dtype();
            }
        }

        SavedTensor keep(Tensor t) {
            return save(t);
        }

        @Override
        public String name() {
            return function.name() + "Backward";
        }

        @Override
        public int numOutputs() {
            return outputShapes.length;
        }

        @Override
        protected Tensor[] backward(Tensor[] gradOutputs) {
            Tensor[] g = gradOutputs.clone();
            if (ctx.materializeGrads()) {
                for (int i = 0; i < g.length; i++) {
                    if (g[i] == null) {
                        g[i] = Ember.zeros(outputTypes[i].isFloatingPoint() ? outputTypes[i] : DType.FLOAT32,
                                outputShapes[i]);
                    }
                }
            }
            Tensor[] grads;
            boolean once = function.isOnceDifferentiable() && GradMode.isEnabled();
            try (var mode = GradMode.scope(GradMode.isEnabled() && !once)) {
                grads = function.backward(ctx, g);
            }
            check(grads);
            if (once) {
                for (int i = 0; i < grads.length; i++) {
                    if (grads[i] != null) {
                        grads[i] = DelayedErrorBackward.wrap(grads[i], this, function.name());
                    }
                }
            }
            return grads;
        }

        private void check(Tensor[] grads) {
            String fn = function.name();
            if (grads == null || grads.length != numInputs()) {
                throw new AutogradException(fn + ".backward returned " + (grads == null ? "null" : grads.length
                        + " gradient" + (grads.length == 1 ? "" : "s")) + " but forward took " + numInputs()
                        + " tensor input" + (numInputs() == 1 ? "" : "s") + ": return exactly one gradient per input"
                        + " (null for an input that needs none)");
            }
            for (int i = 0; i < grads.length; i++) {
                Tensor gi = grads[i];
                if (gi == null) {
                    continue;
                }
                if (!Arrays.equals(gi.impl().shape(), inputShape(i))) {
                    throw new AutogradException(fn + ".backward returned a gradient of shape "
                            + Arrays.toString(gi.shape()) + " for input " + i + ", whose shape is "
                            + Arrays.toString(inputShape(i)) + ": each gradient must have its input's shape");
                }
                DType want = inputType(i);
                if (want != null && gi.dtype() != want) {
                    throw new AutogradException(fn + ".backward returned a " + gi.dtype() + " gradient for input " + i
                            + ", which is " + want + ": each gradient must have its input's dtype (convert with .to("
                            + want.name() + "))");
                }
            }
        }
    }

    /** Stands in the graph of a once-differentiable backward's result; differentiating through it fails clearly. */
    static final class DelayedErrorBackward extends Node {
        private final String function;

        private DelayedErrorBackward(Edge[] edges, int[][] shapes, DType[] types, String function) {
            super(edges, shapes, types);
            this.function = function;
        }

        static Tensor wrap(Tensor grad, Node source, String function) {
            int n = source.numInputs();
            Edge[] edges = source.nextFunctions().toArray(new Edge[0]);
            int[][] shapes = new int[n][];
            DType[] types = new DType[n];
            for (int i = 0; i < n; i++) {
                shapes[i] = source.inputShape(i);
                types[i] = source.inputType(i);
            }
            Tensor out = Internal.wrap(grad.impl().alias());
            return Internal.attach(out, new DelayedErrorBackward(edges, shapes, types, function), 0);
        }

        @Override
        public String name() {
            return "DelayedErrorBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] gradOutputs) {
            throw new AutogradException("trying to differentiate twice through " + function + ", whose backward is "
                    + "marked once-differentiable (isOnceDifferentiable() returns true): its gradient has no "
                    + "derivative. Write its backward with Tensor ops and remove the mark to allow higher-order "
                    + "derivatives.");
        }
    }
}
