package dev.ember.kernels;

import dev.ember.DType;

import java.util.Arrays;

/**
 * Convolution as matrix products (im2col): each sample's input patches are unfolded into a matrix cols [C/groups ·
 * kH · kW, oH · oW] in a Java array, and the convolution and its gradients become GEMMs through {@link Gemm}, which
 * runs them on the native BLAS directly over Ember's arrays:
 * <ul>
 *   <li>forward, per sample and group: y [O/groups, oH · oW] = w [O/groups, C/groups · kH · kW] · cols, onto
 *       the bias;
 *   <li>weight gradient: gw += gy · colsᵀ, summed over the samples;
 *   <li>input gradient: cols = wᵀ · gy, folded back onto the input (col2im, adding where windows overlap).
 * </ul>
 * Stride, padding, dilation and groups all go into the unfolding: {@link #patchIndex} maps every element of cols to
 * the input element it reads (or to nothing, in the zero padding), once per call, and the same map serves the
 * unfolding and the folding of every sample and group. Results are computed in the tensors' dtype, as PyTorch does.
 * Shapes as in {@link ConvKernels}: NCHW, weights [O, C/groups, kH, kW], geometry {sH, sW, pH, pW, dH, dW}.
 *
 * <pre>{@code
 * TensorData y = Im2colConv.forward(x, w, null, new int[] {1, 1, 1, 1, 1, 1}, 1, new int[] {64, 16, 28, 28});
 * }</pre>
 */
final class Im2colConv {
    private Im2colConv() {
    }

