package dev.ember.ops;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradMode;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.TensorData;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * In-place ops ({@code add_}, {@code mul_}, {@code zero_}, {@code copy_}, ...): the out-of-place op computes the
 * new value, which is then written into the tensor's storage, bumping the version counter that saved tensors are
 * checked against. When the op must be recorded, the tensor's history is rebased onto the new node, as in PyTorch.
 * In forward mode the out-of-place op also computes the new tangent, which is then written into the tensor's
 * tangent in place (see {@link Jvp#inPlace}), so views of the tensor see it too.
 * Everything is checked before anything is written, so a failed call changes nothing.
 *
 * <pre>{@code
 * try (var g = Ember.noGrad()) {
 *     w.sub_(w.grad().mul(lr));      // the manual gradient-descent step of the seeds
 * }
 * }</pre>
 */
public final class InPlace {
    private InPlace() {
    }

    /**
     * Applies {@code op} (an out-of-place computation from the tensor's current value) in place.
     *
     * @param name   the in-place op's name, for errors and for the version counter's record
     * @param self   the tensor written to
     * @param others the other operands (to decide whether the op is recorded)
     */
    public static Tensor apply(String name, Tensor self, Tensor[] others, UnaryOperator<Tensor> op) {
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || anyRequiresGrad(others));
        if (GradMode.isEnabled() && self.isLeaf() && self.requiresGrad()) {
            throw new AutogradException(name + "(): a leaf tensor that requires grad (shape "
                    + Arrays.toString(self.shape()) + ") is being used in an in-place operation. Updates of parameters "
                    + "belong inside a noGrad() scope (try (var g = Ember.noGrad()) { w.sub_(...); }); otherwise use the "
                    + "out-of-place op or clone() the tensor first.");
        }
        if (record && Internal.viewBase(self) != null) {
            throw new AutogradException(name + "(): in-place writes through a view (shape " + Arrays.toString(self.shape())
                    + ") are not recorded by autograd yet; write to the base tensor, or clone() the view and modify "
                    + "the copy");
        }
        checkNoOverlap(name, self);
        // forward mode lives in helpers of its own: this method stays small enough to be inlined (HotSpot's 325
        // bytecodes), so an in-place op without a dual level costs what it did before
        boolean forward = ForwardAD.isActive() && Jvp.on();
        Tensor result = forward ? computeWithTangent(self, others, op, record) : compute(self, op, record);
        checkResult(name, self, result);
        if (forward) {
            Jvp.inPlace(name, self, result);
        }
        write(name, self.impl(), result.impl());
        if (record) {
            Internal.rebase(self, result);
        }
        return self;
    }

    /** The new value, out of place: from a snapshot of self that takes its place in the graph when recorded. */
    private static Tensor compute(Tensor self, UnaryOperator<Tensor> op, boolean record) {
        if (record) {
            return op.apply(Internal.snapshot(self, Kernels.contiguousCopy(self.impl(), self.dtype())));
        }
        try (var noGrad = Ember.noGrad()) {
            return op.apply(self);
        }
    }

    /**
     * The new value and its tangent: the op reads a snapshot (recorded) or an alias of self that carries self's
     * tangent (a copy of it when the tangent formulas may save it for backward). Unrecorded, nothing here requires
     * grad, so nothing of the primal is recorded; the tangent formulas are, when grad mode is on and a tangent
     * requires grad (forward-over-reverse).
     */
    private static Tensor computeWithTangent(Tensor self, Tensor[] others, UnaryOperator<Tensor> op, boolean record) {
        Tensor input = record ? Internal.snapshot(self, Kernels.contiguousCopy(self.impl(), self.dtype()))
                : Internal.wrap(self.impl().alias());
        Jvp.carry(self, input, others, record);
        return op.apply(input);
    }

    private static void checkResult(String name, Tensor self, Tensor result) {
        if (!Arrays.equals(result.impl().shape(), self.impl().shape())) {
            throw new ShapeException(name + "(): the output has shape " + Arrays.toString(self.shape())
                    + " but the operands broadcast to " + Arrays.toString(result.shape())
                    + ": an in-place op cannot change its tensor's shape; use the out-of-place op");
        }
        Conversions.requireCastable(name, result.dtype(), self.dtype());
    }

    /** copy_: src broadcast to self's shape and cast to its dtype, written into self; recorded when it must be. */
    public static Tensor copy(Tensor self, Tensor src) {
        return apply("copy_", self, new Tensor[] {src},
                s -> s.requiresGrad() || src.requiresGrad() ? s.mul(0.0).add(src.to(s.dtype())) : copied(s, src));
    }

    private static Tensor copied(Tensor s, Tensor src) {
        Tensor out = Internal.wrap(Kernels.contiguousCopy(src.impl().expand(s.impl().shape()), s.dtype()));
        return ForwardAD.isActive() ? Jvp.unary(out, src, t -> t) : out;
    }

    /** Writes values into dst's storage and records the write on its version counter. */
    private static void write(String name, TensorData dst, TensorData values) {
        Kernels.copyInto(dst, values);
        dst.storage().bumpVersion(name, dev.ember.autograd.AnomalyMode.siteIfEnabled());
    }

    private static boolean anyRequiresGrad(Tensor[] ts) {
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** An expanded tensor has several elements on one memory location; writing to it is ambiguous. */
    private static void checkNoOverlap(String name, Tensor self) {
        int[] shape = self.impl().shape();
        int[] st = self.impl().strides();
        for (int i = 0; i < shape.length; i++) {
            if (st[i] == 0 && shape[i] > 1) {
                throw new ShapeException(name + "(): more than one element of the written-to tensor (shape "
                        + Arrays.toString(self.shape()) + ", an expanded view) refers to a single memory location; "
                        + "clone() it before writing in place");
            }
        }
    }
}
