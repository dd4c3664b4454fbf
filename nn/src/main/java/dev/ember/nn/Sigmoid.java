package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * The logistic sigmoid 1 / (1 + e^-x), elementwise (PyTorch's {@code nn.Sigmoid}).
 *
 * <pre>{@code
 * Sequential classifier = Sequential.of(new Linear(4, 1), new Sigmoid());
 * }</pre>
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return Activations.sigmoid(input);
    }
}
