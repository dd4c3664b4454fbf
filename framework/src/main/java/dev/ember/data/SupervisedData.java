package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;

import java.util.Arrays;
import java.util.Objects;

/**
 * Inputs and targets of a labelled dataset, held as two tensors whose first dimension indexes the samples: what
 * {@link Digits}, {@link Mnist} and {@link Synthetic} return.
 *
 * <pre>{@code
 * SupervisedData digits = Digits.load();
 * SupervisedData.TrainTest parts = digits.split(0.25, 0);     // 1347 to train, 450 to test, the same every run
 * DataLoader<TensorTuple, TensorTuple> loader = DataLoader.builder(parts.train().dataset())
 *         .batchSize(64).shuffle(true).seed(0).build();
 * }</pre>
 *
 * @param inputs  the inputs, {@code [n, ...]}
 * @param targets the targets, {@code [n, ...]} (class indices as int64 for classification)
 */
public record SupervisedData(Tensor inputs, Tensor targets) {

    /** Checks that both are at least 1-d with the same first dimension. */
    public SupervisedData {
        Objects.requireNonNull(inputs, "SupervisedData: inputs must not be null");
        Objects.requireNonNull(targets, "SupervisedData: targets must not be null");
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new ShapeException("SupervisedData: inputs of shape " + Arrays.toString(inputs.shape())
                    + " and targets of shape " + Arrays.toString(targets.shape()) + " must both be at least 1-d with "
                    + "the same size in dimension 0 (one row per sample)");
        }
    }

    /** The number of samples. */
    public int size() {
        return inputs.size(0);
    }

    /** A dataset over the two tensors: sample {@code i} is {@code (inputs[i], targets[i])}. */
    public TensorDataset dataset() {
        return new TensorDataset(inputs, targets);
    }

    /** The samples at {@code indices}, in that order (copies). */
    public SupervisedData select(int[] indices) {
        Objects.requireNonNull(indices, "SupervisedData.select: indices must not be null");
        long[] idx = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            Dataset.checkIndex("SupervisedData.select", indices[k], size());
            idx[k] = indices[k];
        }
        Tensor index = Ember.fromArray(idx, idx.length);
        return new SupervisedData(inputs.indexSelect(0, index), targets.indexSelect(0, index));
    }

    /**
     * A deterministic shuffled train/test split. The permutation is {@code torch.randperm(n,
     * generator=torch.Generator().manual_seed(seed))}; its first {@code ceil(testFraction * n)} indices (the test set
     * size scikit-learn's {@code train_test_split} takes) form the test set and the rest, in permutation order, the
     * training set.
     *
     * @throws EmberException unless {@code 0 < testFraction < 1} and both parts get at least one sample
     */
    public TrainTest split(double testFraction, long seed) {
        int n = size();
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new EmberException("SupervisedData.split: testFraction must be in (0, 1), got " + testFraction);
        }
        int nTest = (int) Math.ceil(testFraction * n);
        if (nTest >= n) {
            throw new EmberException("SupervisedData.split: a test fraction of " + testFraction + " of " + n
                    + " samples leaves nothing to train on; use a smaller fraction");
        }
        int[] perm = Permutations.randperm(n, new Generator(seed));
        return new TrainTest(select(Arrays.copyOfRange(perm, nTest, n)), select(Arrays.copyOfRange(perm, 0, nTest)));
    }

    @Override
    public String toString() {
        return "SupervisedData(inputs=" + inputs.dtype() + Arrays.toString(inputs.shape()) + ", targets="
                + targets.dtype() + Arrays.toString(targets.shape()) + ")";
    }

    /**
     * The two parts of a {@link SupervisedData#split}.
     *
     * <pre>{@code
     * SupervisedData.TrainTest tt = Synthetic.moons().generate().split(0.2, 7);
     * Tensor xTrain = tt.train().inputs();
     * }</pre>
     *
     * @param train the training part
     * @param test  the test part
     */
    public record TrainTest(SupervisedData train, SupervisedData test) {
        /** Checks for nulls. */
        public TrainTest {
            Objects.requireNonNull(train, "TrainTest: train must not be null");
            Objects.requireNonNull(test, "TrainTest: test must not be null");
        }
    }
}
