package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * The hyperbolic tangent, elementwise (PyTorch's {@code nn.Tanh}).
 *
 * <pre>{@code
 * Sequential mlp = Sequential.of(new Linear(2, 16), new Tanh(), new Linear(16, 1));
 * }</pre>
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return Activations.tanh(input);
    }
}
