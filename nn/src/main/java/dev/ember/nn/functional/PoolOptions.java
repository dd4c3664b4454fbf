package dev.ember.nn.functional;

import dev.ember.ShapeException;

import java.util.Arrays;

/**
 * The settings of 2-d max and average pooling (PyTorch's keyword arguments of {@code F.max_pool2d},
 * {@code F.avg_pool2d}, {@code nn.MaxPool2d} and {@code nn.AvgPool2d}) as an immutable value: start from
 * {@link #DEFAULT} and chain. Stride, padding and dilation take one value (for both dimensions) or two
 * ({height, width}), as PyTorch's int-or-tuple arguments do.
 *
 * <pre>{@code
 * PoolOptions o = PoolOptions.DEFAULT.stride(2).padding(1);       // stride=2, padding=1
 * Tensor y = Pooling.maxPool2d(x, new int[] {3}, o);            // F.max_pool2d(x, 3, stride=2, padding=1)
 * AvgPool2d pool = new AvgPool2d(new int[] {2}, PoolOptions.DEFAULT.countIncludePad(false).ceilMode(true));
 * }</pre>
 *
 * <p>Defaults: stride equal to the kernel size (PyTorch's {@code stride=None}), padding 0, dilation 1, ceilMode
 * false, countIncludePad true, no divisor override. Dilation applies to max pooling only, and countIncludePad and
 * divisorOverride to average pooling only: the other op rejects them when set.
 */
public final class PoolOptions {
    /** PyTorch's defaults. */
    public static final PoolOptions DEFAULT = new PoolOptions(null, new int[] {0}, new int[] {1}, false, true, 0);

    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;

    private PoolOptions(int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad,
                        int divisorOverride) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    /** The step between windows (default: the kernel size). */
    public PoolOptions stride(int... v) {
        return new PoolOptions(check("stride", v, 1), padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Padding on both sides, at most half the kernel size: -infinity for max pooling, zeros for average. */
    public PoolOptions padding(int... v) {
        return new PoolOptions(stride, check("padding", v, 0), dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** The spacing between window elements (max pooling only). */
    public PoolOptions dilation(int... v) {
        return new PoolOptions(stride, padding, check("dilation", v, 1), ceilMode, countIncludePad, divisorOverride);
    }

    /** Rounds the output size up instead of down, so that a partial window at the end is pooled too. */
    public PoolOptions ceilMode(boolean v) {
        return new PoolOptions(stride, padding, dilation, v, countIncludePad, divisorOverride);
    }

    /** Average pooling: divide by the window's size including padding (true, the default) or by its real elements. */
    public PoolOptions countIncludePad(boolean v) {
        return new PoolOptions(stride, padding, dilation, ceilMode, v, divisorOverride);
    }

    /** Average pooling: divide every window's sum by this positive number instead. */
    public PoolOptions divisorOverride(int v) {
        if (v <= 0) {
            throw new ShapeException("PoolOptions: divisorOverride must be positive, got " + v);
        }
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, v);
    }

    private static int[] check(String what, int[] v, int min) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new ShapeException("PoolOptions: " + what + " takes one or two values ({height, width}), got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        for (int x : v) {
            if (x < min) {
                throw new ShapeException("PoolOptions: " + what + " " + Arrays.toString(v) + " must be "
                        + (min == 0 ? "0 or more" : "at least " + min));
            }
        }
        return v.clone();
    }

    /** The stride as given (one or two values), or null for the default (the kernel size). */
    public int[] stride() {
        return stride == null ? null : stride.clone();
    }

    /** The padding as given (one or two values). */
    public int[] padding() {
        return padding.clone();
    }

    /** The dilation as given (one or two values). */
    public int[] dilation() {
        return dilation.clone();
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The divisor override, or 0 for none. */
    public int divisorOverride() {
        return divisorOverride;
    }

    /** {height, width} from one or two values. */
    static int[] pair(String what, int[] v, String where) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new ShapeException(where + ": " + what + " takes one or two values ({height, width}), got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolOptions p && Arrays.equals(stride, p.stride) && Arrays.equals(padding, p.padding)
                && Arrays.equals(dilation, p.dilation) && ceilMode == p.ceilMode
                && countIncludePad == p.countIncludePad && divisorOverride == p.divisorOverride;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(stride), Arrays.hashCode(padding), Arrays.hashCode(dilation),
                ceilMode ? 1 : 0, countIncludePad ? 1 : 0, divisorOverride});
    }

    @Override
    public String toString() {
        return "PoolOptions[stride=" + (stride == null ? "kernel size" : Arrays.toString(stride)) + ", padding="
                + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceilMode=" + ceilMode
                + ", countIncludePad=" + countIncludePad + ", divisorOverride="
                + (divisorOverride == 0 ? "none" : divisorOverride) + "]";
    }
}
