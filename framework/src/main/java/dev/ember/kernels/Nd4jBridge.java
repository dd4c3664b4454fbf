package dev.ember.kernels;

import dev.ember.DType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

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

    /** True when the active backend is a CUDA one. */
    public static boolean isCuda() {
        return backend().startsWith("CUDA");
    }

    /**
     * Off-heap bytes currently held through JavaCPP (ND4J's native buffers), for memory checks and benchmarks.
     * Ember's own storage is on the Java heap; only ND4J calls allocate off-heap, and they free what they allocate.
     */
    public static long offHeapBytes() {
        return org.bytedeco.javacpp.Pointer.totalBytes();
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
                long[] v = c.castTo(DataType.LONG).toLongVector();
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
            case INT64 -> DataType.LONG;
            case BOOL -> DataType.BOOL;
        };
    }

    /** c[co..] = a[ao..] (m x k) times b[bo..] (k x n), all row-major, through ND4J's GEMM. */
    static void gemm(TensorData a, int ao, TensorData b, int bo, TensorData c, int co, int m, int k, int n) {
        init();
        long[] as = {m, k};
        long[] bs = {k, n};
        if (a.dtype() == DType.FLOAT32) {
            try (INDArray x = Nd4j.create(Arrays.copyOfRange(a.storage().floats(), ao, ao + m * k), as, 'c');
                 INDArray y = Nd4j.create(Arrays.copyOfRange(b.storage().floats(), bo, bo + k * n), bs, 'c');
                 INDArray z = Nd4j.gemm(x, y, false, false)) {
                FloatBuffer buf = z.data().asNioFloat();
                buf.get(c.storage().floats(), co, m * n);
            }
        } else {
            try (INDArray x = Nd4j.create(Arrays.copyOfRange(a.storage().doubles(), ao, ao + m * k), as, 'c');
                 INDArray y = Nd4j.create(Arrays.copyOfRange(b.storage().doubles(), bo, bo + k * n), bs, 'c');
                 INDArray z = Nd4j.gemm(x, y, false, false)) {
                DoubleBuffer buf = z.data().asNioDouble();
                buf.get(c.storage().doubles(), co, m * n);
            }
        }
    }
}
