package dev.ember.kernels;

import dev.ember.DType;

/**
 * Direct convolution as Java loops, for the small convolutions where ND4J's fixed cost per call dominates (see
 * {@link ConvKernels#JAVA_LIMIT}): the forward pass, the input gradient and the weight gradient, each visiting only
 * the kernel positions that fall inside the input. Computed in double precision whatever the dtype (float32
 * results are rounded once at the end). Shapes as in {@link ConvKernels}: NCHW, weights [O, C/groups, kH, kW],
 * geometry {sH, sW, pH, pW, dH, dW}.
 *
 * <pre>{@code
 * TensorData y = JavaConv.forward(x, w, null, new int[] {1, 1, 0, 0, 1, 1}, 1, new int[] {1, 4, 6, 6});
 * }</pre>
 */
final class JavaConv {
    private JavaConv() {
    }

    /** A tensor's elements as a double array with an offset (the storage itself when it is contiguous float64). */
    private record Doubles(double[] a, int offset) {
        static Doubles of(TensorData t) {
            if (t.dtype() == DType.FLOAT64 && t.isContiguous()) {
                return new Doubles(t.storage().doubles(), t.offset());
            }
            return new Doubles(Kernels.toDoubles(t), 0);
        }
    }

    private static TensorData result(double[] v, int[] shape, DType dtype) {
        TensorData d = Kernels.fromArray(v, shape);
        return dtype == DType.FLOAT64 ? d : Kernels.contiguousCopy(d, dtype);
    }

    /** The first output index o with o * stride + shift >= 0. */
    private static int first(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** One past the last output index o (below out) with o * stride + shift < in. */
    private static int end(int shift, int stride, int in, int out) {
        int last = in - 1 - shift;
        return last < 0 ? 0 : Math.min(out, last / stride + 1);
    }

    /** y [N, O, oH, oW] = conv2d(x, w) + b. */
    static TensorData forward(TensorData x, TensorData w, TensorData b, int[] g, int groups, int[] outShape) {
        Doubles xs = Doubles.of(x);
        Doubles ws = Doubles.of(w);
        double[] xa = xs.a;
        double[] wa = ws.a;
        double[] bias = b == null ? null : Kernels.toDoubles(b);
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int wd = x.size(3);
        int o = w.size(0);
        int cg = w.size(1);
        int kh = w.size(2);
        int kw = w.size(3);
        int og = o / groups;
        int oh = outShape[2];
        int ow = outShape[3];
        double[] y = new double[n * o * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int io = 0; io < o; io++) {
                int yBase = (in * o + io) * oh * ow;
                if (bias != null) {
                    java.util.Arrays.fill(y, yBase, yBase + oh * ow, bias[io]);
                }
                int c0 = io / og * cg;
                for (int ic = 0; ic < cg; ic++) {
                    int xPlane = xs.offset + (in * c + c0 + ic) * h * wd;
                    for (int a = 0; a < kh; a++) {
                        int shiftH = a * g[4] - g[2];
                        int h0 = first(shiftH, g[0]);
                        int h1 = end(shiftH, g[0], h, oh);
                        for (int bb = 0; bb < kw; bb++) {
                            double wv = wa[ws.offset + ((io * cg + ic) * kh + a) * kw + bb];
                            int shiftW = bb * g[5] - g[3];
                            int w0 = first(shiftW, g[1]);
                            int w1 = end(shiftW, g[1], wd, ow);
                            for (int p = h0; p < h1; p++) {
                                int xRow = xPlane + (p * g[0] + shiftH) * wd + shiftW;
                                int yRow = yBase + p * ow;
                                for (int q = w0; q < w1; q++) {
                                    y[yRow + q] += wv * xa[xRow + q * g[1]];
                                }
                            }
                        }
                    }
                }
            }
        }
        return result(y, outShape, x.dtype());
    }

