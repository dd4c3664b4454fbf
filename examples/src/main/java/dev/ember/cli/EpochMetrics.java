package dev.ember.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch of training measured: one row of {@code metrics.csv}.
 *
 * <pre>{@code
 * EpochMetrics m = new EpochMetrics(1, 0.52, 0.85, 0.31, 0.91, 1e-3, 2.5);
 * Map<String, Object> saved = m.toMap();              // in the checkpoint, so that a resumed run keeps its history
 * EpochMetrics back = EpochMetrics.fromMap(saved);    // equals m
 * }</pre>
 *
 * @param epoch         the epoch, from 1
 * @param trainLoss     the mean loss over the epoch's training batches (in training mode, as they were trained)
 * @param trainAccuracy the fraction of training samples classified correctly, over the same batches
 * @param testLoss      the mean loss on the test set after the epoch
 * @param testAccuracy  the fraction of test samples classified correctly after the epoch
 * @param lr            the learning rate of the epoch's last step
 * @param seconds       the epoch's wall-clock time, training and testing
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double lr, double seconds) {

    /** The fields by name, for a checkpoint. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", (long) epoch);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("test_loss", testLoss);
        m.put("test_accuracy", testAccuracy);
        m.put("lr", lr);
        m.put("seconds", seconds);
        return m;
    }

    /**
     * The metrics saved with {@link #toMap()}.
     *
     * @throws IllegalArgumentException naming the field that is missing or not a number
     */
    public static EpochMetrics fromMap(Map<?, ?> m) {
        return new EpochMetrics((int) number(m, "epoch"), number(m, "train_loss"), number(m, "train_accuracy"),
                number(m, "test_loss"), number(m, "test_accuracy"), number(m, "lr"), number(m, "seconds"));
    }

    private static double number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("the epoch metrics have no number '" + key + "': " + m);
        }
        return n.doubleValue();
    }
}
