package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * An Elman RNN cell (PyTorch's {@code nn.RNNCell}): h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), or relu. One time
 * step; loop over a sequence yourself, or use {@link RNN}. Input {@code [batch, input]} or unbatched
 * {@code [input]}; state {@code [batch, hidden]} or {@code [hidden]}. Parameters and initialisation as in
 * {@link RNNCellBase}.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * RNNCell cell = new RNNCell(10, 20);
 * Tensor h = null;                                  // null: zeros
 * for (int t = 0; t < 6; t++) {
 *     h = cell.forward(Ember.randn(3, 10), h);      // [3, 20]
 * }
 * }</pre>
 */
public class RNNCell extends RNNCellBase {
    private final RnnNonlinearity nonlinearity;

    /** With biases and tanh. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, RnnNonlinearity.TANH);
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, RnnNonlinearity nonlinearity) {
        super("RNNCell", inputSize, hiddenSize, bias, 1);
        if (nonlinearity == null) {
            throw new dev.ember.EmberException("RNNCell: the nonlinearity must be RnnNonlinearity.TANH or RELU, "
                    + "not null");
        }
        this.nonlinearity = nonlinearity;
    }

    public RnnNonlinearity nonlinearity() {
        return nonlinearity;
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** The next hidden state; hx null means zeros. */
    public Tensor forward(Tensor input, Tensor hx) {
        return Recurrent.rnnCell(this::toString, nonlinearity, input, hx, weightIh(), weightHh(), biasIh(), biasHh());
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr()
                + (nonlinearity == RnnNonlinearity.TANH ? "" : ", nonlinearity=" + nonlinearity.label());
    }
}
