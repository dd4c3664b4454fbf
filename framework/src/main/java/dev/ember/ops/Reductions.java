package dev.ember.ops;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;

import java.util.Arrays;

/**
 * Reductions (sum, mean, max, min, var, std, logsumexp, norm), over all elements or along dimensions with keepDim,
 * each forward with its backward formula and its forward-mode rule ({@code jvp}) beside it.
 *
 * <pre>{@code
 * Tensor s = Reductions.sum(x, new int[] {1}, true);   // what x.sum(1, true) calls
 * }</pre>
 */
public final class Reductions {
    private Reductions() {
    }

    /**
     * The reduce mask of dims, validating each and rejecting duplicates. Null or an empty array means every
     * dimension, as in PyTorch 1.13 ({@code x.sum(dim=[])} sums all elements).
     */
    static boolean[] mask(String op, Tensor a, int[] dims) {
        int rank = a.dim();
        boolean[] reduce = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(reduce, true);
            return reduce;
        }
        for (int d : dims) {
            int w = Promotion.dim(op, d, rank);
            if (rank == 0) {
                continue;
            }
            if (reduce[w]) {
                throw new ShapeException(op + ": dimension " + d + " appears more than once in " + Arrays.toString(dims)
                        + " (tensor of shape " + Arrays.toString(a.shape()) + "); list each dimension once");
            }
            reduce[w] = true;
        }
        return reduce;
    }

    private static int count(Tensor a, boolean[] reduce) {
        int n = 1;
        for (int i = 0; i < reduce.length; i++) {
            if (reduce[i]) {
                n *= a.impl().size(i);
            }
        }
        return n;
    }

    /** The gradient of a reduction's output, reshaped (size-one dims restored) and expanded to the input's shape. */
    static Tensor expandBack(Tensor g, int[] inputShape, boolean[] reduce) {
        return g.reshape(Shapes.reduced(inputShape, reduce, true)).expand(inputShape);
    }

    // ---- sum and mean -----------------------------------------------------------------------------------------

    public static Tensor sum(Tensor a, int[] dims, boolean keepDim) {
        boolean[] reduce = mask("sum", a, dims);
        DType t = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        Tensor out = Internal.wrap(Kernels.sum(a.impl(), reduce, keepDim, t));
        if (Internal.recording(a)) {
            Internal.attach(out, new SumBackward(a, reduce), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.sum(dimsOf(reduce), keepDim)) : out;
    }

    static final class SumBackward extends Node {
        private final boolean[] reduce;

        SumBackward(Tensor a, boolean[] reduce) {
            super(a);
            this.reduce = reduce;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {expandBack(g[0], inputShape(0), reduce)};
        }
    }

    /** Sums a broadcast result back to {@code shape} (leading dims and dims that were expanded from 1). */
    public static Tensor sumTo(Tensor a, int[] shape) {
        int[] s = a.impl().shape();
        if (Arrays.equals(s, shape)) {
            return a;
        }
        if (!Shapes.expandable(shape, s)) {
            throw new ShapeException("sumTo: shape " + Arrays.toString(s) + " cannot be summed to "
                    + Arrays.toString(shape) + " (it is not a broadcast of it)");
        }
        int lead = s.length - shape.length;
        int n = 0;
        int[] dims = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && s[i] != 1)) {
                dims[n++] = i;
            }
        }
        Tensor r = n == 0 ? a : sum(a, Arrays.copyOf(dims, n), true);
        return r.reshape(shape);
    }

    public static Tensor mean(Tensor a, int[] dims, boolean keepDim) {
        Promotion.requireFloat("mean", a);
        boolean[] reduce = mask("mean", a, dims);
        int n = count(a, reduce);
        TensorData s = Kernels.sum(a.impl(), reduce, keepDim, a.dtype());
        Tensor out = Internal.wrap(Kernels.binary(dev.ember.kernels.BinaryOp.DIV, s, Kernels.scalar(DType.FLOAT64, n),
                s.shape(), a.dtype()));
        if (Internal.recording(a)) {
            Internal.attach(out, new MeanBackward(a, reduce, n), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.mean(dimsOf(reduce), keepDim)) : out;
    }

    static final class MeanBackward extends Node {
        private final boolean[] reduce;
        private final int n;

        MeanBackward(Tensor a, boolean[] reduce, int n) {
            super(a);
            this.reduce = reduce;
            this.n = n;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {expandBack(g[0].div((double) n), inputShape(0), reduce)};
        }
    }

    // ---- max and min ------------------------------------------------------------------------------------------

    private static void requireNonEmpty(String op, Tensor a) {
        if (a.numel() == 0) {
            throw new ShapeException(op + "(): the tensor of shape " + Arrays.toString(a.shape()) + " is empty, so "
                    + "it has no " + op + "; specify a non-empty dimension or check the input");
        }
    }

    /** The largest (max) or smallest element, as a 0-d tensor; ties share the gradient evenly (PyTorch). */
    public static Tensor extreme(Tensor a, boolean max) {
        requireNonEmpty(max ? "max" : "min", a);
        Tensor out = Internal.wrap(Kernels.extremeAll(a.impl(), max));
        if (Internal.recording(a)) {
            Internal.attach(out, new ExtremeAllBackward(a, out, max), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ExtremeAllBackward.jvp(a, out, ta)) : out;
    }

    static final class ExtremeAllBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor result;
        private final boolean max;

        ExtremeAllBackward(Tensor a, Tensor result, boolean max) {
            super(a);
            this.x = save(a);
            this.result = save(result);
            this.max = max;
        }

        @Override
        public String name() {
            return max ? "MaxBackward" : "MinBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            // the gradient is shared evenly by the elements equal to the result (or NaN, when the result is NaN)
            Tensor mask = hits(x.get(), result.get()).to(g[0].dtype());
            return new Tensor[] {mask.mul(g[0].div(mask.sum()))};
        }

        /** The elements equal to the result (the NaNs, when the result is NaN). */
        static Tensor hits(Tensor x, Tensor r) {
            return Double.isNaN(r.item()) ? x.isnan() : x.eq(r);
        }

        /** The mean of the tangent over the elements that attain the extreme (PyTorch's evenly_read_jvp). */
        static Tensor jvp(Tensor x, Tensor result, Tensor ta) {
            Tensor mask = hits(x, result).to(ta.dtype());
            return ta.mul(mask).sum().div(mask.sum());
        }
    }

    public static ValuesAndIndices extreme(Tensor a, int dim, boolean keepDim, boolean max) {
        String op = max ? "max" : "min";
        int d = Promotion.dim(op, dim, a.dim());
        if (a.dim() == 0) {
            // a 0-d tensor is its own maximum, at index 0
            Tensor values = Internal.wrap(Kernels.contiguousCopy(a.impl(), a.dtype()));
            Tensor indices = Internal.wrap(Kernels.scalar(DType.INT64, 0));
            if (Internal.recording(a)) {
                Internal.attach(values, new ExtremeAlongBackward(a, 0, keepDim, indices, max), 0);
            }
            if (ForwardAD.isActive()) {
                Jvp.unary(values, a, Tensor::clone);
            }
            return new ValuesAndIndices(values, indices);
        }
        if (a.impl().size(d) == 0) {
            requireNonEmpty(op, a);
        }
        Kernels.ArgExtreme r = Kernels.extremeAlong(a.impl(), d, keepDim, max);
        Tensor values = Internal.wrap(r.values());
        Tensor indices = Internal.wrap(r.indices());
        if (Internal.recording(a)) {
            Internal.attach(values, new ExtremeAlongBackward(a, d, keepDim, indices, max), 0);
        }
        if (ForwardAD.isActive()) {
            Jvp.unary(values, a, ta -> ExtremeAlongBackward.jvp(ta, d, keepDim, indices));
        }
        return new ValuesAndIndices(values, indices);
    }

    static final class ExtremeAlongBackward extends Node {
        private final int dim;
        private final boolean keepDim;
        private final SavedTensor indices;
        private final boolean max;

        ExtremeAlongBackward(Tensor a, int dim, boolean keepDim, Tensor indices, boolean max) {
            super(a);
            this.dim = dim;
            this.keepDim = keepDim;
            this.indices = save(indices);
            this.max = max;
        }

        @Override
        public String name() {
            return max ? "MaxBackward" : "MinBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            if (inputShape(0).length == 0) {
                return new Tensor[] {g[0]};
            }
            Tensor go = keepDim ? g[0] : g[0].unsqueeze(dim);
            Tensor iv = indices.get();
            Tensor idx = keepDim ? iv : iv.unsqueeze(dim);
            return new Tensor[] {Indexing.scatterAdd(inputShape(0), dim, idx, go)};
        }

        /** The tangent at the selected positions: gather along dim (PyTorch's gather_with_keepdimed_indices). */
        static Tensor jvp(Tensor ta, int dim, boolean keepDim, Tensor indices) {
            Tensor picked = ta.gather(dim, keepDim ? indices : indices.unsqueeze(dim));
            return keepDim ? picked : picked.squeeze(dim);
        }
    }

    // ---- variance and standard deviation ----------------------------------------------------------------------

    public static Tensor var(Tensor a, int[] dims, boolean unbiased, boolean keepDim) {
        return varianceOrStd(a, dims, unbiased, keepDim, false);
    }

    public static Tensor std(Tensor a, int[] dims, boolean unbiased, boolean keepDim) {
        return varianceOrStd(a, dims, unbiased, keepDim, true);
    }

    private static Tensor varianceOrStd(Tensor a, int[] dims, boolean unbiased, boolean keepDim, boolean std) {
        String op = std ? "std" : "var";
        Promotion.requireFloat(op, a);
        boolean[] reduce = mask(op, a, dims);
        int n = count(a, reduce);
        int correction = unbiased ? 1 : 0;
        Tensor out;
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor centered = a.sub(a.mean(dimsOf(reduce), true));
            Tensor v = centered.mul(centered).sum(dimsOf(reduce), keepDim).div((double) Math.max(n - correction, 0));
            out = Internal.wrap((std ? v.sqrt() : v).impl());
        }
        if (Internal.recording(a)) {
            Internal.attach(out, new VarStdBackward(a, reduce, n - correction, out, std), 0);
        }
        return ForwardAD.isActive()
                ? Jvp.unary(out, a, ta -> VarStdBackward.jvp(a, reduce, n - correction, keepDim, out, std, ta)) : out;
    }

    static int[] dimsOf(boolean[] reduce) {
        int n = 0;
        int[] d = new int[reduce.length];
        for (int i = 0; i < reduce.length; i++) {
            if (reduce[i]) {
                d[n++] = i;
            }
        }
        return Arrays.copyOf(d, n);
    }

    static final class VarStdBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor result;
        private final boolean[] reduce;
        private final int dof;
        private final boolean std;

        VarStdBackward(Tensor a, boolean[] reduce, int dof, Tensor result, boolean std) {
            super(a);
            this.x = save(a);
            this.result = std ? save(result) : null;
            this.reduce = reduce;
            this.dof = dof;
            this.std = std;
        }

        @Override
        public String name() {
            return std ? "StdBackward" : "VarBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor xv = x.get();
            int[] dims = dimsOf(reduce);
            Tensor centered = xv.sub(xv.mean(dims, true));
            Tensor go = expandBack(g[0], inputShape(0), reduce);
            if (std) {
                // where the std is 0 (all elements equal) the gradient is 0, as in PyTorch, not 0/0
                Tensor s = expandBack(result.get(), inputShape(0), reduce);
                Tensor scaled = go.div(s.mul((double) dof));
                return new Tensor[] {Ember.where(s.eq(0.0), Ember.zerosLike(scaled), scaled).mul(centered)};
            }
            return new Tensor[] {go.mul(centered).mul(2.0 / dof)};
        }

        /**
         * d var = 2/dof sum(dx (x - mean)); d std = d var / (2 std), zero where the std is 0 (as the backward; PyTorch's
         * forward mode gives NaN there, 0/0).
         */
        static Tensor jvp(Tensor x, boolean[] reduce, int dof, boolean keepDim, Tensor result, boolean std,
                Tensor ta) {
            int[] dims = dimsOf(reduce);
            Tensor dvar = ta.mul(x.sub(x.mean(dims, true))).sum(dims, keepDim).mul(2.0 / dof);
            if (!std) {
                return dvar;
            }
            Tensor d = dvar.div(result.mul(2.0));
            return Ember.where(result.eq(0.0), Ember.zerosLike(d), d);
        }
    }

    // ---- logsumexp and norm -----------------------------------------------------------------------------------

    public static Tensor logsumexp(Tensor a, int[] dims, boolean keepDim) {
        Promotion.requireFloat("logsumexp", a);
        boolean[] reduce = mask("logsumexp", a, dims);
        Tensor out = logsumexpValue(a, reduce, keepDim);
        if (Internal.recording(a)) {
            Internal.attach(out, new LogsumexpBackward(a, reduce, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> LogsumexpBackward.jvp(a, reduce, keepDim, out, ta)) : out;
    }

    /** The values, computed stably with Tensor ops that record nothing and compute no tangents. */
    private static Tensor logsumexpValue(Tensor a, boolean[] reduce, boolean keepDim) {
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor shift;
            if (count(a, reduce) == 0) {
                // empty slices: log(0) = -inf, as in PyTorch
                shift = Internal.wrap(Kernels.empty(a.dtype(), Shapes.reduced(a.impl().shape(), reduce, true)));
            } else {
                Tensor m = a;
                for (int d : dimsOf(reduce)) {
                    m = m.max(d, true).values();
                }
                // a slice whose max is infinite is not shifted (PyTorch); others are shifted by it for stability
                shift = Ember.where(m.abs().eq(Double.POSITIVE_INFINITY), Ember.zerosLike(m), m);
            }
            Tensor s = a.sub(shift).exp().sum(dimsOf(reduce), true).log().add(shift);
            return Internal.wrap((keepDim ? s : s.reshape(Shapes.reduced(a.impl().shape(), reduce, false))).impl());
        }
    }

    static final class LogsumexpBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor result;
        private final boolean[] reduce;

        LogsumexpBackward(Tensor a, boolean[] reduce, Tensor result) {
            super(a);
            this.x = save(a);
            this.result = save(result);
            this.reduce = reduce;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            int[] in = inputShape(0);
            Tensor r = expandBack(result.get(), in, reduce);
            return new Tensor[] {expandBack(g[0], in, reduce).mul(x.get().sub(r).exp())};
        }

        /** The softmax-weighted sum of the tangent: sum(dx exp(x - logsumexp)). */
        static Tensor jvp(Tensor x, boolean[] reduce, boolean keepDim, Tensor result, Tensor ta) {
            Tensor r = expandBack(result, x.impl().shape(), reduce);
            return ta.mul(x.sub(r).exp()).sum(dimsOf(reduce), keepDim);
        }
    }

    /**
     * The p-norm over dims (all elements when dims is null or empty), as PyTorch's {@code torch.norm}: p = 2 is the
     * Euclidean norm, p = 1 the sum of absolute values, p = +-infinity the largest (smallest) absolute value,
     * p = 0 the number of non-zero elements, any other p (also negative) {@code sum(|x|^p)^(1/p)}. The norm of an
     * empty slice is 0.
     */
    public static Tensor norm(Tensor a, double p, int[] dims, boolean keepDim) {
        Promotion.requireFloat("norm", a);
        if (Double.isNaN(p)) {
            throw new dev.ember.EmberException("norm: p is NaN (tensor of shape " + Arrays.toString(a.shape())
                    + "); use a number, such as 2.0, 1.0 or Double.POSITIVE_INFINITY");
        }
        boolean[] reduce = mask("norm", a, dims);
        int[] d = dimsOf(reduce);
        Tensor out;
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor r;
            if (count(a, reduce) == 0) {
                r = Internal.wrap(Kernels.empty(a.dtype(), Shapes.reduced(a.impl().shape(), reduce, keepDim)));
            } else if (Double.isInfinite(p)) {
                r = a.abs();
                for (int k : d) {
                    r = p > 0 ? r.max(k, true).values() : r.min(k, true).values();
                }
                r = keepDim ? r : r.reshape(Shapes.reduced(a.impl().shape(), reduce, false));
            } else if (p == 0.0) {
                r = a.ne(0.0).to(a.dtype()).sum(d, keepDim);
            } else if (p == 1.0) {
                r = a.abs().sum(d, keepDim);
            } else if (p == 2.0) {
                r = a.mul(a).sum(d, keepDim).sqrt();
            } else {
                r = a.abs().pow(p).sum(d, keepDim).pow(1.0 / p);
            }
            out = Internal.wrap(r.impl());
        }
        if (Internal.recording(a)) {
            Internal.attach(out, new NormBackward(a, p, reduce, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> NormBackward.jvp(a, p, reduce, keepDim, out, ta)) : out;
    }

    /** PyTorch's norm_backward, case by case; where the norm is 0 the gradient is 0. */
    static final class NormBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor result;
        private final double p;
        private final boolean[] reduce;

        NormBackward(Tensor a, double p, boolean[] reduce, Tensor result) {
            super(a);
            this.x = save(a);
            this.result = p == 0.0 || p == 1.0 ? null : save(result);
            this.p = p;
            this.reduce = reduce;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            if (p == 0.0) {
                return new Tensor[] {null};   // a count: piecewise constant, PyTorch gives no gradient
            }
            int[] in = inputShape(0);
            Tensor xv = x.get();
            Tensor go = expandBack(g[0], in, reduce);
            if (p == 1.0) {
                return new Tensor[] {xv.sign().mul(go)};
            }
            Tensor n = expandBack(result.get(), in, reduce);
            if (Double.isInfinite(p)) {
                // the gradient is shared evenly by the elements whose |x| is the norm (or NaN: PyTorch)
                Tensor ax = xv.abs();
                Tensor hit = ax.eq(n).to(xv.dtype()).add(ax.isnan().to(xv.dtype()));
                Tensor count = expandBack(hit.sum(dimsOf(reduce), true), in, reduce);
                return new Tensor[] {xv.sign().mul(hit).mul(go.div(count))};
            }
            if (p < 1.0) {
                Tensor ax = xv.abs();
                Tensor pow = ax.pow(p - 1);
                Tensor scaled = xv.sign().mul(Ember.where(xv.eq(0.0), Ember.zerosLike(pow), pow));
                return new Tensor[] {scaled.mul(go).mul(n.pow(1 - p))};
            }
            Tensor scale = p == 2.0 ? go.div(n) : go.div(n.pow(p - 1));
            scale = Ember.where(n.eq(0.0), Ember.zerosLike(scale), scale);
            Tensor scaled = p == 2.0 ? xv : p < 2.0 ? xv.sign().mul(xv.abs().pow(p - 1)) : xv.mul(xv.abs().pow(p - 2));
            return new Tensor[] {scaled.mul(scale)};
        }

        /**
         * sum(d norm/dx * dx) over the reduced dims, with the backward's conventions: zero for p = 0 (a count), zero
         * where the norm is 0, the tangent shared evenly by the elements attaining an infinity norm.
         */
        static Tensor jvp(Tensor x, double p, boolean[] reduce, boolean keepDim, Tensor result, Tensor ta) {
            int[] dims = dimsOf(reduce);
            if (p == 0.0) {
                return Ember.zerosLike(result);
            }
            if (p == 1.0) {
                return x.sign().mul(ta).sum(dims, keepDim);
            }
            int[] in = x.impl().shape();
            Tensor n = expandBack(result, in, reduce);
            if (Double.isInfinite(p)) {
                Tensor ax = x.abs();
                Tensor hit = ax.eq(n).to(x.dtype()).add(ax.isnan().to(x.dtype()));
                Tensor count = hit.sum(dims, keepDim);
                Tensor d = x.sign().mul(hit).mul(ta).sum(dims, keepDim).div(count);
                return Ember.where(count.eq(0.0), Ember.zerosLike(d), d);   // an empty slice: 0, not 0/0
            }
            if (p < 1.0) {
                Tensor pow = x.abs().pow(p - 1);
                Tensor scaled = x.sign().mul(Ember.where(x.eq(0.0), Ember.zerosLike(pow), pow));
                return scaled.mul(ta).sum(dims, keepDim).mul(result.pow(1 - p));
            }
            Tensor scaled = p == 2.0 ? x : p < 2.0 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
            Tensor d = scaled.mul(ta).sum(dims, keepDim).div(p == 2.0 ? result : result.pow(p - 1));
            return Ember.where(result.eq(0.0), Ember.zerosLike(d), d);
        }
    }
}
