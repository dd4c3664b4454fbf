package dev.ember.nn.utils;

import dev.ember.Tensor;

/**
 * A padded batch of sequences and their lengths: what {@link PackedSequences#padPackedSequence} returns (PyTorch's
 * tuple {@code (padded, lengths)} from {@code pad_packed_sequence}).
 *
 * <pre>{@code
 * PaddedBatch batch = PackedSequences.padPackedSequence(packed, true);
 * batch.padded().shape();    // [batch, max length, features...]
 * batch.lengths();           // int64 [batch], in the batch's original order
 * }</pre>
 *
 * @param padded  [max length, batch, ...] ([batch, max length, ...] with batchFirst), padding where a sequence has
 *                ended
 * @param lengths int64 [batch]: each sequence's length
 */
public record PaddedBatch(Tensor padded, Tensor lengths) {
}
