package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * exp(x) / sum(exp(x)) along a dimension (PyTorch's {@code nn.Softmax}): the slices along dim become probability
 * distributions. For a loss, prefer {@link LogSoftmax} with NLL, or cross-entropy on the logits.
 *
 * <pre>{@code
 * Module sm = new Softmax(1);                           // Softmax(dim=1)
 * sm.forward(Ember.randn(4, 10)).sum(1, false);         // ones
 * }</pre>
 */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.softmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
