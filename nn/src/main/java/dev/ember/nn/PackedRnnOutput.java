package dev.ember.nn;

import dev.ember.Tensor;

/**
 * What an {@link RNN} or {@link GRU} returns for a {@link PackedSequence} (PyTorch's {@code output, h_n}): the last
 * layer's hidden states packed like the input, and every layer's final hidden state,
 * {@code [layers * directions, batch, hidden]}, in the batch's original order, each sequence's after its own last
 * step.
 *
 * <pre>{@code
 * PackedSequence packed = PackedSequences.packSequence(List.of(Ember.randn(4, 3), Ember.randn(2, 3)), true);
 * PackedRnnOutput out = new GRU(3, 5).forward(packed, null);
 * out.hidden().shape();   // [1, 2, 5]
 * }</pre>
 */
public record PackedRnnOutput(PackedSequence output, Tensor hidden) {
}
