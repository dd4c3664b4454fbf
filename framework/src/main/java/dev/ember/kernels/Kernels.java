package dev.ember.kernels;

import dev.ember.DType;
import dev.ember.kernels.random.Generator;
import dev.ember.kernels.random.RandomFill;

import java.util.Arrays;

/**
 * The compute kernels: every numeric loop and every ND4J call of Ember goes through here, so that a kernel can be
 * replaced (a Java loop for small sizes, a fused op, an ND4J call for large ones) without touching the ops.
 *
 * <p>Kernels take and return {@link TensorData}; they validate nothing that the ops above them already
 * validated (shapes, dtypes) and allocate contiguous results. Values are computed in double precision and
 * rounded to the result type, except for the float32 fast paths, which stay in float as PyTorch does.
 *
 * <pre>{@code
 * TensorData a = Kernels.fromArray(new float[] {1, 2, 3}, 3);
 * TensorData b = Kernels.binary(BinaryOp.MUL, a, a, DType.FLOAT32);   // [1, 4, 9]
 * }</pre>
 */
public final class Kernels {
    private Kernels() {
    }

    // ---- creation ---------------------------------------------------------------------------------------------

    public static TensorData fromArray(float[] a, int... shape) {
        return TensorData.contiguous(Storage.wrap(a), shape);
    }

    public static TensorData fromArray(double[] a, int... shape) {
        return TensorData.contiguous(Storage.wrap(a), shape);
    }

    public static TensorData fromArray(long[] a, int... shape) {
        return TensorData.contiguous(Storage.wrap(a), shape);
    }

    public static TensorData fromArray(boolean[] a, int... shape) {
        return TensorData.contiguous(Storage.wrap(a), shape);
    }

    public static TensorData empty(DType dtype, int... shape) {
        return TensorData.zeros(dtype, shape);
    }

    public static TensorData full(DType dtype, int[] shape, double value) {
        TensorData t = TensorData.zeros(dtype, shape);
        if (value != 0) {
            fill(t, value);
        }
        return t;
    }

    public static TensorData scalar(DType dtype, double value) {
        return full(dtype, new int[0], value);
    }

    /** start, start + step, ... (count elements). */
    public static TensorData arange(DType dtype, double start, double step, int count) {
        TensorData t = TensorData.zeros(dtype, count);
        Storage s = t.storage();
        for (int i = 0; i < count; i++) {
            s.set(i, start + i * step);
        }
        return t;
    }

