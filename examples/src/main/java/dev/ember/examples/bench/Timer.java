package dev.ember.examples.bench;

import java.util.Arrays;

/**
 * The measuring loop of {@link MicroBench}: warm-up, then a calibrated number of calls per sample, several samples,
 * and the median time per call.
 *
 * <pre>{@code
 * Timer timer = Timer.full(false);
 * Timer.Measurement m = timer.measure(() -> Timer.sink = a.add(b));
 * System.out.println(m.median() + " µs per call");
 * }</pre>
 */
final class Timer {
    /** Where results go so that the JIT cannot drop the calls that produce them. */
    static volatile Object sink;

    /** Microseconds per call: the median of the samples, and the fastest and slowest sample. */
    record Measurement(double median, double min, double max) {
        /** A derived figure (a difference of medians), which has no samples of its own. */
        static Measurement derived(double micros) {
            return new Measurement(micros, Double.NaN, Double.NaN);
        }

        /** Slowest sample over fastest: how noisy the figure is (NaN for derived figures). */
        double spread() {
            return max / min;
        }
    }

    private final long warmupNanos;
    private final long sampleNanos;
    private final int samples;
    private final boolean verbose;

    private Timer(long warmupNanos, long sampleNanos, int samples, boolean verbose) {
        this.warmupNanos = warmupNanos;
        this.sampleNanos = sampleNanos;
        this.samples = samples;
        this.verbose = verbose;
    }

    /** The full run: 0.5 s of warm-up, then 7 samples of about 0.2 s each. */
    static Timer full(boolean verbose) {
        return new Timer(500_000_000L, 200_000_000L, 7, verbose);
    }

    /** The {@code --quick} run: 0.05 s of warm-up, then 3 samples of about 0.02 s each. */
    static Timer quick(boolean verbose) {
        return new Timer(50_000_000L, 20_000_000L, 3, verbose);
    }

    /**
     * A pass whose figures are thrown away, run before the full run so that the JIT has compiled Ember's and ND4J's
     * code paths before anything is measured: while the JIT compiler occupies one of two cores, ND4J's
     * two-thread GEMM can take milliseconds instead of tens of microseconds.
     */
    static Timer warmupPass() {
        return new Timer(500_000_000L, 200_000_000L, 1, false);
    }

    String describe() {
        return String.format("warm-up %.2f s, then median of %d samples of ~%.2f s each",
                warmupNanos / 1e9, samples, sampleNanos / 1e9);
    }

    /** Times op: microseconds per call. */
    Measurement measure(Runnable op) {
        settle();
        long end = System.nanoTime() + warmupNanos;
        long calls = 0;
        while (System.nanoTime() < end) {
            op.run();
            calls++;
        }
        // Calls per sample, from the warm-up's rate (the warm-up also trains the JIT on the same loop).
        long perSample = Math.max(1, calls * sampleNanos / warmupNanos);
        double[] micros = new double[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < perSample; i++) {
                op.run();
            }
            micros[s] = (System.nanoTime() - t0) / 1e3 / perSample;
        }
        if (verbose) {
            System.out.printf("  %,d calls per sample, samples in µs: %s%n", perSample,
                    Arrays.toString(Arrays.stream(micros).map(v -> Math.round(v * 1e3) / 1e3).toArray()));
        }
        Arrays.sort(micros);
        return new Measurement(micros[samples / 2], micros[0], micros[samples - 1]);
    }

    /**
     * Lets the garbage of the previous measurement go before the next one starts: ND4J's arrays hold native memory
     * that JavaCPP frees on other threads after a GC, which would otherwise compete for the cores with the next op.
     */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
