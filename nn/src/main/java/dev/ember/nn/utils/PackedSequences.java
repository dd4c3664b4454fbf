package dev.ember.nn.utils;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.PackedSequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Packing and padding of variable-length sequences (PyTorch's {@code torch.nn.utils.rnn}: {@code pack_padded_sequence},
 * {@code pad_packed_sequence}, {@code pack_sequence}, {@code pad_sequence}). A recurrent layer given a
 * {@link PackedSequence} skips the padding: each sequence's outputs stop, and its final state is taken, at its own
 * last step.
 *
 * <pre>{@code
 * List<Tensor> sentences = List.of(Ember.randn(7, 16), Ember.randn(3, 16), Ember.randn(5, 16));   // [length, features]
 * PackedSequence packed = PackedSequences.packSequence(sentences, false);   // any order of lengths
 * PackedLstmOutput out = new LSTM(16, 32).forward(packed, null);
 * PaddedBatch padded = PackedSequences.padPackedSequence(out.output(), true);   // [3, 7, 32], lengths [7, 3, 5]
 * Tensor last = out.hidden().select(0, 0);                                      // [3, 32]: each one's final state
 * }</pre>
 *
 * <p>All four are differentiable with respect to the sequences' values (each is one gather, {@code indexSelect}, so
 * the gradient is a scatter back). With {@code enforceSorted} false, the sequences are sorted by decreasing length;
 * ties keep their batch order (PyTorch's sort is not stable for more than 16 sequences, so its packed data may order
 * tied sequences differently within a time step; the padded results and final states are the same either way).
 * Lengths must lie in [1, the padded length] (PyTorch does not check the upper bound and packs garbage).
 */
public final class PackedSequences {
    private PackedSequences() {
    }

