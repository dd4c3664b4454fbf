package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Mean squared error (PyTorch's {@code nn.MSELoss}): {@code (x - y)^2} per element, reduced (mean by default).
 * Input and target must have the same shape (see {@link Losses} for why Ember does not broadcast them).
 *
 * <pre>{@code
 * Linear model = new Linear(3, 1);
 * Tensor x = Ember.randn(8, 3);
 * Tensor y = Ember.randn(8, 1);
 * Tensor loss = new MSELoss().forward(model.forward(x), y);   // 0-d
 * loss.backward();
 * }</pre>
 */
public class MSELoss extends Loss {
    /** Mean over all elements. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction());
    }
}
