package dev.ember.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar of one training epoch (the progressbar library): samples done of the epoch's total, elapsed time
 * and ETA, samples per second, and the running loss and accuracy. On a terminal it redraws in place and is cleared
 * when the epoch's training ends (the epoch's summary line takes its place); otherwise (a file, a pipe) it is printed
 * once, complete, when the epoch's training ends.
 *
 * <pre>{@code
 * try (EpochProgress bar = EpochProgress.start("epoch 1/20", 1347, env)) {
 *     bar.step(64, 0.93, 0.71);      // after each batch: samples, running mean loss, running accuracy
 * }
 * }</pre>
 * It looks like this:
 * <pre>
 * epoch 1/20 100% [==========] 1347/1347 samples (0:00:01 / 0:00:00) 2,411 samples/s, loss 0.9312, acc 71.05%
 * </pre>
 */
public final class EpochProgress implements AutoCloseable {
    private static final int WIDTH = 120;
    private static final int REDRAW_MILLIS = 200;

    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long samples;

    private EpochProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar named {@code task} over {@code samples} samples, drawn on the environment's error stream. */
    public static EpochProgress start(String task, long samples, Environment env) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(samples)
                .setUnit(" samples", 1).setMaxRenderedLength(WIDTH);
        if (env.interactive()) {
            b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(REDRAW_MILLIS)
                    .setConsumer(new ConsoleProgressBarConsumer(env.err(), WIDTH)).clearDisplayOnFinish();
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(Integer.MAX_VALUE)
                    .setConsumer(new FinalLine(env.err()));
        }
        return new EpochProgress(b.build());
    }

    /** Advances by {@code done} samples and shows the speed so far and the running loss and accuracy. */
    public void step(int done, double loss, double accuracy) {
        samples += done;
        bar.stepBy(done);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        bar.setExtraMessage(String.format(Locale.ROOT, " %,.0f samples/s, loss %.4f, acc %.2f%%", samples / seconds,
                loss, 100 * accuracy));
    }

    /** Draws the bar a last time and ends its line. */
    @Override
    public void close() {
        bar.close();
    }

    /** Keeps the latest drawing and prints it once, when the bar is closed. */
    private static final class FinalLine implements ProgressBarConsumer {
        private final PrintStream out;
        private String last;

        FinalLine(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            last = rendered;
        }

        @Override
        public void close() {
            if (last != null) {
                out.println(last.stripTrailing());
                out.flush();
            }
        }
    }
}
