package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.Convolutions;

/**
 * A 2-d convolution layer (PyTorch's {@code nn.Conv2d}): input [N, C_in, H, W] (or unbatched [C_in, H, W]) to
 * [N, C_out, H', W'], with weight [C_out, C_in/groups, kH, kW] and an optional bias [C_out]. Stride, zero padding,
 * dilation and groups come from {@link ConvOptions}. Initialised as PyTorch does, from the global generator in
 * PyTorch's order (see {@link ConvNd}); runs on ND4J's convolution kernels, differentiable to any order.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Conv2d conv = new Conv2d(1, 8, 3, ConvOptions.DEFAULT.padding(1));   // nn.Conv2d(1, 8, 3, padding=1)
 * Tensor y = conv.forward(Ember.randn(4, 1, 28, 28));                   // [4, 8, 28, 28]
 * System.out.println(conv);   // Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
 * }</pre>
 */
public class Conv2d extends ConvNd {
    /** A square kernel, PyTorch's defaults (stride 1, no padding, dilation 1, one group) and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.DEFAULT, true);
    }

    /** A square kernel, the given options and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options, true);
    }

    /** A square kernel, the given options, and a bias or none. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias) {
        this(inChannels, outChannels, new int[] {kernelSize}, options, bias);
    }

    /** A kernel of one size (square) or two ({kH, kW}), the given options, and a bias or none. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias) {
        super(2, inChannels, outChannels, kernelSize, options, bias);
    }

    @Override
    Tensor convolve(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolutions.conv2d(input, weight, bias, options);
    }
}
