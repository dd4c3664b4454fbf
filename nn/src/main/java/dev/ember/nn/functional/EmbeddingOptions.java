package dev.ember.nn.functional;

import dev.ember.EmberException;

/**
 * The options of an embedding lookup (PyTorch's keyword arguments of {@code nn.Embedding} and {@code F.embedding})
 * as an immutable value: start from {@link #DEFAULT} and chain.
 *
 * <pre>{@code
 * EmbeddingOptions o = EmbeddingOptions.DEFAULT.paddingIdx(0).maxNorm(1.0).scaleGradByFreq(true);
 * Embedding emb = new Embedding(1000, 64, o);   // nn.Embedding(1000, 64, padding_idx=0, max_norm=1.0,
 *                                               //              scale_grad_by_freq=True)
 * }</pre>
 *
 * @param paddingIdx      the row that gets no gradient (and, in a new layer, starts as zeros); negative counts from the
 *                        end; null for none (default)
 * @param maxNorm         null (default), or the largest norm a looked-up row may have: before each lookup, every row
 *                        the input refers to whose norm exceeds it is scaled down in place to maxNorm (PyTorch's
 *                        {@code embedding_renorm_}, under no-grad); must be positive
 * @param normType        the p of the p-norm for maxNorm (default 2; any p &gt; 0, or Double.POSITIVE_INFINITY)
 * @param scaleGradByFreq whether each row's gradient is divided by how often the row occurs in the input (default
 *                        false)
 */
public record EmbeddingOptions(Integer paddingIdx, Double maxNorm, double normType, boolean scaleGradByFreq) {
    /** PyTorch's defaults: no padding row, no norm limit, 2-norm, plain gradients. */
    public static final EmbeddingOptions DEFAULT = new EmbeddingOptions(null, null, 2.0, false);

    public EmbeddingOptions {
        if (maxNorm != null && !(maxNorm > 0)) {
            throw new EmberException("EmbeddingOptions: maxNorm must be positive (the largest norm a row may have), "
                    + "got " + maxNorm + "; pass null for no limit");
        }
        if (!(normType > 0)) {
            throw new EmberException("EmbeddingOptions: normType must be a p > 0 (or Double.POSITIVE_INFINITY) for "
                    + "the p-norm of the rows, got " + normType);
        }
    }

    /** The padding row (negative counts from the end), or null for none. */
    public EmbeddingOptions paddingIdx(Integer v) {
        return new EmbeddingOptions(v, maxNorm, normType, scaleGradByFreq);
    }

    /** The largest norm a looked-up row may have, or null for no limit. */
    public EmbeddingOptions maxNorm(Double v) {
        return new EmbeddingOptions(paddingIdx, v, normType, scaleGradByFreq);
    }

    /** The p of the norm that maxNorm bounds. */
    public EmbeddingOptions normType(double v) {
        return new EmbeddingOptions(paddingIdx, maxNorm, v, scaleGradByFreq);
    }

    /** Whether each row's gradient is divided by the row's number of occurrences in the input. */
    public EmbeddingOptions scaleGradByFreq(boolean v) {
        return new EmbeddingOptions(paddingIdx, maxNorm, normType, v);
    }

    /**
     * PyTorch's {@code sparse}: false is accepted (and changes nothing); true fails, because Ember has no sparse
     * tensors: its gradients are dense, with zeros in the rows that were not looked up.
     */
    public EmbeddingOptions sparse(boolean v) {
        if (v) {
            throw new EmberException("EmbeddingOptions: sparse gradients (PyTorch's sparse=True) are not supported: "
                    + "Ember has no sparse tensors, so an embedding's gradient is a dense [numEmbeddings, "
                    + "embeddingDim] tensor with zeros in the rows not looked up; leave sparse off (optimizers such "
                    + "as SGD and Adam then work as with PyTorch's dense gradients)");
        }
        return this;
    }
}
