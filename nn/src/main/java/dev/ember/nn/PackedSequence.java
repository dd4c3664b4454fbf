package dev.ember.nn;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * A batch of sequences of different lengths, packed (PyTorch's {@code nn.utils.rnn.PackedSequence}): the time steps
 * one after another, each holding only the sequences still running, so a recurrent layer does no work on padding and
 * each sequence's final state is the one after its own last step. Made by
 * {@link dev.ember.nn.utils.PackedSequences#packPaddedSequence} or {@code packSequence}; {@link RNN}, {@link LSTM} and
 * {@link GRU} take it and return one; {@code padPackedSequence} turns it back into a padded tensor.
 *
 * <pre>{@code
 * Tensor padded = Ember.randn(5, 3, 8);                                   // [seq, batch, features]
 * PackedSequence packed = PackedSequences.packPaddedSequence(padded, new int[] {5, 2, 4}, false, false);
 * packed.batchSizes();                                                    // tensor([3, 3, 2, 2, 1])
 * PackedLstmOutput out = new LSTM(8, 16).forward(packed, null);
 * PaddedBatch unpacked = PackedSequences.padPackedSequence(out.output());   // [5, 3, 16] and lengths [5, 2, 4]
 * }</pre>
 *
 * @param data            [total length, features...]: the sequences' elements, time step by time step, within a step
 *                        in order of decreasing length
 * @param batchSizes      int64 [max length]: how many sequences are still running at each time step (non-increasing,
 *                        positive, summing to the total length)
 * @param sortedIndices   int64 [batch] or null: the original batch position of each sequence in packed order (null
 *                        when the batch was packed sorted, enforceSorted)
 * @param unsortedIndices int64 [batch] or null: the inverse permutation, the packed position of each original
 */
public record PackedSequence(Tensor data, Tensor batchSizes, Tensor sortedIndices, Tensor unsortedIndices) {
    public PackedSequence {
        if (data == null || batchSizes == null) {
            throw new ShapeException("PackedSequence: data and batchSizes must not be null; make one with "
                    + "PackedSequences.packPaddedSequence or packSequence");
        }
        if (batchSizes.dtype() != DType.INT64 || batchSizes.dim() != 1 || batchSizes.numel() == 0) {
            throw new DTypeException("PackedSequence: batchSizes must be a non-empty 1-d int64 tensor, got "
                    + batchSizes.dtype() + " of shape " + Arrays.toString(batchSizes.shape()));
        }
        long[] sizes = batchSizes.toLongArray();
        long total = 0;
        for (int t = 0; t < sizes.length; t++) {
            if (sizes[t] <= 0 || (t > 0 && sizes[t] > sizes[t - 1])) {
                throw new ShapeException("PackedSequence: batchSizes " + Arrays.toString(sizes) + " must be positive "
                        + "and non-increasing (sequences in order of decreasing length)");
            }
            total += sizes[t];
        }
        if (data.dim() == 0 || data.size(0) != total) {
            throw new ShapeException("PackedSequence: data of shape " + Arrays.toString(data.shape()) + " must have "
                    + total + " rows, the sum of batchSizes " + Arrays.toString(sizes));
        }
        if ((sortedIndices == null) != (unsortedIndices == null)) {
            throw new ShapeException("PackedSequence: give both sortedIndices and unsortedIndices, or neither");
        }
        for (Tensor p : new Tensor[] {sortedIndices, unsortedIndices}) {
            if (p != null && (p.dtype() != DType.INT64 || p.dim() != 1 || p.size(0) != sizes[0])) {
                throw new ShapeException("PackedSequence: sortedIndices and unsortedIndices must be 1-d int64 "
                        + "permutations of the " + sizes[0] + " sequences, got " + p.dtype() + " of shape "
                        + Arrays.toString(p.shape()));
            }
        }
    }

    /** The batch sizes as Java ints. */
    public int[] batchSizesArray() {
        return Arrays.stream(batchSizes.toLongArray()).mapToInt(v -> (int) v).toArray();
    }

    /** The number of sequences in the batch. */
    public int batchSize() {
        return (int) batchSizes.toLongArray()[0];
    }

    /** The same packing with other data (for example a layer's output): PyTorch's {@code _replace(data=...)}. */
    public PackedSequence withData(Tensor newData) {
        return new PackedSequence(newData, batchSizes, sortedIndices, unsortedIndices);
    }

    /** The data converted to the dtype (PyTorch's {@code PackedSequence.to(dtype)}). */
    public PackedSequence to(DType dtype) {
        return withData(data.to(dtype));
    }
}
