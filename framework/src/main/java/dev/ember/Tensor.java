package dev.ember;

import dev.ember.autograd.AccumulateGrad;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.GradOptions;
import dev.ember.autograd.Node;
import dev.ember.autograd.PostAccumulateGradHook;
import dev.ember.autograd.RemovableHandle;
import dev.ember.autograd.TensorHook;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.InPlaceKernels.Op;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.TensorData;
import dev.ember.kernels.UnaryOp;
import dev.ember.ops.Conversions;
import dev.ember.ops.InPlace;
import dev.ember.ops.Indexing;
import dev.ember.ops.LinearAlgebra;
import dev.ember.ops.Pointwise;
import dev.ember.ops.Promotion;
import dev.ember.ops.Reductions;
import dev.ember.ops.Softmax;
import dev.ember.ops.Views;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array with autograd: PyTorch's {@code torch.Tensor} in Java. Operations on tensors that require
 * grad are recorded on the tape as they run, and {@link #backward()} differentiates them.
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
 * Tensor x = Ember.tensor(3.0, 4.0);
 * Tensor z = w.mul(x).sum();
 * System.out.println(z);          // tensor(11., grad_fn=<SumBackward>)
 * z.backward();
 * System.out.println(w.grad());   // tensor([3., 4.])
 * }</pre>
 *
 * <p>Method names follow PyTorch in camelCase; in-place variants end with an underscore ({@code add_}, {@code zero_}).
 * Tensors are not thread-safe; grad mode is per thread.
 */
public final class Tensor {
    private TensorData data;
    boolean requiresGrad;
    Node gradFn;
    int outputNr;
    AccumulateGrad accumulator;
    Tensor viewBase;
    Tensor tangent;
    Object tangentLevel;
    private Tensor grad;
    private String name;

    Tensor(TensorData data) {
        this.data = data;
    }

    /** Swaps in new elements (see {@link Internal#replaceData}). */
    void replaceData(TensorData newData) {
        data = newData;
        viewBase = null;
        if (grad != null && grad.dtype() != newData.dtype()) {
            grad = grad.to(newData.dtype());
        }
    }

    // ---- metadata ---------------------------------------------------------------------------------------------

    /** The kernel-level data (storage, offset, shape, strides). Framework-internal. */
    public TensorData impl() {
        return data;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return data.shape().clone();
    }

    /** The size of dimension d (negative d counts from the end). */
    public int size(int d) {
        return data.size(Promotion.dim("size", d, dim()));
    }

    public int dim() {
        return data.dim();
    }

    public int numel() {
        return data.numel();
    }

    public DType dtype() {
        return data.dtype();
    }

    /** True when elements are laid out row-major without gaps. */
    public boolean isContiguous() {
        return data.isContiguous();
    }

    /** The version counter shared with every view of this tensor: how many in-place writes it has seen. */
    public int version() {
        return data.storage().version();
    }

    /** An optional name, shown by graph tools. */
    public String name() {
        return name;
    }

    public Tensor setName(String name) {
        this.name = name;
        return this;
    }

