package dev.ember.ops;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradMode;
import dev.ember.kernels.Kernels;

import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The ops' forward-mode plumbing. An op calls one of these after its forward, only when
 * {@link ForwardAD#isActive()} (so a program without a dual level pays one static read per op), passing its JVP
 * rule, which sits beside the op's backward formula in its node class:
 *
 * <pre>{@code
 * return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> MulBackward.jvp(a, b, ta, tb)) : out;
 * }</pre>
 *
 * <p>The helper reads the inputs' live tangents (null where an input has none); if any exists it runs the rule
 * (Tensor ops, inside {@link ForwardAD#suspend()} so that the rule is not itself differentiated forward; recorded
 * for reverse mode as usual), brings the result to the output's shape and dtype (a rule may return a tangent that
 * broadcasts to it), makes sure it does not share memory with an input's tangent (a later in-place update of one
 * must not change the other), and stores it on the output. Rules receive null for inputs without a tangent.
 */
final class Jvp {
    private Jvp() {
    }

    /** Tangent of an op with one differentiable input. */
    static Tensor unary(Tensor out, Tensor a, UnaryOperator<Tensor> rule) {
        if (ForwardAD.isSuspended() || !out.dtype().isFloatingPoint()) {
            return out;
        }
        Tensor ta = ForwardAD.tangentOf(a);
        if (ta == null) {
            return out;
        }
        try (var s = ForwardAD.suspend()) {
            store(out, rule.apply(ta), ta, null);
        }
        return out;
    }

    /** Tangent of an op with two differentiable inputs (the rule gets null for an input without a tangent). */
    static Tensor binary(Tensor out, Tensor a, Tensor b, BinaryOperator<Tensor> rule) {
        if (ForwardAD.isSuspended() || !out.dtype().isFloatingPoint()) {
            return out;
        }
        Tensor ta = ForwardAD.tangentOf(a);
        Tensor tb = ForwardAD.tangentOf(b);
        if (ta == null && tb == null) {
            return out;
        }
        try (var s = ForwardAD.suspend()) {
            store(out, rule.apply(ta, tb), ta, tb);
        }
        return out;
    }

    /** Tangent of an op with any number of differentiable inputs (cat, stack). */
    static Tensor nary(Tensor out, Tensor[] in, Function<Tensor[], Tensor> rule) {
        if (ForwardAD.isSuspended() || !out.dtype().isFloatingPoint()) {
            return out;
        }
        Tensor[] t = new Tensor[in.length];
        boolean any = false;
        for (int i = 0; i < in.length; i++) {
            t[i] = ForwardAD.tangentOf(in[i]);
            any |= t[i] != null;
        }
        if (!any) {
            return out;
        }
        try (var s = ForwardAD.suspend()) {
            Tensor r = conform(out, rule.apply(t));
            for (Tensor x : t) {
                if (x != null && x.impl().storage() == r.impl().storage()) {
                    r = r.clone();
                    break;
                }
            }
            ForwardAD.storeTangent(out, r);
        }
        return out;
    }

    /**
     * Tangent of a view op: the same view of the input's tangent, kept as a view (so an in-place update of the
     * base's tangent shows through it). A view of a tensor marked as having no tangent (unpackDual's primal) is
     * marked the same way.
     */
    static Tensor view(Tensor out, Tensor a, UnaryOperator<Tensor> rule) {
        if (ForwardAD.isSuspended() || !out.dtype().isFloatingPoint()) {
            return out;
        }
        Tensor ta = ForwardAD.tangentOf(a);
        if (ta == null) {
            if (ForwardAD.isMarkedNoTangent(a)) {
                ForwardAD.markNoTangent(out);
            }
            return out;
        }
        try (var s = ForwardAD.suspend()) {
            ForwardAD.storeTangentAsIs(out, rule.apply(ta));
        }
        return out;
    }

    // ---- in-place ops ------------------------------------------------------------------------------------------

