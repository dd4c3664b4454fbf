package dev.ember;

/**
 * The element type of a tensor.
 *
 * <pre>{@code
 * Tensor x = Ember.zeros(DType.FLOAT64, 2, 3);
 * assert x.dtype() == DType.FLOAT64;
 * }</pre>
 *
 * <p>{@link #FLOAT32} is the default, as in PyTorch. {@link #FLOAT64} is used for gradient checks, {@link #INT64}
 * for indices and {@link #BOOL} for the results of comparisons.
 */
public enum DType {
    FLOAT32("float32", 4, true),
    FLOAT64("float64", 8, true),
    INT64("int64", 8, false),
    BOOL("bool", 1, false);

    private final String label;
    private final int byteSize;
    private final boolean floatingPoint;

    DType(String label, int byteSize, boolean floatingPoint) {
        this.label = label;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** The PyTorch-style name: {@code float32}, {@code float64}, {@code int64}, {@code bool}. */
    public String label() {
        return label;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for FLOAT32 and FLOAT64, the only types that can require gradients. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * The type of a binary operation's result (PyTorch's promotion between tensors of the same category):
     * BOOL &lt; INT64 &lt; FLOAT32 &lt; FLOAT64.
     */
    public static DType promote(DType a, DType b) {
        return a.ordinalRank() >= b.ordinalRank() ? a : b;
    }

    private int ordinalRank() {
        return switch (this) {
            case BOOL -> 0;
            case INT64 -> 1;
            case FLOAT32 -> 2;
            case FLOAT64 -> 3;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
