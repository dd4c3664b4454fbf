package dev.ember;

/**
 * The result of a reduction that selects elements, such as {@code max(dim)}: the values and their int64 indices
 * along the reduced dimension (PyTorch's {@code torch.return_types.max}).
 *
 * <pre>{@code
 * ValuesAndIndices m = x.max(1, false);
 * Tensor best = m.values();
 * Tensor where = m.indices();
 * }</pre>
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {
}
