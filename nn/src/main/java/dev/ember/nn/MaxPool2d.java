package dev.ember.nn;

import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.nn.functional.PoolOptions;
import dev.ember.nn.functional.Pooling;

/**
 * 2-d max pooling (PyTorch's {@code nn.MaxPool2d}) over [N, C, H, W] or unbatched [C, H, W] inputs: window
 * kernelSize (one value, or {height, width}); stride (default: the kernel size), padding, dilation and ceilMode from
 * {@link PoolOptions}. {@link #forward} returns the maxima; {@link #forwardWithIndices} also returns where they are
 * (PyTorch's {@code return_indices=True}). On ties the first maximum of a window (row by row) is taken and receives
 * the gradient, as in PyTorch.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);                                   // nn.MaxPool2d(2)
 * Tensor y = pool.forward(Ember.randn(4, 8, 28, 28));                  // [4, 8, 14, 14]
 * MaxPool2d overlapping = new MaxPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1));
 * ValuesAndIndices vi = overlapping.forwardWithIndices(Ember.randn(1, 1, 5, 5));   // values and indices [1, 1, 3, 3]
 * }</pre>
 */
public class MaxPool2d extends PoolLayer {
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    /** kernelSize: one value (square) or {height, width}. */
    public MaxPool2d(int[] kernelSize, PoolOptions options) {
        super(kernelSize, options);
        if (options.countIncludePad() != PoolOptions.DEFAULT.countIncludePad() || options.divisorOverride() != 0) {
            throw new ShapeException("MaxPool2d: countIncludePad and divisorOverride apply to average pooling only, "
                    + "but the options set them (" + options + ")");
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return forwardWithIndices(input).values();
    }

    /** The maxima and, for each, the index h * W + w of its position within its input plane (int64). */
    public ValuesAndIndices forwardWithIndices(Tensor input) {
        checkInput(input);
        return named(() -> Pooling.maxPool2dWithIndices(input, kernelSizeAsGiven(), options()));
    }

    /** {@code kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False}, sizes as they were given. */
    @Override
    protected String extraRepr() {
        return "kernel_size=" + format(kernelSizeAsGiven()) + ", stride=" + format(strideAsGiven()) + ", padding="
                + format(options().padding()) + ", dilation=" + format(options().dilation()) + ", ceil_mode="
                + (options().ceilMode() ? "True" : "False");
    }
}
