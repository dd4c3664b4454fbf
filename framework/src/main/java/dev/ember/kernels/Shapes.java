package dev.ember.kernels;

import java.util.Arrays;

/**
 * Shape arithmetic shared by kernels and ops: element counts, strides, broadcasting, dimension wrapping.
 * Pure functions on int arrays; errors are reported by the ops, which know the op name and operands.
 *
 * <pre>{@code
 * int[] out = Shapes.broadcast(new int[] {3, 1}, new int[] {4});   // [3, 4]
 * }</pre>
 */
public final class Shapes {
    private Shapes() {
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " has " + n
                    + " elements; Ember tensors hold at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** True when the layout is row-major once dimensions of size one (whose stride is irrelevant) are ignored. */
    static boolean isContiguousIgnoringUnitDims(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) {
                continue;
            }
            if (shape[i] == 0) {
                return true;
            }
            if (strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The broadcast shape of a and b, or null when they do not broadcast. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (x == y || y == 1) {
                out[i] = x;
            } else if (x == 1) {
                out[i] = y;
            } else {
                return null;
            }
        }
        return out;
    }

    /** True when {@code from} can be expanded to {@code to}. */
    public static boolean expandable(int[] from, int[] to) {
        if (from.length > to.length) {
            return false;
        }
        int lead = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != 1 && from[i] != to[i + lead]) {
                return false;
            }
        }
        return true;
    }

    /** Wraps a possibly negative dimension index; returns -1 when out of range. */
    public static int wrapDim(int d, int rank) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            return -1;
        }
        return d < 0 ? d + r : d;
    }

    public static int[] remove(int[] a, int i) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, i);
        System.arraycopy(a, i + 1, out, i, a.length - i - 1);
        return out;
    }

    public static int[] insert(int[] a, int i, int v) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, i);
        out[i] = v;
        System.arraycopy(a, i, out, i + 1, a.length - i);
        return out;
    }

    /** The shape after reducing the marked dimensions (kept as size one when keepDim). */
    public static int[] reduced(int[] shape, boolean[] reduce, boolean keepDim) {
        int kept = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduce[i] || keepDim) {
                kept++;
            }
        }
        int[] out = new int[kept];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduce[i]) {
                out[j++] = shape[i];
            } else if (keepDim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /**
     * Strides that present (shape, strides) as newShape without copying, or null if impossible
     * (PyTorch's computeStride: each group of merged or split dimensions must be contiguous within itself).
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] out = new int[newShape.length];
        if (numel(shape) == 0) {
            return contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        int chunkBase = strides.length > 0 ? strides[strides.length - 1] : 1;
        long tensorElems = 1;
        long viewElems = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorElems *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorElems * chunkBase)) {
                while (viewD >= 0 && (viewElems < tensorElems || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewElems * chunkBase);
                    viewElems *= newShape[viewD];
                    viewD--;
                }
                if (viewElems != tensorElems) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorElems = 1;
                    viewElems = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return out;
    }
}
