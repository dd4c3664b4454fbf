package dev.ember.cli;

import dev.ember.Tensor;
import dev.ember.data.SupervisedData;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The samples a run trains and tests on, ready for the network: the first {@code trainSamples} and
 * {@code testSamples} of the data set if asked, standardized with the training inputs' mean and standard deviation,
 * in the run's dtype.
 *
 * <pre>{@code
 * SupervisedData.TrainTest raw = TrainingData.load(DatasetKind.DIGITS, null, null, null, env, false);
 * double[] meanStd = TrainingData.meanAndStd(raw.train().inputs());
 * TrainingData data = TrainingData.prepare(raw, meanStd[0], meanStd[1], Precision.FLOAT32);
 * }</pre>
 *
 * @param train the training samples
 * @param test  the test samples
 */
public record TrainingData(SupervisedData train, SupervisedData test) {

    /** The data set's parts, cut to their first samples when a count is given (null: all). */
    public static SupervisedData.TrainTest load(DatasetKind dataset, Path dataDir, Integer trainSamples,
                                                Integer testSamples, Environment env, boolean download) {
        SupervisedData.TrainTest parts = dataset.load(env.dataLocations(), dataDir, download);
        return new SupervisedData.TrainTest(first(parts.train(), trainSamples, "--train-samples", dataset),
                first(parts.test(), testSamples, "--test-samples", dataset));
    }

    /**
     * The first {@code count} samples of data (all if count is null).
     *
     * @param option the option that gave count, named in the error
     * @throws CommandException if data has fewer than count samples
     */
    public static SupervisedData first(SupervisedData data, Integer count, String option, DatasetKind dataset) {
        if (count == null || count == data.size()) {
            return data;
        }
        if (count > data.size()) {
            throw new CommandException(option + " " + count + " is more than the " + data.size() + " samples "
                    + dataset.cliName() + " has there; give at most " + data.size());
        }
        int[] indices = new int[count];
        Arrays.setAll(indices, i -> i);
        return data.select(indices);
    }

    /** The mean and the (population) standard deviation of all values of the inputs, in float64. */
    public static double[] meanAndStd(Tensor inputs) {
        double[] v = inputs.toDoubleArray();
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(squares / v.length);
        return new double[] {mean, std > 0 ? std : 1.0};
    }

    /** Both parts standardized with mean and std and converted to the dtype. */
    public static TrainingData prepare(SupervisedData.TrainTest raw, double mean, double std, Precision dtype) {
        return new TrainingData(standardize(raw.train(), mean, std, dtype), standardize(raw.test(), mean, std, dtype));
    }

    /** The inputs standardized with mean and std and converted to the dtype; the targets as they are. */
    public static SupervisedData standardize(SupervisedData data, double mean, double std, Precision dtype) {
        Tensor x = data.inputs().to(dtype.dtype()).sub(mean).div(std);
        return new SupervisedData(x, data.targets());
    }

    /** The shape of one input sample, e.g. {@code [1, 8, 8]}. */
    public static List<Integer> sampleShape(SupervisedData data) {
        int[] shape = data.inputs().shape();
        return Arrays.stream(shape, 1, shape.length).boxed().toList();
    }
}
