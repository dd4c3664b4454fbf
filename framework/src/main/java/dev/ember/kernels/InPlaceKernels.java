package dev.ember.kernels;

import dev.ember.DType;

import java.util.Arrays;

/**
 * Elementwise kernels that write into their destination's storage ({@code add_}, {@code mul_}, {@code addcmul_},
 * {@code lerp_}, {@code copy_}, ...): no result tensor is allocated and nothing is copied back. The destination may
 * be any view without overlapping elements (transposed, narrowed, strided); the sources are broadcast to its shape.
 *
 * <p>The loop visits the destination in its memory order (dimensions sorted by its strides, neighbours that are
 * laid out alike merged into one), so a contiguous destination with contiguous sources is one flat loop. When a
 * source's fastest dimension is not the destination's (a transposed gradient added into a row-major one), the two
 * fastest dimensions are walked in square tiles, so that both operands stay in the cache instead of one of them
 * being read with a stride of a whole row.
 *
 * <p>Float32 stays in float arithmetic and float64 in double, as PyTorch's CPU kernels do, operation for operation
 * in PyTorch's order ({@code self + value * t1 * t2} for addcmul, {@code self + alpha * other} for add).
 *
 * <pre>{@code
 * TensorData g = Kernels.empty(DType.FLOAT32, 3, 2);
 * TensorData t = Kernels.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
 * InPlaceKernels.apply(InPlaceKernels.Op.ADD, g, t, null, 1.0, 0.0);   // g = [[1, 4], [2, 5], [3, 6]]
 * }</pre>
 */
public final class InPlaceKernels {
    /** Edge of the square tiles of the blocked loop (64 floats: four cache lines per tile row). */
    static final int TILE = 64;

    private InPlaceKernels() {
    }

    /** The updates, with d the destination's element, x and y the sources' and s, s2 the scalars. */
    public enum Op {
        /** d + s·x (PyTorch's {@code add_(x, alpha=s)}; sub_ passes -alpha). */
        ADD,
        /** d·x. */
        MUL,
        /** d / x. */
        DIV,
        /** d + s. */
        ADD_SCALAR,
        /** d·s. */
        MUL_SCALAR,
        /** d / s. */
        DIV_SCALAR,
        /** d + s·x·y, as ((s·x)·y). */
        ADDCMUL,
        /** d + s·x / y, as ((s·x) / y). */
        ADDCDIV,
        /** lerp(d, x, s): d + s (x - d) when |s| &lt; 0.5, else x - (x - d)(1 - s), PyTorch's two-sided form. */
        LERP_SCALAR,
        /** lerp(d, x, y) with the weight y per element. */
        LERP,
        /** x. */
        COPY,
        /** s. */
        FILL,
        /** d clamped to [s, s2]; a NaN bound is no bound, a NaN element stays NaN. */
        CLAMP,
        /** √d. */
        SQRT,
        /** -d. */
        NEG,
        /** max(d, 0); NaN stays NaN. */
        RELU
    }

