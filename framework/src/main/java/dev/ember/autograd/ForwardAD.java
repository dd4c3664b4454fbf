package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Storage;
import dev.ember.kernels.TensorData;
import dev.ember.ops.Views;

import java.util.Arrays;

/**
 * Forward-mode automatic differentiation (PyTorch 1.13's {@code torch.autograd.forward_ad}): inside a
 * {@link DualLevel}, a dual tensor carries a tangent v beside its values x, and every op computes the tangent of its
 * result, J v (a Jacobian-vector product), as it runs. One pass gives the derivative of every output along one
 * input direction, where reverse mode would need one backward per output.
 *
 * <pre>{@code
 * try (DualLevel level = ForwardAD.dualLevel()) {
 *     Tensor x = ForwardAD.makeDual(Ember.scalar(1.0), Ember.scalar(1.0));   // x = 1, dx = 1
 *     Tensor y = x.pow(2);
 *     Dual d = ForwardAD.unpackDual(y);
 *     System.out.println(d.primal());    // tensor(1.)
 *     System.out.println(d.tangent());   // tensor(2.): dy = 2x dx
 * }
 * }</pre>
 *
 * <h2>Rules (PyTorch 1.13's, with clearer errors)</h2>
 * <ul>
 *   <li>One level at a time: opening a second one fails ("nested forward mode AD is not supported").</li>
 *   <li>A tangent has exactly its primal's shape and dtype, and only floating-point tensors have tangents. PyTorch
 *       accepts a float64 tangent for a float32 primal; Ember refuses it with a message, since the tangent's dtype
 *       would silently leak into every result.</li>
 *   <li>Tangents live only while their level is open. After it closes, the level object's {@code makeDual} and
 *       {@code unpackDual} fail with a message; tensors made in it remain ordinary tensors (their values are
 *       valid): ops ignore their dead tangents and {@link #unpackDual} reports none, as in PyTorch.</li>
 *   <li>Forward mode is independent of grad mode: {@code noGrad} does not stop tangents (as in PyTorch). Tangent
 *       formulas are Tensor ops, recorded when grad mode is on and a tangent or primal requires grad, so a JVP can
 *       itself be differentiated in reverse mode, and a backward pass run on dual tensors carries tangents
 *       (forward-over-reverse: Hessian-vector products).</li>
 *   <li>Views of dual tensors carry views of their tangents; in-place ops update the tangent in place (a view
 *       written in place with a dual value gives its base a tangent, zero elsewhere), as in PyTorch.</li>
 * </ul>
 *
 * <p>Cost when no level is open: each op reads one static field ({@link #isActive()}) and does nothing else.
 * The open level is global (as in PyTorch), not per thread.
 */
