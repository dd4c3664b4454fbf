package dev.ember.nn;

import dev.ember.Tensor;

/**
 * What an {@link RNN} or {@link GRU} returns (PyTorch's {@code output, h_n}): the last layer's hidden state at every
 * time step, {@code [seq, batch, directions * hidden]} ({@code [batch, seq, ...]} with batchFirst), and every
 * layer's final hidden state, {@code [layers * directions, batch, hidden]}.
 *
 * <pre>{@code
 * GRU gru = new GRU(10, 20);
 * RnnOutput out = gru.forward(Ember.randn(5, 3, 10), null);
 * out.output().shape();    // [5, 3, 20]
 * out.hidden().shape();    // [1, 3, 20]
 * }</pre>
 */
public record RnnOutput(Tensor output, Tensor hidden) {
}
