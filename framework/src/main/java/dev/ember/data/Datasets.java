package dev.ember.data;

import dev.ember.EmberException;
import dev.ember.kernels.random.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Operations on whole datasets: {@link #randomSplit} (PyTorch's {@code torch.utils.data.random_split}).
 *
 * <pre>{@code
 * TensorDataset ds = new TensorDataset(Ember.randn(100, 2), Ember.randint(0, 2, 100));
 * List<Subset<TensorTuple>> parts = Datasets.randomSplit(ds, new Generator(42), 80, 20);
 * List<Subset<TensorTuple>> same = Datasets.randomSplit(ds, new double[] {0.8, 0.2}, new Generator(42));
 * }</pre>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into non-overlapping subsets of the given lengths, shuffled with one permutation drawn from
     * Ember's global generator: {@code random_split(dataset, lengths)} after the same {@code manual_seed}.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int... lengths) {
        return randomSplit(dataset, Generator.defaultGenerator(), lengths);
    }

    /**
     * Splits {@code dataset} into non-overlapping subsets of the given lengths, which must add up to its size. The
     * indices are {@code randperm(size, generator)} cut in order: {@code random_split(dataset, lengths, generator=g)}.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, Generator generator, int... lengths) {
        Objects.requireNonNull(dataset, "randomSplit: the dataset must not be null");
        Objects.requireNonNull(generator, "randomSplit: the generator must not be null");
        Objects.requireNonNull(lengths, "randomSplit: the lengths must not be null");
        if (lengths.length == 0) {
            throw new EmberException("randomSplit: give at least one length, e.g. randomSplit(ds, g, 80, 20)");
        }
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new EmberException("randomSplit: length " + i + " is " + lengths[i] + "; lengths must be >= 0");
            }
            sum += lengths[i];
        }
        if (sum != dataset.size()) {
            throw new EmberException("randomSplit: sum of input lengths does not equal the length of the input "
                    + "dataset: the lengths " + Arrays.toString(lengths) + " add up to " + sum + " but the dataset has "
                    + dataset.size() + " samples; use fractions (e.g. new double[] {0.8, 0.2}) to let the split "
                    + "compute the lengths");
        }
        int[] perm = Permutations.randperm((int) sum, generator);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            out.add(new Subset<>(dataset, Arrays.copyOfRange(perm, offset, offset + length)));
            offset += length;
        }
        return List.copyOf(out);
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} with Ember's global generator. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double... fractions) {
        return randomSplit(dataset, fractions, Generator.defaultGenerator());
    }

    /**
     * Splits by fractions that add up to 1, as PyTorch 1.13 does: each length is {@code floor(size * fraction)}, then
     * the remainder is handed out one by one to the first, second, ... split (round robin).
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        return randomSplit(dataset, generator, lengthsOf(dataset.size(), fractions));
    }

    /** The lengths that the fractions give for {@code size} samples (PyTorch 1.13's rule, see above). */
    public static int[] lengthsOf(int size, double[] fractions) {
        Objects.requireNonNull(fractions, "randomSplit: the fractions must not be null");
        if (fractions.length == 0) {
            throw new EmberException("randomSplit: give at least one fraction, e.g. new double[] {0.8, 0.2}");
        }
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            double f = fractions[i];
            if (!(f >= 0 && f <= 1)) {
                throw new EmberException("randomSplit: fraction at index " + i + " is not between 0 and 1: " + f);
            }
            sum += f;
        }
        // Python's math.isclose(sum, 1) (rel_tol 1e-9) and sum <= 1
        if (!(Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1)) {
            throw new EmberException("randomSplit: the fractions " + Arrays.toString(fractions) + " add up to " + sum
                    + ", not 1; give fractions that sum to 1 (at most 1), or give integer lengths");
        }
        int[] lengths = new int[fractions.length];
        long total = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(size * fractions[i]);
            total += lengths[i];
        }
        long remainder = size - total;
        for (int i = 0; i < remainder; i++) {
            lengths[i % lengths.length]++;
        }
        return lengths;
    }
}
