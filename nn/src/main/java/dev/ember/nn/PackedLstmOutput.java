package dev.ember.nn;

import dev.ember.Tensor;

/**
 * What an {@link LSTM} returns for a {@link PackedSequence} (PyTorch's {@code output, (h_n, c_n)}): the last layer's
 * hidden states packed like the input, and every layer's final hidden and cell states,
 * {@code [layers * directions, batch, ...]}, in the batch's original order, each sequence's after its own last step.
 *
 * <pre>{@code
 * PackedSequence packed = PackedSequences.packSequence(List.of(Ember.randn(4, 3), Ember.randn(2, 3)), true);
 * PackedLstmOutput out = new LSTM(3, 5).forward(packed, null);
 * out.state().cell().shape();   // [1, 2, 5]
 * }</pre>
 */
public record PackedLstmOutput(PackedSequence output, Tensor hidden, Tensor cell) {
    /** The final state {@code (h_n, c_n)}. */
    public LstmState state() {
        return new LstmState(hidden, cell);
    }
}
