package dev.ember.ops;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.kernels.Kernels;

/**
 * Copies and type conversions: clone, contiguous, to(dtype). The tangent of a copy is a copy of the tangent (cast
 * like the values; a conversion to an integer or bool type has none).
 *
 * <pre>{@code
 * Tensor d = Conversions.to(x, DType.FLOAT64);   // what x.to(DType.FLOAT64) calls
 * }</pre>
 */
public final class Conversions {
    private Conversions() {
    }

    public static Tensor clone(Tensor a) {
        Tensor out = Internal.wrap(Kernels.contiguousCopy(a.impl(), a.dtype()));
        if (Internal.recording(a)) {
            Internal.attach(out, new CloneBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, Tensor::clone) : out;
    }

    static final class CloneBackward extends Node {
        CloneBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0]};
        }
    }

    /** a itself when contiguous, else a contiguous copy (recorded like clone). */
    public static Tensor contiguous(Tensor a) {
        return a.impl().isContiguous() ? a : clone(a);
    }

    public static Tensor to(Tensor a, DType type) {
        if (a.dtype() == type) {
            return a;
        }
        Tensor out = Internal.wrap(Kernels.contiguousCopy(a.impl(), type));
        if (Internal.recording(a) && type.isFloatingPoint()) {
            Internal.attach(out, new ToCopyBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.to(type)) : out;
    }

    static final class ToCopyBackward extends Node {
        private final DType from;

        ToCopyBackward(Tensor a) {
            super(a);
            this.from = a.dtype();
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].to(from)};
        }
    }

    /** Fails unless a value of type from may be written into a tensor of type to (no float into int, etc.). */
    public static void requireCastable(String op, DType from, DType to) {
        if (!Promotion.canCast(from, to)) {
            throw new DTypeException(op + ": result type " + from + " can't be cast to the desired output type " + to
                    + " of the tensor being written; convert the tensor first (x = x.to(" + from.name()
                    + ")) or use the out-of-place op");
        }
    }
}