    /** PyTorch's linspace: the first half counts up from start, the second half down from end. */
    public static TensorData linspace(DType dtype, double start, double end, int steps) {
        TensorData t = TensorData.zeros(dtype, steps);
        Storage s = t.storage();
        if (steps == 1) {
            s.set(0, start);
            return t;
        }
        double step = (end - start) / (steps - 1);
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            s.set(i, i < half ? start + step * i : end - step * (steps - i - 1));
        }
        return t;
    }

    public static TensorData eye(DType dtype, int n, int m) {
        TensorData t = TensorData.zeros(dtype, n, m);
        for (int i = 0; i < Math.min(n, m); i++) {
            t.storage().set(i * m + i, 1.0);
        }
        return t;
    }

    // ---- random numbers (PyTorch's CPU generator, stream for stream) -------------------------------------------

    /** Fills a fresh contiguous tensor with N(mean, std) samples from the global generator. */
    public static void normal(TensorData t, double mean, double std) {
        Generator g = Generator.defaultGenerator();
        switch (t.dtype()) {
            case FLOAT32 -> RandomFill.normal(g, t.storage().floats(), t.offset(), t.numel(), mean, std);
            case FLOAT64 -> RandomFill.normal(g, t.storage().doubles(), t.offset(), t.numel(), mean, std);
            default -> throw new IllegalArgumentException("normal: needs a floating-point tensor, got " + t.dtype());
        }
    }

    /** Fills a fresh contiguous tensor with U[from, to) samples from the global generator. */
    public static void uniform(TensorData t, double from, double to) {
        Generator g = Generator.defaultGenerator();
        switch (t.dtype()) {
            case FLOAT32 -> RandomFill.uniform(g, t.storage().floats(), t.offset(), t.numel(), from, to);
            case FLOAT64 -> RandomFill.uniform(g, t.storage().doubles(), t.offset(), t.numel(), from, to);
            default -> throw new IllegalArgumentException("uniform: needs a floating-point tensor, got " + t.dtype());
        }
    }

    /** Fills a fresh contiguous int64 tensor with integers in [low, high) from the global generator. */
    public static void randint(TensorData t, long low, long high) {
        RandomFill.randint(Generator.defaultGenerator(), t.storage().longs(), t.offset(), t.numel(), low, high);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** The element at the given row-major position. */
    public static double get(TensorData t, int flatIndex) {
        return t.storage().get(storageIndex(t, flatIndex));
    }

    public static long getLong(TensorData t, int flatIndex) {
        return t.storage().getLong(storageIndex(t, flatIndex));
    }

    private static int storageIndex(TensorData t, int flat) {
        if (t.isContiguous()) {
            return t.offset() + flat;
        }
        int idx = t.offset();
        int[] shape = t.shape();
        int[] st = t.strides();
        for (int d = shape.length - 1; d >= 0; d--) {
            idx += (flat % shape[d]) * st[d];
            flat /= shape[d];
        }
        return idx;
    }

    public static double[] toDoubles(TensorData t) {
        double[] out = new double[t.numel()];
        int[] idx = offsets(t, t.shape());
        Storage s = t.storage();
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(idx == null ? t.offset() + i : idx[i]);
        }
        return out;
    }

    public static float[] toFloats(TensorData t) {
        if (t.dtype() == DType.FLOAT32 && t.isContiguous()) {
            return Arrays.copyOfRange(t.storage().floats(), t.offset(), t.offset() + t.numel());
        }
        return contiguousCopy(t, DType.FLOAT32).storage().floats();
    }

    public static long[] toLongs(TensorData t) {
        return contiguousCopy(t, DType.INT64).storage().longs();
    }

    // ---- copies and casts -------------------------------------------------------------------------------------

    /** t itself when it is contiguous, otherwise a contiguous copy. */
    public static TensorData contiguous(TensorData t) {
        return t.isContiguous() ? t : contiguousCopy(t, t.dtype());
    }

    /** A new contiguous tensor of the given dtype holding t's values. */
    public static TensorData contiguousCopy(TensorData t, DType dtype) {
        TensorData out = TensorData.zeros(dtype, t.shape());
        copyInto(out, t);
        return out;
    }

    /** dst[...] = src[...] with src broadcast to dst's shape and cast to dst's dtype. */
    public static void copyInto(TensorData dst, TensorData src) {
        int n = dst.numel();
        if (n == 0) {
            return;   // a view of an empty tensor may sit past its storage's end: nothing to copy
        }
        int[] di = offsets(dst, dst.shape());
        int[] si = offsets(src, dst.shape());
        Storage d = dst.storage();
        Storage s = src.storage();
        int doff = dst.offset();
        int soff = src.offset();
        if (di == null && si == null && d.dtype() == s.dtype()) {
            System.arraycopy(arrayOf(s), soff, arrayOf(d), doff, n);
            return;
        }
        if (d.dtype() == DType.INT64 && s.dtype() == DType.INT64) {
            for (int i = 0; i < n; i++) {
                d.setLong(di == null ? doff + i : di[i], s.getLong(si == null ? soff + i : si[i]));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.set(di == null ? doff + i : di[i], s.get(si == null ? soff + i : si[i]));
        }
    }

    private static Object arrayOf(Storage s) {
        return switch (s.dtype()) {
            case FLOAT32 -> s.floats();
            case FLOAT64 -> s.doubles();
            case INT64 -> s.longs();
            case BOOL -> s.bools();
        };
    }

    public static void fill(TensorData dst, double value) {
        int[] di = offsets(dst, dst.shape());
        Storage d = dst.storage();
        if (di == null && d.dtype() == DType.FLOAT32) {
            Arrays.fill(d.floats(), dst.offset(), dst.offset() + dst.numel(), (float) value);
            return;
        }
        for (int i = 0; i < dst.numel(); i++) {
            d.set(di == null ? dst.offset() + i : di[i], value);
        }
    }

    // ---- pointwise --------------------------------------------------------------------------------------------

    public static TensorData unary(UnaryOp op, TensorData a, DType outType) {
        TensorData out = TensorData.zeros(outType, a.shape());
        int n = out.numel();
        int[] ai = offsets(a, a.shape());
        Storage as = a.storage();
        int aoff = a.offset();
        if (ai == null && outType == DType.FLOAT32 && as.dtype() == DType.FLOAT32) {
            float[] x = as.floats();
            float[] o = out.storage().floats();
            switch (op) {
                case NEG -> {
                    for (int i = 0; i < n; i++) {
                        o[i] = -x[aoff + i];
                    }
                }
                case RELU -> {
                    for (int i = 0; i < n; i++) {
                        float v = x[aoff + i];
                        o[i] = v > 0 ? v : (v == v ? 0f : v);
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        o[i] = (float) op.apply(x[aoff + i]);
                    }
                }
            }
            return out;
        }
        Storage os = out.storage();
        for (int i = 0; i < n; i++) {
            os.set(i, op.apply(as.get(ai == null ? aoff + i : ai[i])));
        }
        return out;
    }

    /** op(a, b) with a and b broadcast to {@code outShape}. */
    public static TensorData binary(BinaryOp op, TensorData a, TensorData b, int[] outShape, DType outType) {
        TensorData out = TensorData.zeros(outType, outShape);
        int n = out.numel();
        Storage as = a.storage();
        Storage bs = b.storage();
        int aoff = a.offset();
        int boff = b.offset();
        // fast paths: a dense operand of the output's shape with a dense or one-element other operand, one dtype
        if (as.dtype() == outType && bs.dtype() == outType && a.isContiguous() && Arrays.equals(a.shape(), outShape)) {
            boolean bDense = b.isContiguous() && Arrays.equals(b.shape(), outShape);
            boolean bScalar = !bDense && b.numel() == 1;
            if (outType == DType.FLOAT32 && (bDense || bScalar)) {
                float[] x = as.floats();
                float[] y = bs.floats();
                float[] o = out.storage().floats();
                if (bDense ? binaryFloat(op, x, aoff, y, boff, o, n) : binaryFloatScalar(op, x, aoff, y[boff], o, n)) {
                    return out;
                }
            } else if (outType == DType.FLOAT64 && (bDense || bScalar)) {
                double[] x = as.doubles();
                double[] y = bs.doubles();
                double[] o = out.storage().doubles();
                if (bDense ? binaryDouble(op, x, aoff, y, boff, o, n) : binaryDoubleScalar(op, x, aoff, y[boff], o, n)) {
                    return out;
                }
            }
        }
        int[] ai = offsets(a, outShape);
        int[] bi = offsets(b, outShape);
        if (outType == DType.INT64 && as.dtype() == DType.INT64 && bs.dtype() == DType.INT64) {
            long[] o = out.storage().longs();
            for (int i = 0; i < n; i++) {
                o[i] = binaryLong(op, as.getLong(ai == null ? aoff + i : ai[i]), bs.getLong(bi == null ? boff + i : bi[i]));
            }
            return out;
        }
        Storage os = out.storage();
        for (int i = 0; i < n; i++) {
            os.set(i, op.apply(as.get(ai == null ? aoff + i : ai[i]), bs.get(bi == null ? boff + i : bi[i])));
        }
        return out;
    }

    private static long binaryLong(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case POW -> y >= 0 ? powLong(x, y) : (long) op.apply(x, y);
            default -> (long) op.apply(x, y);
        };
    }

    /** x^y for y &gt;= 0 by repeated squaring: exact (wrapping on overflow, as PyTorch's integer pow). */
    private static long powLong(long x, long y) {
        long result = 1;
        long base = x;
        while (y > 0) {
            if ((y & 1) != 0) {
                result *= base;
            }
            base *= base;
            y >>= 1;
        }
        return result;
    }

    private static boolean binaryFloat(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] * y[yo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] / y[yo + i];
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean binaryFloatScalar(BinaryOp op, float[] x, int xo, float y, float[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] + y;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] - y;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] * y;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] / y;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean binaryDouble(BinaryOp op, double[] x, int xo, double[] y, int yo, double[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] * y[yo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] / y[yo + i];
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean binaryDoubleScalar(BinaryOp op, double[] x, int xo, double y, double[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] + y;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] - y;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] * y;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = x[xo + i] / y;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** min(max(a, lo), hi); a NaN bound means no bound on that side. */
    public static TensorData clamp(TensorData a, double lo, double hi) {
        TensorData out = TensorData.zeros(a.dtype(), a.shape());
        int[] ai = offsets(a, a.shape());
        Storage as = a.storage();
        Storage os = out.storage();
        for (int i = 0; i < out.numel(); i++) {
            double v = as.get(ai == null ? a.offset() + i : ai[i]);
            if (v == v) {
                if (lo == lo && v < lo) {
                    v = lo;
                }
                if (hi == hi && v > hi) {
                    v = hi;
                }
            }
            os.set(i, v);
        }
        return out;
    }

    /** cond ? a : b, all three broadcast to outShape. */
    public static TensorData where(TensorData cond, TensorData a, TensorData b, int[] outShape, DType outType) {
        TensorData out = TensorData.zeros(outType, outShape);
        int[] ci = offsets(cond, outShape);
        int[] ai = offsets(a, outShape);
        int[] bi = offsets(b, outShape);
        Storage cs = cond.storage();
        Storage as = a.storage();
        Storage bs = b.storage();
        Storage os = out.storage();
        boolean exact = outType == DType.INT64;   // int64 values beyond 2^53 do not survive a trip through double
        for (int i = 0; i < out.numel(); i++) {
            boolean c = cs.get(ci == null ? cond.offset() + i : ci[i]) != 0;
            int ia = ai == null ? a.offset() + i : ai[i];
            int ib = bi == null ? b.offset() + i : bi[i];
            if (exact) {
                os.setLong(i, c ? as.getLong(ia) : bs.getLong(ib));
            } else {
                os.set(i, c ? as.get(ia) : bs.get(ib));
            }
        }
        return out;
    }

    // ---- reductions -------------------------------------------------------------------------------------------

    /** Sums over the marked dimensions (accumulating in double). */
    public static TensorData sum(TensorData a, boolean[] reduce, boolean keepDim, DType outType) {
        int[] inShape = a.shape();
        int[] keptShape = Shapes.reduced(inShape, reduce, true);
        double[] acc = new double[Shapes.numel(keptShape)];
        int[] ost = Shapes.contiguousStrides(keptShape);
        for (int d = 0; d < reduce.length; d++) {
            if (reduce[d]) {
                ost[d] = 0;
            }
        }
        int[] oi = offsets(new TensorData(null, 0, inShape, ost), inShape);
        int[] ai = offsets(a, inShape);
        Storage as = a.storage();
        int n = a.numel();
        if (outType == DType.INT64 && !a.dtype().isFloatingPoint()) {
            // integer sums are exact (and wrap on overflow), as in PyTorch
            long[] lacc = new long[acc.length];
            for (int i = 0; i < n; i++) {
                lacc[oi == null ? i : oi[i]] += as.getLong(ai == null ? a.offset() + i : ai[i]);
            }
            TensorData out = TensorData.zeros(outType, Shapes.reduced(inShape, reduce, keepDim));
            System.arraycopy(lacc, 0, out.storage().longs(), 0, lacc.length);
            return out;
        }
        if (oi == null) {
            for (int i = 0; i < n; i++) {
                acc[i] += as.get(ai == null ? a.offset() + i : ai[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                acc[oi[i]] += as.get(ai == null ? a.offset() + i : ai[i]);
            }
        }
        TensorData out = TensorData.zeros(outType, Shapes.reduced(inShape, reduce, keepDim));
        Storage os = out.storage();
        for (int i = 0; i < acc.length; i++) {
            os.set(i, acc[i]);
        }
        return out;
    }

    /** Values and int64 indices of the maximum (or minimum) along one dimension; NaN counts as the extreme. */
    public record ArgExtreme(TensorData values, TensorData indices) {
    }

    public static ArgExtreme extremeAlong(TensorData a, int dim, boolean keepDim, boolean max) {
        int rank = a.dim();
        int[] perm = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != dim) {
                perm[j++] = i;
            }
        }
        perm[rank - 1] = dim;
        TensorData moved = contiguous(a.permute(perm));
        int len = a.size(dim);
        int rows = len == 0 ? 0 : moved.numel() / len;
        boolean[] reduce = new boolean[rank];
        reduce[dim] = true;
        int[] outShape = Shapes.reduced(a.shape(), reduce, keepDim);
        TensorData values = TensorData.zeros(a.dtype(), outShape);
        TensorData indices = TensorData.zeros(DType.INT64, outShape);
        Storage ms = moved.storage();
        if (a.dtype() == DType.INT64) {
            for (int r = 0; r < rows; r++) {
                int base = moved.offset() + r * len;
                long best = ms.getLong(base);
                int bestAt = 0;
                for (int j = 1; j < len; j++) {
                    long v = ms.getLong(base + j);
                    if (max ? v > best : v < best) {
                        best = v;
                        bestAt = j;
                    }
                }
                values.storage().setLong(r, best);
                indices.storage().setLong(r, bestAt);
            }
            return new ArgExtreme(values, indices);
        }
        for (int r = 0; r < rows; r++) {
            int base = moved.offset() + r * len;
            double best = ms.get(base);
            int bestAt = 0;
            for (int j = 1; j < len && best == best; j++) {
                double v = ms.get(base + j);
                if (v != v || (max ? v > best : v < best)) {
                    best = v;
                    bestAt = j;
                }
            }
            values.storage().set(r, best);
            indices.storage().setLong(r, bestAt);
        }
        return new ArgExtreme(values, indices);
    }

    /** The maximum (or minimum) of all elements as a 0-d tensor; NaN if any element is NaN. */
    public static TensorData extremeAll(TensorData a, boolean max) {
        int[] ai = offsets(a, a.shape());
        Storage as = a.storage();
        if (a.dtype() == DType.INT64) {
            long best = as.getLong(ai == null ? a.offset() : ai[0]);
            for (int i = 1; i < a.numel(); i++) {
                long v = as.getLong(ai == null ? a.offset() + i : ai[i]);
                best = max ? Math.max(best, v) : Math.min(best, v);
            }
            TensorData out = TensorData.zeros(DType.INT64);
            out.storage().setLong(0, best);
            return out;
        }
        double best = as.get(ai == null ? a.offset() : ai[0]);
        for (int i = 1; i < a.numel() && best == best; i++) {
            double v = as.get(ai == null ? a.offset() + i : ai[i]);
            if (v != v || (max ? v > best : v < best)) {
                best = v;
            }
        }
        return scalar(a.dtype(), best);
    }

    // ---- linear algebra ---------------------------------------------------------------------------------------

    /**
     * Batched matrix product of [B, m, k] and [B, k, n] views of one floating type (any strides, a batch stride of 0
     * included), giving a contiguous [B, m, n]; each product by {@link Gemm}'s route for its size.
     */
    public static TensorData bmm(TensorData a, TensorData b) {
        int batch = a.size(0);
        TensorData out = TensorData.zeros(a.dtype(), batch, a.size(1), b.size(2));
        for (int i = 0; i < batch; i++) {
            Gemm.multiply(a.select(0, i), b.select(0, i), out.select(0, i), false);
        }
        return out;
    }

    /**
     * The product of two matrices of one floating type, [m, k] times [k, n], as a contiguous [m, n]. Operands that
     * are transposed or row-sliced matrices (such as {@code weight.t()}) reach the GEMM without a copy.
     */
    public static TensorData mm(TensorData a, TensorData b) {
        TensorData out = TensorData.zeros(a.dtype(), a.size(0), b.size(1));
        Gemm.multiply(a, b, out, false);
        return out;
    }

    /** x [m, k] · wᵀ + bias, w [n, k], bias [n] or null: a linear layer in one GEMM, the bias as its C operand. */
    public static TensorData linear(TensorData x, TensorData w, TensorData bias) {
        return Gemm.linear(x, w, bias);
    }

    // ---- indexing ---------------------------------------------------------------------------------------------

    /** out[i][j][k] = a[index[i][j][k]][j][k] (for dim 0), index int64 of the output's shape. */
    public static TensorData gather(TensorData a, int dim, TensorData index) {
        TensorData out = TensorData.zeros(a.dtype(), index.shape());
        int[] ii = offsets(index, index.shape());
        int[] shape = index.shape();
        int[] st = a.strides();
        Storage as = a.storage();
        Storage is = index.storage();
        Storage os = out.storage();
        int[] ctr = new int[shape.length];
        for (int i = 0; i < out.numel(); i++) {
            int src = a.offset();
            for (int d = 0; d < shape.length; d++) {
                src += (d == dim ? (int) is.getLong(ii == null ? index.offset() + i : ii[i]) : ctr[d]) * st[d];
            }
            if (out.dtype() == DType.INT64) {
                os.setLong(i, as.getLong(src));
            } else {
                os.set(i, as.get(src));
            }
            increment(ctr, shape);
        }
        return out;
    }

    /** The adjoint of gather: a zero tensor of {@code shape} with src scattered (added) along dim. */
    public static TensorData scatterAdd(int[] shape, int dim, TensorData index, TensorData src) {
        TensorData out = TensorData.zeros(src.dtype(), shape);
        int[] ishape = index.shape();
        int[] ii = offsets(index, ishape);
        int[] si = offsets(src, ishape);
        int[] ost = out.strides();
        Storage is = index.storage();
        Storage ss = src.storage();
        Storage os = out.storage();
        int[] ctr = new int[ishape.length];
        for (int i = 0; i < index.numel(); i++) {
            int dst = 0;
            for (int d = 0; d < ishape.length; d++) {
                dst += (d == dim ? (int) is.getLong(ii == null ? index.offset() + i : ii[i]) : ctr[d]) * ost[d];
            }
            os.set(dst, os.get(dst) + ss.get(si == null ? src.offset() + i : si[i]));
            increment(ctr, ishape);
        }
        return out;
    }

    /** Selects the entries of a 1-d int64 index along dim. */
    public static TensorData indexSelect(TensorData a, int dim, TensorData index) {
        int[] shape = a.shape().clone();
        long[] idx = toLongs(index);
        shape[dim] = idx.length;
        TensorData out = TensorData.zeros(a.dtype(), shape);
        for (int i = 0; i < idx.length; i++) {
            copyInto(out.select(dim, i), a.select(dim, (int) idx[i]));
        }
        return out;
    }

    /** The adjoint of indexSelect: zeros of {@code shape} with src's slices added at the indices along dim. */
    public static TensorData indexAdd(int[] shape, int dim, TensorData index, TensorData src) {
        TensorData out = TensorData.zeros(src.dtype(), shape);
        long[] idx = toLongs(index);
        for (int i = 0; i < idx.length; i++) {
            TensorData slot = out.select(dim, (int) idx[i]);
            TensorData sum = binary(BinaryOp.ADD, slot, src.select(dim, i), slot.shape(), src.dtype());
            copyInto(slot, sum);
        }
        return out;
    }

    // ---- iteration --------------------------------------------------------------------------------------------

    /**
     * The storage index of every element of t broadcast to outShape, in row-major order; null when t is
     * contiguous with exactly outShape (the index is then offset + i).
     */
    static int[] offsets(TensorData t, int[] outShape) {
        boolean same = Arrays.equals(t.shape(), outShape);
        if (same && t.isContiguous()) {
            return null;
        }
        TensorData e = same ? t : t.expand(outShape);
        int n = Shapes.numel(outShape);
        int[] idx = new int[n];
        int rank = outShape.length;
        int[] st = e.strides();
        int[] ctr = new int[rank];
        int off = e.offset();
        for (int i = 0; i < n; i++) {
            idx[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                ctr[d]++;
                off += st[d];
                if (ctr[d] < outShape[d]) {
                    break;
                }
                off -= st[d] * outShape[d];
                ctr[d] = 0;
            }
        }
        return idx;
    }

    private static void increment(int[] ctr, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++ctr[d] < shape[d]) {
                return;
            }
            ctr[d] = 0;
        }
    }
}
