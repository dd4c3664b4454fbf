package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.Convolutions;

/**
 * A 1-d convolution layer (PyTorch's {@code nn.Conv1d}): input [N, C_in, L] (or unbatched [C_in, L]) to
 * [N, C_out, L'], with weight [C_out, C_in/groups, k] and an optional bias [C_out]. Stride, zero padding, dilation
 * and groups come from {@link ConvOptions}. Initialised as PyTorch does, from the global generator in PyTorch's
 * order (see {@link ConvNd}); runs on ND4J's convolution kernels (as a 2-d convolution of height 1), differentiable
 * to any order.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Conv1d conv = new Conv1d(4, 8, 3, ConvOptions.DEFAULT.stride(2));   // nn.Conv1d(4, 8, 3, stride=2)
 * Tensor y = conv.forward(Ember.randn(2, 4, 50));                      // [2, 8, 24]
 * System.out.println(conv);   // Conv1d(4, 8, kernel_size=(3,), stride=(2,))
 * }</pre>
 */
public class Conv1d extends ConvNd {
    /** PyTorch's defaults (stride 1, no padding, dilation 1, one group) and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.DEFAULT, true);
    }

    /** The given options and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, kernelSize, options, true);
    }

    /** The given options, and a bias or none. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias) {
        super(1, inChannels, outChannels, new int[] {kernelSize}, options, bias);
    }

    @Override
    Tensor convolve(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolutions.conv1d(input, weight, bias, options);
    }
}