    /**
     * For each element (row r = (c · kH + a) · kW + b, column p · oW + q) of one sample's and group's cols matrix,
     * the offset c · H · W + ih · W + iw of the input element it reads, relative to the group's first channel, or -1
     * where the window lies in the zero padding.
     */
    static int[] patchIndex(int cg, int h, int w, int kh, int kw, int oh, int ow, int[] g) {
        int cols = oh * ow;
        int[] index = new int[cg * kh * kw * cols];
        int i = 0;
        for (int c = 0; c < cg; c++) {
            for (int a = 0; a < kh; a++) {
                for (int b = 0; b < kw; b++) {
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g[0] - g[2] + a * g[4];
                        boolean rowInside = ih >= 0 && ih < h;
                        int rowBase = (c * h + ih) * w;
                        for (int q = 0; q < ow; q++, i++) {
                            int iw = q * g[1] - g[3] + b * g[5];
                            index[i] = rowInside && iw >= 0 && iw < w ? rowBase + iw : -1;
                        }
                    }
                }
            }
        }
        return index;
    }

    /** The sizes of one convolution: batch, channels, groups, per-group channels and kernel elements, output plane. */
    private record Dims(int n, int c, int h, int w, int o, int groups, int cg, int og, int k, int l) {
        static Dims of(int[] xShape, int[] wShape, int oh, int ow, int groups) {
            int cg = wShape[1];
            return new Dims(xShape[0], xShape[1], xShape[2], xShape[3], wShape[0], groups, cg, wShape[0] / groups,
                    cg * wShape[2] * wShape[3], oh * ow);
        }

        /** Offset of sample s's group g in the input. */
        int inputBase(int s, int g) {
            return (s * c + g * cg) * h * w;
        }

        /** Offset of sample s's group g in the output. */
        int outputBase(int s, int g) {
            return (s * o + g * og) * l;
        }
    }

    /** y [N, O, oH, oW] = conv2d(x, w) + b. */
    static TensorData forward(TensorData x, TensorData w, TensorData b, int[] g, int groups, int[] outShape) {
        TensorData xc = Kernels.contiguous(x);
        TensorData wc = Kernels.contiguous(w);
        Dims d = Dims.of(x.shape(), w.shape(), outShape[2], outShape[3], groups);
        int[] index = patchIndex(d.cg, d.h, d.w, w.size(2), w.size(3), outShape[2], outShape[3], g);
        DType dtype = x.dtype();
        TensorData out = TensorData.zeros(dtype, outShape);
        if (b != null) {
            fillBias(out, Kernels.contiguous(b), d);
        }
        TensorData cols = TensorData.zeros(dtype, d.k, d.l);
        for (int s = 0; s < d.n; s++) {
            for (int gr = 0; gr < groups; gr++) {
                gather(xc, xc.offset() + d.inputBase(s, gr), index, cols);
                Gemm.multiply(matrix(wc, wc.offset() + gr * d.og * d.k, d.og, d.k, false), cols,
                        matrix(out, d.outputBase(s, gr), d.og, d.l, false), b != null);
            }
        }
        return out;
    }

    /** The gradient of the weight [wShape] given x and gy [N, O, oH, oW]. */
    static TensorData weightGradient(TensorData x, TensorData gy, int[] wShape, int[] g, int groups) {
        TensorData xc = Kernels.contiguous(x);
        TensorData gc = Kernels.contiguous(gy);
        Dims d = Dims.of(x.shape(), wShape, gy.size(2), gy.size(3), groups);
        int[] index = patchIndex(d.cg, d.h, d.w, wShape[2], wShape[3], gy.size(2), gy.size(3), g);
        DType dtype = gy.dtype();
        TensorData gw = TensorData.zeros(dtype, wShape);
        TensorData cols = TensorData.zeros(dtype, d.k, d.l);
        TensorData colsT = matrix(cols, 0, d.l, d.k, true);
        for (int s = 0; s < d.n; s++) {
            for (int gr = 0; gr < groups; gr++) {
                gather(xc, xc.offset() + d.inputBase(s, gr), index, cols);
                Gemm.multiply(matrix(gc, gc.offset() + d.outputBase(s, gr), d.og, d.l, false), colsT,
                        matrix(gw, gr * d.og * d.k, d.og, d.k, false), true);
            }
        }
        return gw;
    }

    /** The gradient of the input [xShape] given gy [N, O, oH, oW] and w. */
    static TensorData inputGradient(TensorData gy, TensorData w, int[] xShape, int[] g, int groups) {
        TensorData gc = Kernels.contiguous(gy);
        TensorData wc = Kernels.contiguous(w);
        Dims d = Dims.of(xShape, w.shape(), gy.size(2), gy.size(3), groups);
        int[] index = patchIndex(d.cg, d.h, d.w, w.size(2), w.size(3), gy.size(2), gy.size(3), g);
        DType dtype = gy.dtype();
        TensorData gx = TensorData.zeros(dtype, xShape);
        TensorData cols = TensorData.zeros(dtype, d.k, d.l);
        for (int s = 0; s < d.n; s++) {
            for (int gr = 0; gr < groups; gr++) {
                Gemm.multiply(matrix(wc, wc.offset() + gr * d.og * d.k, d.k, d.og, true),
                        matrix(gc, gc.offset() + d.outputBase(s, gr), d.og, d.l, false), cols, false);
                scatterAdd(cols, index, gx, d.inputBase(s, gr));
            }
        }
        return gx;
    }

    /** Each output plane of out [N, O, oH, oW] set to its channel's bias, for the GEMMs to add onto. */
    private static void fillBias(TensorData out, TensorData b, Dims d) {
        for (int s = 0; s < d.n; s++) {
            for (int c = 0; c < d.o; c++) {
                int from = (s * d.o + c) * d.l;
                if (out.dtype() == DType.FLOAT32) {
                    Arrays.fill(out.storage().floats(), from, from + d.l, b.storage().floats()[b.offset() + c]);
                } else {
                    Arrays.fill(out.storage().doubles(), from, from + d.l, b.storage().doubles()[b.offset() + c]);
                }
            }
        }
    }

    /**
     * A [rows, cols] matrix in t's storage from offset: row-major (row stride cols), or with transposed the
     * transpose of a row-major [cols, rows] matrix.
     */
    private static TensorData matrix(TensorData t, int offset, int rows, int cols, boolean transposed) {
        int[] strides = transposed ? new int[] {1, rows} : new int[] {cols, 1};
        return new TensorData(t.storage(), offset, new int[] {rows, cols}, strides);
    }

    /** cols[i] = x[base + index[i]], or 0 where index[i] is -1. */
    private static void gather(TensorData x, int base, int[] index, TensorData cols) {
        if (x.dtype() == DType.FLOAT32) {
            float[] src = x.storage().floats();
            float[] dst = cols.storage().floats();
            for (int i = 0; i < index.length; i++) {
                int j = index[i];
                dst[i] = j < 0 ? 0f : src[base + j];
            }
        } else {
            double[] src = x.storage().doubles();
            double[] dst = cols.storage().doubles();
            for (int i = 0; i < index.length; i++) {
                int j = index[i];
                dst[i] = j < 0 ? 0.0 : src[base + j];
            }
        }
    }

    /** gx[base + index[i]] += cols[i] wherever index[i] is not -1 (col2im). */
    private static void scatterAdd(TensorData cols, int[] index, TensorData gx, int base) {
        if (gx.dtype() == DType.FLOAT32) {
            float[] src = cols.storage().floats();
            float[] dst = gx.storage().floats();
            for (int i = 0; i < index.length; i++) {
                int j = index[i];
                if (j >= 0) {
                    dst[base + j] += src[i];
                }
            }
        } else {
            double[] src = cols.storage().doubles();
            double[] dst = gx.storage().doubles();
            for (int i = 0; i < index.length; i++) {
                int j = index[i];
                if (j >= 0) {
                    dst[base + j] += src[i];
                }
            }
        }
    }
}
