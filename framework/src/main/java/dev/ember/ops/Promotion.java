package dev.ember.ops;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;

import java.util.Arrays;

/**
 * PyTorch's type promotion and broadcasting rules for the ops, with the errors that name the op and the operands.
 *
 * <pre>{@code
 * DType t = Promotion.resultType(int64Vector, float32Scalar0d);   // FLOAT32: a 0-d float outranks int64
 * }</pre>
 */
public final class Promotion {
    private Promotion() {
    }

    private static int category(DType d) {
        return switch (d) {
            case BOOL -> 0;
            case INT64 -> 1;
            case FLOAT32, FLOAT64 -> 2;
        };
    }

    /**
     * The dtype of a binary op's result: dimensioned tensors decide, unless a 0-d operand is of a higher category
     * (bool &lt; integer &lt; floating), as in PyTorch.
     */
    public static DType resultType(Tensor a, Tensor b) {
        boolean ad = a.dim() > 0;
        boolean bd = b.dim() > 0;
        if (ad == bd) {
            return DType.promote(a.dtype(), b.dtype());
        }
        DType dim = ad ? a.dtype() : b.dtype();
        DType zero = ad ? b.dtype() : a.dtype();
        return category(zero) > category(dim) ? zero : dim;
    }

    /** A 0-d tensor for a Java scalar operand, typed as PyTorch types a Python number next to {@code like}. */
    public static Tensor scalar(Tensor like, double value, boolean integral) {
        DType t = like.dtype().isFloatingPoint() ? like.dtype() : integral ? DType.INT64 : DType.FLOAT32;
        return Internal.wrap(Kernels.scalar(t, value));
    }

    /** The broadcast shape of two operands, or a ShapeException naming the op and both shapes. */
    public static int[] broadcast(String op, Tensor a, Tensor b) {
        int[] s = Shapes.broadcast(a.impl().shape(), b.impl().shape());
        if (s == null) {
            throw new ShapeException(op + ": shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " cannot be broadcast together (sizes must match, or be 1, in every dimension counted from the "
                    + "right). Reshape or unsqueeze one operand so that they line up.");
        }
        return s;
    }

    /** True if a value of type from can be stored in a tensor of type to without leaving its category. */
    public static boolean canCast(DType from, DType to) {
        return category(from) <= category(to);
    }

    /** Fails unless t is floating point (for ops that only have floating-point definitions). */
    public static void requireFloat(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new DTypeException(op + " needs a floating-point tensor but got " + t.dtype() + " of shape "
                    + Arrays.toString(t.shape()) + ": convert it first with .to(DType.FLOAT32)");
        }
    }

    /** A dimension index wrapped into [0, rank), or a ShapeException naming the op. */
    public static int dim(String op, int d, int rank) {
        int w = Shapes.wrapDim(d, rank);
        if (w < 0) {
            int r = Math.max(rank, 1);
            throw new ShapeException(op + ": dimension " + d + " is out of range for a tensor of " + rank
                    + " dimension" + (rank == 1 ? "" : "s") + " (expected a value in [" + (-r) + ", " + (r - 1) + "])");
        }
        return w;
    }
}
