package dev.ember.nn.functional;

import dev.ember.ShapeException;

import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of a convolution (PyTorch's keyword arguments {@code stride, padding, dilation, groups} of
 * {@code F.conv1d}/{@code F.conv2d} and of {@code nn.Conv1d}/{@code nn.Conv2d}) as an immutable value: start from
 * {@link #DEFAULT} and chain. Like PyTorch's int-or-tuple arguments, stride, padding and dilation take one value
 * (used for every spatial dimension) or one per spatial dimension ({height, width} for 2-d).
 *
 * <pre>{@code
 * ConvOptions o = ConvOptions.DEFAULT.stride(2).padding(1);         // stride=2, padding=1
 * Tensor y = Convolutions.conv2d(x, w, b, o);                       // F.conv2d(x, w, b, stride=2, padding=1)
 * Conv2d conv = new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1, 0).groups(1));
 * }</pre>
 *
 * <p>Padding is zeros: a number of them on both sides of each spatial dimension, or PyTorch's {@code padding='same'}
 * and {@code padding='valid'} as {@link #padding(ConvPadding)}:
 *
 * <pre>{@code
 * ConvOptions same = ConvOptions.DEFAULT.padding(ConvPadding.SAME);  // padding='same': output size = input size
 * }</pre>
 *
 * <p>PyTorch's non-zero padding modes ({@code padding_mode='reflect'} and the like) are not supported.
 */
public final class ConvOptions {
    /** PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1. */
    public static final ConvOptions DEFAULT = new ConvOptions(new int[] {1}, new int[] {0}, null, new int[] {1}, 1);

    private final int[] stride;
    private final int[] padding;
    private final ConvPadding paddingMode;
    private final int[] dilation;
    private final int groups;

    private ConvOptions(int[] stride, int[] padding, ConvPadding paddingMode, int[] dilation, int groups) {
        this.stride = stride;
        this.padding = padding;
        this.paddingMode = paddingMode;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** The step between windows: one value, or one per spatial dimension; each at least 1. */
    public ConvOptions stride(int... v) {
        return new ConvOptions(check("stride", v, 1), padding, paddingMode, dilation, groups);
    }

    /** Zeros added on both sides: one value, or one per spatial dimension; each 0 or more. */
    public ConvOptions padding(int... v) {
        return new ConvOptions(stride, check("padding", v, 0), null, dilation, groups);
    }

    /**
     * PyTorch's {@code padding='same'} ({@link ConvPadding#SAME}: as many zeros as keep the spatial size, stride 1
     * only) or {@code padding='valid'} ({@link ConvPadding#VALID}: none).
     */
    public ConvOptions padding(ConvPadding mode) {
        if (mode == null) {
            throw new ShapeException("ConvOptions: the padding mode is null; use ConvPadding.SAME or "
                    + "ConvPadding.VALID, or give the padding as numbers");
        }
        return new ConvOptions(stride, new int[] {0}, mode, dilation, groups);
    }

    /** The spacing between kernel elements: one value, or one per spatial dimension; each at least 1. */
    public ConvOptions dilation(int... v) {
        return new ConvOptions(stride, padding, paddingMode, check("dilation", v, 1), groups);
    }

    /**
     * The number of blocked connections from input to output channels: both channel counts must be divisible by
     * it (groups equal to the input channels is a depthwise convolution).
     */
    public ConvOptions groups(int v) {
        if (v < 1) {
            throw new ShapeException("ConvOptions: groups must be at least 1, got " + v);
        }
        return new ConvOptions(stride, padding, paddingMode, dilation, v);
    }

    private static int[] check(String what, int[] v, int min) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new ShapeException("ConvOptions: " + what + " takes one value or one per spatial dimension (at most "
                    + "2), got " + (v == null ? "null" : Arrays.toString(v)));
        }
        for (int x : v) {
            if (x < min) {
                throw new ShapeException("ConvOptions: " + what + " " + Arrays.toString(v) + " must be "
                        + (min == 0 ? "0 or more" : "at least " + min) + " in every dimension");
            }
        }
        return v.clone();
    }

    /**
     * The stride for a convolution with the given number of spatial dimensions (one value repeated); a
     * ShapeException naming {@code where} if the number of values does not fit.
     */
    public int[] strideFor(int spatial, String where) {
        return expand("stride", stride, spatial, where);
    }

    /**
     * The padding on both sides for a convolution with the given number of spatial dimensions: the numbers given,
     * zeros for {@link ConvPadding#VALID}. For {@link ConvPadding#SAME} the padding depends on the kernel: see
     * {@link #paddingFor(int[], String)}.
     */
    public int[] paddingFor(int spatial, String where) {
        return expand("padding", padding, spatial, where);
    }

    /**
     * The zeros {before, after} each spatial dimension for a kernel of the given size (one value per spatial
     * dimension): the padding on both sides, or for {@link ConvPadding#SAME} PyTorch's split of dilation (k - 1)
     * zeros: half before, the rest after.
     */
    public int[][] paddingFor(int[] kernel, String where) {
        if (paddingMode != ConvPadding.SAME) {
            int[] p = paddingFor(kernel.length, where);
            return new int[][] {p, p.clone()};
        }
        int[] dilation = dilationFor(kernel.length, where);
        int[] before = new int[kernel.length];
        int[] after = new int[kernel.length];
        for (int d = 0; d < kernel.length; d++) {
            int total = dilation[d] * (kernel[d] - 1);
            before[d] = total / 2;
            after[d] = total - before[d];
        }
        return new int[][] {before, after};
    }

    /**
     * {@link ConvPadding#SAME} or {@link ConvPadding#VALID} if the padding was given so (PyTorch's padding strings),
     * null if it was given as numbers.
     */
    public ConvPadding paddingMode() {
        return paddingMode;
    }

    /**
     * Throws, naming {@code where} and the stride, if the padding is {@link ConvPadding#SAME} and a stride is not 1
     * (PyTorch's rule: the output of a strided convolution cannot keep the input's size).
     */
    public void checkSamePaddingUnstrided(int spatial, String where) {
        int[] s = strideFor(spatial, where);
        if (paddingMode == ConvPadding.SAME && Arrays.stream(s).anyMatch(v -> v != 1)) {
            throw new ShapeException(where + ": padding='same' is not supported for strided convolutions (stride "
                    + Arrays.toString(s) + "); use stride 1 with ConvPadding.SAME, or give the padding as numbers");
        }
    }

    /** The dilation for a convolution with the given number of spatial dimensions. */
    public int[] dilationFor(int spatial, String where) {
        return expand("dilation", dilation, spatial, where);
    }

    public int groups() {
        return groups;
    }

    /** One value repeated for every spatial dimension, or the values as given if there is one per dimension. */
    static int[] expand(String what, int[] v, int spatial, String where) {
        if (v.length == 1) {
            int[] r = new int[spatial];
            Arrays.fill(r, v[0]);
            return r;
        }
        if (v.length != spatial) {
            throw new ShapeException(where + ": " + what + " " + Arrays.toString(v) + " has " + v.length
                    + " values but the convolution has " + spatial + " spatial dimension" + (spatial == 1 ? "" : "s")
                    + "; give one value or " + spatial);
        }
        return v.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvOptions c && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && paddingMode == c.paddingMode && Arrays.equals(dilation, c.dilation) && groups == c.groups;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stride) * 31 * 31 * 31 + (Arrays.hashCode(padding) * 31 + Objects.hashCode(paddingMode))
                * 31 * 31 + Arrays.hashCode(dilation) * 31 + groups;
    }

    @Override
    public String toString() {
        return "ConvOptions[stride=" + Arrays.toString(stride) + ", padding="
                + (paddingMode == null ? Arrays.toString(padding) : paddingMode.label()) + ", dilation="
                + Arrays.toString(dilation) + ", groups=" + groups + "]";
    }
}