    /** True when an in-place op must handle tangents: a level is open and this thread is not suspended. */
    static boolean on() {
        return ForwardAD.isActive() && !ForwardAD.isSuspended();
    }

    /**
     * Gives the tensor an in-place op computes from (a snapshot or an alias of self) self's tangent: a copy of it
     * when the tangent formulas may be recorded (grad mode on and something requires grad), since a recorded
     * formula may save the tangent for backward and the tangent is then overwritten in place.
     */
    static void carry(Tensor self, Tensor input, Tensor[] others, boolean recorded) {
        Tensor t = ForwardAD.tangentOf(self);
        if (t == null) {
            return;
        }
        boolean mayRecord = GradMode.isEnabled() && (recorded || t.requiresGrad() || tangentRequiresGrad(others));
        try (var s = ForwardAD.suspend()) {
            ForwardAD.storeTangentAsIs(input, mayRecord ? t.clone() : t);
        }
    }

    private static boolean tangentRequiresGrad(Tensor[] ts) {
        for (Tensor x : ts) {
            Tensor t = x == null ? null : ForwardAD.tangentOf(x);
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * After an in-place op computed result (out of place, with its tangent) and before its values are written into
     * self: writes result's tangent into self's tangent in place (so views of self see it), zeroes self's tangent
     * if result has none (the new value does not depend on any dual input), or gives self a tangent (for a view:
     * the matching part of a new zero tangent of its base) if it had none. The write is recorded (copy_) when
     * grad mode is on and a tangent involved requires grad.
     */
    static void inPlace(String name, Tensor self, Tensor result) {
        if (!self.dtype().isFloatingPoint()) {
            return;
        }
        Tensor rt = ForwardAD.tangentOf(result);
        Tensor st = ForwardAD.tangentOf(self);
        if (rt == null && st == null) {
            return;
        }
        try (var s = ForwardAD.suspend()) {
            if (st == null) {
                st = ForwardAD.tangentForWrite(self);
            }
            boolean record = GradMode.isEnabled() && (st.requiresGrad() || (rt != null && rt.requiresGrad()));
            if (record) {
                if (rt == null) {
                    st.zero_();
                } else {
                    st.copy_(rt);
                }
            } else {
                if (rt == null) {
                    Kernels.fill(st.impl(), 0.0);
                } else {
                    Kernels.copyInto(st.impl(), rt.impl());
                }
                st.impl().storage().bumpVersion(name + " (tangent)");
            }
        }
    }

    // ---- helpers for the rules -----------------------------------------------------------------------------------

    /** x + y where either may be null (a missing tangent is zero); null if both are. */
    static Tensor plus(Tensor x, Tensor y) {
        return x == null ? y : y == null ? x : x.add(y);
    }

    /** x - y where either may be null. */
    static Tensor minus(Tensor x, Tensor y) {
        return y == null ? x : x == null ? y.neg() : x.sub(y);
    }

    /** t, or zeros of like's shape and the given dtype when t is null. */
    static Tensor orZeros(Tensor t, Tensor like, DType dtype) {
        return t != null ? t : Ember.zeros(dtype, like.impl().shape());
    }

    private static void store(Tensor out, Tensor t, Tensor ta, Tensor tb) {
        Tensor r = conform(out, t);
        if ((ta != null && ta.impl().storage() == r.impl().storage())
                || (tb != null && tb.impl().storage() == r.impl().storage())) {
            r = r.clone();
        }
        ForwardAD.storeTangent(out, r);
    }

    /** The tangent broadcast to out's shape and cast to out's dtype. */
    private static Tensor conform(Tensor out, Tensor t) {
        Tensor r = t;
        if (!Arrays.equals(r.impl().shape(), out.impl().shape())) {
            r = r.expand(out.impl().shape());
        }
        if (r.dtype() != out.dtype()) {
            r = r.to(out.dtype());
        }
        return r;
    }
}
