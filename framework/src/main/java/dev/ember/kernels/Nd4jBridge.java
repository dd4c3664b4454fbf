package dev.ember.kernels;

import dev.ember.DType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that talks to ND4J: conversion between Ember storage and INDArrays, the BLAS calls, and the
 * backend's identity. ND4J is loaded lazily, on the first call that needs it, so that programs that never reach
 * BLAS-sized work never pay for its start-up.
 *
 * <pre>{@code
 * System.out.println(Nd4jBridge.backend());   // e.g. "CPU (nd4j-native, ...)"
 * }</pre>
 */
public final class Nd4jBridge {
    private static volatile boolean initialised;

    private Nd4jBridge() {
    }

    @SuppressWarnings("deprecation") // M2.1's replacement, setProfilingConfig, needs a whole config object
    private static void init() {
        if (!initialised) {
            synchronized (Nd4jBridge.class) {
                if (!initialised) {
                    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
                    initialised = true;
                }
            }
        }
    }

    /** A human-readable name of the active ND4J backend: CPU or CUDA, and the backend's class. */
    public static String backend() {
        init();
        String name = Nd4j.getBackend().getClass().getSimpleName();
        String kind = name.toLowerCase().contains("cuda") || name.toLowerCase().contains("jcublas") ? "CUDA" : "CPU";
        return kind + " (" + name + ", " + Nd4j.getExecutioner().getClass().getSimpleName() + ")";
    }

