package dev.ember.nn;

import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.ConvPadding;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What {@link Conv1d} and {@link Conv2d} share (PyTorch's {@code _ConvNd}): the parameters, PyTorch's default
 * initialisation, the checks of the input that name the layer, and PyTorch's printed form.
 *
 * <pre>{@code
 * ConvNd conv = new Conv2d(3, 16, 3);
 * conv.weight().shape();   // [16, 3, 3, 3]
 * }</pre>
 *
 * <p>Initialisation, as PyTorch's {@code reset_parameters}, from the global generator in this order: the weight
 * by {@code kaiming_uniform_(a=√5)} (uniform in ±gain·√(3/fan_in) with gain = √(2/(1+a²)), which is ±1/√fan_in), then
 * the bias uniform in ±1/√fan_in, where fan_in = in_channels/groups × the kernel's elements. After the same
 * {@code manualSeed}, the weights equal PyTorch's.
 */
public abstract class ConvNd extends Module {
    private final int spatial;
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final ConvOptions options;
    private final Tensor weight;
    private final Tensor bias;

    ConvNd(int spatial, int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias) {
        String name = getClass().getSimpleName();
        if (options == null) {
            throw new ShapeException(name + ": options must not be null; use ConvOptions.DEFAULT");
        }
        this.spatial = spatial;
        if (inChannels <= 0 || outChannels <= 0) {
            throw new ShapeException(name + ": in_channels and out_channels must be positive, got in_channels="
                    + inChannels + ", out_channels=" + outChannels);
        }
        if (kernelSize == null || (kernelSize.length != 1 && kernelSize.length != spatial)
                || Arrays.stream(kernelSize).anyMatch(k -> k <= 0)) {
            throw new ShapeException(name + ": the kernel size must be " + (spatial == 1 ? "one positive value"
                    : "one or " + spatial + " positive values") + ", got " + Arrays.toString(kernelSize));
        }
        int groups = options.groups();
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new ShapeException(name + ": in_channels=" + inChannels + " and out_channels=" + outChannels
                    + " must both be divisible by groups=" + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.length == spatial ? kernelSize.clone() : new int[] {kernelSize[0], kernelSize[0]};
        this.stride = options.strideFor(spatial, name);
        options.checkSamePaddingUnstrided(spatial, name);
        this.padding = options.paddingFor(this.kernelSize, name)[0];
        this.dilation = options.dilationFor(spatial, name);
        this.options = options;
        int[] shape = new int[spatial + 2];
        shape[0] = outChannels;
        shape[1] = inChannels / groups;
        System.arraycopy(this.kernelSize, 0, shape, 2, spatial);
        int fanIn = inChannels / groups * Arrays.stream(this.kernelSize).reduce(1, (a, b) -> a * b);
        this.weight = registerParameter("weight", Ember.zeros(shape).uniform_(-kaimingBound(fanIn),
                kaimingBound(fanIn)));
        double b = 1.0 / Math.sqrt(fanIn);
        this.bias = bias ? registerParameter("bias", Ember.zeros(outChannels).uniform_(-b, b)) : null;
    }

    /** kaiming_uniform_'s bound for a = √5, computed with PyTorch's sequence of floating-point operations. */
    private static double kaimingBound(int fanIn) {
        double a = Math.sqrt(5.0);
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double std = gain / Math.sqrt(fanIn);
        return Math.sqrt(3.0) * std;
    }

    /** The weight [out_channels, in_channels/groups, kernel...]. */
    public Tensor weight() {
        return weight;
    }

    /** The bias [out_channels], or null for a layer made without one. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The kernel size, one value per spatial dimension. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** The stride, one value per spatial dimension. */
    public int[] stride() {
        return stride.clone();
    }

    /**
     * The zero padding before each spatial dimension (and after it, except with {@link ConvPadding#SAME} where
     * dilation (k - 1) is odd: then one more after), one value per spatial dimension.
     */
    public int[] padding() {
        return padding.clone();
    }

    /** The dilation, one value per spatial dimension. */
    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return options.groups();
    }

    /** The options the layer was made with. */
    public ConvOptions options() {
        return options;
    }

    /** The functional convolution this layer applies. */
    abstract Tensor convolve(Tensor input, Tensor weight, Tensor bias, ConvOptions options);

    /**
     * Applies the convolution. Checks that the input has the layer's number of channels and a batched or unbatched
     * rank, naming the layer and the shapes; other errors of the convolution are prefixed with the layer.
     */
    @Override
    public Tensor forward(Tensor input) {
        int batched = spatial + 2;
        String dims = spatial == 2 ? "height, width" : "length";
        if (input.dim() != batched && input.dim() != batched - 1) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": expected a "
                    + batched + "-d input [batch, " + inChannels + ", " + dims + "] or an unbatched " + (batched - 1)
                    + "-d input [" + inChannels + ", " + dims + "]");
        }
        boolean unbatched = input.dim() == batched - 1;
        int channels = input.size(unbatched ? 0 : 1);
        if (channels != inChannels) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": expected "
                    + inChannels + " channels in dimension " + (unbatched ? 0 : 1) + ", found " + channels
                    + (unbatched ? " (a " + input.dim() + "-d input is one unbatched sample [channels, " + dims
                    + "]; for a batch of single-channel inputs add the channel dimension with unsqueeze(1))" : ""));
        }
        return named(() -> convolve(input, weight, bias, options));
    }

    /** Runs f, prefixing the message of a shape or dtype error with this layer. */
    Tensor named(Supplier<Tensor> f) {
        try {
            return f.get();
        } catch (DTypeException e) {
            throw new DTypeException(this + ": " + e.getMessage(), e);
        } catch (ShapeException e) {
            throw new ShapeException(this + ": " + e.getMessage(), e);
        }
    }

    private static String tuple(int[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(v[i]);
        }
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** PyTorch's form: {@code 3, 16, kernel_size=(3, 3), stride=(1, 1)}, then what differs from the defaults. */
    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(tuple(kernelSize)).append(", stride=").append(tuple(stride));
        if (options.paddingMode() != null) {
            s.append(", padding=").append(options.paddingMode().label());
        } else if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            s.append(", padding=").append(tuple(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            s.append(", dilation=").append(tuple(dilation));
        }
        if (options.groups() != 1) {
            s.append(", groups=").append(options.groups());
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
