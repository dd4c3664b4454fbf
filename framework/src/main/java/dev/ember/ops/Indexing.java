package dev.ember.ops;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.TensorData;

import java.util.Arrays;

/**
 * Index-based ops: gather and indexSelect, and their adjoints scatterAdd, indexAdd and sliceScatter (which are the
 * backward formulas of gather, indexSelect, slice and select, and differentiable themselves). All are linear in
 * their tensor input, so each one's tangent is the same op applied to the input's tangent.
 *
 * <pre>{@code
 * Tensor picked = Indexing.gather(logits, 1, labels.unsqueeze(1));   // what logits.gather(1, idx) calls
 * }</pre>
 */
public final class Indexing {
    private Indexing() {
    }

    private static void checkIndex(String op, Tensor index) {
        if (index.dtype() != DType.INT64) {
            throw new DTypeException(op + ": the index must be an int64 tensor but is " + index.dtype()
                    + "; build it with Ember.fromArray(long[]...) or convert it with .to(DType.INT64)");
        }
    }

    private static void checkRange(String op, Tensor a, Tensor index, int size, int dim) {
        long[] idx = Kernels.toLongs(index.impl());
        for (long i : idx) {
            if (i < 0 || i >= size) {
                throw new ShapeException(op + ": index " + i + " is out of bounds for dimension " + dim
                        + " with size " + size + " (input shape " + Arrays.toString(a.shape()) + ", index shape "
                        + Arrays.toString(index.shape()) + "); indices must be in [0, " + size + ")");
            }
        }
    }

    public static Tensor gather(Tensor a, int dim, Tensor index) {
        checkIndex("gather", index);
        int d = Promotion.dim("gather", dim, a.dim());
        int[] as = a.impl().shape();
        int[] is = index.impl().shape();
        if (is.length != as.length) {
            throw new ShapeException("gather: the index has " + is.length + " dimensions (shape " + Arrays.toString(is)
                    + ") but the input has " + as.length + " (shape " + Arrays.toString(as) + "): they must match");
        }
        for (int k = 0; k < as.length; k++) {
            if (k != d && is[k] > as[k]) {
                throw new ShapeException("gather: the index's size " + is[k] + " exceeds the input's size " + as[k]
                        + " in dimension " + k + " (index shape " + Arrays.toString(is) + ", input shape "
                        + Arrays.toString(as) + ")");
            }
        }
        checkRange("gather", a, index, as.length == 0 ? 1 : as[d], dim);
        Tensor out = Internal.wrap(Kernels.gather(a.impl(), d, index.impl()));
        if (Internal.recording(a)) {
            Internal.attach(out, new GatherBackward(a, d, index), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.gather(d, index)) : out;
    }

    static final class GatherBackward extends Node {
        private final int dim;
        private final SavedTensor index;

        GatherBackward(Tensor a, int dim, Tensor index) {
            super(a);
            this.dim = dim;
            this.index = save(index);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {scatterAdd(inputShape(0), dim, index.get(), g[0])};
        }
    }

    /** Zeros of {@code shape} with src added at the positions index selects along dim (gather's adjoint). */
    public static Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src) {
        Tensor out = Internal.wrap(Kernels.scatterAdd(shape, dim, index.impl(), src.impl()));
        if (Internal.recording(src)) {
            Internal.attach(out, new ScatterAddBackward(src, dim, index), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, src, t -> scatterAdd(shape, dim, index, t)) : out;
    }

    static final class ScatterAddBackward extends Node {
        private final int dim;
        private final SavedTensor index;

        ScatterAddBackward(Tensor src, int dim, Tensor index) {
            super(src);
            this.dim = dim;
            this.index = save(index);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].gather(dim, index.get())};
        }
    }

    public static Tensor indexSelect(Tensor a, int dim, Tensor index) {
        checkIndex("indexSelect", index);
        if (index.dim() > 1) {
            throw new ShapeException("indexSelect: the index must be 0-d or 1-d, got shape "
                    + Arrays.toString(index.shape()));
        }
        int d = Promotion.dim("indexSelect", dim, a.dim());
        checkRange("indexSelect", a, index, a.dim() == 0 ? 1 : a.impl().size(d), dim);
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        if (a.dim() == 0) {
            return a.reshape(1).indexSelect(0, idx).reshape(index.impl().shape());
        }
        Tensor out = Internal.wrap(Kernels.indexSelect(a.impl(), d, idx.impl()));
        if (Internal.recording(a)) {
            Internal.attach(out, new IndexSelectBackward(a, d, idx), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> ta.indexSelect(d, idx)) : out;
    }

    static final class IndexSelectBackward extends Node {
        private final int dim;
        private final SavedTensor index;

        IndexSelectBackward(Tensor a, int dim, Tensor index) {
            super(a);
            this.dim = dim;
            this.index = save(index);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {indexAdd(inputShape(0), dim, index.get(), g[0])};
        }
    }

    /** Zeros of {@code shape} with src's slices added at index along dim (indexSelect's adjoint). */
    public static Tensor indexAdd(int[] shape, int dim, Tensor index, Tensor src) {
        Tensor out = Internal.wrap(Kernels.indexAdd(shape, dim, index.impl(), src.impl()));
        if (Internal.recording(src)) {
            Internal.attach(out, new IndexAddBackward(src, dim, index), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, src, t -> indexAdd(shape, dim, index, t)) : out;
    }

    static final class IndexAddBackward extends Node {
        private final int dim;
        private final SavedTensor index;

        IndexAddBackward(Tensor src, int dim, Tensor index) {
            super(src);
            this.dim = dim;
            this.index = save(index);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].indexSelect(dim, index.get())};
        }
    }

    /** Zeros of {@code shape} with src written into the slice start:end:step of dim (slice's adjoint). */
    public static Tensor sliceScatter(int[] shape, Tensor src, int dim, int start, int end, int step) {
        TensorData out = Kernels.empty(src.dtype(), shape);
        Kernels.copyInto(out.slice(dim, start, end, step), src.impl());
        Tensor result = Internal.wrap(out);
        if (Internal.recording(src)) {
            Internal.attach(result, new SliceScatterBackward(src, dim, start, end, step), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(result, src, t -> sliceScatter(shape, t, dim, start, end, step))
                : result;
    }

    static final class SliceScatterBackward extends Node {
        private final int dim;
        private final int start;
        private final int end;
        private final int step;

        SliceScatterBackward(Tensor src, int dim, int start, int end, int step) {
            super(src);
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].slice(dim, start, end, step)};
        }
    }
}
