package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dataset of tensors that share their first dimension: sample {@code i} is the {@code i}-th row of each
 * (PyTorch's {@code TensorDataset}).
 *
 * <pre>{@code
 * Tensor x = Ember.randn(100, 2);
 * Tensor y = Ember.randint(0, 2, 100);
 * TensorDataset ds = new TensorDataset(x, y);
 * TensorTuple s = ds.get(3);                       // (x[3], y[3]): views, not copies
 * TensorTuple b = ds.batch(new int[] {3, 7});      // (x[[3, 7]], y[[3, 7]]): one gather per tensor
 * }</pre>
 */
public final class TensorDataset implements Dataset<TensorTuple> {
    private final List<Tensor> tensors;
    private final int size;

    /**
     * A dataset over the given tensors (at least one; each at least 1-d; all the same size in dimension 0).
     *
     * @throws ShapeException if a tensor is 0-d or the first dimensions differ
     */
    public TensorDataset(Tensor... tensors) {
        Objects.requireNonNull(tensors, "TensorDataset: the tensors must not be null");
        if (tensors.length == 0) {
            throw new EmberException("TensorDataset: needs at least one tensor, e.g. new TensorDataset(inputs, targets)");
        }
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) {
                throw new EmberException("TensorDataset: tensor " + i + " is null");
            }
            if (tensors[i].dim() == 0) {
                throw new ShapeException("TensorDataset: tensor " + i + " is 0-d; every tensor needs a first dimension"
                        + " that indexes the samples (reshape it to [1] or stack the samples first)");
            }
        }
        int n = tensors[0].size(0);
        for (int i = 1; i < tensors.length; i++) {
            if (tensors[i].size(0) != n) {
                throw new ShapeException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
                        + Arrays.toString(tensors[0].shape()) + " (" + n + " samples) but tensor " + i
                        + " has shape " + Arrays.toString(tensors[i].shape()) + " (" + tensors[i].size(0)
                        + " samples); all tensors must have the same size in dimension 0");
            }
        }
        this.tensors = List.of(tensors);
        this.size = n;
    }

    /** The tensors, in the order given. */
    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public int size() {
        return size;
    }

    /** Row {@code index} of each tensor (views sharing storage with the dataset's tensors). */
    @Override
    public TensorTuple get(int index) {
        Dataset.checkIndex("TensorDataset.get", index, size);
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            parts.add(t.get(index));
        }
        return new TensorTuple(parts);
    }

    /**
     * The rows at {@code indices} of each tensor, stacked: equal to the default collate of
     * {@code get(indices[0]), get(indices[1]), ...} but one gather per tensor instead of one view per sample.
     */
    public TensorTuple batch(int[] indices) {
        Objects.requireNonNull(indices, "TensorDataset.batch: indices must not be null");
        if (indices.length == 0) {
            throw new EmberException("TensorDataset.batch: needs at least one index");
        }
        long[] idx = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            Dataset.checkIndex("TensorDataset.batch", indices[k], size);
            idx[k] = indices[k];
        }
        Tensor index = Ember.fromArray(idx, idx.length);
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            parts.add(t.indexSelect(0, index));
        }
        return new TensorTuple(parts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TensorDataset(size=").append(size);
        for (Tensor t : tensors) {
            b.append(", ").append(t.dtype()).append(Arrays.toString(t.shape()));
        }
        return b.append(')').toString();
    }
}
