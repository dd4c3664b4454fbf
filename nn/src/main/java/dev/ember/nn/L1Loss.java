package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Losses;

/**
 * Mean absolute error (PyTorch's {@code nn.L1Loss}): {@code |x - y|} per element, reduced (mean by default). Its
 * gradient where x equals y is 0, as in PyTorch. Input and target must have the same shape.
 *
 * <pre>{@code
 * Tensor prediction = Ember.randn(5);
 * Tensor target = Ember.randn(5);
 * Tensor loss = new L1Loss().forward(prediction, target);
 * Tensor perElement = new L1Loss(Reduction.NONE).forward(prediction, target);   // [5]
 * }</pre>
 */
public class L1Loss extends Loss {
    /** Mean over all elements. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, reduction());
    }
}
