package dev.ember.nn.functional;

import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;

import java.util.Arrays;

/**
 * 2-d pooling as functions (PyTorch's {@code F.max_pool2d}, {@code F.max_pool2d(..., return_indices=True)},
 * {@code F.avg_pool2d} and {@code F.adaptive_avg_pool2d}); the layers {@code MaxPool2d}, {@code AvgPool2d} and
 * {@code AdaptiveAvgPool2d} call these. Inputs are [N, C, H, W] or unbatched [C, H, W]. Kernel sizes, like the
 * options' sizes, take one value (for both dimensions) or two ({height, width}).
 *
 * <pre>{@code
 * Tensor x = Ember.randn(8, 16, 28, 28).requiresGrad_();
 * Tensor m = Pooling.maxPool2d(x, 2);                                        // [8, 16, 14, 14]
 * ValuesAndIndices mi = Pooling.maxPool2dWithIndices(x, new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1));
 * Tensor a = Pooling.avgPool2d(x, new int[] {2}, PoolOptions.DEFAULT.ceilMode(true));
 * Tensor g = Pooling.adaptiveAvgPool2d(x, 1);                                // [8, 16, 1, 1]
 * }</pre>
 *
 * <p>Semantics follow PyTorch's CPU kernels (see {@link dev.ember.ops.Pooling}): max pooling never selects padding,
 * picks the first maximum of a window on ties (its gradient goes there), propagates NaN, and returns indices
 * h * W + w within each plane; average pooling divides by the window's size including padding unless
 * countIncludePad is false (then by its real elements) or a divisor override is given. All are differentiable to any
 * order, in reverse and forward mode.
 */
public final class Pooling {
    private Pooling() {
    }

    /** Max pooling with window kernelSize (one or two values) and stride equal to it. */
    public static Tensor maxPool2d(Tensor input, int... kernelSize) {
        return maxPool2d(input, kernelSize, PoolOptions.DEFAULT);
    }

    /** Max pooling with window kernelSize (one or two values) and the given options. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, PoolOptions options) {
        return maxPool2dWithIndices(input, kernelSize, options).values();
    }

    /** Max pooling that also returns, for every output, the index h * W + w of its maximum within the input plane. */
    public static ValuesAndIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, PoolOptions options) {
        String op = "maxPool2d";
        if (options.countIncludePad() != PoolOptions.DEFAULT.countIncludePad() || options.divisorOverride() != 0) {
            throw new ShapeException(op + ": countIncludePad and divisorOverride apply to average pooling only, "
                    + "but the options set them (" + options + ")");
        }
        int[] k = PoolOptions.pair("kernel size", kernelSize, op);
        int[] s = options.stride() == null ? k : PoolOptions.pair("stride", options.stride(), op);
        return dev.ember.ops.Pooling.maxPool2d(input, k, s, PoolOptions.pair("padding", options.padding(), op),
                PoolOptions.pair("dilation", options.dilation(), op), options.ceilMode());
    }

    /** Average pooling with window kernelSize (one or two values) and stride equal to it. */
    public static Tensor avgPool2d(Tensor input, int... kernelSize) {
        return avgPool2d(input, kernelSize, PoolOptions.DEFAULT);
    }

    /** Average pooling with window kernelSize (one or two values) and the given options (no dilation). */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, PoolOptions options) {
        String op = "avgPool2d";
        int[] d = PoolOptions.pair("dilation", options.dilation(), op);
        if (d[0] != 1 || d[1] != 1) {
            throw new ShapeException(op + ": average pooling has no dilation (PyTorch's avg_pool2d has none), but the "
                    + "options set dilation " + Arrays.toString(options.dilation()));
        }
        int[] k = PoolOptions.pair("kernel size", kernelSize, op);
        int[] s = options.stride() == null ? k : PoolOptions.pair("stride", options.stride(), op);
        return dev.ember.ops.Pooling.avgPool2d(input, k, s, PoolOptions.pair("padding", options.padding(), op),
                options.ceilMode(), options.countIncludePad(), options.divisorOverride());
    }

    /**
     * Adaptive average pooling to outputSize (one value for a square output, or {height, width}): every output
     * cell averages a window of the input chosen so that the windows cover it evenly.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int... outputSize) {
        int[] o = PoolOptions.pair("output size", outputSize, "adaptiveAvgPool2d");
        return dev.ember.ops.Pooling.adaptiveAvgPool2d(input, o[0], o[1]);
    }
}
