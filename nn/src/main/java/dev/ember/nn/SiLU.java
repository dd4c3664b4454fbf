package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * x σ(x), the sigmoid-weighted linear unit or swish (PyTorch's {@code nn.SiLU}).
 *
 * <pre>{@code
 * Module act = new SiLU();                 // SiLU()
 * act.forward(Ember.tensor(-1.0, 1.0));    // tensor([-0.2689,  0.7311])
 * }</pre>
 */
public class SiLU extends Module {
    private final boolean inplace;

    public SiLU() {
        this(false);
    }

    public SiLU(boolean inplace) {
        this.inplace = inplace;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.silu(input, inplace);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