public final class ForwardAD {
    /** The open level, or null: the count of open levels (0 or 1), read by every op, so a single volatile field. */
    private static volatile DualLevel current;
    private static long nextIndex;
    /** Per thread: how many {@link #suspend()} scopes are open (tangent formulas run inside one). */
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);
    private static final Suspension NOTHING_TO_SUSPEND = new Suspension(null);
    /**
     * Stored in a tensor's tangent slot to say "explicitly no tangent at this level" (the primal returned by
     * unpackDual, and its views), so that it does not pick up its base's tangent.
     */
    private static final Tensor NONE = Ember.scalar(0.0);

    private ForwardAD() {
    }

    // ---- levels ------------------------------------------------------------------------------------------------

    /** Opens a dual level; close it (try-with-resources) to end it. Fails if one is already open. */
    public static DualLevel dualLevel() {
        synchronized (ForwardAD.class) {
            DualLevel open = current;
            if (open != null) {
                throw new AutogradException("dualLevel(): nested forward mode AD is not supported at the moment, and "
                        + open + " is still open. Compute what you need inside that level, or close it first (a "
                        + "try-with-resources block closes it at its end); one dual level at a time, as in "
                        + "PyTorch 1.13");
            }
            DualLevel level = new DualLevel(nextIndex++);
            current = level;
            return level;
        }
    }

    static void closeLevel(DualLevel level) {
        synchronized (ForwardAD.class) {
            if (current == level) {
                current = null;
            }
        }
    }

    /** True while a dual level is open: the ops' check, one volatile read, before any forward-mode work. */
    public static boolean isActive() {
        return current != null;
    }

    /** The open level, or null. */
    public static DualLevel currentLevel() {
        return current;
    }

    // ---- making and unpacking dual tensors ---------------------------------------------------------------------

    /**
     * A dual tensor at the open level: a view of primal (sharing its storage and version counter, and recorded
     * as a view when primal requires grad) that carries tangent. The tangent must have primal's shape and dtype;
     * it is kept as given (so {@code unpackDual(dual).tangent()} returns it) unless its memory layout differs from
     * the primal's or it shares the primal's storage, in which case a copy is kept.
     *
     * @throws AutogradException no level is open, or primal or tangent already carries a tangent at this level
     * @throws DTypeException    primal or tangent is not floating point, or their dtypes differ
     * @throws ShapeException    their shapes differ
     */
    public static Tensor makeDual(Tensor primal, Tensor tangent) {
        DualLevel level = current;
        if (level == null) {
            throw new AutogradException("makeDual: no dual level is open, so the tangent would have nowhere to live. "
                    + "Open one first: try (DualLevel level = ForwardAD.dualLevel()) { Tensor x = "
                    + "ForwardAD.makeDual(primal, tangent); ... }");
        }
        return makeDualAt(level, primal, tangent);
    }

    static Tensor makeDualAt(DualLevel level, Tensor primal, Tensor tangent) {
        if (primal == null || tangent == null) {
            throw new AutogradException("makeDual: the " + (primal == null ? "primal" : "tangent") + " is null; pass "
                    + "two tensors of the same shape and dtype");
        }
        if (!primal.dtype().isFloatingPoint()) {
            throw new DTypeException("makeDual: the primal must be floating point, but it is " + primal.dtype()
                    + " (shape " + Arrays.toString(primal.shape()) + "); only floating-point tensors have tangents. "
                    + "Convert it first with .to(DType.FLOAT32)");
        }
        if (!tangent.dtype().isFloatingPoint()) {
            throw new DTypeException("makeDual: the tangent must be floating point, but it is " + tangent.dtype()
                    + " (shape " + Arrays.toString(tangent.shape()) + "); convert it with .to(" + primal.dtype().name()
                    + ")");
        }
        if (tangent.dtype() != primal.dtype()) {
            throw new DTypeException("makeDual: the tangent is " + tangent.dtype() + " but the primal is "
                    + primal.dtype() + " (shape " + Arrays.toString(primal.shape()) + "): a tangent must have its "
                    + "primal's dtype; convert it with tangent.to(DType." + primal.dtype().name() + ")");
        }
        if (!Arrays.equals(tangent.impl().shape(), primal.impl().shape())) {
            throw new ShapeException("makeDual: the tangent has shape " + Arrays.toString(tangent.shape())
                    + " but the primal has shape " + Arrays.toString(primal.shape()) + ": a tangent must have exactly "
                    + "its primal's shape (it is not broadcast); build one of shape "
                    + Arrays.toString(primal.shape()) + ", e.g. with tangent.expand(...).clone()");
        }
        if (tangentAt(level, primal) != null) {
            throw new AutogradException("makeDual: the primal (shape " + Arrays.toString(primal.shape()) + ") "
                    + "already carries a tangent at " + level + "; making a dual tensor from a dual tensor is not "
                    + "supported. Take its primal first: ForwardAD.unpackDual(t).primal()");
        }
        if (tangentAt(level, tangent) != null) {
            throw new AutogradException("makeDual: the tangent (shape " + Arrays.toString(tangent.shape()) + ") itself "
                    + "carries a tangent at " + level + ", which is not supported (one level, no tangents of "
                    + "tangents). Pass ForwardAD.unpackDual(tangent).primal() instead");
        }
        Tensor dual;
        try (Suspension s = suspend()) {
            dual = Views.alias(primal, "ViewBackward");
        }
        Tensor t = tangent.impl().storage() == primal.impl().storage() ? copyOf(tangent) : tangent;
        store(level, dual, t);
        return dual;
    }

    /**
     * The primal and the tangent of t at the open level. Without a tangent (or with no level open) the primal is
     * t itself and the tangent null; with one, the primal is a view of t that carries no tangent.
     */
    public static Dual unpackDual(Tensor t) {
        DualLevel level = current;
        return level == null ? new Dual(t, null) : unpackDualAt(level, t);
    }

    static Dual unpackDualAt(DualLevel level, Tensor t) {
        Tensor tangent = tangentAt(level, t);
        if (tangent == null) {
            return new Dual(t, null);
        }
        Tensor primal;
        try (Suspension s = suspend()) {
            primal = Views.alias(t, "AliasBackward");
        }
        Internal.setRawTangent(primal, NONE, level);
        return new Dual(primal, tangent);
    }

    // ---- reading and setting tangents (ops and custom Functions) ---------------------------------------------

    /**
     * t's tangent at the open level, or null (no level open, no tangent, or a tangent of a closed level). A view
     * without a tangent of its own whose base got one by an in-place op gets the matching view of the base's
     * tangent. For custom Functions' forward-mode rules, and for the ops.
     */
    public static Tensor tangentOf(Tensor t) {
        DualLevel level = current;
        return level == null || t == null ? null : tangentAt(level, t);
    }

    private static Tensor tangentAt(DualLevel level, Tensor t) {
        Object at = Internal.rawTangentLevel(t);
        if (at == level) {
            Tensor v = Internal.rawTangent(t);
            return v == NONE ? null : v;
        }
        if (at != null) {
            Internal.setRawTangent(t, null, null);   // a closed level's tangent: dead, let it go
        }
        Tensor base = Internal.viewBase(t);
        if (base == null || Internal.rawTangentLevel(base) != level) {
            return null;
        }
        Tensor baseTangent = Internal.rawTangent(base);
        if (baseTangent == NONE || !sameMeta(base, baseTangent)) {
            return null;
        }
        Tensor v = viewLike(t, baseTangent);
        Internal.setRawTangent(t, v, level);
        return v;
    }

    /**
     * Sets out's tangent at the open level (null: out has none), for custom Functions: the tangent must have
     * out's shape and dtype. The tangent is kept as given unless its layout differs from out's or it shares out's
     * storage (then a copy is kept).
     */
    public static void setTangent(Tensor out, Tensor tangent) {
        DualLevel level = current;
        if (level == null) {
            throw new AutogradException("setTangent: no dual level is open; tangents exist only inside "
                    + "try (DualLevel level = ForwardAD.dualLevel()) { ... }");
        }
        if (tangent == null) {
            Internal.setRawTangent(out, NONE, level);
            return;
        }
        if (!out.dtype().isFloatingPoint()) {
            throw new DTypeException("setTangent: the tensor is " + out.dtype() + " (shape "
                    + Arrays.toString(out.shape()) + "); only floating-point tensors have tangents");
        }
        if (tangent.dtype() != out.dtype()) {
            throw new DTypeException("setTangent: the tangent is " + tangent.dtype() + " but the tensor is "
                    + out.dtype() + " (shape " + Arrays.toString(out.shape()) + "): they must have the same dtype; "
                    + "convert it with tangent.to(DType." + out.dtype().name() + ")");
        }
        if (!Arrays.equals(tangent.impl().shape(), out.impl().shape())) {
            throw new ShapeException("setTangent: the tangent has shape " + Arrays.toString(tangent.shape())
                    + " but the tensor has shape " + Arrays.toString(out.shape()) + ": they must be equal");
        }
        if (tangentAt(level, tangent) != null) {
            throw new AutogradException("setTangent: the tangent (shape " + Arrays.toString(tangent.shape()) + ") "
                    + "itself carries a tangent at " + level + "; pass ForwardAD.unpackDual(tangent).primal()");
        }
        store(level, out, tangent.impl().storage() == out.impl().storage() ? copyOf(tangent) : tangent);
    }

    /**
     * Framework-internal (the ops): stores an op result's tangent, which already has t's shape and dtype. A tangent
     * whose layout differs from t's (strides; for tensors that are not views also offset and storage size) is
     * copied into one that matches, so that views of t and views of its tangent line up.
     */
    public static void storeTangent(Tensor t, Tensor tangent) {
        DualLevel level = current;
        if (level != null) {
            store(level, t, tangent);
        }
    }

    /** Framework-internal (the ops): stores a tangent as it is (a view op's result gets the view of a tangent). */
    public static void storeTangentAsIs(Tensor t, Tensor tangent) {
        DualLevel level = current;
        if (level != null) {
            Internal.setRawTangent(t, tangent, level);
        }
    }

    /** Framework-internal: marks t as explicitly without a tangent at the open level (see unpackDual). */
    public static void markNoTangent(Tensor t) {
        DualLevel level = current;
        if (level != null) {
            Internal.setRawTangent(t, NONE, level);
        }
    }

    /** Framework-internal: true if t was marked as explicitly without a tangent at the open level. */
    public static boolean isMarkedNoTangent(Tensor t) {
        DualLevel level = current;
        return level != null && Internal.rawTangentLevel(t) == level && Internal.rawTangent(t) == NONE;
    }

    /**
     * Framework-internal (in-place ops): t's tangent at the open level, created as zeros when it has none. For a
     * view, the new tangent is the matching view of its base's tangent (created as zeros for the whole base if the
     * base has none), so that writing into it gives the base a tangent too, as in PyTorch.
     */
    public static Tensor tangentForWrite(Tensor t) {
        DualLevel level = current;
        if (level == null) {
            throw new IllegalStateException("tangentForWrite without an open dual level");
        }
        Tensor existing = tangentAt(level, t);
        if (existing != null) {
            return existing;
        }
        Tensor base = Internal.viewBase(t);
        if (base != null && !isMarkedNoTangent(t)) {
            Tensor baseTangent = tangentAt(level, base);
            if (baseTangent == null) {
                baseTangent = Internal.wrap(emptyWithMeta(base, true));
                Internal.setRawTangent(base, baseTangent, level);
            }
            if (sameMeta(base, baseTangent)) {
                Tensor v = viewLike(t, baseTangent);
                Internal.setRawTangent(t, v, level);
                return v;
            }
        }
        Tensor fresh = Internal.wrap(emptyWithMeta(t, base == null));
        Internal.setRawTangent(t, fresh, level);
        return fresh;
    }

    // ---- suspension (tangent formulas, custom Functions' forward) ---------------------------------------------

    /**
     * A scope in which ops on this thread compute no tangents (PyTorch's {@code AutoFwGradMode(false)}): tangent
     * formulas run inside one so that they do not differentiate themselves, and a custom Function's forward should
     * run inside one too. Costs nothing when no level is open. Scopes nest.
     *
     * <pre>{@code
     * try (ForwardAD.Suspension s = ForwardAD.suspend()) {
     *     out = computeWithoutTangents(inputs);
     * }
     * }</pre>
     */
    public static Suspension suspend() {
        if (current == null) {
            return NOTHING_TO_SUSPEND;
        }
        int[] cell = SUSPENDED.get();
        cell[0]++;
        return new Suspension(cell);
    }

    /** True inside a {@link #suspend()} scope on this thread (ops then compute no tangents). */
    public static boolean isSuspended() {
        return SUSPENDED.get()[0] > 0;
    }

    /** The end of a {@link #suspend()} scope. */
    public static final class Suspension implements AutoCloseable {
        private final int[] cell;
        private boolean closed;

        private Suspension(int[] cell) {
            this.cell = cell;
        }

        @Override
        public void close() {
            if (cell != null && !closed) {
                closed = true;
                cell[0]--;
            }
        }
    }

    // ---- layout ------------------------------------------------------------------------------------------------

    private static void store(DualLevel level, Tensor t, Tensor tangent) {
        Tensor v = tangent;
        boolean root = Internal.viewBase(t) == null;
        if (!sameStrides(t.impl(), tangent.impl()) || (root && !sameMeta(t, tangent))) {
            TensorData laid = emptyWithMeta(t, root);
            v = Internal.wrap(laid);
            copyInto(v, tangent);
        }
        Internal.setRawTangent(t, v, level);
    }

    /** A copy of t (recorded when grad mode is on and t requires grad, so JVPs stay differentiable). */
    private static Tensor copyOf(Tensor t) {
        try (Suspension s = suspend()) {
            return t.clone();
        }
    }

    /** dst = src, recorded (through copy_) when src requires grad and grad mode is on; else a plain copy. */
    private static void copyInto(Tensor dst, Tensor src) {
        if (GradMode.isEnabled() && src.requiresGrad()) {
            try (Suspension s = suspend()) {
                dst.copy_(src);
            }
        } else {
            Kernels.copyInto(dst.impl(), src.impl());
        }
    }

    /** Same strides in every dimension of size above one (the others' strides do not matter). */
    private static boolean sameStrides(TensorData a, TensorData b) {
        int[] s = a.shape();
        int[] x = a.strides();
        int[] y = b.strides();
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 1 && x[i] != y[i]) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch's has_same_meta: shape, strides, offset and storage size equal (so views of one map onto the other). */
    private static boolean sameMeta(Tensor a, Tensor b) {
        TensorData x = a.impl();
        TensorData y = b.impl();
        return Arrays.equals(x.shape(), y.shape()) && sameStrides(x, y) && x.offset() == y.offset()
                && x.storage().length() == y.storage().length() && noOverlap(x);
    }

    private static boolean noOverlap(TensorData d) {
        int[] s = d.shape();
        int[] st = d.strides();
        for (int i = 0; i < s.length; i++) {
            if (st[i] == 0 && s[i] > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zeros laid out like t: for a tensor that is not a view (root), the same offset, strides and storage size
     * (PyTorch's new_zeros_with_same_meta); for a view, the same strides over a storage just large enough. An
     * expanded t (a stride 0) gets a contiguous layout.
     */
    private static TensorData emptyWithMeta(Tensor t, boolean root) {
        TensorData d = t.impl();
        if (!noOverlap(d)) {
            return Kernels.empty(d.dtype(), d.shape());
        }
        if (root) {
            return new TensorData(Storage.allocate(d.dtype(), d.storage().length()), d.offset(), d.shape(),
                    d.strides());
        }
        long span = d.numel() == 0 ? 0 : 1;
        for (int i = 0; i < d.dim(); i++) {
            span += (long) (d.size(i) - 1) * d.strides()[i];
        }
        return new TensorData(Storage.allocate(d.dtype(), (int) Math.max(span, 0)), 0, d.shape(), d.strides());
    }

    /** The view of baseTangent (laid out like t's base) at t's position: PyTorch's as_strided on the base grad. */
    private static Tensor viewLike(Tensor t, Tensor baseTangent) {
        TensorData d = t.impl();
        return Internal.view(new TensorData(baseTangent.impl().storage(), d.offset(), d.shape(), d.strides()),
                baseTangent);
    }
}
