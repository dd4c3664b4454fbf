package dev.ember.nn;

import dev.ember.DTypeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Binary cross-entropy of probabilities (PyTorch's {@code nn.BCELoss}):
 * {@code -w (t log x + (1 - t) log(1 - x))} per element, each log clamped at -100 as PyTorch does, reduced (mean by
 * default). Every input value must be in [0, 1] (an error names the first one that is not, with its position).
 * Prefer {@link BCEWithLogitsLoss} on logits: it is the same loss, computed stably.
 *
 * <pre>{@code
 * Tensor logits = Ember.randn(4, 3);
 * Tensor labels = Ember.randint(0, 2, 4, 3).to(DType.FLOAT32);          // float 0/1, the logits' shape
 * Tensor loss = new BCELoss().forward(logits.sigmoid(), labels);
 * Tensor sampleWeights = Ember.tensor(new double[][] {{1}, {2}, {1}, {0.5}});   // [4, 1], broadcast
 * Tensor weighted = new BCELoss(sampleWeights, Reduction.SUM).forward(logits.sigmoid(), labels);
 * }</pre>
 *
 * <p>The optional weight rescales each element's loss and must broadcast to the input's shape; it is a buffer named
 * {@code weight}, as in PyTorch. The gradient is PyTorch's {@code (x - t) / max(x (1 - x), 1e-12)}: finite where a
 * probability is exactly 0 or 1.
 */
public class BCELoss extends Loss {
    private final Tensor weight;

    /** No weight, mean. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** No weight, the given reduction. */
    public BCELoss(Reduction reduction) {
        this(null, reduction);
    }

    /** A weight (null for none) broadcastable to the input's shape, and a reduction. */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        checkWeight("BCELoss", "weight", weight);
        this.weight = registerBuffer("weight", weight);
    }

    /** The weight, or null. */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction());
    }

    static void checkWeight(String who, String what, Tensor weight) {
        if (weight != null && !weight.dtype().isFloatingPoint()) {
            throw new DTypeException(who + ": " + what + " must be floating point, but is " + weight.dtype()
                    + "; convert it with .to(DType.FLOAT32)");
        }
    }
}
