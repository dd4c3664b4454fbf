package dev.ember.autograd;

import dev.ember.Tensor;

/**
 * A hook that runs after a leaf's {@code .grad} has been updated by backward; it receives the leaf.
 *
 * <pre>{@code
 * w.registerPostAccumulateGradHook(leaf -> System.out.println(leaf.grad()));
 * }</pre>
 */
@FunctionalInterface
public interface PostAccumulateGradHook {
    void apply(Tensor leaf);
}
