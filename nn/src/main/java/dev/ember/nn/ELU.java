package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * x where x &gt; 0, else alpha (e^x - 1) (PyTorch's {@code nn.ELU}, default alpha 1).
 *
 * <pre>{@code
 * Module act = new ELU();                  // ELU(alpha=1.0)
 * act.forward(Ember.tensor(-1.0, 2.0));    // tensor([-0.6321,  2.0000])
 * }</pre>
 */
public class ELU extends Module {
    private final double alpha;
    private final boolean inplace;

    public ELU() {
        this(1.0, false);
    }

    public ELU(double alpha) {
        this(alpha, false);
    }

    public ELU(double alpha, boolean inplace) {
        this.alpha = alpha;
        this.inplace = inplace;
    }

    public double alpha() {
        return alpha;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.elu(input, alpha, inplace);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + PyRepr.number(alpha) + (inplace ? ", inplace=True" : "");
    }
}
