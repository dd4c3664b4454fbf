package dev.ember;

import dev.ember.autograd.GradMode;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Nd4jBridge;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;
import dev.ember.kernels.random.Generator;
import dev.ember.ops.Pointwise;
import dev.ember.ops.Views;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Ember's static entry points, PyTorch's {@code torch.*}: tensor factories, random numbers and seeding, grad-mode
 * scopes, and the ops that take several tensors.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor x = Ember.randn(3).requiresGrad_();     // tensor([ 1.5410, -0.2934, -2.1788], requires_grad=true)
 * Tensor loss = x.pow(2).sum();
 * loss.backward();
 * try (var g = Ember.noGrad()) {
 *     x.sub_(x.grad().mul(0.1));
 * }
 * }</pre>
 */
public final class Ember {
    private Ember() {
    }

    // ---- tensors from Java values -----------------------------------------------------------------------------

    /** A 1-d float32 tensor: {@code Ember.tensor(1.0, 2.0)} is PyTorch's {@code torch.tensor([1.0, 2.0])}. */
    public static Tensor tensor(double... values) {
        return tensor(DType.FLOAT32, values);
    }

    /** A 1-d tensor of the given dtype. */
    public static Tensor tensor(DType dtype, double... values) {
        TensorData t = Kernels.empty(dtype, values.length);
        Kernels.copyInto(t, Kernels.fromArray(values.clone(), values.length));
        return Internal.wrap(t);
    }

    /** A 2-d float32 tensor from rows of equal length. */
    public static Tensor tensor(double[][] rows) {
        return tensor(DType.FLOAT32, rows);
    }

