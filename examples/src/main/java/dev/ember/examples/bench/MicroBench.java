package dev.ember.examples.bench;

import dev.ember.Ember;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Ember's micro-benchmark: per-op time of Ember against raw ND4J in one run, printed as a table
 * (op, Ember µs/op, ND4J µs/op, ratio Ember/ND4J; below 1 means Ember is faster).
 *
 * <p>Each figure is the median of several samples taken after a warm-up, each sample timing enough calls for about
 * 0.2 s ({@code --quick}: about 0.02 s, a few seconds in all, for smoke runs). The workloads: a 4-element add
 * (allocating and in place), a 64×64 matmul, a tiny forward+backward, the tape's overhead per recorded op, and
 * PEERS.md's W1 training step (in steps per second). Compare ratios within one run, not absolute numbers across
 * runs (see ND4J-NOTES.md).
 *
 * <p>Run it from the project root (install once so that the examples module finds the framework jar):
 * <pre>{@code
 * ./mvnw -q -B -o install -DskipTests
 * ./mvnw -q -B -o -pl examples exec:java -Dexec.mainClass=dev.ember.examples.bench.MicroBench
 * ./mvnw -q -B -o -pl examples exec:java -Dexec.mainClass=dev.ember.examples.bench.MicroBench -Dexec.args=--quick
 * }</pre>
 *
 * <p>Unless {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} is given, the program sets it to 0 before ND4J loads,
 * as the project's tests do (it skips JavaCPP's physical-memory check on every native allocation).
 */
public final class MicroBench {
    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";

    private MicroBench() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        boolean defaulted = System.getProperty(MAX_PHYSICAL_BYTES) == null;
        if (defaulted) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        long start = System.nanoTime();
        Timer timer = quick ? Timer.quick() : Timer.full();

        System.out.println("Ember MicroBench" + (quick ? " (--quick: short samples, rough figures)" : ""));
        System.out.println("date:    " + ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println("JVM:     " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vm.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println("ND4J:    " + Ember.backend() + ", " + MAX_PHYSICAL_BYTES + "="
                + System.getProperty(MAX_PHYSICAL_BYTES) + (defaulted ? " (set by MicroBench)" : ""));
        System.out.println("timing:  " + timer.describe());
        System.out.println();

        List<Row> rows = new ArrayList<>();
        rows.addAll(TinyAdd.run(timer));
        rows.addAll(Matmul64.run(timer));
        rows.addAll(TinyBackward.run(timer));
        rows.addAll(TapeOverhead.run(timer));
        rows.addAll(W1Mlp.run(timer));

        System.out.println(Row.header());
        for (Row r : rows) {
            System.out.println(r.format());
        }
        System.out.println();
        System.out.println("Reference figures quoted from the project's notes (other machine, NOT measured in this run):");
        System.out.println("  PyTorch 1.13 CPU, tiny fwd+bwd (w*x).sum().backward(): 25 µs   (ND4J-NOTES.md)");
        System.out.println("  W1 steps/s: PyTorch 1.13.1 3,000-4,700; DL4J 1.0.0-M2.1 244   (PEERS.md)");
        System.out.printf("%ntotal time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
