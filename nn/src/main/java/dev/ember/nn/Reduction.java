package dev.ember.nn;

/**
 * How a loss reduces its per-element values to its result (PyTorch's {@code reduction=} argument).
 *
 * <pre>{@code
 * Tensor prediction = Ember.randn(4, 2);
 * Tensor target = Ember.randn(4, 2);
 * Tensor perElement = new MSELoss(Reduction.NONE).forward(prediction, target);   // [4, 2]
 * Tensor total = new MSELoss(Reduction.SUM).forward(prediction, target);         // 0-d
 * Tensor kl = new KLDivLoss(Reduction.BATCH_MEAN)                                // sum / 4
 *         .forward(prediction.logSoftmax(1), target.softmax(1));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #NONE}: no reduction, one loss per element (per sample for the classification losses).</li>
 *   <li>{@link #MEAN} (every loss's default): the mean; for class-weighted CrossEntropy and NLL with class-index
 *       targets, the weighted mean {@code sum(w[y_i] l_i) / sum(w[y_i])} over the targets that are not ignored, as
 *       in PyTorch.</li>
 *   <li>{@link #SUM}: the sum.</li>
 *   <li>{@link #BATCH_MEAN}: PyTorch's {@code 'batchmean'}, the sum divided by the size of the first dimension.
 *       Only {@link KLDivLoss} accepts it (where it is the mathematically correct KL divergence); every other loss
 *       rejects it with an error, as PyTorch does.</li>
 * </ul>
 */
public enum Reduction {
    NONE,
    MEAN,
    SUM,
    BATCH_MEAN
}
