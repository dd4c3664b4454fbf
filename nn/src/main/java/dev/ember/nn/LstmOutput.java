package dev.ember.nn;

import dev.ember.Tensor;

/**
 * What an {@link LSTM} returns (PyTorch's {@code output, (h_n, c_n)}): the last layer's hidden state at every time
 * step, {@code [seq, batch, directions * hidden]} ({@code [batch, seq, ...]} with batchFirst), and every layer's
 * final hidden and cell states, {@code [layers * directions, batch, hidden]} each (with a projection, the output and
 * the hidden states have projSize features instead of hidden).
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, RecurrentOptions.DEFAULT.numLayers(2));
 * LstmOutput out = lstm.forward(Ember.randn(5, 3, 10), null);
 * out.output().shape();    // [5, 3, 20]
 * out.hidden().shape();    // [2, 3, 20]
 * LstmState next = out.state().detach();
 * }</pre>
 */
public record LstmOutput(Tensor output, Tensor hidden, Tensor cell) {
    /** The final state {@code (h_n, c_n)}, to pass to the next call. */
    public LstmState state() {
        return new LstmState(hidden, cell);
    }
}
