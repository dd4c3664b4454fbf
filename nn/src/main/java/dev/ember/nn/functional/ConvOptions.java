package dev.ember.nn.functional;

import dev.ember.ShapeException;

import java.util.Arrays;

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
 * <p>Padding is zeros on both sides of each spatial dimension; PyTorch's {@code padding='same'} and its
 * non-zero padding modes are not supported.
 */
public final class ConvOptions {
    /** PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1. */
    public static final ConvOptions DEFAULT = new ConvOptions(new int[] {1}, new int[] {0}, new int[] {1}, 1);

    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;

    private ConvOptions(int[] stride, int[] padding, int[] dilation, int groups) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** The step between windows: one value, or one per spatial dimension; each at least 1. */
    public ConvOptions stride(int... v) {
        return new ConvOptions(check("stride", v, 1), padding, dilation, groups);
    }

    /** Zeros added on both sides: one value, or one per spatial dimension; each 0 or more. */
    public ConvOptions padding(int... v) {
        return new ConvOptions(stride, check("padding", v, 0), dilation, groups);
    }

    /** The spacing between kernel elements: one value, or one per spatial dimension; each at least 1. */
    public ConvOptions dilation(int... v) {
        return new ConvOptions(stride, padding, check("dilation", v, 1), groups);
    }

    /**
     * The number of blocked connections from input to output channels: both channel counts must be divisible by
     * it (groups equal to the input channels is a depthwise convolution).
     */
    public ConvOptions groups(int v) {
        if (v < 1) {
            throw new ShapeException("ConvOptions: groups must be at least 1, got " + v);
        }
        return new ConvOptions(stride, padding, dilation, v);
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

    /** The padding for a convolution with the given number of spatial dimensions. */
    public int[] paddingFor(int spatial, String where) {
        return expand("padding", padding, spatial, where);
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
                && Arrays.equals(dilation, c.dilation) && groups == c.groups;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stride) * 31 * 31 * 31 + Arrays.hashCode(padding) * 31 * 31
                + Arrays.hashCode(dilation) * 31 + groups;
    }

    @Override
    public String toString() {
        return "ConvOptions[stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + "]";
    }
}
