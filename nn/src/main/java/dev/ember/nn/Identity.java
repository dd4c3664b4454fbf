package dev.ember.nn;

import dev.ember.Tensor;

/**
 * Returns its input unchanged (PyTorch's {@code nn.Identity}): a placeholder where a model wants a layer, e.g. to
 * switch a block off without changing the model's structure.
 *
 * <pre>{@code
 * Module head = useDropout ? new Dropout(0.5) : new Identity();
 * Tensor x = Ember.randn(4, 3);
 * boolean same = new Identity().forward(x) == x;   // true: the same tensor object
 * }</pre>
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
