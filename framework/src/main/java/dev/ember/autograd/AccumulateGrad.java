package dev.ember.autograd;

import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The sink of the gradient of a leaf tensor: adds what reaches it into the leaf's {@code .grad} (PyTorch's
 * AccumulateGrad). Tensor hooks registered on the leaf run first and may replace the gradient; post-accumulate
 * hooks run after {@code .grad} was updated.
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
        accumulate(variable, gradOutputs[0]);
        if (postHooks != null) {
            for (PostAccumulateGradHook h : List.copyOf(postHooks)) {
                h.apply(variable);
            }
        }
        return new Tensor[0];
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
     * PyTorch's accumulation rule: a first gradient is stored as a copy (with its graph when grad mode is on, i.e.
     * under createGraph); later ones are added in place, or out of place when grad mode is on.
     */
    static void accumulate(Tensor t, Tensor incoming) {
        Tensor g = t.grad();
        if (GradMode.isEnabled()) {
            t.setGrad(g == null ? incoming.clone() : g.add(incoming));
            return;
        }
        if (g == null) {
            t.setGrad(incoming.detach().clone());
        } else if (g.requiresGrad()) {
            t.setGrad(g.add(incoming));
        } else {
            g.add_(incoming);
        }
    }
}
