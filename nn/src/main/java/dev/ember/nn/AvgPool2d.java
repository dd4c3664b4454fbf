package dev.ember.nn;

import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.PoolOptions;
import dev.ember.nn.functional.Pooling;

import java.util.Arrays;

/**
 * 2-d average pooling (PyTorch's {@code nn.AvgPool2d}) over [N, C, H, W] or unbatched [C, H, W] inputs: window
 * kernelSize (one value, or {height, width}); stride (default: the kernel size), zero padding, ceilMode,
 * countIncludePad (default true: padding counts in the divisor) and divisorOverride from {@link PoolOptions}.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(2);                                      // nn.AvgPool2d(2)
 * Tensor y = pool.forward(Ember.randn(4, 8, 28, 28));                     // [4, 8, 14, 14]
 * AvgPool2d padded = new AvgPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(1).padding(1).countIncludePad(false));
 * }</pre>
 */
public class AvgPool2d extends PoolLayer {
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    /** kernelSize: one value (square) or {height, width}. */
    public AvgPool2d(int[] kernelSize, PoolOptions options) {
        super(kernelSize, options);
        if (Arrays.stream(options.dilation()).anyMatch(d -> d != 1)) {
            throw new ShapeException("AvgPool2d: average pooling has no dilation (PyTorch's nn.AvgPool2d has none), "
                    + "but the options set dilation " + Arrays.toString(options.dilation()));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        return named(() -> Pooling.avgPool2d(input, kernelSizeAsGiven(), options()));
    }

    /** PyTorch's form: {@code kernel_size=2, stride=2, padding=0}, sizes as they were given. */
    @Override
    protected String extraRepr() {
        return "kernel_size=" + format(kernelSizeAsGiven()) + ", stride=" + format(strideAsGiven()) + ", padding="
                + format(options().padding());
    }
}
