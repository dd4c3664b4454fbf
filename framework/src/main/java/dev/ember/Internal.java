package dev.ember;

import dev.ember.autograd.AccumulateGrad;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Node;
import dev.ember.kernels.TensorData;

/**
 * Framework-internal access to the autograd state of tensors, for the ops and the engine. Not part of the public
 * API: user code has no reason to call it, and its methods may change without notice.
 *
 * <pre>{@code
 * Tensor out = Internal.wrap(kernelResult);
 * if (Internal.recording(a, b)) Internal.attach(out, new MulBackward(a, b), 0);
 * }</pre>
 */
public final class Internal {
    private Internal() {
    }

    /** A new tensor (no autograd history) over kernel data. */
    public static Tensor wrap(TensorData data) {
        return new Tensor(data);
    }

    /** A tensor over a view of base's storage; it remembers base so that in-place writes through it are checked. */
    public static Tensor view(TensorData data, Tensor base) {
        Tensor t = new Tensor(data);
        t.viewBase = base.viewBase != null ? base.viewBase : base;
        return t;
    }

    /** True when an op on these inputs must be recorded: grad mode is on and one of them requires grad. */
    public static boolean recording(Tensor a) {
        return a.requiresGrad() && GradMode.isEnabled();
    }

    public static boolean recording(Tensor a, Tensor b) {
        return (a.requiresGrad() || b.requiresGrad()) && GradMode.isEnabled();
    }

    public static boolean recording(Tensor... ts) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Makes node the grad_fn of out (as its output number outputNr); returns out. */
    public static Tensor attach(Tensor out, Node node, int outputNr) {
        out.gradFn = node;
        out.outputNr = outputNr;
        return out;
    }

    /** The accumulator of a leaf that requires grad (created on first use). */
    public static AccumulateGrad accumulator(Tensor leaf) {
        if (leaf.accumulator == null) {
            leaf.accumulator = new AccumulateGrad(leaf);
        }
        return leaf.accumulator;
    }

    /** A copy of t's values that shares t's place in the graph (its grad_fn), for recording in-place ops. */
    public static Tensor snapshot(Tensor t, TensorData copy) {
        Tensor s = new Tensor(copy);
        s.gradFn = t.gradFn;
        s.outputNr = t.outputNr;
        s.requiresGrad = t.gradFn == null && t.requiresGrad;
        s.accumulator = t.gradFn == null ? t.accumulator : null;
        return s;
    }

    /** After an in-place op: t's history becomes result's (its grad_fn), hooks and retained grad move along. */
    public static void rebase(Tensor t, Tensor result) {
        Node old = t.gradFn;
        int oldNr = t.outputNr;
        boolean retained = old != null && Autograd.retainsGrad(t);
        t.gradFn = result.gradFn;
        t.outputNr = result.outputNr;
        if (old != null && t.gradFn != null) {
            Autograd.moveOutputState(old, oldNr, t.gradFn, t.outputNr);
            if (retained) {
                Autograd.retainGrad(t);
            }
        }
    }

    /**
     * A tensor over t's elements that takes the given place in the graph (a grad_fn output, or a leaf's gradient
     * sink), for saved tensors restored by unpack hooks: gradients through it reach the original graph.
     */
    public static Tensor restoreHistory(Tensor t, Node gradFn, int outputNr, Tensor leaf) {
        if (gradFn == null && leaf == null) {
            return t.gradFn() == null ? t : t.detach();
        }
        Tensor r = new Tensor(t.impl().alias());
        if (gradFn != null) {
            r.gradFn = gradFn;
            r.outputNr = outputNr;
        } else {
            r.requiresGrad = true;
            r.accumulator = accumulator(leaf);
        }
        return r;
    }

    /** The forward-mode tangent stored on t, whatever its level (forward mode decides whether it is live). */
    public static Tensor rawTangent(Tensor t) {
        return t.tangent;
    }

    /** The dual level t's tangent belongs to, or null. */
    public static Object rawTangentLevel(Tensor t) {
        return t.tangentLevel;
    }

    /** Stores a forward-mode tangent on t for the given dual level (null clears it). */
    public static void setRawTangent(Tensor t, Tensor tangent, Object level) {
        t.tangent = tangent;
        t.tangentLevel = tangent == null ? null : level;
    }

    /**
     * Gives a leaf new elements (PyTorch's {@code param.data = ...}), keeping the tensor object, its requiresGrad
     * and its accumulator, so that optimizers and modules holding it see the change; for dtype conversion of
     * modules. Its gradient, if any, is converted along.
     */
    public static void replaceData(Tensor t, TensorData data) {
        if (t.gradFn != null) {
            throw new AutogradException("replaceData: only leaf tensors can have their elements replaced, but this "
                    + "one is the result of " + t.gradFn.name());
        }
        t.replaceData(data);
    }

    /** The tensor t is a view of (through view ops), or null. */
    public static Tensor viewBase(Tensor t) {
        return t.viewBase;
    }
}
