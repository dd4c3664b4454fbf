package dev.ember.nn;

/**
 * Which form of GELU to compute: {@link #NONE}, the exact x Φ(x) with the normal CDF through erf (PyTorch's
 * default, {@code approximate='none'}), or {@link #TANH}, x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2
 * ({@code approximate='tanh'}).
 *
 * <pre>{@code
 * Module act = new GELU(GeluApproximation.TANH);   // GELU(approximate='tanh')
 * }</pre>
 */
public enum GeluApproximation {
    NONE("none"),
    TANH("tanh");

    private final String pytorchName;

    GeluApproximation(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's spelling: {@code "none"} or {@code "tanh"}. */
    public String pytorchName() {
        return pytorchName;
    }
}
