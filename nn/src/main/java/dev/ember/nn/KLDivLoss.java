package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Kullback-Leibler divergence (PyTorch's {@code nn.KLDivLoss}). The input holds log-probabilities (e.g.
 * {@code logSoftmax} outputs); the target holds probabilities, or log-probabilities with {@code logTarget}. Per
 * element {@code t (log t - x)} (0 where t is 0), or {@code exp(t) (t - x)}. Use {@link Reduction#BATCH_MEAN} for
 * the KL divergence itself (sum / batch size); the default MEAN divides by the number of elements, as in PyTorch.
 * Input and target must have the same shape.
 *
 * <pre>{@code
 * Tensor studentLogits = Ember.randn(8, 5);
 * Tensor teacherLogits = Ember.randn(8, 5);
 * KLDivLoss kl = new KLDivLoss(Reduction.BATCH_MEAN);
 * Tensor loss = kl.forward(studentLogits.logSoftmax(1), teacherLogits.softmax(1));
 * Tensor fromLogs = new KLDivLoss(Reduction.BATCH_MEAN, true)
 *         .forward(studentLogits.logSoftmax(1), teacherLogits.logSoftmax(1));   // the same value
 * }</pre>
 */
public class KLDivLoss extends Loss {
    private final boolean logTarget;

    /** Mean over elements, probability targets. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /** The given reduction (BATCH_MEAN is allowed here), probability targets. */
    public KLDivLoss(Reduction reduction) {
        this(reduction, false);
    }

    /** The given reduction; logTarget says the target holds log-probabilities. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    public boolean logTarget() {
        return logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, reduction(), logTarget);
    }
}
