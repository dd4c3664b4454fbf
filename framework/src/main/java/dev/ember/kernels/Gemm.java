package dev.ember.kernels;

import dev.ember.DType;

import java.util.List;

/**
 * Matrix products (GEMM) on strided views, by the fastest route available for their size: a Java loop for tiny
 * products, the native BLAS working in place on Ember's arrays ({@link NativeBlas}) for everything else, and ND4J's
 * GEMM (operands copied into INDArrays and back) where the native BLAS is not available, as under the CUDA backend.
 *
 * <p>An operand that is a row-major matrix, a transposed one (such as {@code weight.t()} or {@code grad.t()}), or
 * a slice of rows or columns of either, goes to the BLAS as it is, with GEMM's transpose flag and leading dimension;
 * only other layouts (expanded, permuted or strided views) are copied first. Products can accumulate into their output
 * (GEMM's beta = 1), which is how {@link #linear} folds the bias into the product.
 *
 * <p>{@link #force(Route)} pins one route, so that tests can run every route through the same checks and
 * benchmarks can compare them:
 *
 * <pre>{@code
 * try (Gemm.Scope s = Gemm.force(Gemm.Route.ND4J)) {
 *     Tensor y = x.matmul(w.t());   // through ND4J's GEMM whatever the size
 * }
 * }</pre>
 */
public final class Gemm {
    /**
     * Multiply-adds below which the Java loop beats a native BLAS call (about 0.3 µs of JNI and dispatch; the loop
     * runs at 3–5 GFLOP/s): measured on the workloads' shapes, see docs/BENCHMARKS.md.
     */
    static final long JAVA_LIMIT = 1L << 9;

    /** Multiply-adds below which the Java loop beats ND4J's GEMM, whose fixed cost per call is 20–60 µs. */
    static final long ND4J_LIMIT = 1L << 15;

    /** The ways a product can be computed. */
    public enum Route {
        /** By size: Java below {@link #JAVA_LIMIT}, then the native BLAS if available, else ND4J. */
        AUTO,
        /** Java loops, whatever the size. */
        JAVA,
        /** The native BLAS on the arrays in place (only where {@link #nativeAvailable()}). */
        NATIVE,
        /** ND4J's GEMM, copying the operands. */
        ND4J
    }

    /** Restores the previous route when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static volatile Route forced = Route.AUTO;

    private Gemm() {
    }

    /**
     * Pins every product to one route until the returned scope is closed (for tests and benchmarks). The route is
     * process-wide, not per thread: it applies to every thread's products (a DataLoader's prefetch thread too), and
     * scopes must be closed in the reverse order of opening, from one thread.
     */
    public static Scope force(Route route) {
        if (route == Route.NATIVE && !nativeAvailable()) {
            throw new IllegalStateException("Gemm.force(NATIVE): the native BLAS is " + NativeBlas.describe()
                    + "; check Gemm.nativeAvailable() before forcing it");
        }
        Route previous = forced;
        forced = route;
        return () -> forced = previous;
    }

    /** The route pinned by {@link #force(Route)}, or AUTO. */
    public static Route route() {
        return forced;
    }

    /** The routes that can be forced here: JAVA, NATIVE (where available) and ND4J. */
    public static List<Route> routes() {
        return nativeAvailable() ? List.of(Route.JAVA, Route.NATIVE, Route.ND4J) : List.of(Route.JAVA, Route.ND4J);
    }

    /** The route AUTO takes for a product of this many multiply-adds. */
    public static Route routeFor(long multiplyAdds) {
        if (multiplyAdds < JAVA_LIMIT) {
            return Route.JAVA;
        }
        return nativeAvailable() ? Route.NATIVE : multiplyAdds < ND4J_LIMIT ? Route.JAVA : Route.ND4J;
    }

    /** True when products can run on the native BLAS without copies. */
    public static boolean nativeAvailable() {
        return NativeBlas.available();
    }

    /** Which routes large and small products take here, for reports. */
    public static String describe() {
        return nativeAvailable() ? "Java loop below " + JAVA_LIMIT + " multiply-adds, then " + NativeBlas.describe()
                : "Java loop below " + ND4J_LIMIT + " multiply-adds, then ND4J's GEMM (operands copied; native BLAS "
                + NativeBlas.describe() + ")";
    }

    // ---- the kernels ---------------------------------------------------------------------------------------------

