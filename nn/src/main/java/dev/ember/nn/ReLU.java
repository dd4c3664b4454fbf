package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * max(x, 0), elementwise (PyTorch's {@code nn.ReLU}); with {@code inplace}, the input is overwritten.
 *
 * <pre>{@code
 * Module act = new ReLU();                 // ReLU()
 * act.forward(Ember.tensor(-1.0, 2.0));    // tensor([0., 2.])
 * }</pre>
 */
public class ReLU extends Module {
    private final boolean inplace;

    public ReLU() {
        this(false);
    }

    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.relu(input, inplace);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
