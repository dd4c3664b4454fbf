package dev.ember.kernels;

import dev.ember.DType;

/**
 * The kernels of convolution and pooling over NCHW tensors (a 1-d convolution is a 2-d one of height 1).
 *
 * <p>Where the native BLAS is available ({@link Gemm#nativeAvailable()}), convolutions run as im2col and GEMMs on
 * Ember's own arrays ({@code Im2colConv}): no copies into INDArrays, groups and dilation handled by the unfolding.
 * Elsewhere (as under the CUDA backend) they run on ND4J's {@code conv2d} and {@code conv2d_bp} ops (through
 * {@link Nd4jBridge}): weights in PyTorch's layout [out, in/groups, kH, kW], which is ND4J's OIYX format, so nothing
 * is permuted. libnd4j's conv2d has no groups: a grouped convolution is one ND4J call per group on that group's
 * channels. There, small convolutions (below {@link #JAVA_LIMIT} multiply-adds), where ND4J's fixed cost per call
 * would dominate, run as direct Java loops ({@code JavaConv}) instead. {@link #forcePath} picks one implementation
 * for tests and benchmarks. The Java loops and im2col compute only the gradients asked for; ND4J's conv2d_bp always
 * computes both the input's and the weight's.
 *
 * <p>Pooling runs as Java loops that follow PyTorch's CPU kernels: the same windows, the same treatment of padding
 * (max pooling never picks a padded position; average pooling divides by the window's size inside the padded input,
 * or by the number of real elements, or by an override), the same choice among ties (the first maximum in the
 * window, row by row; a NaN wins over numbers and the last NaN wins over earlier ones) and the same flat indices
 * (h * W + w within each plane). Pooling is memory-bound and needs per-window indices that ND4J's pooling ops do
 * not return, and a Java loop costs nothing per call, while an ND4J call costs tens of microseconds.
 *
 * <pre>{@code
 * TensorData y = ConvKernels.conv2d(x, w, null, new int[] {1, 1, 0, 0, 1, 1}, 1);   // stride 1, no padding
 * }</pre>
 *
 * <p>All methods take validated arguments (the ops check shapes and parameters and produce the errors); inputs may
 * be any strided view, and results are new contiguous tensors.
 */
public final class ConvKernels {
    private ConvKernels() {
    }

