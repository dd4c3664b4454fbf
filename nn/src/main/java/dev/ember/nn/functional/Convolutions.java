package dev.ember.nn.functional;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ops.Convolution;

import java.util.Arrays;
import java.util.List;

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
 *
 * <p>{@link ConvPadding#SAME} keeps the spatial size (stride 1 only): dilation (k - 1) zeros per dimension, half on
 * each side; where that total is odd, PyTorch's way: the input gets the one extra zero appended (right, or bottom)
 * and the convolution pads the rest symmetrically, so the output's grad_fn is still the convolution's.
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
        return convolve(1, "conv1d", input, weight, bias, options);
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
        return convolve(2, "conv2d", input, weight, bias, options);
    }

    private static Tensor convolve(int spatial, String op, Tensor input, Tensor weight, Tensor bias,
                                   ConvOptions options) {
        if (options == null) {
            throw new ShapeException(op + ": options must not be null; use ConvOptions.DEFAULT");
        }
        int[] stride = options.strideFor(spatial, op);
        int[] dilation = options.dilationFor(spatial, op);
        int[] padding = options.paddingFor(spatial, op);
        options.checkSamePaddingUnstrided(spatial, op);
        Tensor x = input;
        if (options.paddingMode() == ConvPadding.SAME && fits(spatial, input, weight, options.groups())) {
            int[] kernel = Arrays.copyOfRange(weight.shape(), 2, 2 + spatial);
            int[][] sides = options.paddingFor(kernel, op);
            padding = sides[0];
            for (int d = 0; d < spatial; d++) {
                x = appendZeros(x, x.dim() - spatial + d, sides[1][d] - sides[0][d]);
            }
        }
        return spatial == 1
                ? Convolution.conv1d(x, weight, bias, stride[0], padding[0], dilation[0], options.groups())
                : Convolution.conv2d(x, weight, bias, stride, padding, dilation, options.groups());
    }

    /**
     * Whether input and weight have ranks and channels that fit, so padding the input cannot change the error the
     * convolution would report (which then names the input as it was given).
     */
    private static boolean fits(int spatial, Tensor input, Tensor weight, int groups) {
        if (input == null || weight == null || weight.dim() != spatial + 2
                || (input.dim() != spatial + 1 && input.dim() != spatial + 2)) {
            return false;
        }
        return input.size(input.dim() - spatial - 1) == weight.size(1) * groups;
    }

    /** x with {@code count} zeros appended along dim (differentiable: a concatenation). */
    private static Tensor appendZeros(Tensor x, int dim, int count) {
        if (count == 0) {
            return x;
        }
        int[] shape = x.shape();
        shape[dim] = count;
        return Ember.cat(List.of(x, Ember.zeros(x.dtype(), shape)), dim);
    }
}
