package dev.ember.nn;

import dev.ember.DTypeException;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

import java.util.Arrays;

/**
 * Cross-entropy from logits (PyTorch's {@code nn.CrossEntropyLoss}): log-softmax over the class dimension and the
 * negative log-likelihood, in one call. The input holds logits of shape {@code [N, C]}, {@code [C]} (one sample)
 * or {@code [N, C, d1, ...]} (e.g. per pixel); the target holds either int64 class indices of shape {@code [N]},
 * {@code []} or {@code [N, d1, ...]}, or class probabilities of the input's shape.
 *
 * <pre>{@code
 * CrossEntropyLoss criterion = new CrossEntropyLoss();
 * Tensor logits = Ember.randn(64, 10).requiresGrad_();
 * Tensor labels = Ember.randint(0, 10, 64);                     // int64 [64]
 * Tensor loss = criterion.forward(logits, labels);
 * loss.backward();
 *
 * CrossEntropyLoss tuned = CrossEntropyLoss.builder()
 *         .weight(Ember.tensor(1.0, 2.0, 1.0))                  // one weight per class
 *         .ignoreIndex(-1)                                      // labels equal to -1 contribute nothing
 *         .labelSmoothing(0.1)
 *         .reduction(Reduction.MEAN)
 *         .build();
 * Tensor tunedLoss = tuned.forward(Ember.randn(2, 3), Ember.fromArray(new long[] {2, -1}, 2));
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code weight} none; {@code ignoreIndex} -100 (class-index targets only);
 * {@code reduction} MEAN, which with class weights is the weighted mean {@code sum(w[y] l) / sum(w[y])} over the
 * samples not ignored; {@code labelSmoothing} 0, in [0, 1], PyTorch 1.13's formula. The weight is a buffer named
 * {@code weight} (in the state dict, converted by {@link #to}), as in PyTorch. Wrong label dtypes, shapes and values
 * raise errors that name this loss, the shapes, and the bad label with its position; see {@link Losses} for the
 * details.
 */
public class CrossEntropyLoss extends Loss {
    private final Tensor weight;
    private final long ignoreIndex;
    private final double labelSmoothing;

    /** PyTorch's defaults: no weights, ignoreIndex -100, mean, no label smoothing. */
    public CrossEntropyLoss() {
        this(builder());
    }

    /** The defaults with the given reduction. */
    public CrossEntropyLoss(Reduction reduction) {
        this(builder().reduction(reduction));
    }

    private CrossEntropyLoss(Builder b) {
        super(b.reduction);
        if (!(b.labelSmoothing >= 0 && b.labelSmoothing <= 1)) {
            throw new EmberException("CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got "
                    + b.labelSmoothing);
        }
        checkClassWeight("CrossEntropyLoss", b.weight);
        this.weight = registerBuffer("weight", b.weight);
        this.ignoreIndex = b.ignoreIndex;
        this.labelSmoothing = b.labelSmoothing;
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

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction(), labelSmoothing);
    }

    /** Class weights must be a 1-d floating-point tensor (their length is checked against C at each call). */
    static void checkClassWeight(String who, Tensor weight) {
        if (weight == null) {
            return;
        }
        if (weight.dim() != 1) {
            throw new ShapeException(who + ": the class weights must be 1-d, one entry per class, but have shape "
                    + Arrays.toString(weight.shape()));
        }
        if (!weight.dtype().isFloatingPoint()) {
            throw new DTypeException(who + ": the class weights must be floating point, but are " + weight.dtype()
                    + "; convert them with .to(DType.FLOAT32)");
        }
    }

    /**
     * Options for a {@link CrossEntropyLoss}; each setter returns the builder.
     *
     * <pre>{@code
     * CrossEntropyLoss loss = CrossEntropyLoss.builder().labelSmoothing(0.1).build();
     * }</pre>
     */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex = Losses.DEFAULT_IGNORE_INDEX;
        private Reduction reduction = Reduction.MEAN;
        private double labelSmoothing;

        private Builder() {
        }

        /** Class weights, shape [C] (null for none). */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** Class-index targets equal to this contribute nothing (default -100). */
        public Builder ignoreIndex(long ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** NONE, MEAN (default) or SUM. */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /** In [0, 1] (default 0). */
        public Builder labelSmoothing(double labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        public CrossEntropyLoss build() {
            return new CrossEntropyLoss(this);
        }
    }
}
