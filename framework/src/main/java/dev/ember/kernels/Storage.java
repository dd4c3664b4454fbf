package dev.ember.kernels;

import dev.ember.DType;

/**
 * The flat element buffer of one dtype that a tensor and all of its views share, together with the version
 * counter that autograd checks saved tensors against.
 *
 * <p>Storage is owned by the kernel layer: nothing above it reads the backing array. Today every storage is a
 * Java array (small tensors never pay for an off-heap allocation); an INDArray is made from it when an ND4J
 * kernel needs one ({@link Nd4jBridge}).
 *
 * <pre>{@code
 * Storage s = Storage.allocate(DType.FLOAT32, 4);
 * s.bumpVersion("add_");
 * assert s.version() == 1 && s.lastWriter().equals("add_");
 * }</pre>
 */
public final class Storage {
    private final DType dtype;
    private final Object array;
    private final int length;
    private final VersionCounter version = new VersionCounter();

    private Storage(DType dtype, Object array, int length) {
        this.dtype = dtype;
        this.array = array;
        this.length = length;
    }

    /** A zero-filled storage of {@code length} elements. */
    public static Storage allocate(DType dtype, int length) {
        return switch (dtype) {
            case FLOAT32 -> new Storage(dtype, new float[length], length);
            case FLOAT64 -> new Storage(dtype, new double[length], length);
            case INT64 -> new Storage(dtype, new long[length], length);
            case BOOL -> new Storage(dtype, new boolean[length], length);
        };
    }

    /** Wraps (does not copy) a Java array; the caller hands over ownership. */
    public static Storage wrap(float[] a) {
        return new Storage(DType.FLOAT32, a, a.length);
    }

    public static Storage wrap(double[] a) {
        return new Storage(DType.FLOAT64, a, a.length);
    }

    public static Storage wrap(long[] a) {
        return new Storage(DType.INT64, a, a.length);
    }

    public static Storage wrap(boolean[] a) {
        return new Storage(DType.BOOL, a, a.length);
    }

    public DType dtype() {
        return dtype;
    }

    public int length() {
        return length;
    }

    /** How many in-place writes this storage has seen. */
    public int version() {
        return version.value();
    }

    /** The counter itself, which saved tensors keep (without keeping the elements alive). */
    public VersionCounter versionCounter() {
        return version;
    }

    /** The name of the op that made the latest in-place write, or null if there was none. */
    public String lastWriter() {
        return version.lastWriter();
    }

    /** Records an in-place write by the named op. */
    public void bumpVersion(String writer) {
        version.bump(writer, null);
    }

    /** Records an in-place write by the named op, with where it happened (anomaly mode). */
    public void bumpVersion(String writer, StackTraceElement[] site) {
        version.bump(writer, site);
    }

    float[] floats() {
        return (float[]) array;
    }

    double[] doubles() {
        return (double[]) array;
    }

    long[] longs() {
        return (long[]) array;
    }

    boolean[] bools() {
        return (boolean[]) array;
    }

    double get(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1.0 : 0.0;
        };
    }

    long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) ((float[]) array)[i];
            case FLOAT64 -> (long) ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1L : 0L;
        };
    }

    void set(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = (long) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0.0;
        }
    }

    void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = v;
            case BOOL -> ((boolean[]) array)[i] = v != 0L;
        }
    }
}
