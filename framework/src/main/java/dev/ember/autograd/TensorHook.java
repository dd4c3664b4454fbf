package dev.ember.autograd;

import dev.ember.Tensor;

/**
 * A hook on a tensor's gradient (see {@link Tensor#registerHook}): it sees the gradient when it has been computed
 * and may return a replacement, or null to keep it.
 *
 * <pre>{@code
 * v.registerHook(g -> g.clamp(-1, 1));
 * }</pre>
 */
@FunctionalInterface
public interface TensorHook {
    Tensor apply(Tensor grad);
}
