package dev.ember.nn.functional;

import dev.ember.Tensor;
import dev.ember.ops.Convolution;

/**
 * The convolutions as functions (PyTorch's {@code F.conv1d} and {@code F.conv2d}); the layers {@code Conv1d} and
 * {@code Conv2d} call these. Cross-correlation, as in PyTorch, with stride, zero padding, dilation and groups
 * ({@link ConvOptions}) and an optional bias; differentiable with respect to input, weight and bias, to any order, in
 * reverse and forward mode (see {@link Convolution}). The numbers are computed by ND4J's {@code conv2d} and
 * {@code conv2d_bp} kernels.
 *
 * <pre>{@code
 * Tensor x = Ember.randn(8, 3, 32, 32);
 * Tensor w = Ember.randn(16, 3, 3, 3).requiresGrad_();
 * Tensor b = Ember.zeros(16).requiresGrad_();
 * Tensor y = Convolutions.conv2d(x, w, b, ConvOptions.DEFAULT.padding(1));   // [8, 16, 32, 32]
 * y.sum().backward();                                                     // w.grad(), b.grad()
 * Tensor z = Convolutions.conv1d(Ember.randn(4, 2, 10), Ember.randn(6, 1, 3), null,
 *         ConvOptions.DEFAULT.groups(2).dilation(2));                     // [4, 6, 6]
 * }</pre>
 *
 * <p>Shapes: conv1d takes input [N, C, L] (or unbatched [C, L]) and weight [O, C/groups, k]; conv2d takes input
 * [N, C, H, W] (or unbatched [C, H, W]) and weight [O, C/groups, kH, kW]; the bias is [O] or null. The output size
 * along each spatial dimension is floor((in + 2 padding - dilation (k - 1) - 1) / stride) + 1. Input, weight and bias
 * must share one floating-point dtype.
 */
public final class Convolutions {
    private Convolutions() {
    }

    /** conv1d with PyTorch's defaults (stride 1, no padding, dilation 1, one group) and no bias. */
    public static Tensor conv1d(Tensor input, Tensor weight) {
        return conv1d(input, weight, null, ConvOptions.DEFAULT);
    }

    /** conv1d with PyTorch's defaults; bias may be null. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return conv1d(input, weight, bias, ConvOptions.DEFAULT);
    }

    /** conv1d(input, weight, bias) with the given options; bias may be null. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolution.conv1d(input, weight, bias, options.strideFor(1, "conv1d")[0],
                options.paddingFor(1, "conv1d")[0], options.dilationFor(1, "conv1d")[0], options.groups());
    }

    /** conv2d with PyTorch's defaults (stride 1, no padding, dilation 1, one group) and no bias. */
    public static Tensor conv2d(Tensor input, Tensor weight) {
        return conv2d(input, weight, null, ConvOptions.DEFAULT);
    }

    /** conv2d with PyTorch's defaults; bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, ConvOptions.DEFAULT);
    }

    /** conv2d(input, weight, bias) with the given options; bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolution.conv2d(input, weight, bias, options.strideFor(2, "conv2d"),
                options.paddingFor(2, "conv2d"), options.dilationFor(2, "conv2d"), options.groups());
    }
}
