package dev.ember.autograd;

import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.kernels.InPlaceKernels;
import dev.ember.kernels.TensorData;

import java.util.ArrayList;
import java.util.List;

/**
 * The sink of the gradient of a leaf tensor: adds what reaches it into the leaf's {@code .grad} (PyTorch's
 * AccumulateGrad, with the rules of PyTorch 1.13's accumulate_grad.h). Tensor hooks registered on the leaf run first
 * and may replace the gradient; post-accumulate hooks run after {@code .grad} was updated.
 *
 * <p>A first gradient becomes {@code .grad} as it is (no copy) when nothing else can see it: not recording (no
 * createGraph), it does not require grad, the engine holds the only reference to its storage, and it is laid out
 * as the leaf is (PyTorch's gradient layout contract). Otherwise {@code .grad} is a copy laid out as the leaf (dense
 * leaves: the leaf's strides; others: row-major). Later gradients are added into {@code .grad} in place (a
 * transposed gradient through a tiled loop), or out of place under createGraph.
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
 * w.mul(3).sum().backward();
 * // w's AccumulateGrad stored [3., 3.] in w.grad()
 * }</pre>
 */
public final class AccumulateGrad extends Node {
    private final Tensor variable;
    private List<PostAccumulateGradHook> postHooks;

    /** Created once per leaf, lazily, by the leaf itself. */
    public AccumulateGrad(Tensor variable) {
        super(Long.MAX_VALUE);
        this.variable = variable;
    }

    /** The leaf this node accumulates into. */
    public Tensor variable() {
        return variable;
    }

    @Override
    protected Tensor[] backward(Tensor[] gradOutputs) {
        deliver(gradOutputs[0], false);
        return new Tensor[0];
    }

    /**
     * The engine's entry: accumulates the incoming gradient, then runs the post-accumulate hooks. {@code exclusive}
     * says that the engine holds the only reference to the gradient's storage, so it may become {@code .grad}
     * without a copy.
     */
    void deliver(Tensor incoming, boolean exclusive) {
        accumulate(variable, incoming, exclusive);
        if (postHooks != null) {
            for (PostAccumulateGradHook h : List.copyOf(postHooks)) {
                h.apply(variable);
            }
        }
    }

    /**
     * True when incoming could become the leaf's {@code .grad} as it is, if nothing else references it: there is
     * no gradient yet, nothing is recorded, it does not require grad and it obeys the layout contract.
     */
    boolean couldTakeOver(Tensor incoming) {
        return canTakeOver(variable, incoming);
    }

    private static boolean canTakeOver(Tensor t, Tensor incoming) {
        return t.grad() == null && !GradMode.isEnabled() && !incoming.requiresGrad()
                && obeysLayoutContract(incoming.impl(), t.impl());
    }

    RemovableHandle addPostHook(PostAccumulateGradHook hook) {
        if (postHooks == null) {
            postHooks = new ArrayList<>(1);
        }
        postHooks.add(hook);
        List<PostAccumulateGradHook> list = postHooks;
        return new RemovableHandle(() -> list.remove(hook));
    }

    /**
     * Accumulates into t's {@code .grad} without taking incoming over (for retained gradients of non-leaves and
     * for the targets of {@code backward(inputs)}): a copy first, then additions.
     */
    static void accumulate(Tensor t, Tensor incoming) {
        accumulate(t, incoming, false);
    }

    /**
     * PyTorch's accumulation rule: a first gradient is taken over when exclusive and {@link #couldTakeOver}
     * allows it, else stored as a copy laid out as t (with its graph when grad mode is on, i.e. under createGraph);
     * later ones are added in place, or out of place when grad mode is on.
     */
    static void accumulate(Tensor t, Tensor incoming, boolean exclusive) {
        Tensor g = t.grad();
        if (g == null) {
            if (exclusive && canTakeOver(t, incoming)) {
                t.setGrad(incoming.detach());
            } else {
                t.setGrad(copyLaidOutLike(incoming, t));
            }
        } else if (!GradMode.isEnabled()) {
            g.add_(incoming);
        } else {
            t.setGrad(g.add(incoming));
        }
    }

    /**
     * PyTorch's gradient layout contract: a gradient of a dense leaf has the leaf's strides (dimensions of size one
     * aside, where it must not be expanded); of any other leaf, it is row-major.
     */
    static boolean obeysLayoutContract(TensorData grad, TensorData leaf) {
        if (!InPlaceKernels.isNonOverlappingAndDense(leaf)) {
            return grad.isContiguous();
        }
        int[] size = grad.shape();
        int[] gs = grad.strides();
        int[] ls = leaf.strides();
        for (int i = 0; i < size.length; i++) {
            if (size[i] != 1 ? gs[i] != ls[i] : gs[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy of g laid out as the contract asks (PyTorch's clone_obey_contract). Under grad mode (createGraph) the
     * copy is recorded, so the gradient keeps its history (and its tangent) for higher-order derivatives.
     */
    private static Tensor copyLaidOutLike(Tensor g, Tensor leaf) {
        if (!GradMode.isEnabled()) {
            return Internal.wrap(InPlaceKernels.copyLaidOutLike(g.impl(), leaf.impl()));
        }
        TensorData layout = InPlaceKernels.emptyLaidOutLike(leaf.impl(), g.dtype());
        return layout.isContiguous() ? g.clone() : Internal.wrap(layout).copy_(g);
    }
}
