package dev.ember.data;

import dev.ember.EmberException;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A finite, indexable collection of samples: PyTorch's map-style {@code torch.utils.data.Dataset}. A sample can be
 * anything; {@link TensorDataset} gives {@link TensorTuple}s, and a Java record of tensors works just as well with the
 * {@link DataLoader}'s default collate.
 *
 * <pre>{@code
 * Dataset<TensorTuple> ds = new TensorDataset(Ember.randn(100, 2), Ember.randint(0, 2, 100));
 * TensorTuple first = ds.get(0);                       // (x[0], y[0])
 * Dataset<Tensor> inputsOnly = ds.map(s -> s.get(0));  // a lazy view
 * Dataset<String> words = Dataset.of(List.of("a", "b", "c"));
 * }</pre>
 *
 * <p>Implementations should be safe to read from a background thread (the loader's prefetch reads from one) and should
 * throw an {@link EmberException} for an index outside {@code [0, size())}; {@link #checkIndex} writes that message.
 *
 * @param <T> the type of one sample
 */
public interface Dataset<T> {

    /** The number of samples (PyTorch's {@code len(dataset)}). */
    int size();

    /**
     * The sample at {@code index}, in {@code [0, size())}.
     *
     * @throws EmberException if the index is out of range
     */
    T get(int index);

    /** A lazy view whose samples are {@code fn} applied to this dataset's samples (computed on every get). */
    default <R> Dataset<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "map: the function must not be null");
        Dataset<T> self = this;
        return new Dataset<>() {
            @Override
            public int size() {
                return self.size();
            }

            @Override
            public R get(int index) {
                return fn.apply(self.get(index));
            }

            @Override
            public String toString() {
                return "Mapped(" + self + ")";
            }
        };
    }

    /** A dataset over a copy of the list's elements. */
    static <T> Dataset<T> of(List<? extends T> samples) {
        Objects.requireNonNull(samples, "Dataset.of: the list must not be null");
        List<T> copy = List.copyOf(samples);
        return new Dataset<>() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public T get(int index) {
                checkIndex("Dataset.of", index, copy.size());
                return copy.get(index);
            }

            @Override
            public String toString() {
                return "Dataset(size=" + copy.size() + ")";
            }
        };
    }

    /**
     * Throws the standard out-of-range error: {@code "<where>: index 12 is out of range for a dataset of size 10;
     * valid indices are 0..9"}.
     */
    static void checkIndex(String where, int index, int size) {
        if (index < 0 || index >= size) {
            throw new EmberException(where + ": index " + index + " is out of range for a dataset of size " + size
                    + (size == 0 ? "; the dataset is empty" : "; valid indices are 0.." + (size - 1)));
        }
    }
}
