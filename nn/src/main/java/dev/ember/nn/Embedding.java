package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Layers;
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
 * }</pre>
 *
 * <p>PyTorch's {@code max_norm}, {@code scale_grad_by_freq} and {@code sparse} options are not supported.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final Tensor weight;
    private final String description;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, null);
    }

    /** With a padding index (negative counts from the end, as PyTorch's; it prints normalised). */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, (Integer) paddingIdx, null);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor pretrained) {
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
        return fromPretrained(embeddings, freeze, null);
    }

    /** As {@link #fromPretrained(Tensor, boolean)}, with a padding index (null for none). */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings == null || embeddings.dim() != 2) {
            throw new ShapeException("Embedding.fromPretrained: the embeddings must be a matrix [num, dim], got "
                    + (embeddings == null ? "null" : "shape " + Arrays.toString(embeddings.shape())));
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, embeddings.detach());
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

    @Override
    public Tensor forward(Tensor input) {
        return Layers.embedding(description, input, weight, paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