    /**
     * dst = op(dst, x, y, s, s2), elementwise, in dst's storage. x and y (null when op reads fewer sources) must
     * broadcast to dst's shape; dst must have no two elements on one memory location and must not partly overlap x
     * or y (the caller checks all three). Returns false, writing nothing, unless all operands share one floating
     * dtype (float32 or float64); the caller then takes its general path.
     */
    public static boolean apply(Op op, TensorData dst, TensorData x, TensorData y, double s, double s2) {
        DType t = dst.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64) || (x != null && x.dtype() != t)
                || (y != null && y.dtype() != t)) {
            return false;
        }
        if (dst.numel() == 0) {
            return true;
        }
        // a one-element source is a scalar: the scalar forms have dense loops
        if (x != null && x.numel() == 1 && y == null) {
            double v = Kernels.get(x, 0);
            switch (op) {
                case ADD -> {
                    return apply(Op.ADD_SCALAR, dst, null, null, t == DType.FLOAT32 ? (float) s * (float) v : s * v, 0);
                }
                case MUL -> {
                    return apply(Op.MUL_SCALAR, dst, null, null, v, 0);
                }
                case DIV -> {
                    return apply(Op.DIV_SCALAR, dst, null, null, v, 0);
                }
                case COPY -> {
                    return apply(Op.FILL, dst, null, null, v, 0);
                }
                default -> {
                }
            }
        }
        if (op == Op.LERP && y.numel() == 1) {
            return apply(Op.LERP_SCALAR, dst, x, null, Kernels.get(y, 0), 0);
        }
        Rows rows = t == DType.FLOAT32 ? new FloatRows(op, dst, x, y, s, s2) : new DoubleRows(op, dst, x, y, s, s2);
        walk(dst, x, y, rows);
        return true;
    }

    // ---- copies laid out for gradients ----------------------------------------------------------------------------

    /**
     * A zero-filled tensor of leaf's shape laid out as PyTorch's gradient layout contract asks for its gradient:
     * with leaf's strides when leaf is dense (transposed or permuted leaves get gradients of the same layout), else
     * row-major.
     */
    public static TensorData emptyLaidOutLike(TensorData leaf, DType dtype) {
        if (leaf.isContiguous() || !isNonOverlappingAndDense(leaf)) {
            return TensorData.zeros(dtype, leaf.shape());
        }
        return new TensorData(Storage.allocate(dtype, leaf.numel()), 0, leaf.shape(), leaf.strides());
    }

    /** A copy of src in a new storage laid out as {@link #emptyLaidOutLike} for layout. */
    public static TensorData copyLaidOutLike(TensorData src, TensorData layout) {
        TensorData out = emptyLaidOutLike(layout, src.dtype());
        if (!apply(Op.COPY, out, src, null, 0, 0)) {
            Kernels.copyInto(out, src);
        }
        return out;
    }

    // ---- memory overlap -------------------------------------------------------------------------------------------

    /** How the elements of a written-to tensor and of a source lie in memory relative to each other. */
    public enum Overlap {
        /** No element shared (or different storages). */
        NONE,
        /** The same elements in the same layout: each element is read where it is written. */
        FULL,
        /** Some elements shared in a different layout: writing would change what is still to be read. */
        PARTIAL,
        /** The same storage, but the layouts are not dense, so the overlap is not worked out. */
        UNKNOWN
    }

    /** PyTorch's get_overlap_status: how dst and src share memory. */
    public static Overlap overlap(TensorData dst, TensorData src) {
        if (dst.storage() != src.storage() || dst.numel() == 0 || src.numel() == 0) {
            return Overlap.NONE;
        }
        boolean sameLayout = dst.offset() == src.offset() && Arrays.equals(dst.shape(), src.shape())
                && Arrays.equals(dst.strides(), src.strides());
        if (sameLayout) {
            return Overlap.FULL;
        }
        if (!isNonOverlappingAndDense(dst) || !isNonOverlappingAndDense(src)) {
            return Overlap.UNKNOWN;
        }
        int d0 = dst.offset();
        int d1 = d0 + dst.numel();
        int s0 = src.offset();
        int s1 = s0 + src.numel();
        return d0 < s1 && s0 < d1 ? Overlap.PARTIAL : Overlap.NONE;
    }

    /** True when t's elements fill a block of its storage without gaps, each once, in some order of dimensions. */
    public static boolean isNonOverlappingAndDense(TensorData t) {
        if (t.isContiguous()) {
            return true;
        }
        int[] shape = t.shape();
        int[] st = t.strides();
        int m = 0;
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1) {
                dims[m++] = i;
            }
        }
        for (int i = 1; i < m; i++) {   // by stride, smallest first
            for (int j = i; j > 0 && st[dims[j - 1]] > st[dims[j]]; j--) {
                int v = dims[j];
                dims[j] = dims[j - 1];
                dims[j - 1] = v;
            }
        }
        int expected = 1;
        for (int i = 0; i < m; i++) {
            if (st[dims[i]] != expected) {
                return false;
            }
            expected *= shape[dims[i]];
        }
        return true;
    }

    /** True when some element of t shares its memory location with another (a dimension expanded with stride 0). */
    public static boolean hasInternalOverlap(TensorData t) {
        int[] shape = t.shape();
        int[] st = t.strides();
        for (int i = 0; i < shape.length; i++) {
            if (st[i] == 0 && shape[i] > 1) {
                return true;
            }
        }
        return false;
    }

    // ---- the walk over the destination's layout -----------------------------------------------------------------

    /** Runs the update over n elements starting at storage indices d, x, y with the given strides. */
    private interface Rows {
        void run(int d, int ds, int x, int xs, int y, int ys, int n);

        /** The update over a block of nr rows and nc columns (one tile), row by row. */
        default void block(int d, int dr, int dc, int x, int xr, int xc, int y, int yr, int yc, int nr, int nc) {
            for (int r = 0; r < nr; r++) {
                run(d + r * dr, dc, x + r * xr, xc, y + r * yr, yc, nc);
            }
        }
    }

    private static void walk(TensorData dst, TensorData x, TensorData y, Rows rows) {
        int[] shape = dst.shape();
        TensorData xe = x == null ? null : Arrays.equals(x.shape(), shape) ? x : x.expand(shape);
        TensorData ye = y == null ? null : Arrays.equals(y.shape(), shape) ? y : y.expand(shape);
        int xo = xe == null ? 0 : xe.offset();
        int yo = ye == null ? 0 : ye.offset();
        if (dst.isContiguous() && (xe == null || xe.isContiguous()) && (ye == null || ye.isContiguous())) {
            rows.run(dst.offset(), 1, xo, 1, yo, 1, dst.numel());
            return;
        }
        // the dimensions of more than one element, with each operand's strides
        int rank = shape.length;
        int[] size = new int[rank];
        int[] sd = new int[rank];
        int[] sx = new int[rank];
        int[] sy = new int[rank];
        int m = 0;
        for (int i = 0; i < rank; i++) {
            if (shape[i] != 1) {
                size[m] = shape[i];
                sd[m] = dst.strides()[i];
                sx[m] = xe == null ? 0 : xe.strides()[i];
                sy[m] = ye == null ? 0 : ye.strides()[i];
                m++;
            }
        }
        // the destination's memory order: largest stride outermost (a stable insertion sort; ranks are small)
        for (int i = 1; i < m; i++) {
            for (int j = i; j > 0 && sd[j - 1] < sd[j]; j--) {
                swap(j - 1, j, size, sd, sx, sy);
            }
        }
        // merge each dimension into the one outside it when every operand steps across both as across one
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (k > 0 && sd[k - 1] == sd[i] * size[i] && sx[k - 1] == sx[i] * size[i] && sy[k - 1] == sy[i] * size[i]) {
                size[k - 1] *= size[i];
                sd[k - 1] = sd[i];
                sx[k - 1] = sx[i];
                sy[k - 1] = sy[i];
            } else {
                size[k] = size[i];
                sd[k] = sd[i];
                sx[k] = sx[i];
                sy[k] = sy[i];
                k++;
            }
        }
        int inner = k - 1;
        // a source whose fastest dimension is an outer one of the destination's: that dimension moves next to the
        // innermost and the two are walked in tiles
        int unit = inner < 1 ? -1 : unitStrideDim(sx, inner) >= 0 ? unitStrideDim(sx, inner) : unitStrideDim(sy, inner);
        boolean tiled = unit >= 0;
        if (tiled) {
            for (int j = unit; j < inner - 1; j++) {
                swap(j, j + 1, size, sd, sx, sy);
            }
        }
        int outer = tiled ? inner - 1 : inner;
        int[] ctr = new int[outer];
        int d = dst.offset();
        int xi = xo;
        int yi = yo;
        while (true) {
            if (tiled) {
                tiles(rows, d, xi, yi, size[inner - 1], size[inner], sd[inner - 1], sd[inner], sx[inner - 1], sx[inner],
                        sy[inner - 1], sy[inner]);
            } else {
                rows.run(d, sd[inner], xi, sx[inner], yi, sy[inner], size[inner]);
            }
            int i = outer - 1;
            for (; i >= 0; i--) {
                d += sd[i];
                xi += sx[i];
                yi += sy[i];
                if (++ctr[i] < size[i]) {
                    break;
                }
                d -= sd[i] * size[i];
                xi -= sx[i] * size[i];
                yi -= sy[i] * size[i];
                ctr[i] = 0;
            }
            if (i < 0) {
                return;
            }
        }
    }

    /** An outer dimension (below inner) along which the source has stride 1 while it does not along inner; or -1. */
    private static int unitStrideDim(int[] st, int inner) {
        if (st[inner] == 1 || st[inner] == 0) {
            return -1;
        }
        for (int j = inner - 1; j >= 0; j--) {
            if (st[j] == 1) {
                return j;
            }
        }
        return -1;
    }

    /** A block of nr rows and nc columns in TILE x TILE tiles. */
    private static void tiles(Rows rows, int d, int x, int y, int nr, int nc, int dr, int dc, int xr, int xc, int yr,
                              int yc) {
        for (int r0 = 0; r0 < nr; r0 += TILE) {
            int rn = Math.min(TILE, nr - r0);
            for (int c0 = 0; c0 < nc; c0 += TILE) {
                rows.block(d + r0 * dr + c0 * dc, dr, dc, x + r0 * xr + c0 * xc, xr, xc, y + r0 * yr + c0 * yc, yr, yc,
                        rn, Math.min(TILE, nc - c0));
            }
        }
    }

    private static void swap(int i, int j, int[]... arrays) {
        for (int[] a : arrays) {
            int v = a[i];
            a[i] = a[j];
            a[j] = v;
        }
    }

    // ---- the row loops: float32 ----------------------------------------------------------------------

    private static final class FloatRows implements Rows {
        private final Op op;
        private final float[] d;
        private final float[] x;
        private final float[] y;
        private final float s;
        private final float s2;

        FloatRows(Op op, TensorData dst, TensorData x, TensorData y, double s, double s2) {
            this.op = op;
            this.d = dst.storage().floats();
            this.x = x == null ? null : x.storage().floats();
            this.y = y == null ? null : y.storage().floats();
            this.s = (float) s;
            this.s2 = (float) s2;
        }

        /** Tiles of add and copy (a transposed gradient accumulated, a transpose copied) without a call per row. */
        @Override
        public void block(int p, int pr, int pc, int q, int qr, int qc, int r, int rr, int rc, int nr, int nc) {
            float[] d = this.d;
            float[] x = this.x;
            float s = this.s;
            if (op == Op.ADD) {
                // eight rows at a time: the eight source elements of a column are neighbours in memory
                int i = 0;
                for (; i + 8 <= nr; i += 8, p += 8 * pr, q += 8 * qr) {
                    for (int j = 0; j < nc; j++) {
                        int a = p + j * pc;
                        int b = q + j * qc;
                        d[a] += s * x[b];
                        d[a + pr] += s * x[b + qr];
                        d[a + 2 * pr] += s * x[b + 2 * qr];
                        d[a + 3 * pr] += s * x[b + 3 * qr];
                        d[a + 4 * pr] += s * x[b + 4 * qr];
                        d[a + 5 * pr] += s * x[b + 5 * qr];
                        d[a + 6 * pr] += s * x[b + 6 * qr];
                        d[a + 7 * pr] += s * x[b + 7 * qr];
                    }
                }
                for (; i < nr; i++, p += pr, q += qr) {
                    for (int j = 0; j < nc; j++) {
                        d[p + j * pc] += s * x[q + j * qc];
                    }
                }
            } else if (op == Op.COPY) {
                for (int i = 0; i < nr; i++, p += pr, q += qr) {
                    for (int j = 0; j < nc; j++) {
                        d[p + j * pc] = x[q + j * qc];
                    }
                }
            } else {
                Rows.super.block(p, pr, pc, q, qr, qc, r, rr, rc, nr, nc);
            }
        }

        @Override
        public void run(int p, int ps, int q, int qs, int r, int rs, int n) {
            float[] d = this.d;
            float[] x = this.x;
            float[] y = this.y;
            float s = this.s;
            float s2 = this.s2;
            boolean dense = ps == 1 && (x == null || qs == 1) && (y == null || rs == 1);
            switch (op) {
                case ADD -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] += s * x[q];
                        }
                    }
                }
                case MUL -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] *= x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] *= x[q];
                        }
                    }
                }
                case DIV -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] /= x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] /= x[q];
                        }
                    }
                }
                case ADD_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] += s;
                        }
                    }
                }
                case MUL_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] *= s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] *= s;
                        }
                    }
                }
                case DIV_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] /= s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] /= s;
                        }
                    }
                }
                case ADDCMUL -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i] * y[r + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                            d[p] += s * x[q] * y[r];
                        }
                    }
                }
                case ADDCDIV -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i] / y[r + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                            d[p] += s * x[q] / y[r];
                        }
                    }
                }
                case LERP_SCALAR -> {
                    if (Math.abs(s) < 0.5f) {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] += s * (x[q] - d[p]);
                        }
                    } else {
                        float t = 1 - s;
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] = x[q] - (x[q] - d[p]) * t;
                        }
                    }
                }
                case LERP -> {
                    for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                        float w = y[r];
                        d[p] = Math.abs(w) < 0.5f ? d[p] + w * (x[q] - d[p]) : x[q] - (x[q] - d[p]) * (1 - w);
                    }
                }
                case COPY -> {
                    if (dense) {
                        System.arraycopy(x, q, d, p, n);
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] = x[q];
                        }
                    }
                }
                case FILL -> {
                    if (dense) {
                        Arrays.fill(d, p, p + n, s);
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = s;
                        }
                    }
                }
                case CLAMP -> {
                    float lo = s;
                    float hi = s2;
                    for (int i = 0; i < n; i++, p += ps) {
                        float v = d[p] < lo ? lo : d[p];
                        d[p] = v > hi ? hi : v;
                    }
                }
                case SQRT -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] = (float) Math.sqrt(d[p + i]);
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = (float) Math.sqrt(d[p]);
                        }
                    }
                }
                case NEG -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] = -d[p + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = -d[p];
                        }
                    }
                }
                case RELU -> {
                    for (int i = 0; i < n; i++, p += ps) {
                        float v = d[p];
                        d[p] = v > 0 ? v : v == v ? 0f : v;
                    }
                }
            }
        }
    }

    // ---- the row loops: float64 ----------------------------------------------------------------------

    private static final class DoubleRows implements Rows {
        private final Op op;
        private final double[] d;
        private final double[] x;
        private final double[] y;
        private final double s;
        private final double s2;

        DoubleRows(Op op, TensorData dst, TensorData x, TensorData y, double s, double s2) {
            this.op = op;
            this.d = dst.storage().doubles();
            this.x = x == null ? null : x.storage().doubles();
            this.y = y == null ? null : y.storage().doubles();
            this.s = s;
            this.s2 = s2;
        }

        /** Tiles of add and copy (a transposed gradient accumulated, a transpose copied) without a call per row. */
        @Override
        public void block(int p, int pr, int pc, int q, int qr, int qc, int r, int rr, int rc, int nr, int nc) {
            double[] d = this.d;
            double[] x = this.x;
            double s = this.s;
            if (op == Op.ADD) {
                // eight rows at a time: the eight source elements of a column are neighbours in memory
                int i = 0;
                for (; i + 8 <= nr; i += 8, p += 8 * pr, q += 8 * qr) {
                    for (int j = 0; j < nc; j++) {
                        int a = p + j * pc;
                        int b = q + j * qc;
                        d[a] += s * x[b];
                        d[a + pr] += s * x[b + qr];
                        d[a + 2 * pr] += s * x[b + 2 * qr];
                        d[a + 3 * pr] += s * x[b + 3 * qr];
                        d[a + 4 * pr] += s * x[b + 4 * qr];
                        d[a + 5 * pr] += s * x[b + 5 * qr];
                        d[a + 6 * pr] += s * x[b + 6 * qr];
                        d[a + 7 * pr] += s * x[b + 7 * qr];
                    }
                }
                for (; i < nr; i++, p += pr, q += qr) {
                    for (int j = 0; j < nc; j++) {
                        d[p + j * pc] += s * x[q + j * qc];
                    }
                }
            } else if (op == Op.COPY) {
                for (int i = 0; i < nr; i++, p += pr, q += qr) {
                    for (int j = 0; j < nc; j++) {
                        d[p + j * pc] = x[q + j * qc];
                    }
                }
            } else {
                Rows.super.block(p, pr, pc, q, qr, qc, r, rr, rc, nr, nc);
            }
        }

        @Override
        public void run(int p, int ps, int q, int qs, int r, int rs, int n) {
            double[] d = this.d;
            double[] x = this.x;
            double[] y = this.y;
            double s = this.s;
            double s2 = this.s2;
            boolean dense = ps == 1 && (x == null || qs == 1) && (y == null || rs == 1);
            switch (op) {
                case ADD -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] += s * x[q];
                        }
                    }
                }
                case MUL -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] *= x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] *= x[q];
                        }
                    }
                }
                case DIV -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] /= x[q + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] /= x[q];
                        }
                    }
                }
                case ADD_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] += s;
                        }
                    }
                }
                case MUL_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] *= s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] *= s;
                        }
                    }
                }
                case DIV_SCALAR -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] /= s;
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] /= s;
                        }
                    }
                }
                case ADDCMUL -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i] * y[r + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                            d[p] += s * x[q] * y[r];
                        }
                    }
                }
                case ADDCDIV -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] += s * x[q + i] / y[r + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                            d[p] += s * x[q] / y[r];
                        }
                    }
                }
                case LERP_SCALAR -> {
                    if (Math.abs(s) < 0.5) {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] += s * (x[q] - d[p]);
                        }
                    } else {
                        double t = 1 - s;
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] = x[q] - (x[q] - d[p]) * t;
                        }
                    }
                }
                case LERP -> {
                    for (int i = 0; i < n; i++, p += ps, q += qs, r += rs) {
                        double w = y[r];
                        d[p] = Math.abs(w) < 0.5 ? d[p] + w * (x[q] - d[p]) : x[q] - (x[q] - d[p]) * (1 - w);
                    }
                }
                case COPY -> {
                    if (dense) {
                        System.arraycopy(x, q, d, p, n);
                    } else {
                        for (int i = 0; i < n; i++, p += ps, q += qs) {
                            d[p] = x[q];
                        }
                    }
                }
                case FILL -> {
                    if (dense) {
                        Arrays.fill(d, p, p + n, s);
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = s;
                        }
                    }
                }
                case CLAMP -> {
                    double lo = s;
                    double hi = s2;
                    for (int i = 0; i < n; i++, p += ps) {
                        double v = d[p] < lo ? lo : d[p];
                        d[p] = v > hi ? hi : v;
                    }
                }
                case SQRT -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] = Math.sqrt(d[p + i]);
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = Math.sqrt(d[p]);
                        }
                    }
                }
                case NEG -> {
                    if (dense) {
                        for (int i = 0; i < n; i++) {
                            d[p + i] = -d[p + i];
                        }
                    } else {
                        for (int i = 0; i < n; i++, p += ps) {
                            d[p] = -d[p];
                        }
                    }
                }
                case RELU -> {
                    for (int i = 0; i < n; i++, p += ps) {
                        double v = d[p];
                        d[p] = v > 0 ? v : v == v ? 0.0 : v;
                    }
                }
            }
        }
    }
}