    // ---- values -----------------------------------------------------------------------------------------------

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new ShapeException("item(): a tensor with " + numel() + " elements (shape " + Arrays.toString(shape())
                    + ") cannot be converted to a Java number; only one-element tensors can");
        }
        return Kernels.get(data, 0);
    }

    /** The elements in row-major order, as doubles. */
    public double[] toDoubleArray() {
        return Kernels.toDoubles(data);
    }

    /** The elements in row-major order, as floats. */
    public float[] toFloatArray() {
        return Kernels.toFloats(data);
    }

    /** The elements in row-major order, as longs (floats are truncated toward zero). */
    public long[] toLongArray() {
        return Kernels.toLongs(data);
    }

    // ---- autograd state ---------------------------------------------------------------------------------------

    /** True when gradients are computed for this tensor: a leaf marked so, or the result of a recorded op. */
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** Marks a leaf as requiring grad; returns this, so {@code Ember.tensor(1.0).requiresGrad_()} reads naturally. */
    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    public Tensor requiresGrad_(boolean value) {
        if (gradFn != null) {
            if (!value) {
                throw new AutogradException("requiresGrad_(false): you can only change requiresGrad of leaf tensors, "
                        + "and this one is the result of " + gradFn.name() + ". To get a tensor without history use "
                        + "detach()");
            }
            return this;
        }
        if (value && !dtype().isFloatingPoint()) {
            throw new DTypeException("requiresGrad_(): only tensors of floating-point dtype can require gradients, "
                    + "but this one is " + dtype() + "; convert it first with .to(DType.FLOAT32)");
        }
        requiresGrad = value;
        return this;
    }

    /** The node that produced this tensor (null for leaves). */
    public Node gradFn() {
        return gradFn;
    }

    /** Which output of its grad_fn this tensor is. */
    public int outputNr() {
        return outputNr;
    }

    /** True for tensors created by the user (or that do not require grad): PyTorch's is_leaf. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient: set for leaves that require grad after backward, and for retained non-leaves. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); it must have this tensor's shape and dtype. */
    public void setGrad(Tensor g) {
        if (g != null) {
            if (!Arrays.equals(g.data.shape(), data.shape())) {
                throw new ShapeException("setGrad: the gradient has shape " + Arrays.toString(g.shape())
                        + " but the tensor has shape " + Arrays.toString(shape()) + ": they must be equal");
            }
            if (g.dtype() != dtype()) {
                throw new DTypeException("setGrad: the gradient is " + g.dtype() + " but the tensor is " + dtype()
                        + ": they must be equal");
            }
        }
        grad = g;
    }

    /** Makes backward store this non-leaf tensor's gradient in {@link #grad()} (a no-op on leaves). */
    public void retainGrad() {
        if (!requiresGrad()) {
            throw new AutogradException("retainGrad(): this tensor (shape " + Arrays.toString(shape()) + ") does not "
                    + "require grad, so it will never have a gradient; call it on a tensor computed from one that "
                    + "requires grad");
        }
        if (gradFn != null) {
            Autograd.retainGrad(this);
        }
    }

    /** True for leaves that require grad and for non-leaves on which retainGrad() was called. */
    public boolean retainsGrad() {
        return gradFn != null && Autograd.retainsGrad(this);
    }

    /** A tensor sharing this one's storage (and version counter) but with no history and no requiresGrad. */
    public Tensor detach() {
        return new Tensor(data.alias());
    }

    /** Cuts this tensor from its history in place: it becomes a leaf that does not require grad. */
    public Tensor detach_() {
        if (viewBase != null && gradFn != null) {
            throw new AutogradException("detach_(): can't detach views in place; use detach() instead");
        }
        gradFn = null;
        outputNr = 0;
        requiresGrad = false;
        return this;
    }

    /**
     * Registers a hook that sees this tensor's gradient when it is computed and may return a replacement (or null
     * to keep it). Hooks run in registration order, before the gradient is accumulated or retained.
     */
    public RemovableHandle registerHook(TensorHook hook) {
        if (!requiresGrad()) {
            throw new AutogradException("registerHook(): cannot register a hook on a tensor that does not require "
                    + "grad (shape " + Arrays.toString(shape()) + "); call requiresGrad_() on the leaf first");
        }
        return Autograd.registerHook(this, hook);
    }

    /** Registers a hook that runs after backward has updated this leaf's {@link #grad()}. */
    public RemovableHandle registerPostAccumulateGradHook(PostAccumulateGradHook hook) {
        if (!requiresGrad() || gradFn != null) {
            throw new AutogradException("registerPostAccumulateGradHook(): only leaf tensors that require grad have "
                    + "an accumulated gradient; this one " + (gradFn != null ? "is the result of " + gradFn.name()
                    : "does not require grad"));
        }
        return Autograd.registerPostAccumulateGradHook(this, hook);
    }

    /** Backward from this scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        backward(null, GradOptions.DEFAULT);
    }

    /** Backward with the gradient of the final result with respect to this tensor (a vector-Jacobian product). */
    public void backward(Tensor gradient) {
        backward(gradient, GradOptions.DEFAULT);
    }

    public void backward(GradOptions options) {
        backward(null, options);
    }

    public void backward(Tensor gradient, GradOptions options) {
        Autograd.backward(List.of(this), Arrays.asList(gradient), options, null);
    }

    /** Backward that accumulates only into the given tensors' {@link #grad()}. */
    public void backward(Tensor gradient, GradOptions options, Tensor... inputs) {
        Autograd.backward(List.of(this), Arrays.asList(gradient), options, List.of(inputs));
    }

    // ---- arithmetic -------------------------------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return Pointwise.add(this, other);
    }

    public Tensor add(double other) {
        return Pointwise.add(this, Promotion.scalar(this, other, false));
    }

    public Tensor add(long other) {
        return Pointwise.add(this, Promotion.scalar(this, other, true));
    }

    public Tensor sub(Tensor other) {
        return Pointwise.sub(this, other);
    }

    public Tensor sub(double other) {
        return Pointwise.sub(this, Promotion.scalar(this, other, false));
    }

    public Tensor sub(long other) {
        return Pointwise.sub(this, Promotion.scalar(this, other, true));
    }

    /** other - this (PyTorch's rsub, for expressions such as {@code 1 - x}). */
    public Tensor rsub(double other) {
        return Pointwise.rsub(this, other);
    }

    public Tensor mul(Tensor other) {
        return Pointwise.mul(this, other);
    }

    public Tensor mul(double other) {
        return Pointwise.mul(this, Promotion.scalar(this, other, false));
    }

    public Tensor mul(long other) {
        return Pointwise.mul(this, Promotion.scalar(this, other, true));
    }

    public Tensor div(Tensor other) {
        return Pointwise.div(this, other);
    }

    public Tensor div(double other) {
        return Pointwise.div(this, Promotion.scalar(this, other, false));
    }

    public Tensor neg() {
        return Pointwise.neg(this);
    }

    public Tensor pow(double exponent) {
        return Pointwise.pow(this, exponent);
    }

    public Tensor pow(Tensor exponent) {
        return Pointwise.pow(this, exponent);
    }

    public Tensor exp() {
        return Pointwise.exp(this);
    }

    public Tensor log() {
        return Pointwise.log(this);
    }

    public Tensor sqrt() {
        return Pointwise.sqrt(this);
    }

    public Tensor abs() {
        return Pointwise.abs(this);
    }

    public Tensor sign() {
        return Pointwise.sign(this);
    }

    public Tensor sin() {
        return Pointwise.sin(this);
    }

    public Tensor cos() {
        return Pointwise.cos(this);
    }

    public Tensor tanh() {
        return Pointwise.tanh(this);
    }

    public Tensor sigmoid() {
        return Pointwise.sigmoid(this);
    }

    public Tensor relu() {
        return Pointwise.relu(this);
    }

    /** The Gauss error function, elementwise (integer inputs give float32). */
    public Tensor erf() {
        return Pointwise.erf(this);
    }

    public Tensor clamp(double min, double max) {
        return Pointwise.clamp(this, min, max);
    }

    public Tensor clampMin(double min) {
        return Pointwise.clamp(this, min, Double.NaN);
    }

    public Tensor clampMax(double max) {
        return Pointwise.clamp(this, Double.NaN, max);
    }

    public Tensor maximum(Tensor other) {
        return Pointwise.maximum(this, other);
    }

    public Tensor minimum(Tensor other) {
        return Pointwise.minimum(this, other);
    }

    // ---- comparisons and logic (results are bool tensors that never require grad) -----------------------------

    public Tensor eq(Tensor other) {
        return Pointwise.compare("eq", BinaryOp.EQ, this, other);
    }

    public Tensor eq(double other) {
        return eq(Promotion.scalar(this, other, false));
    }

    public Tensor ne(Tensor other) {
        return Pointwise.compare("ne", BinaryOp.NE, this, other);
    }

    public Tensor ne(double other) {
        return ne(Promotion.scalar(this, other, false));
    }

    public Tensor lt(Tensor other) {
        return Pointwise.compare("lt", BinaryOp.LT, this, other);
    }

    public Tensor lt(double other) {
        return lt(Promotion.scalar(this, other, false));
    }

    public Tensor le(Tensor other) {
        return Pointwise.compare("le", BinaryOp.LE, this, other);
    }

    public Tensor le(double other) {
        return le(Promotion.scalar(this, other, false));
    }

    public Tensor gt(Tensor other) {
        return Pointwise.compare("gt", BinaryOp.GT, this, other);
    }

    public Tensor gt(double other) {
        return gt(Promotion.scalar(this, other, false));
    }

    public Tensor ge(Tensor other) {
        return Pointwise.compare("ge", BinaryOp.GE, this, other);
    }

    public Tensor ge(double other) {
        return ge(Promotion.scalar(this, other, false));
    }

    public Tensor logicalAnd(Tensor other) {
        return Pointwise.compare("logicalAnd", BinaryOp.LOGICAL_AND, this, other);
    }

    public Tensor logicalNot() {
        return Internal.wrap(Kernels.unary(UnaryOp.LOGICAL_NOT, data, DType.BOOL));
    }

    public Tensor isnan() {
        return Internal.wrap(Kernels.unary(UnaryOp.ISNAN, data, DType.BOOL));
    }

    /** True if every element is non-zero (for bool tensors: true). */
    public boolean all() {
        for (double v : toDoubleArray()) {
            if (v == 0) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch's allclose: |this - other| &lt;= atol + rtol * |other| everywhere (rtol 1e-5, atol 1e-8). */
    public boolean allclose(Tensor other) {
        return allclose(other, 1e-5, 1e-8);
    }

    public boolean allclose(Tensor other, double rtol, double atol) {
        int[] s = Promotion.broadcast("allclose", this, other);
        double[] a = Kernels.toDoubles(data.expand(s));
        double[] b = Kernels.toDoubles(other.data.expand(s));
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(a[i] == b[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- reductions -------------------------------------------------------------------------------------------

    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, new int[] {dim}, keepDim);
    }

    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    /** Sums a broadcast result back to shape (the reduction that broadcasting's gradient needs). */
    public Tensor sumTo(int... shape) {
        return Reductions.sumTo(this, shape);
    }

    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, new int[] {dim}, keepDim);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    public Tensor max() {
        return Reductions.extreme(this, true);
    }

    public ValuesAndIndices max(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, true);
    }

    public Tensor min() {
        return Reductions.extreme(this, false);
    }

    public ValuesAndIndices min(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, false);
    }

    /** The index of the largest element along dim (int64). */
    public Tensor argmax(int dim, boolean keepDim) {
        return max(dim, keepDim).indices();
    }

    /** The unbiased variance of all elements (PyTorch's default). */
    public Tensor var() {
        return Reductions.var(this, null, true, false);
    }

    public Tensor var(int dim, boolean unbiased, boolean keepDim) {
        return Reductions.var(this, new int[] {dim}, unbiased, keepDim);
    }

    public Tensor var(int[] dims, boolean unbiased, boolean keepDim) {
        return Reductions.var(this, dims, unbiased, keepDim);
    }

    public Tensor std() {
        return Reductions.std(this, null, true, false);
    }

    public Tensor std(int dim, boolean unbiased, boolean keepDim) {
        return Reductions.std(this, new int[] {dim}, unbiased, keepDim);
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepDim) {
        return Reductions.std(this, dims, unbiased, keepDim);
    }

    public Tensor logsumexp(int dim, boolean keepDim) {
        return Reductions.logsumexp(this, new int[] {dim}, keepDim);
    }

    public Tensor logsumexp(int[] dims, boolean keepDim) {
        return Reductions.logsumexp(this, dims, keepDim);
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return Reductions.norm(this, 2.0, null, false);
    }

    /** The p-norm of all elements (p &gt; 0, or Double.POSITIVE_INFINITY). */
    public Tensor norm(double p) {
        return Reductions.norm(this, p, null, false);
    }

    public Tensor norm(double p, int dim, boolean keepDim) {
        return Reductions.norm(this, p, new int[] {dim}, keepDim);
    }

    public Tensor norm(double p, int[] dims, boolean keepDim) {
        return Reductions.norm(this, p, dims, keepDim);
    }

    // ---- linear algebra and softmax ---------------------------------------------------------------------------

    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Tensor softmax(int dim) {
        return Softmax.softmax(this, dim);
    }

    public Tensor logSoftmax(int dim) {
        return Softmax.logSoftmax(this, dim);
    }

    // ---- shape and indexing -----------------------------------------------------------------------------------

    public Tensor transpose(int d0, int d1) {
        return Views.transpose(this, d0, d1);
    }

    /** The transpose of a matrix (a vector or scalar is returned as a view of itself). */
    public Tensor t() {
        return Views.t(this);
    }

    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    public Tensor reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    public Tensor view(int... shape) {
        return Views.view(this, shape);
    }

    public Tensor flatten() {
        return Views.reshape(this, -1);
    }

    /**
     * Merges dimensions startDim..endDim (inclusive; negative values count from the end) into one, as PyTorch's
     * {@code x.flatten(start_dim, end_dim)}: a view when the layout allows, else a copy; this tensor itself when
     * startDim and endDim are the same dimension. A 0-d tensor becomes 1-d.
     */
    public Tensor flatten(int startDim, int endDim) {
        int rank = dim();
        int s = Promotion.dim("flatten", startDim, rank);
        int e = Promotion.dim("flatten", endDim, rank);
        if (s > e) {
            throw new ShapeException("flatten: startDim " + startDim + " comes after endDim " + endDim + " for a "
                    + "tensor of shape " + Arrays.toString(shape()) + "; pass startDim <= endDim");
        }
        if (rank == 0) {
            return Views.reshape(this, 1);
        }
        if (s == e) {
            return this;
        }
        int[] in = data.shape();
        int[] out = new int[rank - (e - s)];
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= in[i];
        }
        System.arraycopy(in, 0, out, 0, s);
        out[s] = merged;
        System.arraycopy(in, e + 1, out, s + 1, rank - e - 1);
        return Views.reshape(this, out);
    }

    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    public Tensor expand(int... shape) {
        return Views.expand(this, shape);
    }

    public Tensor expandAs(Tensor other) {
        return Views.expand(this, other.data.shape());
    }

    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    /** Python's {@code x[..., start:end]} along dim (negative and out-of-range bounds clamp like Python). */
    public Tensor slice(int dim, int start, int end) {
        return Views.slice(this, dim, start, end, 1);
    }

    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    /** Python's {@code x[..., index]} along dim: removes that dimension. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** {@code x[i]}: select(0, i). */
    public Tensor get(int index) {
        return Views.select(this, 0, index);
    }

    public List<Tensor> split(int splitSize, int dim) {
        return Views.split(this, splitSize, dim);
    }

    public List<Tensor> split(int[] sizes, int dim) {
        return Views.splitWithSizes(this, sizes, dim);
    }

    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    // ---- copies and conversions -------------------------------------------------------------------------------

    /** A copy with its own storage; recorded, so gradients flow back to this tensor. */
    @Override
    public Tensor clone() {
        return Conversions.clone(this);
    }

    public Tensor contiguous() {
        return Conversions.contiguous(this);
    }

    public Tensor to(DType type) {
        return Conversions.to(this, type);
    }

    public static Tensor onesLike(Tensor t) {
        return Internal.wrap(Kernels.full(t.dtype(), t.data.shape(), 1.0));
    }

    // ---- in-place ops -----------------------------------------------------------------------------------------

    public Tensor add_(Tensor other) {
        return InPlace.update("add_", this, Op.ADD, other, null, 1, 0, s -> s.add(other));
    }

    /** {@code this += alpha * other}, PyTorch's {@code add_(other, alpha=alpha)}. */
    public Tensor add_(Tensor other, double alpha) {
        return InPlace.update("add_", this, Op.ADD, other, null, alpha, 0, s -> s.add(scaled(other, alpha)));
    }

    public Tensor add_(double other) {
        return InPlace.update("add_", this, Op.ADD_SCALAR, null, null, other, 0, s -> s.add(other));
    }

    public Tensor add_(long other) {
        return InPlace.update("add_", this, Op.ADD_SCALAR, null, null, other, 0, s -> s.add(other));
    }

    public Tensor sub_(Tensor other) {
        return InPlace.update("sub_", this, Op.ADD, other, null, -1, 0, s -> s.sub(other));
    }

    /** {@code this -= alpha * other}, PyTorch's {@code sub_(other, alpha=alpha)}. */
    public Tensor sub_(Tensor other, double alpha) {
        return InPlace.update("sub_", this, Op.ADD, other, null, -alpha, 0, s -> s.sub(scaled(other, alpha)));
    }

    public Tensor sub_(double other) {
        return InPlace.update("sub_", this, Op.ADD_SCALAR, null, null, -other, 0, s -> s.sub(other));
    }

    public Tensor sub_(long other) {
        return InPlace.update("sub_", this, Op.ADD_SCALAR, null, null, -(double) other, 0, s -> s.sub(other));
    }

    /** alpha * t, kept an integer multiple for integer tensors when alpha is whole (as PyTorch requires). */
    private static Tensor scaled(Tensor t, double alpha) {
        if (alpha == 1) {
            return t;
        }
        return alpha == Math.rint(alpha) && !t.dtype().isFloatingPoint() ? t.mul((long) alpha) : t.mul(alpha);
    }

    public Tensor mul_(Tensor other) {
        return InPlace.update("mul_", this, Op.MUL, other, null, 0, 0, s -> s.mul(other));
    }

    public Tensor mul_(double other) {
        return InPlace.update("mul_", this, Op.MUL_SCALAR, null, null, other, 0, s -> s.mul(other));
    }

    public Tensor mul_(long other) {
        return InPlace.update("mul_", this, Op.MUL_SCALAR, null, null, other, 0, s -> s.mul(other));
    }

    public Tensor div_(Tensor other) {
        return InPlace.update("div_", this, Op.DIV, other, null, 0, 0, s -> s.div(other));
    }

    public Tensor div_(double other) {
        return InPlace.update("div_", this, Op.DIV_SCALAR, null, null, other, 0, s -> s.div(other));
    }

    /** {@code this += value * t1 * t2}, PyTorch's {@code addcmul_(t1, t2, value=value)}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        return InPlace.update("addcmul_", this, Op.ADDCMUL, t1, t2, value, 0,
                s -> s.add(scaled(t1, value).mul(t2)));
    }

    /** {@code this += t1 * t2} (value 1). */
    public Tensor addcmul_(Tensor t1, Tensor t2) {
        return addcmul_(t1, t2, 1.0);
    }

    /** {@code this += value * t1 / t2}, PyTorch's {@code addcdiv_(t1, t2, value=value)}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        return InPlace.update("addcdiv_", this, Op.ADDCDIV, t1, t2, value, 0,
                s -> s.add(scaled(t1, value).div(t2)));
    }

    /** {@code this += t1 / t2} (value 1). */
    public Tensor addcdiv_(Tensor t1, Tensor t2) {
        return addcdiv_(t1, t2, 1.0);
    }

    /**
     * Linear interpolation towards end, PyTorch's {@code lerp_(end, weight)}: {@code this + weight * (end - this)},
     * computed as {@code end - (end - this) * (1 - weight)} when |weight| &gt;= 0.5 (exact at weight 1).
     */
    public Tensor lerp_(Tensor end, double weight) {
        return InPlace.update("lerp_", this, Op.LERP_SCALAR, end, null, weight, 0, s -> Math.abs(weight) < 0.5
                ? s.add(end.sub(s).mul(weight)) : end.sub(end.sub(s).mul(1 - weight)));
    }

    /** lerp_ with a weight per element (broadcast to this tensor's shape). */
    public Tensor lerp_(Tensor end, Tensor weight) {
        return InPlace.update("lerp_", this, Op.LERP, end, weight, 0, 0, s -> Ember.where(weight.abs().lt(0.5),
                s.add(end.sub(s).mul(weight)), end.sub(end.sub(s).mul(weight.rsub(1.0)))));
    }

    public Tensor pow_(double exponent) {
        return InPlace.apply("pow_", this, new Tensor[0], s -> s.pow(exponent));
    }

    public Tensor sqrt_() {
        return InPlace.update("sqrt_", this, Op.SQRT, null, null, 0, 0, Tensor::sqrt);
    }

    public Tensor neg_() {
        return InPlace.update("neg_", this, Op.NEG, null, null, 0, 0, Tensor::neg);
    }

    /** Clamps in place to [min, max]; a NaN bound means no bound on that side. */
    public Tensor clamp_(double min, double max) {
        return InPlace.update("clamp_", this, Op.CLAMP, null, null, min, max, s -> s.clamp(min, max));
    }

    public Tensor relu_() {
        return InPlace.update("relu_", this, Op.RELU, null, null, 0, 0, Tensor::relu);
    }

    /** Sets every element to zero (recorded with a zero gradient when it must be). */
    public Tensor zero_() {
        return fill_(0.0);
    }

    public Tensor fill_(double value) {
        return InPlace.update("fill_", this, Op.FILL, null, null, value, 0, s -> s.requiresGrad()
                ? s.mul(0.0).add(value) : Internal.wrap(Kernels.full(s.dtype(), s.impl().shape(), value)));
    }

    /** Copies src (broadcast to this shape, cast to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        return InPlace.copy(this, src);
    }

    /** Fills with samples of N(mean, std) from the global generator, as PyTorch's normal_. */
    public Tensor normal_(double mean, double std) {
        return fillRandom("normal_", c -> Kernels.normal(c, mean, std));
    }

    /** Fills with samples of U[from, to) from the global generator, as PyTorch's uniform_. */
    public Tensor uniform_(double from, double to) {
        return fillRandom("uniform_", c -> Kernels.uniform(c, from, to));
    }

    private Tensor fillRandom(String op, java.util.function.Consumer<TensorData> fill) {
        if (GradMode.isEnabled() && isLeaf() && requiresGrad()) {
            return InPlace.apply(op, this, new Tensor[0], s -> s);
        }
        TensorData fresh = Kernels.empty(dtype(), data.shape());
        try {
            fill.accept(fresh);
        } catch (IllegalArgumentException e) {
            throw new EmberException(op + "(): " + e.getMessage(), e);
        }
        return InPlace.apply(op, this, new Tensor[0], s -> Internal.wrap(fresh));
    }

    // ---- printing ---------------------------------------------------------------------------------------------

    /**
     * PyTorch's repr: {@code tensor([1., 2.], requires_grad=true)}, {@code tensor(11., grad_fn=<SumBackward>)}; a
     * dual tensor inside its level shows its tangent, {@code tensor(1., tangent=2.0)}.
     */
    @Override
    public String toString() {
        String suffix = gradFn != null ? "grad_fn=<" + gradFn.name() + ">" : requiresGrad ? "requires_grad=true" : null;
        Tensor t = ForwardAD.isActive() ? ForwardAD.tangentOf(this) : null;
        if (t != null) {
            // PyTorch formats the tangent with "{}".format(tangent): a 0-d tangent prints as a Python float
            String ts = "tangent=" + (t.dim() == 0 ? pythonFloat(t.item()) : t.toString());
            suffix = suffix == null ? ts : suffix + ", " + ts;
        }
        return TensorFormatter.format(toDoubleArray(), data.shape(), dtype(), suffix);
    }

    /** Python's repr of a float: shortest digits, scientific below 1e-4 and from 1e16 ({@code 1e-05}, {@code 2.0}). */
    static String pythonFloat(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
