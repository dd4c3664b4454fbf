package dev.ember.nn.functional;

/**
 * PyTorch's padding strings for convolutions ({@code padding='same'} and {@code padding='valid'}), for
 * {@link ConvOptions#padding(ConvPadding)}.
 *
 * <pre>{@code
 * // nn.Conv2d(3, 8, 4, padding='same')
 * Conv2d conv = new Conv2d(3, 8, 4, ConvOptions.DEFAULT.padding(ConvPadding.SAME));
 * conv.forward(Ember.randn(1, 3, 10, 10)).shape();   // [1, 8, 10, 10]
 * }</pre>
 */
public enum ConvPadding {
    /**
     * The output has the input's spatial size: in each dimension, dilation (k - 1) zeros in all, half before and
     * the rest after (where the total is odd, the extra zero goes after: right, or bottom), as PyTorch pads. Only for
     * stride 1, as in PyTorch.
     */
    SAME,
    /** No padding (the same as padding 0). */
    VALID;

    /** PyTorch's spelling: {@code same} or {@code valid}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
