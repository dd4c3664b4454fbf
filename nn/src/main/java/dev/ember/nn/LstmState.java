package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;

/**
 * The state of an LSTM: the hidden state h and the cell state c (PyTorch's tuple {@code (h, c)}). For an
 * {@link LSTMCell} both are {@code [batch, hidden]}; for an {@link LSTM} both are
 * {@code [layers * directions, batch, hidden]}. {@link #detach()} cuts the history, as truncated backpropagation
 * through time needs.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(1, 8, RecurrentOptions.DEFAULT.batchFirst(true));
 * Tensor series = Ember.randn(4, 30, 1);
 * LstmState state = null;                            // null: start from zeros
 * for (Tensor chunk : series.split(10, 1)) {         // three chunks of 10 steps
 *     LstmOutput out = lstm.forward(chunk, state);
 *     out.output().pow(2).mean().backward();         // the real loss here, then an optimizer step
 *     state = out.state().detach();                  // the next chunk starts here; no gradient flows back into it
 * }
 * }</pre>
 */
public record LstmState(Tensor hidden, Tensor cell) {
    public LstmState {
        if (hidden == null || cell == null) {
            throw new EmberException("LstmState needs both the hidden and the cell state, got hidden="
                    + (hidden == null ? "null" : "a tensor") + ", cell=" + (cell == null ? "null" : "a tensor")
                    + "; to start from zeros pass no state (null) to the layer instead");
        }
    }

    /** Both tensors detached from the graph (sharing their values). */
    public LstmState detach() {
        return new LstmState(hidden.detach(), cell.detach());
    }
}