    /** x [m, k] · wᵀ + bias, w [n, k], bias [n] or null: a linear layer's forward as one GEMM onto the bias. */
    static TensorData linear(TensorData x, TensorData w, TensorData bias) {
        int m = x.size(0);
        int n = w.size(0);
        TensorData out = TensorData.zeros(x.dtype(), m, n);
        if (bias != null && m > 0 && n > 0) {
            TensorData b = Kernels.contiguous(bias);
            Object src = b.dtype() == DType.FLOAT32 ? b.storage().floats() : b.storage().doubles();
            Object dst = out.dtype() == DType.FLOAT32 ? out.storage().floats() : out.storage().doubles();
            for (int i = 0; i < m; i++) {
                System.arraycopy(src, b.offset(), dst, i * n, n);
            }
        }
        multiply(x, w.transpose(0, 1), out, bias != null);
        return out;
    }

    /**
     * c = a·b, or c += a·b when accumulate: a [m, k] and b [k, n] are 2-d views of one floating dtype with any
     * strides, c a contiguous [m, n] view of the same dtype.
     */
    static void multiply(TensorData a, TensorData b, TensorData c, boolean accumulate) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Kernels.fill(c, 0);
            }
            return;
        }
        Route route = forced == Route.AUTO ? routeFor((long) m * k * n) : forced;
        switch (route) {
            case JAVA -> javaLoop(a, b, c, accumulate);
            case NATIVE -> nativeGemm(a, b, c, accumulate);
            default -> nd4jGemm(a, b, c, accumulate);
        }
    }

    // ---- operand layouts -----------------------------------------------------------------------------------------

    /**
     * How a 2-d view sits in its storage for a BLAS call: row-major with row stride ld, or (trans) the transpose of
     * a row-major matrix with row stride ld; null when it is neither and must be copied first.
     */
    private record Layout(boolean trans, int ld) {
    }

    private static Layout layout(TensorData t) {
        int rows = t.size(0);
        int cols = t.size(1);
        int rs = t.strides()[0];
        int cs = t.strides()[1];
        Layout l = null;
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.max(1, cols))) {
            l = new Layout(false, rows == 1 ? Math.max(1, cols) : rs);
        } else if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(1, rows))) {
            l = new Layout(true, cols == 1 ? Math.max(1, rows) : cs);
        }
        // the BLAS binding checks that the stored matrix's last row ends within the array: rows × ld elements
        if (l != null && (long) t.offset() + (long) (l.trans() ? cols : rows) * l.ld() > t.storage().length()) {
            l = null;
        }
        return l;
    }

    private static void nativeGemm(TensorData a, TensorData b, TensorData c, boolean accumulate) {
        Layout la = layout(a);
        if (la == null) {
            a = Kernels.contiguousCopy(a, a.dtype());
            la = layout(a);
        }
        Layout lb = layout(b);
        if (lb == null) {
            b = Kernels.contiguousCopy(b, b.dtype());
            lb = layout(b);
        }
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        if (a.dtype() == DType.FLOAT32) {
            NativeBlas.gemm(la.trans(), lb.trans(), m, n, k, 1f, a.storage().floats(), a.offset(), la.ld(),
                    b.storage().floats(), b.offset(), lb.ld(), accumulate ? 1f : 0f, c.storage().floats(), c.offset(), n);
        } else {
            NativeBlas.gemm(la.trans(), lb.trans(), m, n, k, 1.0, a.storage().doubles(), a.offset(), la.ld(),
                    b.storage().doubles(), b.offset(), lb.ld(), accumulate ? 1.0 : 0.0, c.storage().doubles(),
                    c.offset(), n);
        }
    }

    /** ND4J takes matrices without gaps: a view whose leading dimension is wider than its rows is copied first. */
    private static void nd4jGemm(TensorData a, TensorData b, TensorData c, boolean accumulate) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        Layout la = layout(a);
        if (la == null || la.ld() != (la.trans() ? m : k)) {
            a = Kernels.contiguousCopy(a, a.dtype());
            la = new Layout(false, k);
        }
        Layout lb = layout(b);
        if (lb == null || lb.ld() != (lb.trans() ? k : n)) {
            b = Kernels.contiguousCopy(b, b.dtype());
            lb = new Layout(false, n);
        }
        Nd4jBridge.gemm(a, a.offset(), la.trans(), b, b.offset(), lb.trans(), c, c.offset(), m, k, n,
                accumulate ? 1.0 : 0.0);
    }

    /**
     * Java loops over any strides, in the order that reads b along unit strides: i-p-j (rows of b and c) when b's rows
     * are contiguous, i-j-p (dot products of a's rows with b's columns) when b is a transposed matrix such as
     * {@code weight.t()}. Both add the terms of each element in the same order (p ascending), so they round alike.
     */
    private static void javaLoop(TensorData a, TensorData b, TensorData c, boolean accumulate) {
        if (!accumulate) {
            Kernels.fill(c, 0);
        }
        boolean dot = b.size(1) > 1 && b.strides()[1] != 1 && (b.strides()[0] == 1 || b.size(0) == 1);
        if (a.dtype() == DType.FLOAT32) {
            if (dot) {
                dotLoop(a, b, c, a.storage().floats(), b.storage().floats(), c.storage().floats());
            } else {
                rowLoop(a, b, c, a.storage().floats(), b.storage().floats(), c.storage().floats());
            }
        } else {
            if (dot) {
                dotLoop(a, b, c, a.storage().doubles(), b.storage().doubles(), c.storage().doubles());
            } else {
                rowLoop(a, b, c, a.storage().doubles(), b.storage().doubles(), c.storage().doubles());
            }
        }
    }

    private static void rowLoop(TensorData a, TensorData b, TensorData c, float[] x, float[] y, float[] z) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        int ao = a.offset();
        int ars = a.strides()[0];
        int acs = a.strides()[1];
        int bo = b.offset();
        int brs = b.strides()[0];
        int bcs = n == 1 ? 1 : b.strides()[1];
        int co = c.offset();
        for (int i = 0; i < m; i++) {
            int zi = co + i * n;
            for (int p = 0; p < k; p++) {
                float v = x[ao + i * ars + p * acs];
                int yi = bo + p * brs;
                if (bcs == 1) {
                    for (int j = 0; j < n; j++) {
                        z[zi + j] += v * y[yi + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        z[zi + j] += v * y[yi + j * bcs];
                    }
                }
            }
        }
    }

    private static void dotLoop(TensorData a, TensorData b, TensorData c, float[] x, float[] y, float[] z) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        int ao = a.offset();
        int ars = a.strides()[0];
        int acs = k == 1 ? 1 : a.strides()[1];
        int bo = b.offset();
        int bcs = b.strides()[1];
        int co = c.offset();
        for (int i = 0; i < m; i++) {
            int xi = ao + i * ars;
            for (int j = 0; j < n; j++) {
                int yj = bo + j * bcs;
                float s = z[co + i * n + j];
                if (acs == 1) {
                    for (int p = 0; p < k; p++) {
                        s += x[xi + p] * y[yj + p];
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        s += x[xi + p * acs] * y[yj + p];
                    }
                }
                z[co + i * n + j] = s;
            }
        }
    }

    private static void rowLoop(TensorData a, TensorData b, TensorData c, double[] x, double[] y, double[] z) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        int ao = a.offset();
        int ars = a.strides()[0];
        int acs = a.strides()[1];
        int bo = b.offset();
        int brs = b.strides()[0];
        int bcs = n == 1 ? 1 : b.strides()[1];
        int co = c.offset();
        for (int i = 0; i < m; i++) {
            int zi = co + i * n;
            for (int p = 0; p < k; p++) {
                double v = x[ao + i * ars + p * acs];
                int yi = bo + p * brs;
                if (bcs == 1) {
                    for (int j = 0; j < n; j++) {
                        z[zi + j] += v * y[yi + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        z[zi + j] += v * y[yi + j * bcs];
                    }
                }
            }
        }
    }

    private static void dotLoop(TensorData a, TensorData b, TensorData c, double[] x, double[] y, double[] z) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        int ao = a.offset();
        int ars = a.strides()[0];
        int acs = k == 1 ? 1 : a.strides()[1];
        int bo = b.offset();
        int bcs = b.strides()[1];
        int co = c.offset();
        for (int i = 0; i < m; i++) {
            int xi = ao + i * ars;
            for (int j = 0; j < n; j++) {
                int yj = bo + j * bcs;
                double s = z[co + i * n + j];
                if (acs == 1) {
                    for (int p = 0; p < k; p++) {
                        s += x[xi + p] * y[yj + p];
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        s += x[xi + p * acs] * y[yj + p];
                    }
                }
                z[co + i * n + j] = s;
            }
        }
    }
}
