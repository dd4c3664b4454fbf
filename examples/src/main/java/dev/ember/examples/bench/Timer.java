package dev.ember.examples.bench;

import java.util.Arrays;

/**
 * The measuring loop of {@link MicroBench}: warm-up, then a calibrated number of calls per sample, several samples,
 * and the median time per call.
 *
 * <pre>{@code
 * Timer timer = Timer.full();
 * double us = timer.microsPerOp(() -> a.add(b));   // median µs per call
 * }</pre>
 */
final class Timer {
    /** Where results go so that the JIT cannot drop the calls that produce them. */
    static volatile Object sink;

    private final long warmupNanos;
    private final long sampleNanos;
    private final int samples;

    private Timer(long warmupNanos, long sampleNanos, int samples) {
        this.warmupNanos = warmupNanos;
        this.sampleNanos = sampleNanos;
        this.samples = samples;
    }

    /** The full run: 0.5 s of warm-up, then 7 samples of about 0.2 s each. */
    static Timer full() {
        return new Timer(500_000_000L, 200_000_000L, 7);
    }

    /** The {@code --quick} run: 0.05 s of warm-up, then 3 samples of about 0.02 s each. */
    static Timer quick() {
        return new Timer(50_000_000L, 20_000_000L, 3);
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

    String describe() {
        return String.format("warm-up %.2f s, then median of %d samples of ~%.2f s each",
                warmupNanos / 1e9, samples, sampleNanos / 1e9);
    }

    /** The median time of one call of op, in microseconds. */
    double microsPerOp(Runnable op) {
        settle();
        long end = System.nanoTime() + warmupNanos;
        long calls = 0;
        while (System.nanoTime() < end) {
            op.run();
            calls++;
        }
        // Calls per sample, from the warm-up's rate (the warm-up also trains the JIT on the same loop).
        long perSample = Math.max(1, calls * sampleNanos / Math.max(1, warmupNanos));
        double[] nanosPerCall = new double[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < perSample; i++) {
                op.run();
            }
            nanosPerCall[s] = (double) (System.nanoTime() - t0) / perSample;
        }
        if (Boolean.getBoolean("bench.debug")) {
            System.err.printf("  calls/sample %d, warm-up calls %d, samples us: %s%n", perSample, calls,
                    Arrays.toString(Arrays.stream(nanosPerCall).map(v -> Math.round(v) / 1e3).toArray()));
        }
        Arrays.sort(nanosPerCall);
        return nanosPerCall[samples / 2] / 1e3;
    }
}
