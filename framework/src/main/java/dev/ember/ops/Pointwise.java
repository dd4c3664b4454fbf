package dev.ember.ops;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;
import dev.ember.kernels.UnaryOp;

import java.util.Arrays;

/**
 * Pointwise ops: each forward (through the kernels) with its backward formula right beside it, written with
 * Tensor ops so that the backward can itself be differentiated, and its forward-mode rule (a static {@code jvp}
 * in the same node class, applied through {@link Jvp} only while a dual level is open). Broadcasting gradients are
 * summed back to each input's shape by the engine (see {@link Node}); tangents are broadcast to the output's shape
 * by {@link Jvp}.
 *
 * <pre>{@code
 * Tensor y = Pointwise.mul(w, x);     // what w.mul(x) calls
 * }</pre>
 */
public final class Pointwise {
    private Pointwise() {
    }

    // ---- binary arithmetic ------------------------------------------------------------------------------------

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b, DType type) {
        int[] shape = Promotion.broadcast(name, a, b);
        return Internal.wrap(Kernels.binary(op, a.impl(), b.impl(), shape, type));
    }

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary("add", BinaryOp.ADD, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new AddBackward(a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, AddBackward::jvp) : out;
    }

    static final class AddBackward extends Node {
        AddBackward(Tensor a, Tensor b) {
            super(a, b);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0], g[0]};
        }

        static Tensor jvp(Tensor ta, Tensor tb) {
            return Jvp.plus(ta, tb);
        }
    }

    public static Tensor sub(Tensor a, Tensor b) {
        if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL) {
            throw new DTypeException("sub: subtracting two bool tensors (shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + ") is not supported; for masks use logicalAnd/logicalNot, or "
                    + "convert with .to(DType.INT64) first");
        }
        Tensor out = binary("sub", BinaryOp.SUB, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new SubBackward(a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, SubBackward::jvp) : out;
    }

    static final class SubBackward extends Node {
        SubBackward(Tensor a, Tensor b) {
            super(a, b);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0], needsInputGrad(1) ? g[0].neg() : null};
        }

        static Tensor jvp(Tensor ta, Tensor tb) {
            return Jvp.minus(ta, tb);
        }
    }

    /** other - a for a Java number other (PyTorch's rsub, as in {@code 1 - x}); recorded as RsubBackward. */
    public static Tensor rsub(Tensor a, double other) {
        Tensor s = Promotion.scalar(a, other, false);
        Tensor out = binary("rsub", BinaryOp.SUB, s, a, Promotion.resultType(s, a));
        if (Internal.recording(a)) {
            Internal.attach(out, new RsubBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, Tensor::neg) : out;
    }

    static final class RsubBackward extends Node {
        RsubBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].neg()};
        }
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary("mul", BinaryOp.MUL, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new MulBackward(a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> MulBackward.jvp(a, b, ta, tb)) : out;
    }

    static final class MulBackward extends Node {
        private final SavedTensor a;
        private final SavedTensor b;

        MulBackward(Tensor a, Tensor b) {
            super(a, b);
            this.a = needsInputGrad(1) ? save(a) : null;
            this.b = needsInputGrad(0) ? save(b) : null;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {
                needsInputGrad(0) ? g[0].mul(b.get()) : null,
                needsInputGrad(1) ? g[0].mul(a.get()) : null};
        }

        /** d(ab) = da b + a db. */
        static Tensor jvp(Tensor a, Tensor b, Tensor ta, Tensor tb) {
            return Jvp.plus(ta == null ? null : ta.mul(b), tb == null ? null : tb.mul(a));
        }
    }

    public static Tensor div(Tensor a, Tensor b) {
        DType t = Promotion.resultType(a, b);
        Tensor out = binary("div", BinaryOp.DIV, a, b, t.isFloatingPoint() ? t : DType.FLOAT32);
        if (Internal.recording(a, b)) {
            Internal.attach(out, new DivBackward(a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> DivBackward.jvp(b, out, ta, tb)) : out;
    }

    static final class DivBackward extends Node {
        private final SavedTensor a;
        private final SavedTensor b;

        DivBackward(Tensor a, Tensor b) {
            super(a, b);
            this.a = needsInputGrad(1) ? save(a) : null;
            this.b = save(b);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor bv = b.get();
            return new Tensor[] {
                needsInputGrad(0) ? g[0].div(bv) : null,
                needsInputGrad(1) ? g[0].neg().mul(a.get()).div(bv.mul(bv)) : null};
        }

        /** d(a/b) = (da - db a/b) / b, PyTorch's form (at b = 0 it gives PyTorch's infinities, not inf - inf). */
        static Tensor jvp(Tensor b, Tensor result, Tensor ta, Tensor tb) {
            return Jvp.minus(ta, tb == null ? null : tb.mul(result)).div(b);
        }
    }

    // ---- powers -----------------------------------------------------------------------------------------------

    public static Tensor pow(Tensor a, double exponent) {
        if (!a.dtype().isFloatingPoint() && exponent < 0 && exponent == Math.rint(exponent)) {
            throw new DTypeException("pow: the " + a.dtype() + " tensor (shape " + Arrays.toString(a.shape())
                    + ") cannot be raised to the negative integer power " + exponent + " (integers to negative integer "
                    + "powers are not allowed); convert it first with .to(DType.FLOAT32)");
        }
        Tensor e = Promotion.scalar(a, exponent, exponent == Math.rint(exponent));
        Tensor out = binary("pow", BinaryOp.POW, a, e, Promotion.resultType(a, e));
        if (Internal.recording(a)) {
            Internal.attach(out, new PowBackward(a, exponent), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> PowBackward.jvp(a, exponent, ta)) : out;
    }

    static final class PowBackward extends Node {
        private final SavedTensor x;
        private final double exponent;

        PowBackward(Tensor x, double exponent) {
            super(x);
            this.x = save(x);
            this.exponent = exponent;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            if (exponent == 0.0) {
                return new Tensor[] {Ember.zerosLike(g[0])};
            }
            return new Tensor[] {g[0].mul(x.get().pow(exponent - 1).mul(exponent))};
        }

        /** d(x^e) = e x^(e-1) dx (zero for e = 0). */
        static Tensor jvp(Tensor x, double exponent, Tensor ta) {
            return exponent == 0.0 ? Ember.zerosLike(ta) : ta.mul(x.pow(exponent - 1).mul(exponent));
        }
    }

    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binary("pow", BinaryOp.POW, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new PowTensorBackward(a, b, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> PowTensorBackward.jvp(a, b, out, ta, tb))
                : out;
    }

    static final class PowTensorBackward extends Node {
        private final SavedTensor a;
        private final SavedTensor b;
        private final SavedTensor result;

        PowTensorBackward(Tensor a, Tensor b, Tensor result) {
            super(a, b);
            this.a = save(a);
            this.b = save(b);
            this.result = needsInputGrad(1) ? save(result) : null;
        }

        @Override
        public String name() {
            return "PowBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor av = a.get();
            Tensor bv = b.get();
            return new Tensor[] {
                needsInputGrad(0) ? g[0].mul(baseDerivative(av, bv)) : null,
                needsInputGrad(1) ? g[0].mul(exponentDerivative(av, bv, result.get())) : null};
        }

        /** d/da a^b = b a^(b-1); zero where b == 0 (PyTorch's convention, also at a == 0). */
        static Tensor baseDerivative(Tensor a, Tensor b) {
            Tensor d = b.mul(a.pow(b.sub(1.0)));
            return Ember.where(b.eq(0.0), Ember.zerosLike(d), d);
        }

        /** d/db a^b = a^b log a; zero where a == 0 and b >= 0. */
        static Tensor exponentDerivative(Tensor a, Tensor b, Tensor result) {
            Tensor d = result.mul(a.log());
            Tensor mask = a.eq(0.0).logicalAnd(b.ge(0.0));
            return Ember.where(mask, Ember.zerosLike(d), d);
        }

        static Tensor jvp(Tensor a, Tensor b, Tensor result, Tensor ta, Tensor tb) {
            return Jvp.plus(ta == null ? null : ta.mul(baseDerivative(a, b)),
                    tb == null ? null : tb.mul(exponentDerivative(a, b, result)));
        }
    }

    // ---- unary functions --------------------------------------------------------------------------------------

    private static Tensor unary(UnaryOp op, Tensor a) {
        if (a.dtype() == DType.BOOL && (op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.RELU)) {
            String name = op.name().toLowerCase(java.util.Locale.ROOT);
            throw new DTypeException(name + ": not supported for a bool tensor (shape " + Arrays.toString(a.shape())
                    + ")" + (op == UnaryOp.NEG ? "; to invert a mask use logicalNot()" : "")
                    + "; convert it first with .to(DType.INT64) or .to(DType.FLOAT32) for numbers");
        }
        DType t = a.dtype().isFloatingPoint() || op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.RELU
                || op == UnaryOp.SIGN ? a.dtype() : DType.FLOAT32;
        return Internal.wrap(Kernels.unary(op, a.impl(), t));
    }

    public static Tensor neg(Tensor a) {
        Tensor out = unary(UnaryOp.NEG, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new NegBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, Tensor::neg) : out;
    }

    static final class NegBackward extends Node {
        NegBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].neg()};
        }
    }

    public static Tensor exp(Tensor a) {
        Tensor out = unary(UnaryOp.EXP, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new ExpBackward(a, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ExpBackward.jvp(out, ta)) : out;
    }

    static final class ExpBackward extends Node {
        private final SavedTensor result;

        ExpBackward(Tensor a, Tensor result) {
            super(a);
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(result.get())};
        }

        /** d(e^x) = e^x dx. */
        static Tensor jvp(Tensor result, Tensor ta) {
            return ta.mul(result);
        }
    }

    public static Tensor log(Tensor a) {
        Tensor out = unary(UnaryOp.LOG, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new LogBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> LogBackward.jvp(a, ta)) : out;
    }

    static final class LogBackward extends Node {
        private final SavedTensor x;

        LogBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].div(x.get())};
        }

        static Tensor jvp(Tensor x, Tensor ta) {
            return ta.div(x);
        }
    }

    public static Tensor sqrt(Tensor a) {
        Tensor out = unary(UnaryOp.SQRT, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new SqrtBackward(a, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> SqrtBackward.jvp(out, ta)) : out;
    }

    static final class SqrtBackward extends Node {
        private final SavedTensor result;

        SqrtBackward(Tensor a, Tensor result) {
            super(a);
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].div(result.get().mul(2.0))};
        }

        static Tensor jvp(Tensor result, Tensor ta) {
            return ta.div(result.mul(2.0));
        }
    }

    public static Tensor abs(Tensor a) {
        Tensor out = unary(UnaryOp.ABS, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new AbsBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> AbsBackward.jvp(a, ta)) : out;
    }

    static final class AbsBackward extends Node {
        private final SavedTensor x;

        AbsBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(x.get().sign())};
        }

        static Tensor jvp(Tensor x, Tensor ta) {
            return ta.mul(x.sign());
        }
    }

    /** sign(x): -1, 0 or 1 (not differentiable: its gradient is zero where defined, as in PyTorch). */
    public static Tensor sign(Tensor a) {
        Tensor out = unary(UnaryOp.SIGN, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new SignBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, Ember::zerosLike) : out;
    }

    static final class SignBackward extends Node {
        SignBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {Ember.zerosLike(g[0])};
        }
    }

    public static Tensor sin(Tensor a) {
        Tensor out = unary(UnaryOp.SIN, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new SinBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> SinBackward.jvp(a, ta)) : out;
    }

    static final class SinBackward extends Node {
        private final SavedTensor x;

        SinBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(x.get().cos())};
        }

        static Tensor jvp(Tensor x, Tensor ta) {
            return ta.mul(x.cos());
        }
    }

    public static Tensor cos(Tensor a) {
        Tensor out = unary(UnaryOp.COS, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new CosBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> CosBackward.jvp(a, ta)) : out;
    }

    static final class CosBackward extends Node {
        private final SavedTensor x;

        CosBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(x.get().sin()).neg()};
        }

        static Tensor jvp(Tensor x, Tensor ta) {
            return ta.mul(x.sin()).neg();
        }
    }

    public static Tensor tanh(Tensor a) {
        Tensor out = unary(UnaryOp.TANH, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new TanhBackward(a, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> TanhBackward.jvp(out, ta)) : out;
    }

    static final class TanhBackward extends Node {
        private final SavedTensor result;

        TanhBackward(Tensor a, Tensor result) {
            super(a);
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor y = result.get();
            return new Tensor[] {g[0].mul(y.mul(y).neg().add(1.0))};
        }

        static Tensor jvp(Tensor y, Tensor ta) {
            return ta.mul(y.mul(y).neg().add(1.0));
        }
    }

    public static Tensor sigmoid(Tensor a) {
        Tensor out = unary(UnaryOp.SIGMOID, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new SigmoidBackward(a, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> SigmoidBackward.jvp(out, ta)) : out;
    }

    static final class SigmoidBackward extends Node {
        private final SavedTensor result;

        SigmoidBackward(Tensor a, Tensor result) {
            super(a);
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor y = result.get();
            return new Tensor[] {g[0].mul(y.mul(y.neg().add(1.0)))};
        }

        static Tensor jvp(Tensor y, Tensor ta) {
            return ta.mul(y.mul(y.neg().add(1.0)));
        }
    }

    public static Tensor relu(Tensor a) {
        Tensor out = unary(UnaryOp.RELU, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new ReluBackward(a, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ReluBackward.jvp(out, ta)) : out;
    }

    static final class ReluBackward extends Node {
        private final SavedTensor result;

        ReluBackward(Tensor a, Tensor result) {
            super(a);
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(positive(result.get()))};
        }

        /** 1 where the result is positive (or NaN), else 0: PyTorch's threshold_backward mask. */
        static Tensor positive(Tensor y) {
            return Internal.wrap(Kernels.unary(UnaryOp.POSITIVE, y.impl(), y.dtype()));
        }

        static Tensor jvp(Tensor y, Tensor ta) {
            return ta.mul(positive(y));
        }
    }

    /** Clamps into [min, max]; a NaN bound means no bound on that side. */
    public static Tensor clamp(Tensor a, double min, double max) {
        // an integer tensor clamped to a fractional bound becomes float32 (a Python float promotes it in PyTorch)
        DType t = a.dtype().isFloatingPoint() ? a.dtype()
                : fractional(min) || fractional(max) ? DType.FLOAT32
                : a.dtype() == DType.BOOL && (!Double.isNaN(min) || !Double.isNaN(max)) ? DType.INT64 : a.dtype();
        Tensor src = t == a.dtype() ? a : a.to(t);
        Tensor out = Internal.wrap(Kernels.clamp(src.impl(), min, max));
        if (Internal.recording(a)) {
            Internal.attach(out, new ClampBackward(a, min, max), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ClampBackward.jvp(a, min, max, ta)) : out;
    }

    private static boolean fractional(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && v != Math.rint(v);
    }

    static final class ClampBackward extends Node {
        private final SavedTensor x;
        private final double min;
        private final double max;

        ClampBackward(Tensor a, double min, double max) {
            super(a);
            this.x = save(a);
            this.min = min;
            this.max = max;
        }

        /** PyTorch's names: clamp_min and clamp_max have their own nodes. */
        @Override
        public String name() {
            return Double.isNaN(max) ? "ClampMinBackward" : Double.isNaN(min) ? "ClampMaxBackward" : "ClampBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(inside(x.get(), min, max).to(g[0].dtype()))};
        }

        /** True where min &lt;= x &lt;= max (a NaN bound is no bound): where the derivative is 1, else 0. */
        static Tensor inside(Tensor xv, double min, double max) {
            TensorData inside = Kernels.full(DType.BOOL, xv.impl().shape(), 1.0);
            if (!Double.isNaN(min)) {
                inside = Kernels.binary(BinaryOp.GE, xv.impl(), Kernels.scalar(DType.FLOAT64, min), xv.impl().shape(),
                        DType.BOOL);
            }
            if (!Double.isNaN(max)) {
                TensorData le = Kernels.binary(BinaryOp.LE, xv.impl(), Kernels.scalar(DType.FLOAT64, max),
                        xv.impl().shape(), DType.BOOL);
                inside = Kernels.binary(BinaryOp.LOGICAL_AND, inside, le, xv.impl().shape(), DType.BOOL);
            }
            return Internal.wrap(inside);
        }

        static Tensor jvp(Tensor x, double min, double max, Tensor ta) {
            return ta.mul(inside(x, min, max).to(ta.dtype()));
        }
    }

    // ---- erf and the activations of nn (GELU, SiLU, LeakyReLU, ELU) -------------------------------------------

    /** 2/√π, the scale of erf's derivative. */
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** 1/√(2π), the standard normal density at 0. */
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** The Gauss error function; integer and bool inputs give float32, as PyTorch's erf. */
    public static Tensor erf(Tensor a) {
        Tensor out = unary(UnaryOp.ERF, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new ErfBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ErfBackward.jvp(a, ta)) : out;
    }

    static final class ErfBackward extends Node {
        private final SavedTensor x;

        ErfBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(derivative(x.get()))};
        }

        /** d erf(x) / dx = (2/√π) e^(-x²). */
        static Tensor derivative(Tensor x) {
            return x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI);
        }

        static Tensor jvp(Tensor x, Tensor ta) {
            return ta.mul(derivative(x));
        }
    }

    private static void requireFloatingActivation(String op, Tensor a) {
        if (!a.dtype().isFloatingPoint()) {
            throw new DTypeException(op + ": expects a floating-point tensor but got " + a.dtype() + " (shape "
                    + Arrays.toString(a.shape()) + "); convert it first with .to(DType.FLOAT32)");
        }
    }

    /**
     * GELU, x Φ(x) with Φ the standard normal CDF (PyTorch's {@code F.gelu}); with {@code tanhApproximation}, PyTorch's
     * {@code approximate='tanh'} form x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2.
     */
    public static Tensor gelu(Tensor a, boolean tanhApproximation) {
        requireFloatingActivation("gelu", a);
        Tensor out = unary(tanhApproximation ? UnaryOp.GELU_TANH : UnaryOp.GELU, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new GeluBackward(a, tanhApproximation), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.mul(GeluBackward.derivative(a, tanhApproximation)))
                : out;
    }

    static final class GeluBackward extends Node {
        private final SavedTensor x;
        private final boolean tanhApproximation;

        GeluBackward(Tensor a, boolean tanhApproximation) {
            super(a);
            this.x = save(a);
            this.tanhApproximation = tanhApproximation;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(derivative(x.get(), tanhApproximation))};
        }

        /**
         * PyTorch's gelu_backward: Φ(x) + x φ(x) exactly; for the tanh form, with u = √(2/π) (x + κ x³),
         * (1 + tanh u) / 2 + (x / 2) (1 - tanh² u) √(2/π) (1 + 3 κ x²). Written with Tensor ops, so it differentiates.
         */
        static Tensor derivative(Tensor x, boolean tanhApproximation) {
            if (!tanhApproximation) {
                Tensor cdf = x.mul(UnaryOp.SQRT1_2).erf().add(1.0).mul(0.5);
                Tensor pdf = x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
                return cdf.add(x.mul(pdf));
            }
            Tensor x2 = x.mul(x);
            Tensor t = x.add(x2.mul(x).mul(UnaryOp.GELU_KAPPA)).mul(UnaryOp.SQRT_2_OVER_PI).tanh();
            Tensor left = t.add(1.0).mul(0.5);
            Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1.0))
                    .mul(x2.mul(3 * UnaryOp.GELU_KAPPA).add(1.0).mul(UnaryOp.SQRT_2_OVER_PI));
            return left.add(right);
        }
    }

    /** SiLU (swish), x σ(x) (PyTorch's {@code F.silu}). */
    public static Tensor silu(Tensor a) {
        requireFloatingActivation("silu", a);
        Tensor out = unary(UnaryOp.SILU, a);
        if (Internal.recording(a)) {
            Internal.attach(out, new SiluBackward(a), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.mul(SiluBackward.derivative(a))) : out;
    }

    static final class SiluBackward extends Node {
        private final SavedTensor x;

        SiluBackward(Tensor a) {
            super(a);
            this.x = save(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].mul(derivative(x.get()))};
        }

        /** σ(x) (1 + x (1 - σ(x))), PyTorch's silu_backward. */
        static Tensor derivative(Tensor x) {
            Tensor s = x.sigmoid();
            return s.mul(x.mul(s.rsub(1.0)).add(1.0));
        }
    }

    /** x where x &gt; 0, else x times the negative slope (PyTorch's {@code F.leaky_relu}). */
    public static Tensor leakyRelu(Tensor a, double negativeSlope) {
        requireFloatingActivation("leakyRelu", a);
        Tensor slope = Promotion.scalar(a, negativeSlope, false);
        Tensor out = Internal.wrap(Kernels.binary(BinaryOp.LEAKY_RELU, a.impl(), slope.impl(), a.impl().shape(),
                a.dtype()));
        if (Internal.recording(a)) {
            Internal.attach(out, new LeakyReluBackward(a, negativeSlope), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> LeakyReluBackward.apply(a, negativeSlope, ta)) : out;
    }

    static final class LeakyReluBackward extends Node {
        private final SavedTensor x;
        private final double negativeSlope;

        LeakyReluBackward(Tensor a, double negativeSlope) {
            super(a);
            this.x = save(a);
            this.negativeSlope = negativeSlope;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {apply(x.get(), negativeSlope, g[0])};
        }

        /** PyTorch's leaky_relu_backward: g where x &gt; 0, else g times the slope (also at 0 and NaN). */
        static Tensor apply(Tensor x, double negativeSlope, Tensor g) {
            return Ember.where(x.gt(0.0), g, g.mul(negativeSlope));
        }
    }

    /** x where x &gt; 0, else alpha (e^x - 1) (PyTorch's {@code F.elu}). */
    public static Tensor elu(Tensor a, double alpha) {
        requireFloatingActivation("elu", a);
        Tensor al = Promotion.scalar(a, alpha, false);
        Tensor out = Internal.wrap(Kernels.binary(BinaryOp.ELU, a.impl(), al.impl(), a.impl().shape(), a.dtype()));
        if (Internal.recording(a)) {
            Internal.attach(out, new EluBackward(a, alpha), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> EluBackward.apply(a, alpha, ta)) : out;
    }

    static final class EluBackward extends Node {
        private final SavedTensor x;
        private final double alpha;

        EluBackward(Tensor a, double alpha) {
            super(a);
            this.x = save(a);
            this.alpha = alpha;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {apply(x.get(), alpha, g[0])};
        }

        /**
         * PyTorch's elu_backward: g alpha e^x where x &lt;= 0, else g (also for NaN). The exponential reads
         * min(x, 0), so the branch that is not taken never overflows (an infinity there would turn into NaN when
         * this formula is differentiated again).
         */
        static Tensor apply(Tensor x, double alpha, Tensor g) {
            return Ember.where(x.le(0.0), g.mul(x.clampMax(0.0).exp().mul(alpha)), g);
        }
    }

    // ---- maximum, minimum, where ------------------------------------------------------------------------------

    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = binary("maximum", BinaryOp.MAXIMUM, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new ExtremumBackward(a, b, true), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> ExtremumBackward.jvp(a, b, out, ta, tb, true))
                : out;
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = binary("minimum", BinaryOp.MINIMUM, a, b, Promotion.resultType(a, b));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new ExtremumBackward(a, b, false), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> ExtremumBackward.jvp(a, b, out, ta, tb, false))
                : out;
    }

    /**
     * Backward of maximum and minimum: the gradient goes to the selected operand, split in half on ties; where an
     * operand is NaN both get it (PyTorch's formula: where(a == b, g / 2, g), zeroed where the other one wins).
     */
    static final class ExtremumBackward extends Node {
        private final SavedTensor a;
        private final SavedTensor b;
        private final boolean max;

        ExtremumBackward(Tensor a, Tensor b, boolean max) {
            super(a, b);
            this.a = save(a);
            this.b = save(b);
            this.max = max;
        }

        @Override
        public String name() {
            return max ? "MaximumBackward" : "MinimumBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor av = a.get();
            Tensor bv = b.get();
            Tensor shared = Ember.where(av.eq(bv), g[0].mul(0.5), g[0]);
            Tensor zero = Ember.zerosLike(g[0]);
            Tensor ga = needsInputGrad(0) ? Ember.where(max ? av.lt(bv) : av.gt(bv), zero, shared) : null;
            Tensor gb = needsInputGrad(1) ? Ember.where(max ? av.gt(bv) : av.lt(bv), zero, shared) : null;
            return new Tensor[] {ga, gb};
        }

        /**
         * PyTorch's formula: tb + w (ta - tb) with w = 1/2 on ties, 1 where a wins, 0 where b wins (or either is
         * NaN: then the tangent is b's, where the backward gives both operands the gradient).
         */
        static Tensor jvp(Tensor a, Tensor b, Tensor out, Tensor ta, Tensor tb, boolean max) {
            Tensor wins = (max ? a.gt(b) : a.lt(b)).to(out.dtype());
            Tensor w = Ember.where(a.eq(b), Ember.fullLike(wins, 0.5), wins);
            return tb == null ? ta.mul(w) : ta == null ? tb.sub(tb.mul(w)) : tb.add(ta.sub(tb).mul(w));
        }
    }

    /** Elements of a where cond (a bool tensor) is true, else of b; all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new DTypeException("where: the condition must be a bool tensor but is " + cond.dtype() + " (shape "
                    + Arrays.toString(cond.shape()) + "); build it with a comparison such as x.gt(0.0), or convert it "
                    + "with .ne(0.0)");
        }
        int[] ab = Shapes.broadcast(a.impl().shape(), b.impl().shape());
        int[] shape = ab == null ? null : Shapes.broadcast(cond.impl().shape(), ab);
        if (shape == null) {
            throw new ShapeException("where: the condition, a and b have shapes " + Arrays.toString(cond.shape()) + ", "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + ", which cannot be broadcast "
                    + "together (sizes must match, or be 1, in every dimension counted from the right)");
        }
        Tensor out = Internal.wrap(Kernels.where(cond.impl(), a.impl(), b.impl(), shape, Promotion.resultType(a, b)));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new WhereBackward(cond, a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> WhereBackward.jvp(cond, a, b, out, ta, tb))
                : out;
    }

    static final class WhereBackward extends Node {
        private final SavedTensor cond;

        WhereBackward(Tensor cond, Tensor a, Tensor b) {
            super(a, b);
            this.cond = save(cond);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor c = cond.get();
            Tensor zero = Ember.zerosLike(g[0]);
            return new Tensor[] {
                needsInputGrad(0) ? Ember.where(c, g[0], zero) : null,
                needsInputGrad(1) ? Ember.where(c, zero, g[0]) : null};
        }

        static Tensor jvp(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor ta, Tensor tb) {
            return Ember.where(cond, Jvp.orZeros(ta, a, out.dtype()), Jvp.orZeros(tb, b, out.dtype()));
        }
    }

    // ---- comparisons (never differentiable) ---------------------------------------------------------------------

    public static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        return binary(name, op, a, b, DType.BOOL);
    }
}
