package dev.ember.ops;

import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.kernels.Kernels;
import dev.ember.kernels.Shapes;
import dev.ember.kernels.TensorData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape ops. Those that PyTorch makes views (transpose, permute, view, reshape when possible, squeeze, unsqueeze,
 * expand, narrow, slice, select, split) share the input's storage and version counter; cat and stack copy.
 * In forward mode the tangent of a view is the same view of the input's tangent (so in-place updates of a tangent
 * show through its views, as in PyTorch); the tangent of cat and stack is the cat or stack of the tangents.
 *
 * <pre>{@code
 * Tensor t = Views.transpose(m, 0, 1);   // what m.transpose(0, 1) calls; t shares m's storage
 * }</pre>
 */
public final class Views {
    private Views() {
    }

    private static Tensor view(Tensor a, TensorData d, Node node) {
        Tensor out = Internal.view(d, a);
        return Internal.recording(a) ? Internal.attach(out, node, 0) : out;
    }

    /**
     * A view of all of a (same shape, storage and version counter), recorded as a view named nodeName when a
     * requires grad: what makeDual and unpackDual return (PyTorch's ViewBackward and AliasBackward).
     */
    public static Tensor alias(Tensor a, String nodeName) {
        Tensor v = view(a, a.impl().alias(), Internal.recording(a) ? new ViewBackward(a, nodeName) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t) : v;
    }

