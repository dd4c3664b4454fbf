package dev.ember.nn.init;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * Weight initialisers (PyTorch's {@code torch.nn.init}): each fills a tensor in place, without recording (so it works
 * on parameters), and returns it. The random ones draw from the global generator exactly as PyTorch does, with the
 * same arithmetic for their bounds, so after the same {@code manualSeed} the values are PyTorch's.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor w = Parameter.of(Ember.zeros(128, 784));
 * Tensor b = Parameter.of(Ember.zeros(128));
 * Init.kaimingNormal_(w, 0.0, FanMode.FAN_IN, Nonlinearity.RELU);   // std = sqrt(2 / 784)
 * Init.xavierUniform_(w, Init.calculateGain(Nonlinearity.TANH));
 * Init.zeros_(b);
 * }</pre>
 *
 * <p>Names follow PyTorch in camelCase with its trailing underscore for in-place functions: {@code xavier_uniform_}
 * is {@link #xavierUniform_}, {@code kaiming_normal_} is {@link #kaimingNormal_}.
 */
public final class Init {
    private Init() {
    }

    // ---- gains and fans ---------------------------------------------------------------------------------------

    /** {@code calculateGain(nonlinearity, 0.01)}: for LEAKY_RELU the default negative slope is 0.01. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, 0.01);
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's {@code calculate_gain}): 1 for linear, convolutions and
     * sigmoid; 5/3 for tanh; √2 for relu; √(2 / (1 + slope²)) for leaky_relu, whose negative slope is {@code param}
     * (ignored for the others); 3/4 for selu.
     */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        if (nonlinearity == null) {
            throw new EmberException("calculateGain: the nonlinearity must not be null; pass e.g. Nonlinearity.RELU");
        }
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> {
                if (!Double.isFinite(param)) {
                    throw new EmberException("calculateGain: negative slope " + param + " is not a valid number");
                }
                yield Math.sqrt(2.0 / (1 + Math.pow(param, 2)));
            }
            case SELU -> 3.0 / 4;
        };
    }

    /** The fan-in and fan-out of a weight of at least two dimensions (PyTorch's {@code _calculate_fan_in_and_fan_out}). */
    public static Fans calculateFanInAndFanOut(Tensor tensor) {
        return fans("calculateFanInAndFanOut", tensor);
    }

    private static Fans fans(String op, Tensor tensor) {
        requireTensor(op, tensor);
        if (tensor.dim() < 2) {
            throw new ShapeException(op + ": fan in and fan out can not be computed for a tensor with fewer than 2 "
                    + "dimensions (shape " + Arrays.toString(tensor.shape()) + "); initialise vectors (biases) with "
                    + "uniform_, normal_, constant_ or zeros_ instead");
        }
        int receptive = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptive *= tensor.size(d);
        }
        return new Fans(tensor.size(1) * receptive, tensor.size(0) * receptive);
    }

    private static int fan(String op, Tensor tensor, FanMode mode) {
        if (mode == null) {
            throw new EmberException(op + ": the fan mode must not be null; use FanMode.FAN_IN or FanMode.FAN_OUT");
        }
        Fans f = fans(op, tensor);
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    // ---- constants --------------------------------------------------------------------------------------------

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor tensor, double value) {
        requireTensor("constant_", tensor);
        try (var g = Ember.noGrad()) {
            return tensor.fill_(value);
        }
    }

    /** Fills with ones. */
    public static Tensor ones_(Tensor tensor) {
        requireTensor("ones_", tensor);
        return constant_(tensor, 1.0);
    }

    /** Fills with zeros. */
    public static Tensor zeros_(Tensor tensor) {
        requireTensor("zeros_", tensor);
        return constant_(tensor, 0.0);
    }

    /** Fills a matrix with the identity (ones on the main diagonal, zeros elsewhere; rectangular is fine). */
    public static Tensor eye_(Tensor tensor) {
        requireTensor("eye_", tensor);
        if (tensor.dim() != 2) {
            throw new ShapeException("eye_: only tensors with 2 dimensions are supported, got shape "
                    + Arrays.toString(tensor.shape()));
        }
        try (var g = Ember.noGrad()) {
            return tensor.copy_(Ember.eye(tensor.size(0), tensor.size(1)));
        }
    }

    // ---- random -----------------------------------------------------------------------------------------------

    /** Samples of U[0, 1) from the global generator. */
    public static Tensor uniform_(Tensor tensor) {
        return uniform_(tensor, 0.0, 1.0);
    }

    /** Samples of U[a, b) from the global generator (PyTorch's {@code uniform_}). */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        requireTensor("uniform_", tensor);
        try (var g = Ember.noGrad()) {
            return tensor.uniform_(a, b);
        }
    }

    /** Samples of N(0, 1) from the global generator. */
    public static Tensor normal_(Tensor tensor) {
        return normal_(tensor, 0.0, 1.0);
    }

    /** Samples of N(mean, std²) from the global generator (PyTorch's {@code normal_}). */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        requireTensor("normal_", tensor);
        try (var g = Ember.noGrad()) {
            return tensor.normal_(mean, std);
        }
    }

    /** {@code xavierUniform_(tensor, 1.0)}. */
    public static Tensor xavierUniform_(Tensor tensor) {
        return xavierUniform_(tensor, 1.0);
    }

    /**
     * Glorot's uniform initialisation: U(-a, a) with a = gain √(6 / (fanIn + fanOut)) (PyTorch's
     * {@code xavier_uniform_}).
     */
    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        Fans f = fans("xavierUniform_", tensor);
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
        double a = Math.sqrt(3.0) * std;
        return uniform_(tensor, -a, a);
    }

    /** {@code xavierNormal_(tensor, 1.0)}. */
    public static Tensor xavierNormal_(Tensor tensor) {
        return xavierNormal_(tensor, 1.0);
    }

    /** Glorot's normal initialisation: N(0, std²) with std = gain √(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        Fans f = fans("xavierNormal_", tensor);
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
        return normal_(tensor, 0.0, std);
    }

    /** PyTorch's defaults: {@code kaimingUniform_(tensor, 0, FAN_IN, LEAKY_RELU)}, i.e. gain √2. */
    public static Tensor kaimingUniform_(Tensor tensor) {
        return kaimingUniform_(tensor, 0.0);
    }

    /** {@code kaimingUniform_(tensor, a, FAN_IN, LEAKY_RELU)}: a is the negative slope of the leaky ReLU after. */
    public static Tensor kaimingUniform_(Tensor tensor, double a) {
        return kaimingUniform_(tensor, a, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /**
     * He's uniform initialisation: U(-bound, bound) with bound = √3 · gain / √fan, gain =
     * {@code calculateGain(nonlinearity, a)} (PyTorch's {@code kaiming_uniform_}). A tensor with no elements is left
     * as it is.
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
        requireTensor("kaimingUniform_", tensor);
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan("kaimingUniform_", tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound);
    }

    /** PyTorch's defaults: {@code kaimingNormal_(tensor, 0, FAN_IN, LEAKY_RELU)}, i.e. std = √2 / √fanIn. */
    public static Tensor kaimingNormal_(Tensor tensor) {
        return kaimingNormal_(tensor, 0.0);
    }

    /** {@code kaimingNormal_(tensor, a, FAN_IN, LEAKY_RELU)}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a) {
        return kaimingNormal_(tensor, a, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /** He's normal initialisation: N(0, std²) with std = gain / √fan (PyTorch's {@code kaiming_normal_}). */
    public static Tensor kaimingNormal_(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
        requireTensor("kaimingNormal_", tensor);
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan("kaimingNormal_", tensor, mode));
        return normal_(tensor, 0.0, std);
    }

    /** {@code orthogonal_(tensor, 1.0)}. */
    public static Tensor orthogonal_(Tensor tensor) {
        return orthogonal_(tensor, 1.0);
    }

    /**
     * A (semi-)orthogonal matrix times gain (Saxe et al., PyTorch's {@code orthogonal_}): the tensor is seen as
     * [size(0), numel / size(0)]; that many standard normal samples are drawn (in that shape, from the global
     * generator, as PyTorch draws them), transposed if it is wide, factored as QR, and Q, with its columns' signs
     * made those of R's diagonal (so the result is unique, whatever QR algorithm computed it), transposed back
     * and scaled by gain. Rows (or columns, if the matrix is wide) are orthonormal. Q comes from Householder
     * reflections in double precision, where PyTorch's LAPACK works in the tensor's own precision, so float32
     * values agree with PyTorch's to about 1e-6.
     */
    public static Tensor orthogonal_(Tensor tensor, double gain) {
        requireTensor("orthogonal_", tensor);
        if (tensor.dim() < 2) {
            throw new ShapeException("orthogonal_: only tensors with 2 or more dimensions are supported, got shape "
                    + Arrays.toString(tensor.shape()));
        }
        if (tensor.numel() == 0) {
            return tensor;
        }
        int rows = tensor.size(0);
        int cols = tensor.numel() / rows;
        DType dtype = tensor.dtype().isFloatingPoint() ? tensor.dtype() : DType.FLOAT32;
        Tensor flat = Ember.zeros(dtype, rows, cols).normal_(0.0, 1.0);
        boolean wide = rows < cols;
        int m = wide ? cols : rows;
        int n = wide ? rows : cols;
        double[] a = (wide ? flat.t().contiguous() : flat).toDoubleArray();
        double[] q = Householder.orthonormalFactor(a, m, n);
        Tensor qt = Ember.fromArray(q, m, n);
        if (wide) {
            qt = qt.t();
        }
        try (var g = Ember.noGrad()) {
            tensor.copy_(qt.reshape(tensor.shape()));
            return tensor.mul_(gain);
        }
    }

    private static void requireTensor(String op, Tensor tensor) {
        if (tensor == null) {
            throw new EmberException(op + ": the tensor to initialise is null");
        }
    }
}
