package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * x where x &gt; 0, else negativeSlope · x (PyTorch's {@code nn.LeakyReLU}, default slope 0.01).
 *
 * <pre>{@code
 * Module act = new LeakyReLU(0.2);         // LeakyReLU(negative_slope=0.2)
 * act.forward(Ember.tensor(-1.0, 2.0));    // tensor([-0.2000,  2.0000])
 * }</pre>
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;
    private final boolean inplace;

    public LeakyReLU() {
        this(0.01, false);
    }

    public LeakyReLU(double negativeSlope) {
        this(negativeSlope, false);
    }

    public LeakyReLU(double negativeSlope, boolean inplace) {
        this.negativeSlope = negativeSlope;
        this.inplace = inplace;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.leakyRelu(input, negativeSlope, inplace);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + PyRepr.number(negativeSlope) + (inplace ? ", inplace=True" : "");
    }
}