    public static Tensor transpose(Tensor a, int d0, int d1) {
        int r = a.dim();
        int x = Promotion.dim("transpose", d0, r);
        int y = Promotion.dim("transpose", d1, r);
        if (r == 0) {
            Tensor v = view(a, a.impl().alias(), Internal.recording(a) ? new TransposeBackward(a, 0, 0) : null);
            return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.transpose(d0, d1)) : v;
        }
        Tensor v = view(a, a.impl().transpose(x, y), Internal.recording(a) ? new TransposeBackward(a, x, y) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.transpose(x, y)) : v;
    }

    static final class TransposeBackward extends Node {
        private final int d0;
        private final int d1;

        TransposeBackward(Tensor a, int d0, int d1) {
            super(a);
            this.d0 = d0;
            this.d1 = d1;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].dim() == 0 ? g[0] : g[0].transpose(d0, d1)};
        }
    }

    /**
     * PyTorch's {@code t()}: the transpose of a matrix; a vector or a scalar is returned as a view of itself.
     * Recorded as TBackward, PyTorch's name (Tensor.t() should call this).
     */
    public static Tensor t(Tensor a) {
        if (a.dim() > 2) {
            throw new ShapeException("t(): expects a tensor with at most 2 dimensions, but this one has shape "
                    + Arrays.toString(a.shape()) + "; use transpose(d0, d1) or permute");
        }
        TensorData d = a.dim() < 2 ? a.impl().alias() : a.impl().transpose(0, 1);
        Tensor v = view(a, d, Internal.recording(a) ? new TBackward(a) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, Tensor::t) : v;
    }

    static final class TBackward extends Node {
        TBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].dim() < 2 ? g[0] : g[0].transpose(0, 1)};
        }
    }

    public static Tensor permute(Tensor a, int... dims) {
        int r = a.dim();
        if (dims.length != r) {
            throw new ShapeException("permute: got " + dims.length + " dimensions " + Arrays.toString(dims)
                    + " for a tensor of " + r + " dimensions (shape " + Arrays.toString(a.shape())
                    + "): give each dimension exactly once");
        }
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Promotion.dim("permute", dims[i], r);
            if (seen[p[i]]) {
                throw new ShapeException("permute: dimension " + dims[i] + " repeats in " + Arrays.toString(dims)
                        + ": give each dimension exactly once");
            }
            seen[p[i]] = true;
        }
        Tensor v = view(a, a.impl().permute(p), Internal.recording(a) ? new PermuteBackward(a, p) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.permute(p)) : v;
    }

    static final class PermuteBackward extends Node {
        private final int[] inverse;

        PermuteBackward(Tensor a, int[] p) {
            super(a);
            inverse = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                inverse[p[i]] = i;
            }
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].permute(inverse)};
        }
    }

    /** Resolves one -1 entry and checks the element count. */
    static int[] inferShape(String op, Tensor a, int[] shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException(op + ": only one dimension can be inferred (-1), got "
                            + Arrays.toString(shape) + " for a tensor of shape " + Arrays.toString(a.shape())
                            + "; give the other sizes explicitly");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeException(op + ": invalid size " + s[i] + " in " + Arrays.toString(shape)
                        + " for a tensor of shape " + Arrays.toString(a.shape()) + "; sizes must be 0 or more, or -1 "
                        + "for the one dimension to infer");
            } else {
                known *= s[i];
            }
        }
        int n = a.numel();
        if (infer >= 0 && known != 0 && n % known == 0) {
            s[infer] = (int) (n / known);
        } else if (infer >= 0 || known != n) {
            throw new ShapeException(op + ": shape " + Arrays.toString(shape) + " is invalid for a tensor of "
                    + n + " elements (shape " + Arrays.toString(a.shape()) + "): the new shape must have the same "
                    + "number of elements");
        }
        return s;
    }

    /** view: always a view; fails when the strides do not allow one. */
    public static Tensor view(Tensor a, int... shape) {
        int[] s = inferShape("view", a, shape);
        TensorData d = a.impl().viewAs(s);
        if (d == null) {
            throw new ShapeException("view: a tensor of shape " + Arrays.toString(a.shape()) + " with strides "
                    + Arrays.toString(a.impl().strides()) + " cannot be viewed as " + Arrays.toString(shape)
                    + " without copying (it is not contiguous): use reshape(...) or contiguous().view(...)");
        }
        Tensor v = view(a, d, Internal.recording(a) ? new ViewBackward(a, "ViewBackward") : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.view(s)) : v;
    }

    /** reshape: a view when possible, else a copy. */
    public static Tensor reshape(Tensor a, int... shape) {
        int[] s = inferShape("reshape", a, shape);
        // PyTorch 1.13 records a reshape that can be a view as _reshape_alias (ReshapeAliasBackward0)
        if (Arrays.equals(s, a.impl().shape())) {
            Tensor v = view(a, a.impl().alias(),
                    Internal.recording(a) ? new ViewBackward(a, "ReshapeAliasBackward") : null);
            return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.reshape(s)) : v;
        }
        TensorData d = a.impl().viewAs(s);
        if (d != null) {
            Tensor v = view(a, d, Internal.recording(a) ? new ViewBackward(a, "ReshapeAliasBackward") : null);
            return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.reshape(s)) : v;
        }
        Tensor out = Internal.wrap(TensorData.contiguous(Kernels.contiguous(a.impl()).storage(), s));
        if (Internal.recording(a)) {
            Internal.attach(out, new ViewBackward(a, "UnsafeViewBackward"), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, t -> t.reshape(s)) : out;
    }

    static final class ViewBackward extends Node {
        private final String name;

        ViewBackward(Tensor a, String name) {
            super(a);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].reshape(inputShape(0))};
        }
    }

    public static Tensor squeeze(Tensor a) {
        TensorData d = a.impl();
        for (int i = d.dim() - 1; i >= 0; i--) {
            if (d.size(i) == 1) {
                d = d.squeeze(i);
            }
        }
        Tensor v = view(a, d == a.impl() ? d.alias() : d,
                Internal.recording(a) ? new ReshapeLikeBackward(a, "SqueezeBackward") : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, Tensor::squeeze) : v;
    }

    public static Tensor squeeze(Tensor a, int dim) {
        int d = Promotion.dim("squeeze", dim, a.dim());
        TensorData out = a.dim() > 0 && a.impl().size(d) == 1 ? a.impl().squeeze(d) : a.impl().alias();
        Tensor v = view(a, out, Internal.recording(a) ? new ReshapeLikeBackward(a, "SqueezeBackward") : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.squeeze(dim)) : v;
    }

    public static Tensor unsqueeze(Tensor a, int dim) {
        int d = Promotion.dim("unsqueeze", dim, a.dim() + 1);
        Tensor v = view(a, a.impl().unsqueeze(d),
                Internal.recording(a) ? new ReshapeLikeBackward(a, "UnsqueezeBackward") : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.unsqueeze(d)) : v;
    }

    /** Backward of ops that only add or drop size-one dimensions. */
    static final class ReshapeLikeBackward extends Node {
        private final String name;

        ReshapeLikeBackward(Tensor a, String name) {
            super(a);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].reshape(inputShape(0))};
        }
    }

    public static Tensor expand(Tensor a, int... shape) {
        int[] src = a.impl().shape();
        if (shape.length < src.length) {
            throw new ShapeException("expand: the target shape " + Arrays.toString(shape) + " has fewer dimensions than"
                    + " the tensor's shape " + Arrays.toString(src));
        }
        int[] target = shape.clone();
        int lead = target.length - src.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - lead;
            if (target[i] < -1) {
                throw new ShapeException("expand: invalid size " + target[i] + " at dimension " + i + " in "
                        + Arrays.toString(shape) + " (tensor of shape " + Arrays.toString(src) + "); sizes must be "
                        + "0 or more, or -1 to keep a dimension");
            }
            if (target[i] == -1) {
                if (j < 0) {
                    throw new ShapeException("expand: -1 is not allowed for the new leading dimension " + i + " in "
                            + Arrays.toString(shape));
                }
                target[i] = src[j];
            }
            if (j >= 0 && src[j] != 1 && src[j] != target[i]) {
                throw new ShapeException("expand: the expanded size " + target[i] + " must match the existing size "
                        + src[j] + " at dimension " + i + " (shape " + Arrays.toString(src) + " to "
                        + Arrays.toString(shape) + "); only dimensions of size 1 can be expanded");
            }
        }
        Tensor v = view(a, a.impl().expand(target), Internal.recording(a) ? new ExpandBackward(a) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.expand(target)) : v;
    }

    static final class ExpandBackward extends Node {
        ExpandBackward(Tensor a) {
            super(a);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].sumTo(inputShape(0))};
        }
    }

    // ---- narrow, slice, select --------------------------------------------------------------------------------

    public static Tensor narrow(Tensor a, int dim, int start, int length) {
        int d = Promotion.dim("narrow", dim, a.dim());
        requireDims("narrow", a);
        int size = a.impl().size(d);
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size) {
            throw new ShapeException("narrow: start " + start + " and length " + length + " are out of range for "
                    + "dimension " + dim + " of size " + size + " (shape " + Arrays.toString(a.shape()) + ")");
        }
        return slice(a, d, s, s + length, 1);
    }

    /** Elements start, start+step, ... below end along dim; start and end are clamped like Python slices. */
    public static Tensor slice(Tensor a, int dim, int start, int end, int step) {
        int d = Promotion.dim("slice", dim, a.dim());
        requireDims("slice", a);
        if (step <= 0) {
            throw new ShapeException("slice: step must be positive, got " + step + " (dimension " + dim
                    + " of a tensor of shape " + Arrays.toString(a.shape()) + "); negative steps are not supported, "
                    + "as in PyTorch");
        }
        int size = a.impl().size(d);
        int s = clampIndex(start, size);
        int e = Math.max(clampIndex(end, size), s);
        Tensor v = view(a, a.impl().slice(d, s, e, step),
                Internal.recording(a) ? new SliceBackward(a, d, s, e, step) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.slice(d, s, e, step)) : v;
    }

    private static int clampIndex(int i, int size) {
        int j = i < 0 ? i + size : i;
        return Math.max(0, Math.min(j, size));
    }

    private static void requireDims(String op, Tensor a) {
        if (a.dim() == 0) {
            throw new ShapeException(op + ": cannot be applied to a 0-d tensor; reshape it to at least one dimension");
        }
    }

    static final class SliceBackward extends Node {
        private final int dim;
        private final int start;
        private final int end;
        private final int step;

        SliceBackward(Tensor a, int dim, int start, int end, int step) {
            super(a);
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {Indexing.sliceScatter(inputShape(0), g[0], dim, start, end, step)};
        }
    }

    public static Tensor select(Tensor a, int dim, int index) {
        int d = Promotion.dim("select", dim, a.dim());
        requireDims("select", a);
        int size = a.impl().size(d);
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new ShapeException("select: index " + index + " is out of bounds for dimension " + dim
                    + " with size " + size + " (shape " + Arrays.toString(a.shape()) + ")");
        }
        Tensor v = view(a, a.impl().select(d, i), Internal.recording(a) ? new SelectBackward(a, d, i) : null);
        return ForwardAD.isActive() ? Jvp.view(v, a, t -> t.select(d, i)) : v;
    }

    static final class SelectBackward extends Node {
        private final int dim;
        private final int index;

        SelectBackward(Tensor a, int dim, int index) {
            super(a);
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {Indexing.sliceScatter(inputShape(0), g[0].unsqueeze(dim), dim, index, index + 1, 1)};
        }
    }

    /** Splits into chunks of splitSize along dim (the last may be smaller); the chunks are views. */
    public static List<Tensor> split(Tensor a, int splitSize, int dim) {
        int d = Promotion.dim("split", dim, a.dim());
        requireDims("split", a);
        if (splitSize <= 0) {
            throw new ShapeException("split: the chunk size must be positive, got " + splitSize + " (dimension "
                    + dim + " of a tensor of shape " + Arrays.toString(a.shape()) + ")");
        }
        int size = a.impl().size(d);
        int chunks = Math.max(1, (size + splitSize - 1) / splitSize);
        int[] sizes = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            sizes[i] = Math.min(splitSize, size - i * splitSize);
        }
        return splitInto(a, sizes, d, "SplitBackward");
    }

    /** Splits into chunks of the given sizes along dim (they must add up to its size); the chunks are views. */
    public static List<Tensor> splitWithSizes(Tensor a, int[] sizes, int dim) {
        int d = Promotion.dim("split", dim, a.dim());
        requireDims("split", a);
        int total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new ShapeException("split: sizes " + Arrays.toString(sizes) + " contain the negative size " + s
                        + "; every chunk size must be 0 or more");
            }
            total += s;
        }
        if (total != a.impl().size(d)) {
            throw new ShapeException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
                    + " but dimension " + dim + " of the tensor of shape " + Arrays.toString(a.shape()) + " has size "
                    + a.impl().size(d) + "; give sizes that add up to " + a.impl().size(d));
        }
        return splitInto(a, sizes.clone(), d, "SplitWithSizesBackward");
    }

    private static List<Tensor> splitInto(Tensor a, int[] sizes, int d, String name) {
        SplitBackward node = Internal.recording(a) ? new SplitBackward(a, sizes, d, name) : null;
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        boolean forward = ForwardAD.isActive();
        for (int i = 0; i < sizes.length; i++) {
            Tensor t = Internal.view(a.impl().narrow(d, start, sizes[i]), a);
            out.add(node == null ? t : Internal.attach(t, node, i));
            if (forward) {
                int from = start;
                int length = sizes[i];
                Jvp.view(t, a, ta -> ta.narrow(d, from, length));
            }
            start += sizes[i];
        }
        return out;
    }

    /** One node for all chunks of a split (several outputs); chunks without a gradient contribute zeros. */
    static final class SplitBackward extends Node {
        private final int[] sizes;
        private final int dim;
        private final String name;

        SplitBackward(Tensor a, int[] sizes, int dim, String name) {
            super(a);
            this.sizes = sizes;
            this.dim = dim;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int numOutputs() {
            return sizes.length;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            List<Tensor> parts = new ArrayList<>(sizes.length);
            Tensor any = Arrays.stream(g).filter(t -> t != null).findFirst().orElseThrow();
            for (int i = 0; i < sizes.length; i++) {
                if (g[i] != null) {
                    parts.add(g[i]);
                } else {
                    int[] s = inputShape(0).clone();
                    s[dim] = sizes[i];
                    parts.add(Ember.zeros(any.dtype(), s));
                }
            }
            return new Tensor[] {Ember.cat(parts, dim)};
        }
    }

    // ---- cat and stack ----------------------------------------------------------------------------------------

    /**
     * Concatenates along dim. As in PyTorch, 1-d tensors without elements (shape [0]) are skipped whatever the
     * others' shapes (the legacy rule that lets {@code cat} start from an empty accumulator); the result's dtype is
     * the promotion of all the inputs' dtypes.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new ShapeException("cat: got an empty list of tensors; pass at least one");
        }
        int count = tensors.size();
        boolean[] skip = new boolean[count];
        int ref = -1;
        for (int i = 0; i < count; i++) {
            Tensor t = tensors.get(i);
            if (t.dim() == 1 && t.numel() == 0) {
                skip[i] = true;
            } else if (ref < 0) {
                ref = i;
            }
        }
        if (ref < 0) {
            ref = 0;
            Arrays.fill(skip, false);
        }
        int[] shape = tensors.get(ref).impl().shape().clone();
        int rank = shape.length;
        dev.ember.DType type = tensors.get(ref).dtype();
        int d = -1;
        int total = 0;
        for (int i = 0; i < count; i++) {
            Tensor t = tensors.get(i);
            type = dev.ember.DType.promote(type, t.dtype());
            if (skip[i]) {
                continue;
            }
            int[] s = t.impl().shape();
            if (s.length == 0) {
                throw new ShapeException("cat: the tensor at position " + i + " is zero-dimensional (a scalar) and "
                        + "cannot be concatenated; unsqueeze(0) it first, or use stack to join scalars");
            }
            if (d < 0) {
                d = Promotion.dim("cat", dim, rank);
            }
            if (s.length != rank) {
                throw new ShapeException("cat: tensor " + i + " has " + s.length + " dimensions (shape "
                        + Arrays.toString(s) + ") but tensor " + ref + " has " + rank + " (shape "
                        + Arrays.toString(shape) + "): all tensors must have the same number of dimensions");
            }
            for (int k = 0; k < rank; k++) {
                if (k != d && s[k] != shape[k]) {
                    throw new ShapeException("cat: sizes of tensors must match except in dimension " + d
                            + ", but tensor " + i + " has shape " + Arrays.toString(s) + " and tensor " + ref
                            + " has shape " + Arrays.toString(shape));
                }
            }
            total += s[d];
        }
        shape[d] = total;
        TensorData out = Kernels.empty(type, shape);
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (skip[i]) {
                continue;
            }
            TensorData t = tensors.get(i).impl();
            int len = t.size(d);
            Kernels.copyInto(out.narrow(d, start, len), t);
            start += len;
        }
        Tensor result = Internal.wrap(out);
        Tensor[] in = tensors.toArray(new Tensor[0]);
        if (Internal.recording(in)) {
            Internal.attach(result, new CatBackward(in, d, skip), 0);
        }
        int cd = d;
        return ForwardAD.isActive() ? Jvp.nary(result, in, t -> CatBackward.jvp(in, t, cd, result.dtype())) : result;
    }

    static final class CatBackward extends Node {
        private final int dim;
        private final boolean[] skipped;

        CatBackward(Tensor[] in, int dim, boolean[] skipped) {
            super(in);
            this.dim = dim;
            this.skipped = skipped;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor[] out = new Tensor[numInputs()];
            int start = 0;
            for (int i = 0; i < out.length; i++) {
                if (skipped[i]) {
                    out[i] = needsInputGrad(i) ? Ember.zeros(g[0].dtype(), 0) : null;
                    continue;
                }
                int len = inputShape(i)[dim];
                if (needsInputGrad(i)) {
                    out[i] = g[0].narrow(dim, start, len);
                }
                start += len;
            }
            return out;
        }

        /** The cat of the tangents (zeros for inputs without one). */
        static Tensor jvp(Tensor[] in, Tensor[] tangents, int dim, dev.ember.DType dtype) {
            List<Tensor> parts = new ArrayList<>(in.length);
            for (int i = 0; i < in.length; i++) {
                parts.add(Jvp.orZeros(tangents[i], in[i], dtype));
            }
            return Ember.cat(parts, dim);
        }
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new ShapeException("stack: got an empty list of tensors; pass at least one");
        }
        int[] shape = tensors.get(0).impl().shape();
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(shape, tensors.get(i).impl().shape())) {
                throw new ShapeException("stack: expects each tensor to be of equal shape, but tensor 0 has shape "
                        + Arrays.toString(shape) + " and tensor " + i + " has shape "
                        + Arrays.toString(tensors.get(i).shape()));
            }
        }
        int d = Promotion.dim("stack", dim, shape.length + 1);
        Tensor out = stackValue(tensors, d);
        Tensor[] in = tensors.toArray(new Tensor[0]);
        if (Internal.recording(in)) {
            Internal.attach(out, new StackBackward(in, d), 0);
        }
        Tensor result = out;
        return ForwardAD.isActive() ? Jvp.nary(out, in, t -> StackBackward.jvp(in, t, d, result.dtype())) : out;
    }

    /** The values: the inputs unsqueezed at d and concatenated, recording nothing and computing no tangents. */
    private static Tensor stackValue(List<Tensor> tensors, int d) {
        List<Tensor> parts = new ArrayList<>(tensors.size());
        try (var noTangents = ForwardAD.suspend()) {
            try (var noGrad = Ember.noGrad()) {
                for (Tensor t : tensors) {
                    parts.add(t.unsqueeze(d));
                }
            }
            return Internal.wrap(cat(parts, d).impl());
        }
    }

    static final class StackBackward extends Node {
        private final int dim;

        StackBackward(Tensor[] in, int dim) {
            super(in);
            this.dim = dim;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor[] out = new Tensor[numInputs()];
            for (int i = 0; i < out.length; i++) {
                if (needsInputGrad(i)) {
                    out[i] = g[0].select(dim, i);
                }
            }
            return out;
        }

        /** The stack of the tangents (zeros for inputs without one). */
        static Tensor jvp(Tensor[] in, Tensor[] tangents, int dim, dev.ember.DType dtype) {
            List<Tensor> parts = new ArrayList<>(in.length);
            for (int i = 0; i < in.length; i++) {
                parts.add(Jvp.orZeros(tangents[i], in[i], dtype).to(dtype));
            }
            return Ember.stack(parts, dim);
        }
    }
}
