package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Binary cross-entropy of logits (PyTorch's {@code nn.BCEWithLogitsLoss}): sigmoid and {@link BCELoss} in one
 * numerically stable formula, {@code (1 - t) x + (1 + (p - 1) t) log(1 + exp(-x))} per element (computed as PyTorch
 * does, without overflow for large |x|), times an optional weight; reduced (mean by default).
 *
 * <pre>{@code
 * Tensor logits = Ember.randn(4, 3);
 * Tensor labels = Ember.randint(0, 2, 4, 3).to(DType.FLOAT32);     // float, the logits' shape
 * Tensor loss = new BCEWithLogitsLoss().forward(logits, labels);
 * BCEWithLogitsLoss imbalanced = BCEWithLogitsLoss.builder()
 *         .posWeight(Ember.tensor(3.0, 1.0, 10.0))                   // one per class (last dimension)
 *         .build();
 * Tensor weighted = imbalanced.forward(logits, labels);
 * }</pre>
 *
 * <p>Options: {@code weight} (rescales each element's loss) and {@code posWeight} p (weighs the positive term, e.g.
 * the ratio of negatives to positives of each class), each null or broadcastable to the input's shape, and buffers
 * named {@code weight} and {@code pos_weight} as in PyTorch (so state dicts interchange); {@code reduction} MEAN.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor weight;
    private final Tensor posWeight;

    /** No weights, mean. */
    public BCEWithLogitsLoss() {
        this(builder());
    }

    /** No weights, the given reduction. */
    public BCEWithLogitsLoss(Reduction reduction) {
        this(builder().reduction(reduction));
    }

    private BCEWithLogitsLoss(Builder b) {
        super(b.reduction);
        BCELoss.checkWeight("BCEWithLogitsLoss", "weight", b.weight);
        BCELoss.checkWeight("BCEWithLogitsLoss", "posWeight", b.posWeight);
        this.weight = registerBuffer("weight", b.weight);
        this.posWeight = registerBuffer("pos_weight", b.posWeight);
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The weight, or null. */
    public Tensor weight() {
        return weight;
    }

    /** The positive-class weight, or null. */
    public Tensor posWeight() {
        return posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction());
    }

    /**
     * Options for a {@link BCEWithLogitsLoss}; each setter returns the builder.
     *
     * <pre>{@code
     * BCEWithLogitsLoss loss = BCEWithLogitsLoss.builder().reduction(Reduction.SUM).build();
     * }</pre>
     */
    public static final class Builder {
        private Tensor weight;
        private Tensor posWeight;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** A weight for each element's loss, broadcastable to the input's shape (null for none). */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** The positive-class weight, broadcastable to the input's shape (null for none). */
        public Builder posWeight(Tensor posWeight) {
            this.posWeight = posWeight;
            return this;
        }

        /** NONE, MEAN (default) or SUM. */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        public BCEWithLogitsLoss build() {
            return new BCEWithLogitsLoss(this);
        }
    }
}
