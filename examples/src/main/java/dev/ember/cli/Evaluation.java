package dev.ember.cli;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.data.SupervisedData;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.Module;

import java.util.Arrays;

/**
 * A classifier's mean cross-entropy loss and accuracy on a set of samples, computed in evaluation mode without
 * recording, in batches.
 *
 * <pre>{@code
 * Evaluation.Score s = Evaluation.of(model, data.test(), 1000, 10);
 * System.out.printf("test accuracy %.2f%%%n", 100 * s.accuracy());
 * }</pre>
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * The result of an evaluation.
     *
     * @param loss      the mean cross-entropy loss
     * @param accuracy  the fraction of samples classified correctly
     * @param samples   how many samples were evaluated
     * @param correct   per class (by target), how many samples were classified correctly
     * @param counts    per class (by target), how many samples there were
     */
    public record Score(double loss, double accuracy, int samples, long[] correct, long[] counts) {
        /** The fraction of class {@code c}'s samples classified correctly (NaN if there were none). */
        public double classAccuracy(int c) {
            return counts[c] == 0 ? Double.NaN : (double) correct[c] / counts[c];
        }
    }

    /**
     * Evaluates the model on data in batches of batchSize; the model is back in its previous mode afterwards.
     *
     * @param classes the number of classes (targets are 0 to classes - 1)
     */
    public static Score of(Module model, SupervisedData data, int batchSize, int classes) {
        boolean wasTraining = model.isTraining();
        model.eval();
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double lossSum = 0;
        long[] correct = new long[classes];
        long[] counts = new long[classes];
        int n = data.size();
        try (var noGrad = Ember.noGrad()) {
            for (int start = 0; start < n; start += batchSize) {
                int size = Math.min(batchSize, n - start);
                Tensor y = data.targets().narrow(0, start, size);
                Tensor logits = model.forward(data.inputs().narrow(0, start, size));
                lossSum += lossFn.forward(logits, y).item() * size;
                long[] predicted = logits.argmax(1, false).toLongArray();
                long[] target = y.toLongArray();
                for (int i = 0; i < size; i++) {
                    int c = (int) target[i];
                    counts[c]++;
                    correct[c] += predicted[i] == c ? 1 : 0;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Score(lossSum / n, (double) Arrays.stream(correct).sum() / n, n, correct, counts);
    }

    /** How many rows of logits have their largest value at the target's index. */
    public static long correct(Tensor logits, Tensor targets) {
        try (var noGrad = Ember.noGrad()) {
            return (long) logits.argmax(1, false).eq(targets).to(DType.INT64).sum().item();
        }
    }
}
