package dev.ember.ops;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.AnomalyMode;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradMode;
import dev.ember.kernels.InPlaceKernels;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * In-place ops ({@code add_}, {@code mul_}, {@code addcmul_}, {@code zero_}, {@code copy_}, ...). Each write bumps
 * the version counter that saved tensors are checked against. Two paths give the same values:
 * <ul>
 *   <li>The direct path ({@link #update}): when nothing is recorded (grad mode is off, or no operand requires grad),
 *   no dual level is open and the operands share the tensor's floating dtype, a kernel
 *   ({@link InPlaceKernels}) computes the new values straight into the tensor's storage, whatever its strides;
 *   no tensor is allocated.</li>
 *   <li>The general path ({@link #apply}): the out-of-place formula computes the new value, which is then written
 *   into the storage. When the op must be recorded, the tensor's history is rebased onto the new node, as in
 *   PyTorch. In forward mode the formula also computes the new tangent, which is then written into the tensor's
 *   tangent in place (see {@link Jvp#inPlace}), so views of the tensor see it too.</li>
 * </ul>
 * As in PyTorch, a tensor with several elements on one memory location (an expanded view) cannot be written to, and
 * an operand that partly overlaps the written-to tensor (a shifted or transposed view of it) is refused.
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
     * An update that has a kernel writing into self's storage: {@code self = op(self, x, y, s, s2)} (x, y null when
     * op reads fewer tensors). The kernel runs when nothing must be recorded, no dual level is open, and x and y
     * have self's floating dtype and broadcast to its shape; otherwise {@code formula} (the same update, out of
     * place, from the tensor's current value) takes the general path of {@link #apply}.
     */
    public static Tensor update(String name, Tensor self, InPlaceKernels.Op op, Tensor x, Tensor y, double s,
                                double s2, UnaryOperator<Tensor> formula) {
        TensorData d = self.impl();
        boolean record = GradMode.isEnabled()
                && (self.requiresGrad() || (x != null && x.requiresGrad()) || (y != null && y.requiresGrad()));
        if (!record && !ForwardAD.isActive() && direct(d, x) && direct(d, y)) {
            checkNoInternalOverlap(name, self);
            // the same storage in layouts too irregular to compare, and dtypes the kernels do not cover, take the
            // general path
            if (overlap(name, self, x) != InPlaceKernels.Overlap.UNKNOWN
                    && overlap(name, self, y) != InPlaceKernels.Overlap.UNKNOWN
                    && InPlaceKernels.apply(op, d, x == null ? null : x.impl(), y == null ? null : y.impl(), s, s2)) {
                d.storage().bumpVersion(name, AnomalyMode.siteIfEnabled());
                return self;
            }
        }
        return apply(name, self, x == null ? new Tensor[0] : y == null ? new Tensor[] {x} : new Tensor[] {x, y},
                formula);
    }

    /** True when operand t (or no operand) can be read by a kernel writing into d: same dtype, broadcastable. */
    private static boolean direct(TensorData d, Tensor t) {
        return t == null || (t.dtype() == d.dtype() && Shapes.expandable(t.impl().shape(), d.shape()));
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
        checkOverlap(name, self, others);
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
        return update("copy_", self, InPlaceKernels.Op.COPY, src, null, 0, 0,
                s -> s.requiresGrad() || src.requiresGrad() ? s.mul(0.0).add(src.to(s.dtype())) : copied(s, src));
    }

    private static Tensor copied(Tensor s, Tensor src) {
        Tensor out = Internal.wrap(Kernels.contiguousCopy(src.impl().expand(s.impl().shape()), s.dtype()));
        return ForwardAD.isActive() ? Jvp.unary(out, src, t -> t) : out;
    }

    /** Writes values into dst's storage and records the write on its version counter. */
    private static void write(String name, TensorData dst, TensorData values) {
        Kernels.copyInto(dst, values);
        dst.storage().bumpVersion(name, AnomalyMode.siteIfEnabled());
    }

    private static boolean anyRequiresGrad(Tensor[] ts) {
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** PyTorch's memory-overlap checks: the written-to tensor against itself and against each operand. */
    private static void checkOverlap(String name, Tensor self, Tensor[] others) {
        checkNoInternalOverlap(name, self);
        for (Tensor t : others) {
            overlap(name, self, t);
        }
    }

    /** An expanded tensor has several elements on one memory location; writing to it is ambiguous. */
    private static void checkNoInternalOverlap(String name, Tensor self) {
        if (InPlaceKernels.hasInternalOverlap(self.impl())) {
            throw new ShapeException(name + "(): more than one element of the written-to tensor (shape "
                    + Arrays.toString(self.shape()) + ", an expanded view) refers to a single memory location; "
                    + "clone() it before writing in place");
        }
    }

    /** How operand t shares memory with self; a partial overlap (a shifted or transposed view of self) fails. */
    private static InPlaceKernels.Overlap overlap(String name, Tensor self, Tensor t) {
        if (t == null) {
            return InPlaceKernels.Overlap.NONE;
        }
        InPlaceKernels.Overlap o = InPlaceKernels.overlap(self.impl(), t.impl());
        if (o == InPlaceKernels.Overlap.PARTIAL) {
            throw new ShapeException(name + "(): some elements of an operand (shape " + Arrays.toString(t.shape())
                    + ") and of the written-to tensor (shape " + Arrays.toString(self.shape()) + ") refer to the same "
                    + "memory location in a different arrangement (a shifted or transposed view of the same data), so "
                    + "the result would depend on the order of the writes; clone() the operand first");
        }
        return o;
    }
}
