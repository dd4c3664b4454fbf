package dev.ember.autograd;

import dev.ember.Tensor;

/**
 * A dual tensor taken apart by {@link ForwardAD#unpackDual}: its primal (the values, without the tangent) and its
 * tangent at the open dual level (null when it has none). PyTorch's {@code UnpackedDualTensor}.
 *
 * <pre>{@code
 * try (DualLevel level = ForwardAD.dualLevel()) {
 *     Tensor x = ForwardAD.makeDual(Ember.scalar(1.0), Ember.scalar(1.0));
 *     Dual y = ForwardAD.unpackDual(x.pow(2));
 *     System.out.println(y.tangent());   // tensor(2.)
 * }
 * }</pre>
 *
 * @param primal  the values; inside a level, a view of the dual tensor that carries no tangent
 * @param tangent the directional derivative at the open level, or null
 */
public record Dual(Tensor primal, Tensor tangent) {
}
