package dev.ember.nn;

import dev.ember.Tensor;

/**
 * Parameters: leaf tensors that require grad, which modules register and optimizers update (PyTorch's
 * {@code nn.Parameter}). In Ember a parameter is a plain {@link Tensor}; this class makes one.
 *
 * <pre>{@code
 * Tensor w = Parameter.of(Ember.randn(3, 4));    // a leaf with requiresGrad() == true, sharing nothing with randn's result's history
 * }</pre>
 */
public final class Parameter {
    private Parameter() {
    }

    /** A leaf that requires grad over the values of t (a detached alias of t's storage). */
    public static Tensor of(Tensor t) {
        return t.detach().requiresGrad_();
    }
}
