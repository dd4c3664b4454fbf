package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;

/**
 * What the cells {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share (PyTorch's {@code nn.RNNCellBase}):
 * the parameters {@code weight_ih [gates * hidden, input]}, {@code weight_hh [gates * hidden, hidden]} and, with
 * bias, {@code bias_ih} and {@code bias_hh [gates * hidden]}, registered in that order under PyTorch's names and
 * initialised as PyTorch does: every one uniform in ±1/√hidden, drawn from the global generator in that order, so
 * after the same {@code manualSeed} the weights are PyTorch's.
 *
 * <pre>{@code
 * RNNCellBase cell = new GRUCell(3, 4);
 * cell.weightIh().shape();                 // [12, 3]: the gates r, z, n stacked, 4 rows each
 * cell.namedParameters().keySet();         // [weight_ih, weight_hh, bias_ih, bias_hh]
 * }</pre>
 */
public abstract class RNNCellBase extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final Tensor weightIh;
    private final Tensor weightHh;
    private final Tensor biasIh;
    private final Tensor biasHh;

    RNNCellBase(String layer, int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new ShapeException(layer + ": input_size and hidden_size must be positive, got input_size="
                    + inputSize + ", hidden_size=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double bound = 1.0 / Math.sqrt(hiddenSize);
        int rows = gates * hiddenSize;
        this.weightIh = registerParameter("weight_ih", Ember.zeros(rows, inputSize).uniform_(-bound, bound));
        this.weightHh = registerParameter("weight_hh", Ember.zeros(rows, hiddenSize).uniform_(-bound, bound));
        this.biasIh = bias ? registerParameter("bias_ih", Ember.zeros(rows).uniform_(-bound, bound)) : null;
        this.biasHh = bias ? registerParameter("bias_hh", Ember.zeros(rows).uniform_(-bound, bound)) : null;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@code weight_ih}: [gates * hidden, input]. */
    public Tensor weightIh() {
        return weightIh;
    }

    /** {@code weight_hh}: [gates * hidden, hidden]. */
    public Tensor weightHh() {
        return weightHh;
    }

    /** {@code bias_ih}, or null for a cell made without biases. */
    public Tensor biasIh() {
        return biasIh;
    }

    /** {@code bias_hh}, or null for a cell made without biases. */
    public Tensor biasHh() {
        return biasHh;
    }

    /** Whether the cell has biases. */
    public boolean hasBias() {
        return biasIh != null;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
