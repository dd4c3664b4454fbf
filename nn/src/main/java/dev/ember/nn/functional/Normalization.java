package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * The functional forms of LayerNorm and BatchNorm (PyTorch's {@code F.layer_norm}, {@code F.batch_norm}), composed
 * of Tensor ops (mean, biased variance, sqrt, div, mul, add), so reverse mode, higher-order gradients and forward
 * mode all work through them, and the gradients are PyTorch's (the same function, differentiated exactly).
 *
 * <pre>{@code
 * Tensor x = Ember.randn(8, 3, 5, 5);
 * Tensor y = Normalization.layerNorm(x, new int[] {5, 5}, null, null, 1e-5);          // F.layer_norm(x, (5, 5))
 * Tensor rm = Ember.zeros(3), rv = Ember.ones(3);
 * Tensor z = Normalization.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);        // updates rm and rv in place
 * }</pre>
 */
public final class Normalization {
    private Normalization() {
    }

    /** {@code layerNorm(input, normalizedShape, null, null, 1e-5)}. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape) {
        return layerNorm(input, normalizedShape, null, null, 1e-5);
    }

    /**
     * Normalises over the trailing dimensions {@code normalizedShape}: (x - mean) / √(var + eps) with the biased
     * variance, then times weight and plus bias (each of shape normalizedShape, or null).
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return layerNorm("layerNorm", input, normalizedShape, weight, bias, eps);
    }

    /** layerNorm with errors that name {@code where} (a layer's description) instead of the function. */
    public static Tensor layerNorm(String where, Tensor input, int[] normalizedShape, Tensor weight, Tensor bias,
                                   double eps) {
        Activations.requireInput(where, input);
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new ShapeException(where + ": normalizedShape must name at least one trailing dimension, got "
                    + Arrays.toString(normalizedShape));
        }
        int k = normalizedShape.length;
        int[] shape = input.shape();
        boolean ok = shape.length >= k;
        for (int i = 0; ok && i < k; i++) {
            ok = shape[shape.length - k + i] == normalizedShape[i];
        }
        if (!ok) {
            throw new ShapeException(where + ": given normalizedShape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], but got input of shape " + Arrays.toString(shape));
        }
        requireFloat(where, input);
        checkAffine(where, "weight", weight, normalizedShape);
        checkAffine(where, "bias", bias, normalizedShape);
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = shape.length - k + i;
        }
        Tensor mean = input.mean(dims, true);
        Tensor var = input.var(dims, false, true);
        Tensor y = input.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    private static void checkAffine(String where, String name, Tensor t, int[] normalizedShape) {
        if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
            throw new ShapeException(where + ": the " + name + " has shape " + Arrays.toString(t.shape())
                    + " but normalizedShape is " + Arrays.toString(normalizedShape) + "; they must be equal");
        }
    }

    /**
     * Batch normalisation over every dimension but 1 (the channels) of an input [N, C, *].
     *
     * <p>With {@code training}, the batch's statistics are used (mean and biased variance per channel), and if the
     * running statistics are given they are updated in place, without recording: running = (1 - momentum) running
     * + momentum · batch statistic, the variance unbiased (n / (n - 1) times the biased one, n = N · ∏ spatial
     * sizes), as PyTorch computes it (in double precision, rounded once to the buffers' dtype). Without
     * {@code training}, the running statistics are used (they must then be given). Then times weight and plus bias
     * (each [C], or null).
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return batchNorm("batchNorm", input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** batchNorm with errors that name {@code where} (a layer's description) instead of the function. */
    public static Tensor batchNorm(String where, Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight,
                                   Tensor bias, boolean training, double momentum, double eps) {
        Activations.requireInput(where, input);
        if (input.dim() < 2) {
            throw new ShapeException(where + ": expects an input of shape [N, C, *] (at least 2 dimensions), got "
                    + "shape " + Arrays.toString(input.shape()));
        }
        requireFloat(where, input);
        int channels = input.size(1);
        checkChannels(where, "running mean", runningMean, channels, input);
        checkChannels(where, "running variance", runningVar, channels, input);
        checkChannels(where, "weight", weight, channels, input);
        checkChannels(where, "bias", bias, channels, input);
        int[] dims = new int[input.dim() - 1];
        int[] bshape = new int[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = channels;
        long n = 1;
        for (int d = 0, j = 0; d < input.dim(); d++) {
            if (d != 1) {
                dims[j++] = d;
                n *= input.size(d);
            }
        }
        Tensor mean;
        Tensor var;
        if (training) {
            if (n <= 1) {
                throw new ShapeException(where + ": expected more than 1 value per channel when training, got input "
                        + "of shape " + Arrays.toString(input.shape()) + "; use a batch of at least 2 (or call "
                        + "eval() to use the running statistics)");
            }
            mean = input.mean(dims, true);
            var = input.var(dims, false, true);
            if (runningMean != null || runningVar != null) {
                updateRunning(runningMean, runningVar, mean, var, momentum, n);
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new EmberException(where + ": the running mean and variance must be given in evaluation mode "
                        + "(training = false); pass them, or normalise with the batch's statistics (training = true)");
            }
            mean = runningMean.view(bshape);
            var = runningVar.view(bshape);
        }
        Tensor y = input.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight.view(bshape));
        }
        return bias == null ? y : y.add(bias.view(bshape));
    }

    private static void updateRunning(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, double momentum,
                                      long n) {
        try (var g = Ember.noGrad()) {
            if (runningMean != null) {
                Tensor m = mean.detach().reshape(-1).to(DType.FLOAT64).mul(momentum);
                runningMean.copy_(runningMean.to(DType.FLOAT64).mul(1 - momentum).add(m));
            }
            if (runningVar != null) {
                Tensor unbiased = var.detach().reshape(-1).to(DType.FLOAT64).mul((double) n / (n - 1));
                runningVar.copy_(runningVar.to(DType.FLOAT64).mul(1 - momentum).add(unbiased.mul(momentum)));
            }
        }
    }

    private static void checkChannels(String where, String name, Tensor t, int channels, Tensor input) {
        if (t != null && (t.dim() != 1 || t.size(0) != channels)) {
            throw new ShapeException(where + ": the " + name + " has shape " + Arrays.toString(t.shape())
                    + " but the input " + Arrays.toString(input.shape()) + " has " + channels + " channels (dimension "
                    + "1); they must match");
        }
    }

    private static void requireFloat(String where, Tensor input) {
        if (!input.dtype().isFloatingPoint()) {
            throw new dev.ember.DTypeException(where + ": expects a floating-point input but got " + input.dtype()
                    + " (shape " + Arrays.toString(input.shape()) + "); convert it first with .to(DType.FLOAT32)");
        }
    }
}
