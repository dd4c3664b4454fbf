package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Activations;

/**
 * log(softmax(x)) along a dimension, computed stably (PyTorch's {@code nn.LogSoftmax}); pairs with NLLLoss.
 *
 * <pre>{@code
 * Module lsm = new LogSoftmax(1);                       // LogSoftmax(dim=1)
 * Tensor logp = lsm.forward(Ember.randn(4, 10));
 * }</pre>
 */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