    /**
     * What ND4J reports about the machine and the backend, by ND4J's key, sorted: {@code backend} (CPU or CUDA),
     * {@code blas.vendor} (e.g. OPENBLAS, MKL, CUBLAS), {@code blas.threads}, {@code omp.threads}, {@code cores},
     * memory figures and, on CUDA, the devices.
     */
    public static Map<String, String> environment() {
        init();
        Map<String, String> out = new TreeMap<>();
        Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> out.put(String.valueOf(k),
                String.valueOf(v)));
        return out;
    }

    /** True when the active backend is a CUDA one. */
    public static boolean isCuda() {
        return backend().startsWith("CUDA");
    }

    /** Copies contiguous data into a new INDArray of the same shape and type (float types only). */
    public static INDArray toINDArray(TensorData t) {
        init();
        TensorData c = Kernels.contiguous(t);
        long[] shape = Arrays.stream(c.shape()).asLongStream().toArray();
        return switch (c.dtype()) {
            case FLOAT32 -> Nd4j.create(Arrays.copyOfRange(c.storage().floats(), c.offset(), c.offset() + c.numel()),
                    shape, 'c');
            case FLOAT64 -> Nd4j.create(Arrays.copyOfRange(c.storage().doubles(), c.offset(), c.offset() + c.numel()),
                    shape, 'c');
            default -> Nd4j.create(Kernels.toDoubles(c), shape, 'c').castTo(dataType(c.dtype()));
        };
    }

    /** Copies an INDArray into new Ember storage. */
    public static TensorData fromINDArray(INDArray a) {
        int[] shape = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        return switch (a.dataType()) {
            case FLOAT -> Kernels.fromArray(c.toFloatVector(), shape);
            case DOUBLE -> Kernels.fromArray(c.toDoubleVector(), shape);
            case LONG, INT -> Kernels.fromArray(c.toLongVector(), shape);
            case BOOL -> {
                long[] v = c.castTo(DataType.INT64).toLongVector();
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    b[i] = v[i] != 0;
                }
                yield Kernels.fromArray(b, shape);
            }
            default -> Kernels.fromArray(c.castTo(DataType.FLOAT).toFloatVector(), shape);
        };
    }

    static DataType dataType(DType d) {
        return switch (d) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
        };
    }

    /**
     * c = op(a)·op(b) + beta·c through ND4J's GEMM (the route where the native BLAS cannot work on Java arrays, such
     * as the CUDA backend): op(a) is m×k, stored row-major at a's storage from offset ao as m×k, or as its k×m
     * transpose when ta (likewise b); c is row-major m×n from offset co. The operands are copied into INDArrays
     * (c too when beta is not 0) and the result copied back; every INDArray is closed before returning.
     */
    static void gemm(TensorData a, int ao, boolean ta, TensorData b, int bo, boolean tb, TensorData c, int co,
                     int m, int k, int n, double beta) {
        init();
        long[] as = ta ? new long[] {k, m} : new long[] {m, k};
        long[] bs = tb ? new long[] {n, k} : new long[] {k, n};
        long[] cs = {m, n};
        if (a.dtype() == DType.FLOAT32) {
            float[] z = c.storage().floats();
            try (INDArray x = Nd4j.create(Arrays.copyOfRange(a.storage().floats(), ao, ao + m * k), as, 'c');
                 INDArray y = Nd4j.create(Arrays.copyOfRange(b.storage().floats(), bo, bo + k * n), bs, 'c');
                 INDArray r = beta == 0 ? Nd4j.create(DataType.FLOAT, cs, 'c')
                         : Nd4j.create(Arrays.copyOfRange(z, co, co + m * n), cs, 'c')) {
                Nd4j.gemm(x, y, r, ta, tb, 1.0, beta);
                r.data().asNioFloat().get(z, co, m * n);
            }
        } else {
            double[] z = c.storage().doubles();
            try (INDArray x = Nd4j.create(Arrays.copyOfRange(a.storage().doubles(), ao, ao + m * k), as, 'c');
                 INDArray y = Nd4j.create(Arrays.copyOfRange(b.storage().doubles(), bo, bo + k * n), bs, 'c');
                 INDArray r = beta == 0 ? Nd4j.create(DataType.DOUBLE, cs, 'c')
                         : Nd4j.create(Arrays.copyOfRange(z, co, co + m * n), cs, 'c')) {
                Nd4j.gemm(x, y, r, ta, tb, 1.0, beta);
                r.data().asNioDouble().get(z, co, m * n);
            }
        }
    }

    // ---- convolution (libnd4j's conv2d and conv2d_bp custom ops) ---------------------------------------------------

    /**
     * The integer arguments of libnd4j's conv2d and conv2d_bp: kernel, stride, padding and dilation (height, width),
     * explicit padding (0; not SAME), data format NCHW (0), weight format [out, in, kH, kW] (1, ND4J's OIYX, which is
     * PyTorch's layout, so weights need no permute).
     */
    private static long[] convArgs(int kH, int kW, int[] geometry) {
        return new long[] {kH, kW, geometry[0], geometry[1], geometry[2], geometry[3], geometry[4], geometry[5], 0, 0,
                1};
    }

    /**
     * y = conv2d(x, w) + b through ND4J's {@code conv2d} op (the class {@code Conv2D}): x [N, C, H, W], w [O, C, kH, kW],
     * b [O] or null, all contiguous of one float dtype; geometry = {sH, sW, pH, pW, dH, dW}; returns [N, O, oH, oW].
     * Inputs are copied into INDArrays and the result copied back; every INDArray is closed before returning.
     */
    static TensorData conv2d(TensorData x, TensorData w, TensorData b, int[] geometry, int[] outShape) {
        init();
        int[] ws = w.shape();
        try (INDArray in = input(x); INDArray wt = input(w); INDArray bias = b == null ? null : input(b);
             INDArray out = Nd4j.create(dataType(x.dtype()), longs(outShape), 'c')) {
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
            op = b == null ? op.addInputs(in, wt) : op.addInputs(in, wt, bias);
            Nd4j.exec(op.addOutputs(out).addIntegerArguments(ints(convArgs(ws[2], ws[3], geometry))).build());
            return output(out, x.dtype(), outShape);
        }
    }

    /**
     * The gradients of conv2d through ND4J's {@code conv2d_bp} op (the class {@code Conv2DDerivative}): given x, w and
     * gy (the gradient of the output), returns {gradient of x, gradient of w}. The op computes both; the first
     * depends only on (gy, w) and the second only on (x, gy), so a caller that needs one may pass zeros for the other
     * operand.
     */
    static TensorData[] conv2dBackward(TensorData x, TensorData w, TensorData gy, int[] geometry) {
        init();
        int[] ws = w.shape();
        try (INDArray in = input(x); INDArray wt = input(w); INDArray g = input(gy);
             INDArray gi = Nd4j.create(dataType(x.dtype()), longs(x.shape()), 'c');
             INDArray gw = Nd4j.create(dataType(x.dtype()), longs(ws), 'c')) {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in, wt, g).addOutputs(gi, gw)
                    .addIntegerArguments(ints(convArgs(ws[2], ws[3], geometry))).build());
            return new TensorData[] {output(gi, x.dtype(), x.shape()), output(gw, x.dtype(), ws)};
        }
    }

    private static int[] ints(long[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (int) a[i];
        }
        return r;
    }

    private static long[] longs(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    /** A new INDArray with t's values (float32 or float64), copying straight from the storage when it can. */
    private static INDArray input(TensorData t) {
        TensorData c = Kernels.contiguous(t);
        long[] shape = longs(c.shape());
        boolean whole = c.offset() == 0 && c.storage().length() == c.numel();
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.storage().floats();
            return Nd4j.create(whole ? a : Arrays.copyOfRange(a, c.offset(), c.offset() + c.numel()), shape, 'c');
        }
        double[] a = c.storage().doubles();
        return Nd4j.create(whole ? a : Arrays.copyOfRange(a, c.offset(), c.offset() + c.numel()), shape, 'c');
    }

    /** A new contiguous TensorData holding a c-ordered INDArray's values. */
    private static TensorData output(INDArray a, DType dtype, int[] shape) {
        TensorData r = TensorData.zeros(dtype, shape);
        if (dtype == DType.FLOAT32) {
            a.data().asNioFloat().get(r.storage().floats(), 0, r.numel());
        } else {
            a.data().asNioDouble().get(r.storage().doubles(), 0, r.numel());
        }
        return r;
    }
}
