package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Negative log-likelihood (PyTorch's {@code nn.NLLLoss}): {@code -w[y] x[y]} per sample, for log-probabilities x
 * (usually {@code logSoftmax} outputs) of shape {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]} and int64
 * class indices y of the input's shape without its class dimension. {@link CrossEntropyLoss} is
 * {@code logSoftmax} followed by this, in one call.
 *
 * <pre>{@code
 * Tensor logits = Ember.randn(4, 2);
 * Tensor labels = Ember.fromArray(new long[] {0, 1, 1, -1}, 4);
 * NLLLoss weighted = NLLLoss.builder().weight(Ember.tensor(1.0, 3.0)).ignoreIndex(-1).build();
 * Tensor loss = weighted.forward(logits.logSoftmax(1), labels);   // sample 3 ignored
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code weight} none (a buffer named {@code weight} when given);
 * {@code ignoreIndex} -100; {@code reduction} MEAN, the weighted mean {@code sum(w[y] l) / sum(w[y])} over the
 * samples not ignored (NaN if every sample is ignored, as in PyTorch).
 */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final long ignoreIndex;

    /** PyTorch's defaults: no weights, ignoreIndex -100, mean. */
    public NLLLoss() {
        this(builder());
    }

    /** The defaults with the given reduction. */
    public NLLLoss(Reduction reduction) {
        this(builder().reduction(reduction));
    }

    private NLLLoss(Builder b) {
        super(b.reduction);
        CrossEntropyLoss.checkClassWeight("NLLLoss", b.weight);
        this.weight = registerBuffer("weight", b.weight);
        this.ignoreIndex = b.ignoreIndex;
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The class weights, or null. */
    public Tensor weight() {
        return weight;
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction());
    }

    /**
     * Options for an {@link NLLLoss}; each setter returns the builder.
     *
     * <pre>{@code
     * NLLLoss loss = NLLLoss.builder().reduction(Reduction.SUM).build();
     * }</pre>
     */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex = Losses.DEFAULT_IGNORE_INDEX;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** Class weights, shape [C] (null for none). */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** Targets equal to this contribute nothing (default -100). */
        public Builder ignoreIndex(long ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** NONE, MEAN (default) or SUM. */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        public NLLLoss build() {
            return new NLLLoss(this);
        }
    }
}
