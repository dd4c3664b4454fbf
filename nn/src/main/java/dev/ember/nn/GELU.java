package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * The Gaussian error linear unit x Φ(x) (PyTorch's {@code nn.GELU}): exact by default (through erf), or with the
 * tanh approximation.
 *
 * <pre>{@code
 * Module act = new GELU();                            // GELU(approximate='none')
 * Module fast = new GELU(GeluApproximation.TANH);     // GELU(approximate='tanh')
 * act.forward(Ember.tensor(-1.0, 1.0));               // tensor([-0.1587,  0.8413])
 * }</pre>
 */
public class GELU extends Module {
    private final GeluApproximation approximate;

    public GELU() {
        this(GeluApproximation.NONE);
    }

    public GELU(GeluApproximation approximate) {
        if (approximate == null) {
            throw new EmberException("GELU: approximate must be GeluApproximation.NONE or TANH, not null");
        }
        this.approximate = approximate;
    }

    public GeluApproximation approximate() {
        return approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.gelu(input, approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate.pytorchName() + "'";
    }
}