    public static Tensor tensor(DType dtype, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new ShapeException("tensor: row " + i + " has " + rows[i].length + " elements but row 0 has "
                        + cols + "; all rows must have the same length");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols).to(dtype);
    }

    /** A 0-d float32 tensor: PyTorch's {@code torch.tensor(3.0)}. */
    public static Tensor scalar(double value) {
        return scalar(DType.FLOAT32, value);
    }

    public static Tensor scalar(DType dtype, double value) {
        return Internal.wrap(Kernels.scalar(dtype, value));
    }

    /** A float32 tensor of the given shape over a copy of data (row-major). */
    public static Tensor fromArray(float[] data, int... shape) {
        return Internal.wrap(Kernels.fromArray(data.clone(), checkCount(data.length, shape)));
    }

    /** A float64 tensor of the given shape over a copy of data. */
    public static Tensor fromArray(double[] data, int... shape) {
        return Internal.wrap(Kernels.fromArray(data.clone(), checkCount(data.length, shape)));
    }

    /** An int64 tensor of the given shape over a copy of data. */
    public static Tensor fromArray(long[] data, int... shape) {
        return Internal.wrap(Kernels.fromArray(data.clone(), checkCount(data.length, shape)));
    }

    /** A bool tensor of the given shape over a copy of data. */
    public static Tensor fromArray(boolean[] data, int... shape) {
        return Internal.wrap(Kernels.fromArray(data.clone(), checkCount(data.length, shape)));
    }

    private static int[] checkCount(int n, int[] shape) {
        checkShape("fromArray", shape);
        if (Shapes.numel(shape) != n) {
            throw new ShapeException("fromArray: shape " + Arrays.toString(shape) + " needs " + Shapes.numel(shape)
                    + " elements but the array has " + n);
        }
        return shape.clone();
    }

    private static int[] checkShape(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new ShapeException(op + ": negative dimension " + s + " in shape " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    // ---- filled tensors ---------------------------------------------------------------------------------------

    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return Internal.wrap(Kernels.empty(dtype, checkShape("zeros", shape)));
    }

    public static Tensor ones(int... shape) {
        return ones(DType.FLOAT32, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, checkShape("ones", shape), 1.0);
    }

    public static Tensor full(int[] shape, double value) {
        return full(DType.FLOAT32, shape, value);
    }

    public static Tensor full(DType dtype, int[] shape, double value) {
        return Internal.wrap(Kernels.full(dtype, checkShape("full", shape), value));
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.dtype(), t.impl().shape());
    }

    public static Tensor onesLike(Tensor t) {
        return Tensor.onesLike(t);
    }

    public static Tensor fullLike(Tensor t, double value) {
        return full(t.dtype(), t.impl().shape(), value);
    }

    /** 0, 1, ..., end-1 as int64 (PyTorch's {@code torch.arange(end)}). */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** start, start+step, ... below end, as int64. */
    public static Tensor arange(long start, long end, long step) {
        return Internal.wrap(Kernels.arange(DType.INT64, start, step, arangeCount(start, end, step)));
    }

    /** start, start+step, ... below end, as float32. */
    public static Tensor arange(double start, double end, double step) {
        return Internal.wrap(Kernels.arange(DType.FLOAT32, start, step, arangeCount(start, end, step)));
    }

    private static int arangeCount(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new EmberException("arange: step must be non-zero, got " + step);
        }
        if ((end - start) / step < 0) {
            throw new EmberException("arange: upper bound and larger bound inconsistent with step sign (start "
                    + start + ", end " + end + ", step " + step + ")");
        }
        return (int) Math.ceil((end - start) / step);
    }

    /** steps evenly spaced float32 values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new EmberException("linspace: number of steps must be non-negative, got " + steps);
        }
        return Internal.wrap(Kernels.linspace(DType.FLOAT32, start, end, steps));
    }

    public static Tensor eye(int n) {
        return eye(n, n);
    }

    public static Tensor eye(int n, int m) {
        checkShape("eye", new int[] {n, m});
        return Internal.wrap(Kernels.eye(DType.FLOAT32, n, m));
    }

    // ---- random numbers ---------------------------------------------------------------------------------------

    /** Seeds the global generator: the streams that follow match PyTorch's after {@code torch.manual_seed(seed)}. */
    public static void manualSeed(long seed) {
        Generator.defaultGenerator().manualSeed(seed);
    }

    /** Samples of the standard normal, float32. */
    public static Tensor randn(int... shape) {
        return randn(DType.FLOAT32, shape);
    }

    public static Tensor randn(DType dtype, int... shape) {
        requireFloat("randn", dtype);
        TensorData t = Kernels.empty(dtype, checkShape("randn", shape));
        Kernels.normal(t, 0.0, 1.0);
        return Internal.wrap(t);
    }

    /** Samples of U[0, 1), float32. */
    public static Tensor rand(int... shape) {
        return rand(DType.FLOAT32, shape);
    }

    public static Tensor rand(DType dtype, int... shape) {
        requireFloat("rand", dtype);
        TensorData t = Kernels.empty(dtype, checkShape("rand", shape));
        Kernels.uniform(t, 0.0, 1.0);
        return Internal.wrap(t);
    }

    /** Integers uniform in [low, high), int64. */
    public static Tensor randint(long low, long high, int... shape) {
        if (high <= low) {
            throw new EmberException("randint: expects low < high, but got low = " + low + " and high = " + high);
        }
        TensorData t = Kernels.empty(DType.INT64, checkShape("randint", shape));
        try {
            Kernels.randint(t, low, high);
        } catch (IllegalArgumentException e) {
            throw new EmberException("randint: " + e.getMessage(), e);
        }
        return Internal.wrap(t);
    }

    public static Tensor randnLike(Tensor t) {
        return randn(t.dtype(), t.impl().shape());
    }

    public static Tensor randLike(Tensor t) {
        return rand(t.dtype(), t.impl().shape());
    }

    private static void requireFloat(String op, DType d) {
        if (!d.isFloatingPoint()) {
            throw new DTypeException(op + ": only floating-point dtypes are supported, got " + d
                    + " (use randint for integers)");
        }
    }

    // ---- grad mode --------------------------------------------------------------------------------------------

    /** A scope in which operations are not recorded: {@code try (var g = Ember.noGrad()) { ... }}. */
    public static GradMode.Scope noGrad() {
        return GradMode.scope(false);
    }

    /** A scope in which recording is on again (inside a noGrad scope). */
    public static GradMode.Scope enableGrad() {
        return GradMode.scope(true);
    }

    /** Sets grad mode for this thread; the returned scope restores the previous mode when closed. */
    public static GradMode.Scope setGradEnabled(boolean enabled) {
        return GradMode.scope(enabled);
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** Runs fn without recording and returns its result. */
    public static <T> T noGrad(Supplier<T> fn) {
        try (var g = noGrad()) {
            return fn.get();
        }
    }

    /** Runs fn without recording. */
    public static void noGrad(Runnable fn) {
        try (var g = noGrad()) {
            fn.run();
        }
    }

    /**
     * Anomaly detection until the scope closes: nodes remember their forward call site, backward fails on the first
     * NaN or infinity with that site, and version errors show where the tensor was modified. Slow: for debugging.
     */
    public static dev.ember.autograd.AnomalyMode.Scope detectAnomaly() {
        return dev.ember.autograd.AnomalyMode.scope();
    }

    // ---- ops on several tensors -------------------------------------------------------------------------------

    /** Elements of a where cond is true, else of b (all three broadcast together). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Pointwise.where(cond, a, b);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Views.cat(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Views.stack(tensors, dim);
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return a.matmul(b);
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return a.maximum(b);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return a.minimum(b);
    }

    // ---- backend ----------------------------------------------------------------------------------------------

    /** The active ND4J backend (CPU or CUDA), e.g. for a start-up line. Loads ND4J if it is not loaded yet. */
    public static String backend() {
        return Nd4jBridge.backend();
    }
}
