package dev.ember.data;

import dev.ember.EmberException;

import java.util.Arrays;
import java.util.Objects;

/**
 * The samples of a dataset at the given indices, in that order (PyTorch's {@code Subset}); what
 * {@link Datasets#randomSplit} returns.
 *
 * <pre>{@code
 * Dataset<TensorTuple> all = new TensorDataset(Ember.randn(10, 2));
 * Subset<TensorTuple> firstThree = new Subset<>(all, new int[] {0, 1, 2});
 * TensorTuple s = firstThree.get(2);               // all.get(2)
 * }</pre>
 *
 * @param <T> the sample type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /**
     * The samples of {@code dataset} at {@code indices} (copied).
     *
     * @throws EmberException if an index is outside the dataset
     */
    public Subset(Dataset<T> dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset, "Subset: the dataset must not be null");
        this.indices = Objects.requireNonNull(indices, "Subset: the indices must not be null").clone();
        int n = dataset.size();
        for (int k = 0; k < this.indices.length; k++) {
            int i = this.indices[k];
            if (i < 0 || i >= n) {
                throw new EmberException("Subset: indices[" + k + "] = " + i + " is out of range for a dataset of size "
                        + n + " (" + dataset + ")");
            }
        }
    }

    /** The underlying dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into the underlying dataset. */
    public int[] indices() {
        return indices.clone();
    }

    /** The index into the underlying dataset of this subset's sample {@code index}. */
    public int sourceIndex(int index) {
        Dataset.checkIndex("Subset.get", index, indices.length);
        return indices[index];
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        return dataset.get(sourceIndex(index));
    }

    @Override
    public String toString() {
        return "Subset(size=" + indices.length + ", of=" + dataset + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subset<?> s && s.dataset == dataset && Arrays.equals(s.indices, indices);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(dataset) * 31 + Arrays.hashCode(indices);
    }
}
