package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Huber loss (PyTorch's {@code nn.HuberLoss}): with d = x - y, {@code 0.5 d^2} where {@code |d| < delta}, else
 * {@code delta (|d| - 0.5 delta)}; reduced (mean by default). delta (default 1) must be positive. With delta 1 it
 * equals {@link SmoothL1Loss} with beta 1.
 *
 * <pre>{@code
 * Tensor prediction = Ember.randn(6);
 * Tensor target = Ember.randn(6);
 * Tensor loss = new HuberLoss().forward(prediction, target);                    // delta 1
 * Tensor robust = new HuberLoss(Reduction.MEAN, 0.5).forward(prediction, target);
 * }</pre>
 */
public class HuberLoss extends Loss {
    private final double delta;

    /** delta 1, mean. */
    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    /** The given delta, mean. */
    public HuberLoss(double delta) {
        this(Reduction.MEAN, delta);
    }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        if (!(delta > 0)) {
            throw new EmberException("HuberLoss: delta must be positive (the point where the loss turns from "
                    + "quadratic to linear), got " + delta);
        }
        this.delta = delta;
    }

    public double delta() {
        return delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, reduction(), delta);
    }
}
