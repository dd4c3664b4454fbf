package dev.ember.kernels;

import dev.ember.DType;

import java.util.Arrays;

/**
 * Fused optimizer updates: each reads a parameter, its gradient and its state once and writes them once, where
 * the same update as separate in-place ops ({@code buf.mul_(m).add_(g); p.add_(buf, -lr)}) passes over the memory
 * several times. The arithmetic is PyTorch 1.13's single-tensor implementation, operation for operation and in its
 * order (float32 in float, float64 in double), so the trajectories are the same as with the separate ops.
 *
 * <p>All operands must be contiguous, of one floating dtype and one shape, each in its own storage
 * ({@link #fusable} checks); the optimizer falls back to the separate in-place ops otherwise.
 *
 * <pre>{@code
 * if (OptimizerKernels.fusable(p, g, buf)) {
 *     OptimizerKernels.sgd(p, g, buf, false, 0.01, 0.9, 0, 0, false, false);
 * }
 * }</pre>
 */
public final class OptimizerKernels {
    private OptimizerKernels() {
    }

    /**
     * True when the operands (nulls skipped) can go to a fused update: contiguous, float32 or float64, all of one
     * dtype and shape, and no two sharing a storage.
     */
    public static boolean fusable(TensorData... operands) {
        TensorData first = null;
        for (int i = 0; i < operands.length; i++) {
            TensorData t = operands[i];
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t;
                if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
                    return false;
                }
            }
            if (!t.isContiguous() || t.dtype() != first.dtype() || !Arrays.equals(t.shape(), first.shape())) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (operands[j] != null && operands[j].storage() == t.storage()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * SGD (PyTorch's {@code _single_tensor_sgd}) on one parameter: d = ±g (+ weightDecay p); with a momentum
     * buffer (buf not null), buf = d on the first step ({@code first}), else momentum buf + (1 - dampening) d, and
     * d = nesterov ? d + momentum buf : buf; then p = p - lr d.
     */
    public static void sgd(TensorData p, TensorData g, TensorData buf, boolean first, double lr, double momentum,
                           double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        int n = p.numel();
        if (p.dtype() == DType.FLOAT32) {
            sgdFloat(p.storage().floats(), p.offset(), g.storage().floats(), g.offset(),
                    buf == null ? null : buf.storage().floats(), buf == null ? 0 : buf.offset(), n, first,
                    (float) -lr, (float) momentum, (float) (1 - dampening), (float) weightDecay, nesterov, maximize);
        } else {
            sgdDouble(p.storage().doubles(), p.offset(), g.storage().doubles(), g.offset(),
                    buf == null ? null : buf.storage().doubles(), buf == null ? 0 : buf.offset(), n, first,
                    -lr, momentum, 1 - dampening, weightDecay, nesterov, maximize);
        }
    }

    /**
     * Adam and AdamW (PyTorch's {@code _single_tensor_adam} and {@code _single_tensor_adamw}) on one parameter at
     * step {@code step}: g = ±g; AdamW (decoupled) first shrinks p by (1 - lr weightDecay), Adam adds weightDecay p
     * to g; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g g; with amsgrad (vmax not null)
     * vmax = max(vmax, v) replaces v below; p = p - lr / (1 - beta1^step) m / (sqrt(v) / sqrt(1 - beta2^step) + eps).
     */
    public static void adam(TensorData p, TensorData g, TensorData m, TensorData v, TensorData vmax, long step,
                            double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                            boolean maximize) {
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double decay = decoupled ? 1 - lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        int n = p.numel();
        if (p.dtype() == DType.FLOAT32) {
            adamFloat(p.storage().floats(), p.offset(), g.storage().floats(), g.offset(), m.storage().floats(),
                    m.offset(), v.storage().floats(), v.offset(), vmax == null ? null : vmax.storage().floats(),
                    vmax == null ? 0 : vmax.offset(), n, (float) -stepSize, (float) beta1, (float) (1 - beta1),
                    (float) beta2, (float) (1 - beta2), (float) bc2Sqrt, (float) eps, (float) decay, (float) l2,
                    decoupled && weightDecay != 0, maximize);
        } else {
            adamDouble(p.storage().doubles(), p.offset(), g.storage().doubles(), g.offset(), m.storage().doubles(),
                    m.offset(), v.storage().doubles(), v.offset(), vmax == null ? null : vmax.storage().doubles(),
                    vmax == null ? 0 : vmax.offset(), n, -stepSize, beta1, 1 - beta1, beta2, 1 - beta2, bc2Sqrt, eps,
                    decay, l2, decoupled && weightDecay != 0, maximize);
        }
    }

    /**
     * RMSprop (PyTorch's {@code _single_tensor_rmsprop}) on one parameter: g = ±g (+ weightDecay p);
     * sq = alpha sq + (1 - alpha) g g; centered (gAvg not null): gAvg = alpha gAvg + (1 - alpha) g and
     * avg = sqrt(sq - gAvg gAvg) + eps, else avg = sqrt(sq) + eps; with a momentum buffer (buf not null)
     * buf = momentum buf + g / avg and p = p - lr buf, else p = p - lr g / avg.
     */
    public static void rmsprop(TensorData p, TensorData g, TensorData sq, TensorData gAvg, TensorData buf, double lr,
                               double alpha, double eps, double weightDecay, double momentum, boolean maximize) {
        int n = p.numel();
        if (p.dtype() == DType.FLOAT32) {
            rmspropFloat(p.storage().floats(), p.offset(), g.storage().floats(), g.offset(), sq.storage().floats(),
                    sq.offset(), gAvg == null ? null : gAvg.storage().floats(), gAvg == null ? 0 : gAvg.offset(),
                    buf == null ? null : buf.storage().floats(), buf == null ? 0 : buf.offset(), n, (float) -lr,
                    (float) alpha, (float) (1 - alpha), (float) eps, (float) weightDecay, (float) momentum, maximize);
        } else {
            rmspropDouble(p.storage().doubles(), p.offset(), g.storage().doubles(), g.offset(),
                    sq.storage().doubles(), sq.offset(), gAvg == null ? null : gAvg.storage().doubles(),
                    gAvg == null ? 0 : gAvg.offset(), buf == null ? null : buf.storage().doubles(),
                    buf == null ? 0 : buf.offset(), n, -lr, alpha, 1 - alpha, eps, weightDecay, momentum, maximize);
        }
    }

    /**
     * Adagrad (PyTorch's {@code _single_tensor_adagrad}) on one parameter with the step's learning rate clr:
     * g = ±g (+ weightDecay p); sum = sum + g g; p = p - clr g / (sqrt(sum) + eps).
     */
    public static void adagrad(TensorData p, TensorData g, TensorData sum, double clr, double eps,
                               double weightDecay, boolean maximize) {
        int n = p.numel();
        if (p.dtype() == DType.FLOAT32) {
            adagradFloat(p.storage().floats(), p.offset(), g.storage().floats(), g.offset(), sum.storage().floats(),
                    sum.offset(), n, (float) -clr, (float) eps, (float) weightDecay, maximize);
        } else {
            adagradDouble(p.storage().doubles(), p.offset(), g.storage().doubles(), g.offset(),
                    sum.storage().doubles(), sum.offset(), n, -clr, eps, weightDecay, maximize);
        }
    }

    // ---- the loops: float32 -----------------------------------------------------------------------------------------

    private static void sgdFloat(float[] p, int po, float[] g, int go, float[] b, int bo, int n, boolean first,
            float negLr, float momentum, float oneMinusDampening, float weightDecay, boolean nesterov,
            boolean maximize) {
        if (b != null && !first && !nesterov && !maximize && weightDecay == 0) {
            // the common case, heavy-ball momentum (as in the benchmark workloads): one loop the JIT vectorizes
            for (int i = 0; i < n; i++) {
                float v = b[bo + i] * momentum + oneMinusDampening * g[go + i];
                b[bo + i] = v;
                p[po + i] += negLr * v;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float d = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                d += weightDecay * p[po + i];
            }
            if (b != null) {
                float v = first ? d : b[bo + i] * momentum + oneMinusDampening * d;
                b[bo + i] = v;
                d = nesterov ? d + momentum * v : v;
            }
            p[po + i] += negLr * d;
        }
    }

    private static void adamFloat(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
            float[] vmax, int xo, int n, float negStepSize, float beta1, float oneMinusBeta1, float beta2,
            float oneMinusBeta2, float bc2Sqrt, float eps, float decay, float l2, boolean decoupled, boolean maximize) {
        for (int i = 0; i < n; i++) {
            float gi = maximize ? -g[go + i] : g[go + i];
            float pi = p[po + i];
            if (decoupled) {
                pi *= decay;
            } else if (l2 != 0) {
                gi += l2 * pi;
            }
            float mi = m[mo + i] * beta1 + oneMinusBeta1 * gi;
            float vi = v[vo + i] * beta2 + oneMinusBeta2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            if (vmax != null) {
                float x = vmax[xo + i];
                vi = x != x || vi != vi ? Float.NaN : Math.max(x, vi);
                vmax[xo + i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[po + i] = pi + negStepSize * mi / denom;
        }
    }

    private static void rmspropFloat(float[] p, int po, float[] g, int go, float[] sq, int so, float[] ga, int ao,
            float[] b, int bo, int n, float negLr, float alpha, float oneMinusAlpha, float eps, float weightDecay,
            float momentum, boolean maximize) {
        for (int i = 0; i < n; i++) {
            float gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                gi += weightDecay * p[po + i];
            }
            float s = sq[so + i] * alpha + oneMinusAlpha * gi * gi;
            sq[so + i] = s;
            float avg;
            if (ga != null) {
                float a = ga[ao + i] * alpha + oneMinusAlpha * gi;
                ga[ao + i] = a;
                avg = (float) Math.sqrt(s + -a * a) + eps;
            } else {
                avg = (float) Math.sqrt(s) + eps;
            }
            if (b != null) {
                float v = b[bo + i] * momentum + gi / avg;
                b[bo + i] = v;
                p[po + i] += negLr * v;
            } else {
                p[po + i] += negLr * gi / avg;
            }
        }
    }

    private static void adagradFloat(float[] p, int po, float[] g, int go, float[] sum, int so, int n, float negLr,
            float eps, float weightDecay, boolean maximize) {
        for (int i = 0; i < n; i++) {
            float gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                gi += weightDecay * p[po + i];
            }
            float s = sum[so + i] + gi * gi;
            sum[so + i] = s;
            p[po + i] += negLr * gi / ((float) Math.sqrt(s) + eps);
        }
    }

    // ---- the loops: float64 -----------------------------------------------------------------------------------------

    private static void sgdDouble(double[] p, int po, double[] g, int go, double[] b, int bo, int n, boolean first,
            double negLr, double momentum, double oneMinusDampening, double weightDecay, boolean nesterov,
            boolean maximize) {
        if (b != null && !first && !nesterov && !maximize && weightDecay == 0) {
            // the common case, heavy-ball momentum (as in the benchmark workloads): one loop the JIT vectorizes
            for (int i = 0; i < n; i++) {
                double v = b[bo + i] * momentum + oneMinusDampening * g[go + i];
                b[bo + i] = v;
                p[po + i] += negLr * v;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double d = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                d += weightDecay * p[po + i];
            }
            if (b != null) {
                double v = first ? d : b[bo + i] * momentum + oneMinusDampening * d;
                b[bo + i] = v;
                d = nesterov ? d + momentum * v : v;
            }
            p[po + i] += negLr * d;
        }
    }

    private static void adamDouble(double[] p, int po, double[] g, int go, double[] m, int mo, double[] v, int vo,
            double[] vmax, int xo, int n, double negStepSize, double beta1, double oneMinusBeta1, double beta2,
            double oneMinusBeta2, double bc2Sqrt, double eps, double decay, double l2, boolean decoupled,
            boolean maximize) {
        for (int i = 0; i < n; i++) {
            double gi = maximize ? -g[go + i] : g[go + i];
            double pi = p[po + i];
            if (decoupled) {
                pi *= decay;
            } else if (l2 != 0) {
                gi += l2 * pi;
            }
            double mi = m[mo + i] * beta1 + oneMinusBeta1 * gi;
            double vi = v[vo + i] * beta2 + oneMinusBeta2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            if (vmax != null) {
                double x = vmax[xo + i];
                vi = x != x || vi != vi ? Double.NaN : Math.max(x, vi);
                vmax[xo + i] = vi;
            }
            double denom = Math.sqrt(vi) / bc2Sqrt + eps;
            p[po + i] = pi + negStepSize * mi / denom;
        }
    }

    private static void rmspropDouble(double[] p, int po, double[] g, int go, double[] sq, int so, double[] ga, int ao,
            double[] b, int bo, int n, double negLr, double alpha, double oneMinusAlpha, double eps, double weightDecay,
            double momentum, boolean maximize) {
        for (int i = 0; i < n; i++) {
            double gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                gi += weightDecay * p[po + i];
            }
            double s = sq[so + i] * alpha + oneMinusAlpha * gi * gi;
            sq[so + i] = s;
            double avg;
            if (ga != null) {
                double a = ga[ao + i] * alpha + oneMinusAlpha * gi;
                ga[ao + i] = a;
                avg = Math.sqrt(s + -a * a) + eps;
            } else {
                avg = Math.sqrt(s) + eps;
            }
            if (b != null) {
                double v = b[bo + i] * momentum + gi / avg;
                b[bo + i] = v;
                p[po + i] += negLr * v;
            } else {
                p[po + i] += negLr * gi / avg;
            }
        }
    }

    private static void adagradDouble(double[] p, int po, double[] g, int go, double[] sum, int so, int n, double negLr,
            double eps, double weightDecay, boolean maximize) {
        for (int i = 0; i < n; i++) {
            double gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) {
                gi += weightDecay * p[po + i];
            }
            double s = sum[so + i] + gi * gi;
            sum[so + i] = s;
            p[po + i] += negLr * gi / (Math.sqrt(s) + eps);
        }
    }
}