    /**
     * Packs a padded batch (PyTorch's {@code pack_padded_sequence}): input [max length, batch, *] ([batch, max length,
     * *] with batchFirst), lengths one per sequence. With enforceSorted the lengths must be in decreasing order (and
     * the packed sequence has no sorting indices); otherwise the batch is sorted here and unsorted again when padded.
     */
    public static PackedSequence packPaddedSequence(Tensor input, int[] lengths, boolean batchFirst,
                                                    boolean enforceSorted) {
        if (input == null || lengths == null) {
            throw new ShapeException("packPaddedSequence: the input and the lengths must not be null");
        }
        if (input.dim() < 2) {
            throw new ShapeException("packPaddedSequence: the input must be at least 2-d " + (batchFirst
                    ? "[batch, length, *]" : "[length, batch, *]") + ", got shape " + Arrays.toString(input.shape()));
        }
        if (input.numel() == 0) {
            throw new ShapeException("packPaddedSequence: the input of shape " + Arrays.toString(input.shape())
                    + " is empty; packing needs at least one sequence of at least one step");
        }
        int steps = input.size(batchFirst ? 1 : 0);
        int batch = input.size(batchFirst ? 0 : 1);
        if (lengths.length != batch) {
            throw new ShapeException("packPaddedSequence: expected one length per sequence, " + batch + " (the batch "
                    + "size of the input of shape " + Arrays.toString(input.shape()) + (batchFirst ? ", batchFirst"
                    : "") + "), but got " + lengths.length + " lengths");
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] <= 0 || lengths[b] > steps) {
                throw new ShapeException("packPaddedSequence: length " + lengths[b] + " of sequence " + b + " is "
                        + (lengths[b] <= 0 ? "not positive: every sequence needs at least one step"
                        : "longer than the input's " + steps + " time steps (input shape "
                        + Arrays.toString(input.shape()) + (batchFirst ? ", batchFirst" : "") + ")"));
            }
        }
        int[] order = IntStream.range(0, batch).boxed()
                .sorted(Comparator.comparingInt((Integer b) -> lengths[b]).reversed())
                .mapToInt(Integer::intValue).toArray();
        boolean sorted = IntStream.range(0, batch).allMatch(j -> order[j] == j);
        if (enforceSorted && IntStream.range(1, batch).anyMatch(b -> lengths[b] > lengths[b - 1])) {
            throw new ShapeException("packPaddedSequence: the lengths " + Arrays.toString(lengths) + " must be sorted "
                    + "in decreasing order when enforceSorted is true; pass enforceSorted=false to have them sorted");
        }
        int[] batchSizes = new int[lengths[order[0]]];
        for (int len : lengths) {
            for (int t = 0; t < len; t++) {
                batchSizes[t]++;
            }
        }
        // the row of input.flatten(0, 1) for every packed element: time step by time step, longest sequence first
        long[] rows = new long[Arrays.stream(lengths).sum()];
        int n = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            for (int j = 0; j < batchSizes[t]; j++) {
                rows[n++] = batchFirst ? (long) order[j] * steps + t : (long) t * batch + order[j];
            }
        }
        Tensor data = input.flatten(0, 1).indexSelect(0, Ember.fromArray(rows, rows.length));
        Tensor sortedIndices = null;
        Tensor unsortedIndices = null;
        if (!enforceSorted && !sorted) {
            long[] inverse = new long[batch];
            for (int j = 0; j < batch; j++) {
                inverse[order[j]] = j;
            }
            sortedIndices = Ember.fromArray(Arrays.stream(order).asLongStream().toArray(), batch);
            unsortedIndices = Ember.fromArray(inverse, batch);
        } else if (!enforceSorted) {
            // PyTorch keeps the (identity) permutation of a batch it sorted itself
            sortedIndices = Ember.arange(batch);
            unsortedIndices = Ember.arange(batch);
        }
        return new PackedSequence(data, Ember.fromArray(Arrays.stream(batchSizes).asLongStream().toArray(),
                batchSizes.length), sortedIndices, unsortedIndices);
    }

    /** {@link #packPaddedSequence(Tensor, int[], boolean, boolean)} with the lengths as a 1-d int64 tensor. */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths, boolean batchFirst,
                                                    boolean enforceSorted) {
        if (lengths == null || lengths.dtype() != DType.INT64 || lengths.dim() != 1) {
            throw new DTypeException("packPaddedSequence: the lengths must be a 1-d int64 tensor, got "
                    + (lengths == null ? "null" : lengths.dtype() + " of shape " + Arrays.toString(lengths.shape()))
                    + "; convert them with .to(DType.INT64)");
        }
        return packPaddedSequence(input, Arrays.stream(lengths.toLongArray()).mapToInt(v -> (int) v).toArray(),
                batchFirst, enforceSorted);
    }

    /** {@code padPackedSequence(sequence, false, 0.0, null)}: [max length, batch, *] padded with zeros. */
    public static PaddedBatch padPackedSequence(PackedSequence sequence) {
        return padPackedSequence(sequence, false, 0.0, null);
    }

    /** {@code padPackedSequence(sequence, batchFirst, 0.0, null)}. */
    public static PaddedBatch padPackedSequence(PackedSequence sequence, boolean batchFirst) {
        return padPackedSequence(sequence, batchFirst, 0.0, null);
    }

    /**
     * Unpacks (PyTorch's {@code pad_packed_sequence}): the sequences as a padded tensor [length, batch, *]
     * ([batch, length, *] with batchFirst) in the batch's original order, padded with paddingValue, length the
     * longest sequence's or totalLength (null for none; at least the longest), and their lengths.
     */
    public static PaddedBatch padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue,
                                                Integer totalLength) {
        if (sequence == null) {
            throw new ShapeException("padPackedSequence: the packed sequence is null");
        }
        int[] batchSizes = sequence.batchSizesArray();
        int maxLength = batchSizes.length;
        if (totalLength != null && totalLength < maxLength) {
            throw new ShapeException("padPackedSequence: expected totalLength to be at least the length of the longest "
                    + "sequence in the input, but got totalLength=" + totalLength + " and max sequence length "
                    + maxLength);
        }
        int steps = totalLength == null ? maxLength : totalLength;
        int batch = batchSizes[0];
        Tensor data = sequence.data();
        int total = data.size(0);
        long[] unsorted = sequence.unsortedIndices() == null ? null : sequence.unsortedIndices().toLongArray();
        int[] offsets = new int[maxLength];
        for (int t = 1; t < maxLength; t++) {
            offsets[t] = offsets[t - 1] + batchSizes[t - 1];
        }
        // for every output place (time step, sequence) the packed row, or the padding row (index total)
        long[] rows = new long[steps * batch];
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            int j = unsorted == null ? b : (int) unsorted[b];
            for (int t = 0; t < steps; t++) {
                boolean running = t < maxLength && j < batchSizes[t];
                rows[batchFirst ? b * steps + t : t * batch + b] = running ? offsets[t] + j : total;
                lengths[b] += running ? 1 : 0;
            }
        }
        int[] padShape = data.shape();
        padShape[0] = 1;
        Tensor withPad = Ember.cat(List.of(data, Ember.full(data.dtype(), padShape, paddingValue)), 0);
        int[] shape = data.shape().clone();
        int[] outShape = new int[shape.length + 1];
        outShape[0] = batchFirst ? batch : steps;
        outShape[1] = batchFirst ? steps : batch;
        System.arraycopy(shape, 1, outShape, 2, shape.length - 1);
        Tensor padded = withPad.indexSelect(0, Ember.fromArray(rows, rows.length)).view(outShape);
        return new PaddedBatch(padded, Ember.fromArray(lengths, batch));
    }

    /**
     * Packs a list of sequences [length_i, *] (PyTorch's {@code pack_sequence}): with enforceSorted their lengths
     * must be in decreasing order.
     */
    public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
        Tensor padded = padSequence("packSequence", sequences, false, 0.0);
        int[] lengths = sequences.stream().mapToInt(s -> s.size(0)).toArray();
        return packPaddedSequence(padded, lengths, false, enforceSorted);
    }

    /**
     * Stacks sequences [length_i, *] of one trailing shape into [max length, batch, *] ([batch, max length, *]
     * with batchFirst), padding the shorter ones with paddingValue (PyTorch's {@code pad_sequence}).
     */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, double paddingValue) {
        return padSequence("padSequence", sequences, batchFirst, paddingValue);
    }

    /** {@link #padSequence(List, boolean, double)} with errors naming {@code where}. */
    private static Tensor padSequence(String where, List<Tensor> sequences, boolean batchFirst, double paddingValue) {
        if (sequences == null || sequences.isEmpty()) {
            throw new ShapeException(where + ": expected a non-empty list of sequences [length, *]");
        }
        Tensor first = sequences.get(0);
        int maxLength = 0;
        for (int i = 0; i < sequences.size(); i++) {
            Tensor s = sequences.get(i);
            if (s == null || s.dim() == 0) {
                throw new ShapeException(where + ": sequence " + i + " is " + (s == null ? "null"
                        : "a scalar") + "; every sequence must be at least 1-d [length, *]");
            }
            int[] trailing = Arrays.copyOfRange(s.shape(), 1, s.dim());
            if (!Arrays.equals(trailing, Arrays.copyOfRange(first.shape(), 1, first.dim()))) {
                throw new ShapeException(where + ": sequence " + i + " has shape " + Arrays.toString(s.shape())
                        + " but sequence 0 has " + Arrays.toString(first.shape()) + "; all must share the shape "
                        + "after the length");
            }
            if (s.dtype() != first.dtype()) {
                throw new DTypeException(where + ": sequence " + i + " is " + s.dtype() + " but sequence 0 is "
                        + first.dtype() + "; convert them to one dtype");
            }
            maxLength = Math.max(maxLength, s.size(0));
        }
        List<Tensor> padded = new ArrayList<>(sequences.size());
        for (Tensor s : sequences) {
            if (s.size(0) == maxLength) {
                padded.add(s);
            } else {
                int[] padShape = s.shape();
                padShape[0] = maxLength - s.size(0);
                padded.add(Ember.cat(List.of(s, Ember.full(s.dtype(), padShape, paddingValue)), 0));
            }
        }
        return Ember.stack(padded, batchFirst ? 0 : 1);
    }
}
