package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.EmbeddingOptions;
import dev.ember.nn.functional.Embeddings;
import dev.ember.nn.init.Init;

import java.util.Arrays;

/**
 * A lookup table of numEmbeddings vectors of size embeddingDim (PyTorch's {@code nn.Embedding}): the input holds
 * int64 indices of any shape, the output has that shape plus [embeddingDim]. The weight starts as N(0, 1) samples
 * from the global generator (as PyTorch's, so seeded tables are equal), with the padding row, if any, zeroed; that
 * row then gets no gradient, so it stays as it is through training.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10, 3, 0);                              // Embedding(10, 3, padding_idx=0)
 * Tensor idx = Ember.fromArray(new long[] {1, 2, 0, 4}, 2, 2);
 * Tensor vectors = emb.forward(idx);                                    // [2, 2, 3]
 * Embedding frozen = Embedding.fromPretrained(Ember.randn(5, 4), true); // a fixed table
 * Embedding bounded = new Embedding(100, 8, EmbeddingOptions.DEFAULT.maxNorm(1.0).scaleGradByFreq(true));
 * }</pre>
 *
 * <p>PyTorch's other options come with {@link EmbeddingOptions}: {@code maxNorm} and {@code normType} (looked-up rows
 * with a larger norm are scaled down in place before the lookup, as PyTorch's {@code embedding_renorm_}) and
 * {@code scaleGradByFreq} (each row's gradient divided by its number of occurrences in the batch); see
 * {@link Embeddings}. PyTorch's {@code sparse=True} is refused with an error: Ember's gradients are dense.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final EmbeddingOptions options;
    private final Tensor weight;
    private final String description;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, EmbeddingOptions.DEFAULT, null);
    }

    /** With a padding index (negative counts from the end, as PyTorch's; it prints normalised). */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, EmbeddingOptions.DEFAULT.paddingIdx(paddingIdx), null);
    }

    /** With PyTorch's options: padding index, maxNorm and normType, scaleGradByFreq. */
    public Embedding(int numEmbeddings, int embeddingDim, EmbeddingOptions options) {
        this(numEmbeddings, embeddingDim, options, null);
    }

    private Embedding(int numEmbeddings, int embeddingDim, EmbeddingOptions options, Tensor pretrained) {
        if (options == null) {
            throw new ShapeException("Embedding: the options are null; use EmbeddingOptions.DEFAULT");
        }
        Integer paddingIdx = options.paddingIdx();
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new ShapeException("Embedding: numEmbeddings and embeddingDim must be positive, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new ShapeException("Embedding(" + numEmbeddings + ", " + embeddingDim + "): paddingIdx "
                    + paddingIdx + " must be within the " + numEmbeddings + " embeddings ([" + (-numEmbeddings)
                    + ", " + (numEmbeddings - 1) + "])");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.options = options.paddingIdx(this.paddingIdx);
        if (pretrained == null) {
            this.weight = registerParameter("weight", Ember.zeros(numEmbeddings, embeddingDim));
            initialise();
        } else {
            this.weight = registerParameter("weight", pretrained);
        }
        this.description = toString();
    }

    /**
     * A table over the given [num, dim] values (PyTorch's {@code from_pretrained}; the weight shares their storage);
     * with {@code freeze} its weight does not require grad, so optimizers leave it alone.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        return fromPretrained(embeddings, freeze, EmbeddingOptions.DEFAULT);
    }

    /** As {@link #fromPretrained(Tensor, boolean)}, with a padding index (null for none). */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        return fromPretrained(embeddings, freeze, EmbeddingOptions.DEFAULT.paddingIdx(paddingIdx));
    }

    /**
     * As {@link #fromPretrained(Tensor, boolean)}, with PyTorch's options; the padding row keeps its given values
     * (it only gets no gradient), as in PyTorch.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, EmbeddingOptions options) {
        if (embeddings == null || embeddings.dim() != 2) {
            throw new ShapeException("Embedding.fromPretrained: the embeddings must be a matrix [num, dim], got "
                    + (embeddings == null ? "null" : "shape " + Arrays.toString(embeddings.shape())));
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), options, embeddings.detach());
        if (freeze) {
            e.weight.requiresGrad_(false);
        }
        return e;
    }

    /** Draws new initial values: N(0, 1), then the padding row (if any) zeroed (PyTorch's reset_parameters). */
    public void resetParameters() {
        initialise();
    }

    private void initialise() {
        Init.normal_(weight);
        if (paddingIdx != null) {
            try (var g = Ember.noGrad()) {
                weight.select(0, paddingIdx).fill_(0.0);
            }
        }
    }

    public Tensor weight() {
        return weight;
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding index (normalised to [0, numEmbeddings)), or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** The options, with the padding index normalised. */
    public EmbeddingOptions options() {
        return options;
    }

    /**
     * The rows of the weight at the int64 indices: output shape input.shape + [embeddingDim]. With maxNorm, the
     * looked-up rows of the weight are first renormalised in place.
     */
    @Override
    public Tensor forward(Tensor input) {
        return Embeddings.embedding(description, input, weight, options);
    }

    /** PyTorch's form: {@code 10, 3, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True}. */
    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(numEmbeddings).append(", ").append(embeddingDim);
        if (paddingIdx != null) {
            s.append(", padding_idx=").append(paddingIdx);
        }
        if (options.maxNorm() != null) {
            s.append(", max_norm=").append(PyRepr.number(options.maxNorm()));
        }
        if (options.normType() != 2) {
            s.append(", norm_type=").append(PyRepr.number(options.normType()));
        }
        if (options.scaleGradByFreq()) {
            s.append(", scale_grad_by_freq=True");
        }
        return s.toString();
    }
}
