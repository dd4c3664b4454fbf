package dev.ember.examples.bench;

import dev.ember.Ember;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Ember's micro-benchmark: per-op time of Ember against raw ND4J, measured in one run and printed as a table.
 *
 * <p>Columns: Ember µs/op and ND4J µs/op are medians over the samples; ratio is Ember over ND4J (below 1 means
 * Ember is faster); spread is the slowest sample over the fastest, the worse of the two sides (near 1 means a
 * quiet machine). The workloads: a 4-element float32 add (allocating, and in place under noGrad), a 64×64 float32
 * matmul, a tiny forward+backward ({@code w.mul(x).sum().backward()} against the same ops written by hand in ND4J),
 * the tape's overhead per recorded op, and PEERS.md's W1 training step (in steps per second). PyTorch's and DL4J's
 * figures are printed below the table as quotes from the project's notes; they are not measured by this program.
 * Compare ratios within one run, not absolute numbers across runs (see ND4J-NOTES.md).
 *
 * <p>Timing: after a warm-up, each sample times enough calls for about 0.2 s, and 7 samples give the median; the
 * full run first makes one unmeasured pass over all workloads so that the JIT has settled
 * (see {@link Timer#warmupPass()}); about 35 s in all. {@code --quick} takes 3 samples of about 0.02 s and no
 * warm-up pass (a few seconds, rough figures, for smoke runs). {@code --verbose} also prints every sample.
 *
 * <p>Run it from the project root; the first command installs the framework jar that the examples module uses,
 * the second runs the benchmark in a JVM of its own on the examples module's classpath:
 * <pre>{@code
 * ./mvnw -q -B -o -pl examples -am install -DskipTests
 * ./mvnw -q -B -o -pl examples exec:exec -Dexec.executable=java \
 *     "-Dexec.args=-cp %classpath dev.ember.examples.bench.MicroBench"
 * }</pre>
 * Append {@code --quick} and/or {@code --verbose} inside the quotes; JVM flags go before {@code -cp}.
 * ({@code exec:java -Dexec.mainClass=...} does not work here: the examples POM names {@code Demo} as the
 * exec plugin's main class, which a command-line property cannot override.) Without Maven:
 * <pre>{@code
 * ./mvnw -q -B -o -pl examples dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp examples/target/classes:$(cat examples/target/cp.txt) dev.ember.examples.bench.MicroBench --quick
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
        boolean verbose = List.of(args).contains("--verbose");
        for (String a : args) {
            if (!a.equals("--quick") && !a.equals("--verbose")) {
                System.err.println("usage: MicroBench [--quick] [--verbose]");
                System.exit(2);
            }
        }
        boolean defaulted = System.getProperty(MAX_PHYSICAL_BYTES) == null;
        if (defaulted) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        long start = System.nanoTime();
        Timer timer = quick ? Timer.quick(verbose) : Timer.full(verbose);

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

        if (!quick) {
            System.out.println("(warm-up pass over all workloads, figures discarded)");
            runAll(Timer.warmupPass());
        }
        List<Row> rows = runAll(timer);

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

    private static List<Row> runAll(Timer timer) {
        List<Row> rows = new ArrayList<>();
        rows.addAll(TinyAdd.run(timer));
        rows.addAll(Matmul64.run(timer));
        rows.addAll(TinyBackward.run(timer));
        rows.addAll(TapeOverhead.run(timer));
        rows.addAll(W1Mlp.run(timer));
        return rows;
    }
}
