package dev.ember.cli;

import dev.ember.io.AtomicFiles;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * The {@code metrics.csv} of a run: a header, then one row per completed epoch, appended as each epoch ends.
 *
 * <pre>
 * epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds
 * 1,0.912345,0.731254,0.401234,0.886667,0.001,0.412
 * </pre>
 *
 * <p>Accuracies are fractions (0.886667 is 88.67%). When a run is resumed, the file is first rewritten from the
 * checkpoint's history, so that it never holds an epoch twice or an epoch the checkpoint does not have.
 */
public final class MetricsCsv {
    /** The header line. */
    public static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds";

    private MetricsCsv() {
    }

    /** Replaces the file with the header and the rows of the history (atomically). */
    public static void write(Path file, List<EpochMetrics> history) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : history) {
            b.append(row(m)).append('\n');
        }
        AtomicFiles.write(file, "metrics file", b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends one epoch's row. */
    public static void append(Path file, EpochMetrics m) {
        try {
            Files.writeString(file, row(m) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CommandException("cannot append to the metrics file " + file + ": " + e, e);
        }
    }

    /** One row, in the header's order. */
    public static String row(EpochMetrics m) {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%s,%.3f", m.epoch(), m.trainLoss(),
                m.trainAccuracy(), m.testLoss(), m.testAccuracy(), compact(m.lr(), 6), m.seconds());
    }

    /** A number with at most {@code digits} significant digits and no trailing zeros: 0.001, 2.5e-05 as 0.000025. */
    public static String compact(double value, int digits) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(String.format(Locale.ROOT, "%." + digits + "g", value)).stripTrailingZeros()
                .toPlainString();
    }
}
