package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * The embedding lookup with all of PyTorch's options ({@code F.embedding(input, weight, padding_idx, max_norm,
 * norm_type, scale_grad_by_freq)}), and the in-place renormalisation it uses ({@code torch.embedding_renorm_}). The
 * lookup itself is {@link Layers#embedding(String, Tensor, Tensor, Integer)}.
 *
 * <pre>{@code
 * Tensor table = Ember.randn(10, 4).requiresGrad_();
 * Tensor idx = Ember.fromArray(new long[] {1, 2, 1}, 3);
 * Tensor rows = Embeddings.embedding(idx, table, EmbeddingOptions.DEFAULT.maxNorm(1.0).scaleGradByFreq(true));
 * rows.sum().backward();   // row 1 occurs twice: its gradient is divided by 2
 * }</pre>
 *
 * <p>With maxNorm, the rows the input refers to are renormalised in place before the lookup, as PyTorch does: each
 * distinct row whose p-norm exceeds maxNorm is multiplied by maxNorm / (norm + 1e-7), under no-grad, and the
 * looked-up rows are the renormalised ones. A changed row changes the weight's version, so a graph that saved the
 * weight before (say {@code weight.matmul(w)}) fails its version check on backward, as in PyTorch: clone the weight
 * for such uses. The lookup itself saves only the indices, so earlier lookups stay differentiable (PyTorch 1.13's
 * embedding saves the weight and its renormalisation always counts as a change: there, two forwards with maxNorm
 * before one backward fail). With scaleGradByFreq, the gradient of each looked-up row is
 * divided by the number of times its index occurs in this input (PyTorch's {@code embedding_dense_backward}).
 */
public final class Embeddings {
    private Embeddings() {
    }

    /** {@code F.embedding(input, weight, ...)} with the given options. */
    public static Tensor embedding(Tensor input, Tensor weight, EmbeddingOptions options) {
        return embedding("embedding", input, weight, options);
    }

    /** As {@link #embedding(Tensor, Tensor, EmbeddingOptions)}, with errors naming {@code where}. */
    public static Tensor embedding(String where, Tensor input, Tensor weight, EmbeddingOptions options) {
        if (options == null) {
            throw new ShapeException(where + ": the options are null; use EmbeddingOptions.DEFAULT");
        }
        if (options.maxNorm() != null && input != null && weight != null) {
            Integer pad = options.paddingIdx();
            if (pad != null && weight.dim() == 2 && (pad < -weight.size(0) || pad >= weight.size(0))) {
                // checked before the weight changes; the lookup would report it only after the renormalisation
                throw new ShapeException(where + ": paddingIdx " + pad + " must be within the " + weight.size(0)
                        + " embeddings ([" + (-weight.size(0)) + ", " + (weight.size(0) - 1) + "])");
            }
            embeddingRenorm_(where, weight, input, options.maxNorm(), options.normType());
        }
        Tensor rows = Layers.embedding(where, input, weight, options.paddingIdx());
        if (!options.scaleGradByFreq() || !rows.requiresGrad()) {
            return rows;
        }
        Tensor scale = inverseCounts(input, weight.size(0), rows.dtype());
        rows.registerHook(g -> g.mul(scale));
        return rows.view(rows.shape());   // the hook stays inside: the caller's retainGrad sees the plain gradient
    }

    /**
     * PyTorch's {@code torch.embedding_renorm_(weight, indices, maxNorm, normType)}: under no-grad, every distinct row
     * of weight [num, dim] that the int64 indices refer to and whose normType-norm exceeds maxNorm is scaled in place
     * by maxNorm / (norm + 1e-7). Returns weight. Checks every index before changing anything.
     */
    public static Tensor embeddingRenorm_(Tensor weight, Tensor indices, double maxNorm, double normType) {
        return embeddingRenorm_("embeddingRenorm_", weight, indices, maxNorm, normType);
    }

    private static Tensor embeddingRenorm_(String where, Tensor weight, Tensor indices, double maxNorm,
                                           double normType) {
        if (weight == null || indices == null) {
            throw new ShapeException(where + ": the weight and the indices must not be null");
        }
        if (weight.dim() != 2) {
            throw new ShapeException(where + ": the weight must be a matrix [numEmbeddings, embeddingDim], got shape "
                    + Arrays.toString(weight.shape()));
        }
        if (indices.dtype() != DType.INT64) {
            throw new DTypeException(where + ": expected indices of dtype int64 but got " + indices.dtype()
                    + " (shape " + Arrays.toString(indices.shape()) + "); convert them with .to(DType.INT64)");
        }
        int num = weight.size(0);
        long[] sorted = indices.reshape(-1).toLongArray();
        Arrays.sort(sorted);
        if (sorted.length > 0 && (sorted[0] < 0 || sorted[sorted.length - 1] >= num)) {
            long bad = sorted[0] < 0 ? sorted[0] : sorted[sorted.length - 1];
            throw new ShapeException(where + ": index " + bad + " in the input of shape "
                    + Arrays.toString(indices.shape()) + " is out of range for " + num + " embeddings; indices must be "
                    + "in [0, " + num + ")");
        }
        try (var g = Ember.noGrad()) {
            for (int i = 0; i < sorted.length; i++) {
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    continue;
                }
                Tensor row = weight.select(0, (int) sorted[i]);
                double norm = row.norm(normType).item();
                if (norm > maxNorm) {
                    row.mul_(maxNorm / (norm + 1e-7));
                }
            }
        }
        return weight;
    }

    /** For each index of the input, 1 / (its number of occurrences in the input): shape input.shape + [1]. */
    private static Tensor inverseCounts(Tensor input, int num, DType dtype) {
        long[] idx = input.reshape(-1).toLongArray();
        int[] counts = new int[num];
        for (long i : idx) {
            counts[(int) i]++;
        }
        double[] inverse = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            inverse[i] = 1.0 / counts[(int) idx[i]];
        }
        int[] shape = Arrays.copyOf(input.shape(), input.dim() + 1);
        shape[input.dim()] = 1;
        return Ember.fromArray(inverse, shape).to(dtype);
    }
}