    /** PyTorch's output size of a convolution along one dimension: floor((in + 2p - d(k-1) - 1) / s) + 1. */
    public static int convOutputSize(int in, int kernel, int stride, int padding, int dilation) {
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /**
     * PyTorch's output size of a pooling window along one dimension; with ceilMode the division rounds up, but the
     * last window must start inside the input or its left padding.
     */
    public static int poolOutputSize(int in, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        int out = Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0), stride)
                + 1;
        if (ceilMode && (long) (out - 1) * stride >= in + padding) {
            out--;
        }
        return out;
    }

    // ---- convolution ---------------------------------------------------------------------------------------------

    /**
     * Which implementation runs a convolution.
     *
     * <pre>{@code
     * try (ConvKernels.PathScope s = ConvKernels.forcePath(ConvKernels.Path.ND4J)) {
     *     y = Convolution.conv2d(x, w, b, stride, padding, dilation, 1);   // on ND4J whatever its size
     * }
     * }</pre>
     */
    public enum Path {
        /**
         * The default: im2col with the native BLAS where it is available ({@link Gemm#nativeAvailable()}), else
         * Java loops below {@link #JAVA_LIMIT} multiply-adds and ND4J's kernels from there on.
         */
        AUTO,
        /** Always the direct Java loops. */
        JAVA,
        /** Always ND4J's conv2d and conv2d_bp. */
        ND4J,
        /** Always im2col and GEMMs through {@link Gemm} ({@code Im2colConv}), whichever route the GEMMs take. */
        IM2COL
    }

    /**
     * Without the native BLAS, convolutions of fewer multiply-adds than this (about a million) run as Java loops
     * rather than on ND4J. ND4J's conv2d costs a fixed 150 to 300 microseconds per call (copying into INDArrays, the
     * native op's set-up, its threads) and then runs at 3 to 10 G multiply-adds per second, its conv2d_bp at 1 to 4;
     * the Java loops cost nothing per call and run at about 1 G (forward) and 0.5 G (backward, both gradients) on one
     * core. Measured on a 2-core machine: at 0.45 M multiply-adds ([32, 1, 16, 16] by 8 3x3 filters) Java took 1.7 ms
     * forward and 1.4 ms backward against ND4J's 2.9 and 4.5; at 2.7 M ([16, 8, 14, 14] by 16 3x3 filters) ND4J won,
     * 0.9 and 3.3 ms against 2.6 and 5.0.
     */
    public static final long JAVA_LIMIT = 1L << 20;

    private static volatile Path path = Path.AUTO;

    /**
     * The restoring handle of {@link #forcePath}: closing it puts back the path that was in force before.
     *
     * <pre>{@code
     * try (ConvKernels.PathScope s = ConvKernels.forcePath(ConvKernels.Path.JAVA)) { ... }
     * }</pre>
     */
    public static final class PathScope implements AutoCloseable {
        private final Path previous;

        private PathScope(Path previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            path = previous;
        }
    }

    /**
     * Makes every convolution take the given path until the returned scope is closed (for tests that check both
     * implementations on the same cases, and for benchmarks). Global: not for use while other threads convolve.
     */
    public static PathScope forcePath(Path p) {
        PathScope scope = new PathScope(path);
        path = p;
        return scope;
    }

    /** The path currently in force. */
    public static Path path() {
        return path;
    }

    /** The multiply-adds of a convolution with output [N, O, oH, oW] and weight [O, C/groups, kH, kW]. */
    static long multiplyAdds(int[] outShape, int[] wShape) {
        long m = 1;
        for (int v : outShape) {
            m *= v;
        }
        return m * wShape[1] * wShape[2] * wShape[3];
    }

    /** The path a convolution with output [N, O, oH, oW] and weight [O, C/groups, kH, kW] takes (never AUTO). */
    static Path pathFor(int[] outShape, int[] wShape) {
        Path p = path;
        if (p != Path.AUTO) {
            return p;
        }
        if (Gemm.nativeAvailable()) {
            return Path.IM2COL;
        }
        return multiplyAdds(outShape, wShape) < JAVA_LIMIT ? Path.JAVA : Path.ND4J;
    }

    /**
     * y = conv2d(x, w) + b: x [N, C, H, W], w [O, C/groups, kH, kW], b [O] or null; geometry = {sH, sW, pH, pW, dH,
     * dW}. Returns [N, O, oH, oW].
     */
    public static TensorData conv2d(TensorData x, TensorData w, TensorData b, int[] geometry, int groups) {
        int n = x.size(0);
        int c = x.size(1);
        int o = w.size(0);
        int[] outShape = {n, o, convOutputSize(x.size(2), w.size(2), geometry[0], geometry[2], geometry[4]),
                convOutputSize(x.size(3), w.size(3), geometry[1], geometry[3], geometry[5])};
        if (Shapes.numel(outShape) == 0) {
            return TensorData.zeros(x.dtype(), outShape);
        }
        if (x.numel() == 0 || w.numel() == 0) {   // no input channels: only the bias
            TensorData out = TensorData.zeros(x.dtype(), outShape);
            if (b != null) {
                Kernels.copyInto(out, b.unsqueeze(1).unsqueeze(2));
            }
            return out;
        }
        Path p = pathFor(outShape, w.shape());
        if (p == Path.JAVA) {
            return JavaConv.forward(x, w, b, geometry, groups, outShape);
        }
        if (p == Path.IM2COL) {
            return Im2colConv.forward(x, w, b, geometry, groups, outShape);
        }
        if (groups == 1) {
            return Nd4jBridge.conv2d(Kernels.contiguous(x), Kernels.contiguous(w),
                    b == null ? null : Kernels.contiguous(b), geometry, outShape);
        }
        int cg = c / groups;
        int og = o / groups;
        TensorData out = TensorData.zeros(x.dtype(), outShape);
        TensorData xc = Kernels.contiguous(x);
        for (int g = 0; g < groups; g++) {
            TensorData xg = channels(xc, g * cg, cg);
            TensorData wg = Kernels.contiguous(w.narrow(0, g * og, og));
            TensorData bg = b == null ? null : Kernels.contiguous(b.narrow(0, g * og, og));
            int[] groupShape = {n, og, outShape[2], outShape[3]};
            putChannels(Nd4jBridge.conv2d(xg, wg, bg, geometry, groupShape), out, g * og);
        }
        return out;
    }

    /**
     * The gradients of y = conv2d(x, w) given gy: {gradient of x (or null unless needInput), gradient of w (or null
     * unless needWeight)}. The gradient of x depends on (gy, w) only, that of w on (x, gy) only: x may be null when
     * only the first is needed and w null when only the second is (xShape and wShape give their shapes).
     */
    public static TensorData[] conv2dBackward(TensorData x, int[] xShape, TensorData w, int[] wShape, TensorData gy,
                                              int[] geometry, int groups, boolean needInput, boolean needWeight) {
        DType dtype = gy.dtype();
        if (gy.numel() == 0 || Shapes.numel(xShape) == 0 || Shapes.numel(wShape) == 0) {
            return new TensorData[] {needInput ? TensorData.zeros(dtype, xShape) : null,
                    needWeight ? TensorData.zeros(dtype, wShape) : null};
        }
        Path p = pathFor(gy.shape(), wShape);
        if (p == Path.JAVA) {
            return new TensorData[] {needInput ? JavaConv.inputGradient(gy, w, xShape, geometry, groups) : null,
                    needWeight ? JavaConv.weightGradient(x, gy, wShape, geometry, groups) : null};
        }
        if (p == Path.IM2COL) {
            return new TensorData[] {needInput ? Im2colConv.inputGradient(gy, w, xShape, geometry, groups) : null,
                    needWeight ? Im2colConv.weightGradient(x, gy, wShape, geometry, groups) : null};
        }
        TensorData xc = x == null ? TensorData.zeros(dtype, xShape) : Kernels.contiguous(x);
        TensorData wc = w == null ? TensorData.zeros(dtype, wShape) : Kernels.contiguous(w);
        TensorData gc = Kernels.contiguous(gy);
        TensorData[] r;
        if (groups == 1) {
            r = Nd4jBridge.conv2dBackward(xc, wc, gc, geometry);
        } else {
            int cg = xShape[1] / groups;
            int og = wShape[0] / groups;
            r = new TensorData[] {TensorData.zeros(dtype, xShape), TensorData.zeros(dtype, wShape)};
            for (int g = 0; g < groups; g++) {
                TensorData[] rg = Nd4jBridge.conv2dBackward(channels(xc, g * cg, cg),
                        wc.narrow(0, g * og, og), channels(gc, g * og, og), geometry);
                putChannels(rg[0], r[0], g * cg);
                Kernels.copyInto(r[1].narrow(0, g * og, og), rg[1]);
            }
        }
        return new TensorData[] {needInput ? r[0] : null, needWeight ? r[1] : null};
    }

    /**
     * The bias gradient of a convolution: gy [N, O, ...] summed over every dimension but the channels, [O], in one
     * pass over gy, accumulated in double precision and rounded once to gy's dtype.
     */
    public static TensorData channelSums(TensorData gy) {
        TensorData gc = Kernels.contiguous(gy);
        int n = gc.size(0);
        int ch = gc.size(1);
        int plane = gc.numel() / Math.max(1, n * ch);
        TensorData out = TensorData.zeros(gc.dtype(), ch);
        boolean isFloat = gc.dtype() == DType.FLOAT32;
        float[] sf = isFloat ? gc.storage().floats() : null;
        double[] sd = isFloat ? null : gc.storage().doubles();
        for (int c = 0; c < ch; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int from = gc.offset() + (i * ch + c) * plane;
                if (isFloat) {
                    for (int j = from; j < from + plane; j++) {
                        sum += sf[j];
                    }
                } else {
                    for (int j = from; j < from + plane; j++) {
                        sum += sd[j];
                    }
                }
            }
            if (isFloat) {
                out.storage().floats()[c] = (float) sum;
            } else {
                out.storage().doubles()[c] = sum;
            }
        }
        return out;
    }

    /** Channels [from, from + count) of a contiguous [N, C, ...] tensor, as a new contiguous tensor. */
    private static TensorData channels(TensorData t, int from, int count) {
        TensorData view = t.narrow(1, from, count);
        return Kernels.contiguous(view);
    }

    /** Writes a contiguous [N, c, ...] tensor into channels [from, from + c) of a contiguous [N, C, ...] tensor. */
    private static void putChannels(TensorData src, TensorData dst, int from) {
        int n = dst.size(0);
        int plane = dst.numel() / Math.max(1, n * dst.size(1));
        int chunk = src.size(1) * plane;
        Object s = src.dtype() == DType.FLOAT32 ? src.storage().floats() : src.storage().doubles();
        Object d = dst.dtype() == DType.FLOAT32 ? dst.storage().floats() : dst.storage().doubles();
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, src.offset() + i * chunk, d, dst.offset() + (i * dst.size(1) + from) * plane, chunk);
        }
    }

    // ---- max pooling -----------------------------------------------------------------------------------------------

    /**
     * The values and the int64 indices (h * W + w within each plane) of max pooling.
     *
     * <pre>{@code
     * ConvKernels.Pooled r = ConvKernels.maxPool2d(x, k, s, p, d, oH, oW);   // r.values(), r.indices()
     * }</pre>
     */
    public record Pooled(TensorData values, TensorData indices) {
    }

    /**
     * Max pooling of x [N, C, H, W] (window k, stride s, padding p, dilation d, each {height, width}) to [N, C, oH,
     * oW]. Returns null if some window holds no element of the input (only padding): the op reports it.
     */
    public static Pooled maxPool2d(TensorData x, int[] k, int[] s, int[] p, int[] d, int oH, int oW) {
        TensorData xc = Kernels.contiguous(x);
        int planes = x.size(0) * x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        int[] outShape = {x.size(0), x.size(1), oH, oW};
        // the window bounds along each dimension, the same for every plane: [start, end) stepping by the dilation
        int[] rows = windows(oH, h, k[0], s[0], p[0], d[0]);
        int[] cols = windows(oW, w, k[1], s[1], p[1], d[1]);
        if (rows == null || cols == null) {
            return null;
        }
        TensorData values = TensorData.zeros(x.dtype(), outShape);
        TensorData indices = TensorData.zeros(DType.INT64, outShape);
        long[] idx = indices.storage().longs();
        if (x.dtype() == DType.FLOAT32) {
            maxPoolFloat(xc.storage().floats(), xc.offset(), values.storage().floats(), idx, planes, h, w, oH, oW,
                    rows, cols, d);
        } else {
            maxPoolDouble(xc.storage().doubles(), xc.offset(), values.storage().doubles(), idx, planes, h, w, oH, oW,
                    rows, cols, d);
        }
        return new Pooled(values, indices);
    }

    /**
     * The adjoint of max pooling: the gradient [..., H, W] (xShape) of its input given g [..., oH, oW] and the
     * pooling's indices (h * W + w within each plane) of g's shape, each element of g added at its maximum's position.
     */
    public static TensorData maxPool2dBackward(TensorData g, TensorData indices, int[] xShape) {
        TensorData gc = Kernels.contiguous(g);
        TensorData ic = Kernels.contiguous(indices);
        TensorData gx = TensorData.zeros(g.dtype(), xShape);
        int r = xShape.length;
        int in = xShape[r - 2] * xShape[r - 1];
        int planes = Shapes.numel(xShape) / Math.max(1, in);
        int out = gc.size(r - 2) * gc.size(r - 1);
        long[] idx = ic.storage().longs();
        int io = ic.offset();
        boolean isFloat = g.dtype() == DType.FLOAT32;
        float[] sf = isFloat ? gc.storage().floats() : null;
        float[] df = isFloat ? gx.storage().floats() : null;
        double[] sd = isFloat ? null : gc.storage().doubles();
        double[] dd = isFloat ? null : gx.storage().doubles();
        int go = gc.offset();
        for (int plane = 0; plane < planes; plane++) {
            int src = plane * out;
            int dst = plane * in;
            for (int j = 0; j < out; j++) {
                int at = dst + (int) idx[io + src + j];
                if (isFloat) {
                    df[at] += sf[go + src + j];
                } else {
                    dd[at] += sd[go + src + j];
                }
            }
        }
        return gx;
    }

    /**
     * For each output position along one dimension, the first input position of its window inside the input and
     * one past the last ({@code 2 * out} values), as PyTorch computes them; null if some window holds no input.
     */
    private static int[] windows(int out, int in, int k, int s, int p, int d) {
        int[] r = new int[2 * out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p;
            int end = Math.min(start + (k - 1) * d + 1, in);
            while (start < 0) {
                start += d;
            }
            if (start >= end) {
                return null;
            }
            r[2 * o] = start;
            r[2 * o + 1] = end;
        }
        return r;
    }

    /** PyTorch's rule: a value replaces the maximum if it is greater, or if it is NaN. */
    private static void maxPoolFloat(float[] x, int base, float[] out, long[] idx, int planes, int h, int w, int oH,
                                     int oW, int[] rows, int[] cols, int[] d) {
        int dh = d[0];
        int dw = d[1];
        for (int plane = 0; plane < planes; plane++) {
            int in = base + plane * h * w;
            int o = plane * oH * oW;
            for (int oh = 0; oh < oH; oh++) {
                int h0 = rows[2 * oh];
                int h1 = rows[2 * oh + 1];
                for (int ow = 0; ow < oW; ow++, o++) {
                    int w0 = cols[2 * ow];
                    int w1 = cols[2 * ow + 1];
                    int best = h0 * w + w0;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ih = h0; ih < h1; ih += dh) {
                        for (int iw = w0; iw < w1; iw += dw) {
                            float v = x[in + ih * w + iw];
                            boolean take = v > max || v != v;   // as selects rather than branches: data-dependent
                            max = take ? v : max;
                            best = take ? ih * w + iw : best;
                        }
                    }
                    out[o] = max;
                    idx[o] = best;
                }
            }
        }
    }

    private static void maxPoolDouble(double[] x, int base, double[] out, long[] idx, int planes, int h, int w, int oH,
                                      int oW, int[] rows, int[] cols, int[] d) {
        int dh = d[0];
        int dw = d[1];
        for (int plane = 0; plane < planes; plane++) {
            int in = base + plane * h * w;
            int o = plane * oH * oW;
            for (int oh = 0; oh < oH; oh++) {
                int h0 = rows[2 * oh];
                int h1 = rows[2 * oh + 1];
                for (int ow = 0; ow < oW; ow++, o++) {
                    int w0 = cols[2 * ow];
                    int w1 = cols[2 * ow + 1];
                    int best = h0 * w + w0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ih = h0; ih < h1; ih += dh) {
                        for (int iw = w0; iw < w1; iw += dw) {
                            double v = x[in + ih * w + iw];
                            boolean take = v > max || v != v;   // as selects rather than branches: data-dependent
                            max = take ? v : max;
                            best = take ? ih * w + iw : best;
                        }
                    }
                    out[o] = max;
                    idx[o] = best;
                }
            }
        }
    }

    // ---- average pooling ---------------------------------------------------------------------------------------

    /**
     * Average pooling of x [N, C, H, W] (window k, stride s, padding p, each {height, width}) to [N, C, oH, oW]:
     * the sum of each window's real elements divided by divisorOverride if it is positive, else by the window's
     * size within the padded input (countIncludePad) or by the number of real elements.
     */
    public static TensorData avgPool2d(TensorData x, int[] k, int[] s, int[] p, int oH, int oW,
                                       boolean countIncludePad, int divisorOverride) {
        return avgPool(x, null, x.size(2), x.size(3), k, s, p, oH, oW, countIncludePad, divisorOverride);
    }

    /** The adjoint of {@link #avgPool2d}: the gradient [N, C, h, w] of its input given g [N, C, oH, oW]. */
    public static TensorData avgPool2dBackward(TensorData g, int h, int w, int[] k, int[] s, int[] p,
                                               boolean countIncludePad, int divisorOverride) {
        return avgPool(null, g, h, w, k, s, p, g.size(2), g.size(3), countIncludePad, divisorOverride);
    }

    /** Forward (x given) or adjoint (g given) average pooling: one loop over the windows for both. */
    private static TensorData avgPool(TensorData x, TensorData g, int h, int w, int[] k, int[] s, int[] p, int oH,
                                      int oW, boolean countIncludePad, int divisorOverride) {
        boolean forward = x != null;
        TensorData src = Kernels.contiguous(forward ? x : g);
        int batch = src.size(0);
        int ch = src.size(1);
        int n = batch * ch;
        TensorData dst = TensorData.zeros(src.dtype(), forward ? new int[] {batch, ch, oH, oW}
                : new int[] {batch, ch, h, w});
        boolean isFloat = src.dtype() == DType.FLOAT32;
        float[] sf = isFloat ? src.storage().floats() : null;
        double[] sd = isFloat ? null : src.storage().doubles();
        float[] df = isFloat ? dst.storage().floats() : null;
        double[] dd = isFloat ? null : dst.storage().doubles();
        int base = src.offset();
        for (int plane = 0; plane < n; plane++) {
            int in = plane * h * w;
            int out = plane * oH * oW;
            for (int oh = 0; oh < oH; oh++) {
                for (int ow = 0; ow < oW; ow++) {
                    int h0 = oh * s[0] - p[0];
                    int w0 = ow * s[1] - p[1];
                    int h1 = Math.min(h0 + k[0], h + p[0]);
                    int w1 = Math.min(w0 + k[1], w + p[1]);
                    int poolSize = (h1 - h0) * (w1 - w0);
                    h0 = Math.max(h0, 0);
                    w0 = Math.max(w0, 0);
                    h1 = Math.min(h1, h);
                    w1 = Math.min(w1, w);
                    if (h0 >= h1 || w0 >= w1) {
                        continue;
                    }
                    int divide = divisorOverride > 0 ? divisorOverride
                            : countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
                    int o = out + oh * oW + ow;
                    if (forward) {
                        if (isFloat) {
                            float sum = 0;
                            for (int ih = h0; ih < h1; ih++) {
                                for (int iw = w0; iw < w1; iw++) {
                                    sum += sf[base + in + ih * w + iw];
                                }
                            }
                            df[o] = sum / divide;
                        } else {
                            double sum = 0;
                            for (int ih = h0; ih < h1; ih++) {
                                for (int iw = w0; iw < w1; iw++) {
                                    sum += sd[base + in + ih * w + iw];
                                }
                            }
                            dd[o] = sum / divide;
                        }
                    } else if (isFloat) {
                        float delta = sf[base + o] / divide;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                df[in + ih * w + iw] += delta;
                            }
                        }
                    } else {
                        double delta = sd[base + o] / divide;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                dd[in + ih * w + iw] += delta;
                            }
                        }
                    }
                }
            }
        }
        return dst;
    }

    // ---- adaptive average pooling ------------------------------------------------------------------------------

    /**
     * Adaptive average pooling of x [N, C, H, W] to [N, C, oH, oW]: output cell i along a dimension of input size
     * in averages the input's range [floor(i in / out), ceil((i + 1) in / out)), as PyTorch does.
     */
    public static TensorData adaptiveAvgPool2d(TensorData x, int oH, int oW) {
        return adaptiveAvgPool(x, null, x.size(2), x.size(3), oH, oW);
    }

    /** The adjoint of {@link #adaptiveAvgPool2d}: the gradient [N, C, h, w] of its input given g [N, C, oH, oW]. */
    public static TensorData adaptiveAvgPool2dBackward(TensorData g, int h, int w) {
        return adaptiveAvgPool(null, g, h, w, g.size(2), g.size(3));
    }

    private static TensorData adaptiveAvgPool(TensorData x, TensorData g, int h, int w, int oH, int oW) {
        boolean forward = x != null;
        TensorData src = Kernels.contiguous(forward ? x : g);
        int batch = src.size(0);
        int ch = src.size(1);
        int n = batch * ch;
        TensorData dst = TensorData.zeros(src.dtype(), forward ? new int[] {batch, ch, oH, oW}
                : new int[] {batch, ch, h, w});
        boolean isFloat = src.dtype() == DType.FLOAT32;
        float[] sf = isFloat ? src.storage().floats() : null;
        double[] sd = isFloat ? null : src.storage().doubles();
        float[] df = isFloat ? dst.storage().floats() : null;
        double[] dd = isFloat ? null : dst.storage().doubles();
        int base = src.offset();
        for (int plane = 0; plane < n; plane++) {
            int in = plane * h * w;
            int out = plane * oH * oW;
            for (int oh = 0; oh < oH; oh++) {
                int h0 = (int) ((long) oh * h / oH);
                int h1 = (int) (((long) (oh + 1) * h + oH - 1) / oH);
                int kh = h1 - h0;
                for (int ow = 0; ow < oW; ow++) {
                    int w0 = (int) ((long) ow * w / oW);
                    int w1 = (int) (((long) (ow + 1) * w + oW - 1) / oW);
                    int kw = w1 - w0;
                    int o = out + oh * oW + ow;
                    if (forward) {
                        if (isFloat) {
                            float sum = 0;
                            for (int ih = h0; ih < h1; ih++) {
                                for (int iw = w0; iw < w1; iw++) {
                                    sum += sf[base + in + ih * w + iw];
                                }
                            }
                            df[o] = sum / kh / kw;
                        } else {
                            double sum = 0;
                            for (int ih = h0; ih < h1; ih++) {
                                for (int iw = w0; iw < w1; iw++) {
                                    sum += sd[base + in + ih * w + iw];
                                }
                            }
                            dd[o] = sum / kh / kw;
                        }
                    } else if (isFloat) {
                        float delta = sf[base + o] / kh / kw;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                df[in + ih * w + iw] += delta;
                            }
                        }
                    } else {
                        double delta = sd[base + o] / kh / kw;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                dd[in + ih * w + iw] += delta;
                            }
                        }
                    }
                }
            }
        }
        return dst;
    }
}
