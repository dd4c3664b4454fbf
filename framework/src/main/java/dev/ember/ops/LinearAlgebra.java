package dev.ember.ops;

import dev.ember.DTypeException;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;

import java.util.Arrays;

/**
 * matmul with PyTorch's semantics: vector·vector (dot), matrix·vector, vector·matrix, matrix·matrix, and batches
 * with broadcast batch dimensions. Backward: grad·Bᵀ and Aᵀ·grad, summed over broadcast batch dimensions, each
 * computed in the memory layout of its input (a transposed input gets a transposed gradient, so that after the
 * transpose's own backward the leaf's gradient is contiguous, as in PyTorch). Forward mode: dA·B + A·dB.
 *
 * <p>{@link #linear} is a linear layer's x·Wᵀ + b as one op: one GEMM with W's transpose flag and the bias as its
 * C operand, and a backward that computes dX = dY·W, dW = dYᵀ·X (contiguous, in W's [out, in] layout) and
 * db = Σ dY over the rows.
 *
 * <pre>{@code
 * Tensor y = LinearAlgebra.matmul(x, w.t());   // what x.matmul(w.t()) calls
 * Tensor z = LinearAlgebra.linear(x, w, b);    // x wᵀ + b in one node (AddmmBackward)
 * }</pre>
 */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeException("matmul: both arguments need at least 1 dimension, but got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + "; for a product with a "
                    + "scalar use mul");
        }
        if (a.dtype() != b.dtype()) {
            throw new DTypeException("matmul: expected both operands to have the same dtype, but got " + a.dtype()
                    + " " + Arrays.toString(a.shape()) + " and " + b.dtype() + " " + Arrays.toString(b.shape())
                    + ": convert one with .to(" + a.dtype().name() + ")");
        }
        Promotion.requireFloat("matmul", a);
        TensorData ad = a.dim() == 1 ? a.impl().unsqueeze(0) : a.impl();
        TensorData bd = b.dim() == 1 ? b.impl().unsqueeze(1) : b.impl();
        int m = ad.size(ad.dim() - 2);
        int k = ad.size(ad.dim() - 1);
        int k2 = bd.size(bd.dim() - 2);
        int n = bd.size(bd.dim() - 1);
        if (k != k2) {
            throw new ShapeException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n
                    + "): the last dimension of the first must equal the "
                    + (b.dim() == 1 ? "size of the vector" : "second-to-last dimension of the second"));
        }
        int[] abatch = Arrays.copyOf(ad.shape(), ad.dim() - 2);
        int[] bbatch = Arrays.copyOf(bd.shape(), bd.dim() - 2);
        int[] batch = Shapes.broadcast(abatch, bbatch);
        if (batch == null) {
            throw new ShapeException("matmul: batch dimensions " + Arrays.toString(abatch) + " and "
                    + Arrays.toString(bbatch) + " (of shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + ") cannot be broadcast together");
        }
        int nb = Shapes.numel(batch);
        TensorData c;
        if (batch.length == 0) {
            c = Kernels.mm(ad, bd);   // transposed operands reach the GEMM without a copy
        } else {
            c = Kernels.bmm(batched(ad, batch, nb), batched(bd, batch, nb));
        }
        int[] outShape = concat(batch, m, n);
        if (a.dim() == 1) {
            outShape = Shapes.remove(outShape, outShape.length - 2);
        }
        if (b.dim() == 1) {
            outShape = Shapes.remove(outShape, outShape.length - 1);
        }
        Tensor out = Internal.wrap(TensorData.contiguous(c.storage(), outShape));
        if (Internal.recording(a, b)) {
            Internal.attach(out, new MatmulBackward(a, b), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, a, b, (ta, tb) -> MatmulBackward.jvp(a, b, ta, tb)) : out;
    }

    /**
     * t [..., r, c] broadcast to the batch dimensions and flattened to [nb, r, c]: a view (broadcast batches get a
     * stride of 0 and are not copied) unless several batch dimensions cannot be merged into one.
     */
    private static TensorData batched(TensorData t, int[] batch, int nb) {
        int r = t.size(t.dim() - 2);
        int cols = t.size(t.dim() - 1);
        TensorData e = t.expand(concat(batch, r, cols));
        int[] flat = {nb, r, cols};
        TensorData v = e.viewAs(flat);
        return v != null ? v : Kernels.contiguous(e).viewAs(flat);
    }

    /**
     * x·Wᵀ + b (PyTorch's {@code F.linear}): input [*, in], weight [out, in], bias [out] or null, all of one floating
     * dtype; the result is [*, out]. A 2-d input is one op (recorded as {@code AddmmBackward}, or {@code MmBackward}
     * without a bias, PyTorch's names for the same product; its edges lead to the input, the weight and the bias
     * themselves, where PyTorch's lead to the weight through a {@code TBackward}). Other inputs are reshaped to
     * [N, in] and back around it; a 1-d input is treated as one row.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight == null || weight.dim() != 2) {
            throw new ShapeException("linear: the weight must be a matrix [out, in], got "
                    + (weight == null ? "null" : "shape " + Arrays.toString(weight.shape())));
        }
        if (input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new ShapeException("linear: input of shape " + Arrays.toString(input.shape()) + " and weight of "
                    + "shape " + Arrays.toString(weight.shape()) + ": the input's last dimension must be "
                    + weight.size(1));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new ShapeException("linear: the bias has shape " + Arrays.toString(bias.shape()) + " but the weight "
                    + "has " + weight.size(0) + " outputs; the bias must have shape [" + weight.size(0) + "]");
        }
        if (input.dtype() != weight.dtype() || (bias != null && bias.dtype() != weight.dtype())) {
            throw new DTypeException("linear: expected the input, weight and bias to have one dtype, but got input "
                    + input.dtype() + ", weight " + weight.dtype() + (bias == null ? "" : ", bias " + bias.dtype())
                    + ": convert with .to(" + weight.dtype().name() + ")");
        }
        Promotion.requireFloat("linear", input);
        if (input.dim() == 2) {
            return linear2d(input, weight, bias);
        }
        int[] outShape = input.shape();
        outShape[outShape.length - 1] = weight.size(0);
        return linear2d(input.reshape(-1, weight.size(1)), weight, bias).reshape(outShape);
    }

    private static Tensor linear2d(Tensor x, Tensor w, Tensor b) {
        Tensor out = Internal.wrap(Kernels.linear(x.impl(), w.impl(), b == null ? null : b.impl()));
        if (Internal.recording(x, w, b)) {
            Internal.attach(out, new LinearBackward(x, w, b), 0);
        }
        if (!ForwardAD.isActive()) {
            return out;
        }
        return b == null ? Jvp.binary(out, x, w, (tx, tw) -> LinearBackward.jvp(x, w, tx, tw, null))
                : Jvp.nary(out, new Tensor[] {x, w, b}, t -> LinearBackward.jvp(x, w, t[0], t[1], t[2]));
    }

    /** The backward of x [m, in] · Wᵀ + b: three GEMM-shaped formulas, each a Tensor op (so it differentiates). */
    static final class LinearBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor w;
        private final boolean hasBias;

        LinearBackward(Tensor x, Tensor w, Tensor b) {
            super(x, w, b);
            this.x = needsInputGrad(1) ? save(x) : null;
            this.w = needsInputGrad(0) ? save(w) : null;
            this.hasBias = b != null;
        }

        @Override
        public String name() {
            return hasBias ? "AddmmBackward" : "MmBackward";
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor go = g[0];
            Tensor gx = needsInputGrad(0) ? go.matmul(w.get()) : null;        // dY·W: [m, out]·[out, in]
            Tensor gw = needsInputGrad(1) ? go.t().matmul(x.get()) : null;    // dYᵀ·X, W's own layout
            Tensor gb = needsInputGrad(2) ? go.sum(0, false) : null;          // column sums of dY
            return new Tensor[] {gx, gw, gb};
        }

        /** d(x Wᵀ + b) = dx Wᵀ + x dWᵀ + db, each product again one fused linear. */
        static Tensor jvp(Tensor x, Tensor w, Tensor tx, Tensor tw, Tensor tb) {
            if (tx != null) {
                Tensor r = linear(tx, w, tb);
                return tw == null ? r : r.add(linear(x, tw, null));
            }
            return tw != null ? linear(x, tw, tb) : tb;
        }
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }

    static final class MatmulBackward extends Node {
        private final SavedTensor a;
        private final SavedTensor b;
        private final String name;
        private final int[] inputStrides0;
        private final int[] inputStrides1;

        MatmulBackward(Tensor a, Tensor b) {
            super(a, b);
            this.a = needsInputGrad(1) ? save(a) : null;
            this.b = needsInputGrad(0) ? save(b) : null;
            this.inputStrides0 = a.impl().strides();
            this.inputStrides1 = b.impl().strides();
            int ra = a.dim();
            int rb = b.dim();
            this.name = ra == 1 && rb == 1 ? "DotBackward" : ra == 2 && rb == 1 ? "MvBackward"
                    : ra == 2 && rb == 2 ? "MmBackward" : "MatmulBackward";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            int ra = inputShape(0).length;
            int rb = inputShape(1).length;
            Tensor go = g[0];
            if (ra == 1) {
                go = go.unsqueeze(rb == 1 ? 0 : -2);
            }
            if (rb == 1) {
                go = go.unsqueeze(-1);
            }
            Tensor ga = null;
            Tensor gb = null;
            if (ra == 2 && rb == 2) {
                // Each gradient in its input's layout: for a transposed input (such as w.t()) the transposed
                // product, so that the transpose's backward hands the leaf a contiguous gradient (PyTorch's
                // mm_mat1_backward / mm_mat2_backward). The transposes are views; the GEMM takes them by flag.
                if (needsInputGrad(0)) {
                    Tensor bv = b.get();
                    ga = transposed(inputStrides0) ? bv.matmul(go.t()).t() : go.matmul(bv.t());
                }
                if (needsInputGrad(1)) {
                    Tensor av = a.get();
                    gb = transposed(inputStrides1) ? go.t().matmul(av).t() : av.t().matmul(go);
                }
                return new Tensor[] {ga, gb};
            }
            if (needsInputGrad(0)) {
                Tensor bv = b.get();
                Tensor b2 = rb == 1 ? bv.unsqueeze(1) : bv;
                ga = go.matmul(b2.transpose(-1, -2));
                ga = ra == 1 ? ga.sumTo(new int[] {1, inputShape(0)[0]}).reshape(inputShape(0))
                        : ga.sumTo(inputShape(0));
            }
            if (needsInputGrad(1)) {
                Tensor av = a.get();
                Tensor a2 = ra == 1 ? av.unsqueeze(0) : av;
                gb = a2.transpose(-1, -2).matmul(go);
                gb = rb == 1 ? gb.sumTo(new int[] {inputShape(1)[0], 1}).reshape(inputShape(1))
                        : gb.sumTo(inputShape(1));
            }
            return new Tensor[] {ga, gb};
        }

        /** True for the strides of a 2-d matrix stored column by column: [1, ld] with ld above 1. */
        private static boolean transposed(int[] strides) {
            return strides.length == 2 && strides[0] == 1 && strides[1] > 1;
        }

        /** d(AB) = dA B + A dB. */
        static Tensor jvp(Tensor a, Tensor b, Tensor ta, Tensor tb) {
            return Jvp.plus(ta == null ? null : ta.matmul(b), tb == null ? null : a.matmul(tb));
        }
    }
}
