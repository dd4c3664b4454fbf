package dev.ember.cli;

import dev.ember.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The curves of a run as PNG images, drawn with XChart: {@code loss.png} (training and test loss by epoch) and
 * {@code accuracy.png} (training and test accuracy in percent by epoch). Rewritten after every epoch.
 *
 * <pre>{@code
 * TrainingPlots.write(runDir, history, "mlp on digits");   // titles "mlp on digits: loss" and ": accuracy"
 * }</pre>
 */
public final class TrainingPlots {
    /** The loss curves' file name. */
    public static final String LOSS = "loss.png";
    /** The accuracy curves' file name. */
    public static final String ACCURACY = "accuracy.png";

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private TrainingPlots() {
    }

    /**
     * Writes both images into dir (atomically each).
     *
     * @throws CommandException if a chart cannot be drawn
     */
    public static void write(Path dir, List<EpochMetrics> history, String title) {
        write(dir.resolve(LOSS), chart(title + ": loss", "loss", history, EpochMetrics::trainLoss,
                EpochMetrics::testLoss));
        write(dir.resolve(ACCURACY), chart(title + ": accuracy", "accuracy (%)", history,
                m -> 100 * m.trainAccuracy(), m -> 100 * m.testAccuracy()));
    }

    private static XYChart chart(String title, String yTitle, List<EpochMetrics> history,
                                 ToDoubleFunction<EpochMetrics> train, ToDoubleFunction<EpochMetrics> test) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        chart.addSeries("train", epochs, history.stream().mapToDouble(train).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("test", epochs, history.stream().mapToDouble(test).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        chart.getStyler().setDecimalPattern("#,##0.###");
        return chart;
    }

    private static void write(Path file, XYChart chart) {
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException | RuntimeException e) {
            throw new CommandException("cannot draw " + file.getFileName() + ": " + e, e);
        }
        AtomicFiles.write(file, "plot", png);
    }
}
