package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Smooth L1 (PyTorch's {@code nn.SmoothL1Loss}): with d = x - y, {@code 0.5 d^2 / beta} where {@code |d| < beta},
 * else {@code |d| - 0.5 beta}; reduced (mean by default). beta (default 1) must be 0 or more; beta 0 is the L1
 * loss. {@link HuberLoss} is the same curve scaled by its delta.
 *
 * <pre>{@code
 * Tensor boxes = Ember.randn(4, 4);
 * Tensor targetBoxes = Ember.randn(4, 4);
 * Tensor loss = new SmoothL1Loss().forward(boxes, targetBoxes);                  // beta 1
 * Tensor sharp = new SmoothL1Loss(Reduction.SUM, 0.1).forward(boxes, targetBoxes);
 * }</pre>
 */
public class SmoothL1Loss extends Loss {
    private final double beta;

    /** beta 1, mean. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    /** The given beta, mean. */
    public SmoothL1Loss(double beta) {
        this(Reduction.MEAN, beta);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (!(beta >= 0)) {
            throw new EmberException("SmoothL1Loss: beta must be 0 or more (the width of the quadratic zone), got "
                    + beta + "; beta = 0 gives the L1 loss");
        }
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, reduction(), beta);
    }
}