    /** The gradient of the input [xShape] given gy [N, O, oH, oW] and w. */
    static TensorData inputGradient(TensorData gy, TensorData w, int[] xShape, int[] g, int groups) {
        Doubles gs = Doubles.of(gy);
        Doubles ws = Doubles.of(w);
        double[] ga = gs.a;
        double[] wa = ws.a;
        int n = xShape[0];
        int c = xShape[1];
        int h = xShape[2];
        int wd = xShape[3];
        int o = w.size(0);
        int cg = w.size(1);
        int kh = w.size(2);
        int kw = w.size(3);
        int og = o / groups;
        int oh = gy.size(2);
        int ow = gy.size(3);
        double[] gx = new double[n * c * h * wd];
        for (int in = 0; in < n; in++) {
            for (int io = 0; io < o; io++) {
                int gBase = gs.offset + (in * o + io) * oh * ow;
                int c0 = io / og * cg;
                for (int ic = 0; ic < cg; ic++) {
                    int xPlane = (in * c + c0 + ic) * h * wd;
                    for (int a = 0; a < kh; a++) {
                        int shiftH = a * g[4] - g[2];
                        int h0 = first(shiftH, g[0]);
                        int h1 = end(shiftH, g[0], h, oh);
                        for (int bb = 0; bb < kw; bb++) {
                            double wv = wa[ws.offset + ((io * cg + ic) * kh + a) * kw + bb];
                            int shiftW = bb * g[5] - g[3];
                            int w0 = first(shiftW, g[1]);
                            int w1 = end(shiftW, g[1], wd, ow);
                            for (int p = h0; p < h1; p++) {
                                int xRow = xPlane + (p * g[0] + shiftH) * wd + shiftW;
                                int gRow = gBase + p * ow;
                                for (int q = w0; q < w1; q++) {
                                    gx[xRow + q * g[1]] += wv * ga[gRow + q];
                                }
                            }
                        }
                    }
                }
            }
        }
        return result(gx, xShape, gy.dtype());
    }

    /** The gradient of the weight [wShape] given x and gy [N, O, oH, oW]. */
    static TensorData weightGradient(TensorData x, TensorData gy, int[] wShape, int[] g, int groups) {
        Doubles xs = Doubles.of(x);
        Doubles gs = Doubles.of(gy);
        double[] xa = xs.a;
        double[] ga = gs.a;
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int wd = x.size(3);
        int o = wShape[0];
        int cg = wShape[1];
        int kh = wShape[2];
        int kw = wShape[3];
        int og = o / groups;
        int oh = gy.size(2);
        int ow = gy.size(3);
        double[] gw = new double[o * cg * kh * kw];
        for (int io = 0; io < o; io++) {
            int c0 = io / og * cg;
            for (int ic = 0; ic < cg; ic++) {
                for (int a = 0; a < kh; a++) {
                    int shiftH = a * g[4] - g[2];
                    int h0 = first(shiftH, g[0]);
                    int h1 = end(shiftH, g[0], h, oh);
                    for (int bb = 0; bb < kw; bb++) {
                        int shiftW = bb * g[5] - g[3];
                        int w0 = first(shiftW, g[1]);
                        int w1 = end(shiftW, g[1], wd, ow);
                        double sum = 0;
                        for (int in = 0; in < n; in++) {
                            int xPlane = xs.offset + (in * c + c0 + ic) * h * wd;
                            int gBase = gs.offset + (in * o + io) * oh * ow;
                            for (int p = h0; p < h1; p++) {
                                int xRow = xPlane + (p * g[0] + shiftH) * wd + shiftW;
                                int gRow = gBase + p * ow;
                                for (int q = w0; q < w1; q++) {
                                    sum += xa[xRow + q * g[1]] * ga[gRow + q];
                                }
                            }
                        }
                        gw[((io * cg + ic) * kh + a) * kw + bb] = sum;
                    }
                }
            }
        }
        return result(gw, wShape, gy.dtype());
    }
}
