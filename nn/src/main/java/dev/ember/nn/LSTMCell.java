package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * A long short-term memory cell (PyTorch's {@code nn.LSTMCell}), one time step with PyTorch's gate order i, f, g, o:
 * i = σ(.), f = σ(.), g = tanh(.), o = σ(.) of the matching quarter of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh;
 * c' = f c + i g; h' = o tanh(c'). Input {@code [batch, input]} or unbatched {@code [input]}; the state
 * {@link LstmState} holds h and c, each {@code [batch, hidden]} or {@code [hidden]}. Parameters and initialisation as
 * in {@link RNNCellBase}, with four gates stacked.
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);
 * LstmState state = null;                                  // null: zeros
 * for (int t = 0; t < 6; t++) {
 *     state = cell.forward(Ember.randn(3, 10), state);     // state.hidden(), state.cell(): [3, 20]
 * }
 * }</pre>
 */
public class LSTMCell extends RNNCellBase {
    /** With biases. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super("LSTMCell", inputSize, hiddenSize, bias, 4);
    }

    /**
     * The next hidden state h' from a zero state (the Module contract returns one tensor; use
     * {@link #forward(Tensor, LstmState)} for the cell state too).
     */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).hidden();
    }

    /** The next state (h', c'); state null means zeros. */
    public LstmState forward(Tensor input, LstmState state) {
        return Recurrent.lstmCell(this::toString, input, state, weightIh(), weightHh(), biasIh(), biasHh());
    }
}
