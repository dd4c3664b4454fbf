package dev.ember.kernels;

import dev.ludovic.netlib.blas.NativeBLAS;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.logging.Level;

/**
 * Matrix products straight on Ember's Java arrays, without copying them: the OpenBLAS library that ND4J's CPU
 * backend ships and uses itself ({@code org.bytedeco:openblas}, its {@code openblas_nolapack} build), called through
 * the JNI binding of {@code dev.ludovic.netlib:blas}, which pins the arrays for the duration of the call
 * ({@code GetPrimitiveArrayCritical}) where JavaCPP's array overloads would copy each whole array in and out.
 *
 * <p>Availability is decided once, at the first use: the binding exists for Linux on x86-64 and aarch64, and the
 * library is found only where {@code org.bytedeco:openblas} is on the class path (the CPU backend; not the
 * {@code cuda} profile). Where it is not available, {@link #available()} is false and the kernels use ND4J's GEMM
 * instead. Using ND4J's own copy of OpenBLAS (not a second one) matters: two OpenBLAS instances running threaded
 * GEMMs in one process corrupt each other's buffers. The system property
 * {@code dev.ludovic.netlib.blas.nativeLibPath}, when set by the user, chooses another BLAS library.
 *
 * <p>While a call runs, the pinned arrays hold off the garbage collector (a 2048-square product takes tens of
 * milliseconds), as any JNI critical section does.
 *
 * <pre>{@code
 * if (NativeBlas.available()) {
 *     float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
 *     NativeBlas.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);   // c = [19, 22, 43, 50]
 * }
 * }</pre>
 */
final class NativeBlas {
    private static final Logger LOG = LoggerFactory.getLogger(NativeBlas.class);
    private static final String LIBRARY_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    private static final String OPENBLAS_CLASS = "org.bytedeco.openblas.global.openblas_nolapack";
    private static final String OPENBLAS_LIBRARY = "openblas_nolapack@.0";

    private NativeBlas() {
    }

    /** The binding, or null with the reason it is not used. */
    private record Binding(NativeBLAS blas, String library, String missing) {
    }

    /** Loaded on first use (the holder idiom), so that programs without a large product never load it. */
    private static final class Holder {
        static final Binding BINDING = load();
        static final NativeBLAS BLAS = BINDING.blas();
    }

    /** True when products can run on the native BLAS in place on Java arrays. */
    static boolean available() {
        return Holder.BLAS != null;
    }

    /** What {@link #available()} found, for reports: the library used, or why there is none. */
    static String describe() {
        Binding b = Holder.BINDING;
        return b.blas() != null ? "OpenBLAS on the Java arrays in place (" + b.library() + ")"
                : "not available: " + b.missing();
    }

    /**
     * Row-major {@code c = alpha·op(a)·op(b) + beta·c}: op(a) is m×k, op(b) k×n, c m×n; {@code ta} says that a is
     * stored as its k×m transpose (likewise tb); lda, ldb, ldc are the row strides of the stored matrices.
     */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                     float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        // A row-major matrix is the column-major matrix of its transpose: c = op(a)·op(b) row-major is
        // cᵀ = op(b)ᵀ·op(a)ᵀ column-major, so b comes first, and each operand keeps its own flag.
        Holder.BLAS.sgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, alpha, b, bo, ldb, a, ao, lda, beta, c, co, ldc);
    }

    /** As {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}, in float64. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao, int lda,
                     double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
        Holder.BLAS.dgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, alpha, b, bo, ldb, a, ao, lda, beta, c, co, ldc);
    }

    private static Binding load() {
        String library = System.getProperty(LIBRARY_PROPERTY);
        if (library == null) {
            library = openBlasLibrary();
            if (library == null) {
                return missing(null, "org.bytedeco's OpenBLAS (a dependency of nd4j-native) is not on the class path");
            }
            System.setProperty(LIBRARY_PROPERTY, library);
        }
        // The binding logs a warning through java.util.logging when its optional Vector API class cannot load
        // (it needs --add-modules jdk.incubator.vector), which Ember does not use: keep that line off the console.
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level level = jul.getLevel();
        jul.setLevel(Level.OFF);
        try {
            NativeBLAS blas = NativeBLAS.getInstance();
            if (!works(blas)) {
                return missing(library, "the library at " + library + " computed a wrong 2x2 product");
            }
            LOG.debug("matrix products on the Java arrays through {}", library);
            return new Binding(blas, library, null);
        } catch (RuntimeException | LinkageError e) {
            return missing(library, "dev.ludovic.netlib's JNI binding did not load for this platform or library ("
                    + e + ")");
        } finally {
            jul.setLevel(level);
        }
    }

    private static Binding missing(String library, String why) {
        LOG.debug("native BLAS not used ({}): matrix products use ND4J's GEMM", why);
        return new Binding(null, library, why);
    }

    /** The path of the OpenBLAS library that org.bytedeco's presets load (ND4J's own), or null without them. */
    private static String openBlasLibrary() {
        try {
            Class.forName(OPENBLAS_CLASS);   // its static initialiser loads the library through JavaCPP
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        Map<String, String> loaded = Loader.getLoadedLibraries();
        String path = loaded.get(OPENBLAS_LIBRARY);
        if (path == null) {
            for (String p : loaded.values()) {
                if (p.contains("libopenblas_nolapack")) {
                    return p;
                }
            }
        }
        return path;
    }

    /** One small product, checked, in both precisions: a library that loads but computes wrongly is not used. */
    private static boolean works(NativeBLAS blas) {
        float[] c = new float[4];
        blas.sgemm("N", "N", 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 6, 7, 8}, 0, 2, 0f, c, 0, 2);
        double[] d = new double[4];
        blas.dgemm("T", "N", 2, 2, 2, 1, new double[] {1, 2, 3, 4}, 0, 2, new double[] {5, 6, 7, 8}, 0, 2, 0, d, 0, 2);
        // column-major: [1 3; 2 4]·[5 7; 6 8] = [23 31; 34 46]; [1 2; 3 4]·[5 7; 6 8] = [17 23; 39 53]
        return c[0] == 23 && c[1] == 34 && c[2] == 31 && c[3] == 46 && d[0] == 17 && d[1] == 39 && d[2] == 23
                && d[3] == 53;
    }
}
