package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.kernels.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The workloads benchmark: PEERS.md's W1, W2 and W3 trained with Ember and with DL4J 1.0.0-M2.1's
 * {@code MultiLayerNetwork} (on the same ND4J backend) side by side in one run, in steps per second, with the FLOP
 * rate and the machine's SGEMM ceiling through ND4J measured in the same run.
 *
 * <p>Workloads (one step = zero_grad, forward, loss, backward, optimizer step, on a fixed batch of normal inputs
 * and fixed targets; SGD lr 0.01, momentum 0.9):
 * <ul>
 *   <li>W1: Linear 2→16, tanh, Linear 16→16, tanh, Linear 16→1; batch 8; MSE (per-op overhead)</li>
 *   <li>W2: Linear 784→128, ReLU, Linear 128→10; batch 64; cross-entropy from logits (a small network)</li>
 *   <li>W3: Linear 1024→2048, ReLU, Linear 2048→2048, ReLU, Linear 2048→10; batch 256; cross-entropy (GEMM)</li>
 * </ul>
 * FLOPs per step are counted as 6 × batch × Σ in×out. Both sides start from the same weights and data (Ember's,
 * from seed 0, which are also PyTorch's: {@code examples/src/main/python/workloads_pytorch.py} is the PyTorch twin),
 * and the program checks that their first losses agree. DL4J's only momentum updater is Nesterov's; the program
 * checks on W1 and W2 that it reproduces PyTorch's {@code SGD(nesterov=True)} and prints the finding.
 *
 * <p>Timing: for each workload, both sides warm up, then take their samples in turn (Ember, DL4J, Ember, ...), so
 * that a slow phase of a noisy machine hits both; the figure is the median sample's steps per second, and spread
 * is the slowest sample over the fastest. Full run: about 25 s. {@code --quick}: a few seconds, rough figures.
 *
 * <pre>{@code
 * ./mvnw -q -B -o -pl examples -am install -DskipTests
 * ./mvnw -q -B -o -pl examples exec:exec -Dexec.executable=java \
 *     "-Dexec.args=-cp %classpath dev.ember.examples.bench.Workloads"
 * }</pre>
 * Options (inside the quotes, after the class name): {@code --quick}; {@code --workload W1|W2|W3} (repeatable, or a
 * comma list; default all three); {@code --steps N} (steps per sample instead of a calibrated count);
 * {@code --samples N}; {@code --gemm auto|java|native|nd4j} (pins Ember's GEMM route, {@link Gemm.Route}, to compare
 * the routes; default auto). Unless {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} is given, the program sets it to 0
 * before ND4J loads, as the project's tests and MicroBench do.
 */
public final class Workloads {
    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final int CHECK_STEPS = 5;

    /** How long to warm up and to sample; stepsPerSample overrides the calibration when positive. */
    private record Plan(double warmupSeconds, int warmupSteps, double sampleSeconds, int samples, int stepsPerSample) {
    }

    /** One side's result on one workload. */
    private record Result(Workload workload, String framework, double stepsPerSecond, double spread, long steps,
                          double firstLoss, double lastLoss) {
        double gflops() {
            return stepsPerSecond * workload.flopsPerStep() / 1e9;
        }
    }

    private Workloads() {
    }

    @SuppressWarnings("deprecation")    // OpExecutioner.getProfilingMode, printed for the record
    public static void main(String[] args) {
        boolean quick = false;
        int steps = 0;
        int samples = 0;
        Gemm.Route route = Gemm.Route.AUTO;
        List<Workload> selected = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--workload" -> {
                        for (String name : value(args, ++i).split(",")) {
                            selected.add(Workload.byName(name.trim()));
                        }
                    }
                    case "--steps" -> steps = positive(args[i], value(args, ++i));
                    case "--samples" -> samples = positive(args[i], value(args, ++i));
                    case "--gemm" -> route = route(value(args, ++i));
                    case "--help", "-h" -> {
                        usage(null);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            System.exit(2);
        }
        if (selected.isEmpty()) {
            selected.addAll(Workload.ALL);
        }
        boolean defaulted = System.getProperty(MAX_PHYSICAL_BYTES) == null;
        if (defaulted) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        long start = System.nanoTime();

        System.out.println("Ember workloads benchmark: Ember and DL4J side by side"
                + (quick ? " (--quick: short samples, rough figures)" : ""));
        System.out.println("date:      " + ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println("JVM:       " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        String backend = Ember.backend();    // loads ND4J; Ember turns ND4J's op profiling off for the whole JVM
        System.out.println("ND4J:      " + backend + ", profiling " + Nd4j.getExecutioner().getProfilingMode()
                + " (for both sides), " + Nd4j.getEnvironment().maxThreads() + " threads, " + MAX_PHYSICAL_BYTES
                + "=" + System.getProperty(MAX_PHYSICAL_BYTES) + (defaulted ? " (set by Workloads)" : "")
                + ", OPENBLAS_CORETYPE=" + env("OPENBLAS_CORETYPE") + ", OMP_NUM_THREADS=" + env("OMP_NUM_THREADS"));
        if (route != Gemm.Route.AUTO) {
            Gemm.force(route);   // for the whole run
        }
        System.out.println("Ember:     " + EmberTrainer.describe());
        System.out.println("GEMM:      " + (route == Gemm.Route.AUTO ? Gemm.describe() : "forced to " + route
                + " (--gemm)"));
        System.out.println("DL4J:      1.0.0-M2.1 " + Dl4jTrainer.describe());
        System.out.println("timing:    for each workload both sides warm up, then take turns sampling; "
                + "figure = median sample, spread = slowest/fastest sample");
        System.out.println();

        int gemmSize = quick ? 1024 : 2048;
        int gemmTries = quick ? 2 : 3;
        double ceilingBefore = sgemmCeiling(gemmSize, gemmTries, "before the workloads");
        emberGemm(gemmSize, gemmTries);
        System.out.println();
        System.out.println("Updater: Ember runs PyTorch's SGD(lr=0.01, momentum=0.9): buf = 0.9·buf + g; p -= 0.01·buf "
                + "(heavy-ball momentum).");
        System.out.println("  DL4J has no heavy-ball momentum (Sgd has none); its Nesterovs(0.01, 0.9) is Nesterov's: "
                + "v = 0.9·v − 0.01·g; p += 1.9·v − 0.9·v_prev,");
        System.out.println("  which equals PyTorch's SGD(momentum=0.9, nesterov=True), NOT the workloads' plain momentum "
                + "(checked below on W1 and W2).");
        System.out.println("  The costs compare: either is a few elementwise passes over the parameters (DL4J's in one "
                + "native op over its flattened parameter view).");
        System.out.println();

        List<Result> results = new ArrayList<>();
        for (Workload w : selected) {
            results.addAll(run(w, plan(w, quick, steps, samples)));
        }
        System.out.println();
        // Measured twice: a busy moment can only lower a best-of figure, so the better of the two is the ceiling.
        double ceiling = Math.max(ceilingBefore, sgemmCeiling(gemmSize, gemmTries, "after the workloads"));

        System.out.println();
        String format = "%-4s %-6s %12s %10s %10s %8s %9s  %s%n";
        System.out.printf(Locale.ROOT, format, "", "", "steps/s", "ms/step", "GFLOP/s", "spread", "steps", "loss first → last");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            System.out.printf(Locale.ROOT, format, r.workload().name(), r.framework(),
                    String.format(Locale.ROOT, "%,.1f", r.stepsPerSecond()),
                    String.format(Locale.ROOT, "%.3f", 1e3 / r.stepsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", r.gflops()), String.format(Locale.ROOT, "%.2f", r.spread()),
                    r.steps(), String.format(Locale.ROOT, "%.5g → %.5g", r.firstLoss(), r.lastLoss()));
            if (i % 2 == 1) {
                Result e = results.get(i - 1);
                System.out.printf(Locale.ROOT, "     Ember / DL4J = %.2f×%s%n", e.stepsPerSecond() / r.stepsPerSecond(),
                        r.workload() == Workload.W3 ? String.format(Locale.ROOT,
                                "; SGEMM ceiling (better of the two) %.1f GFLOP/s = %.1f W3 steps/s; "
                                        + "Ember at %.0f%%, DL4J at %.0f%% of it",
                                ceiling, ceiling * 1e9 / r.workload().flopsPerStep(), 100 * e.gflops() / ceiling,
                                100 * r.gflops() / ceiling) : "");
            }
        }
        System.out.printf(Locale.ROOT, "%nFLOPs per step (6 × batch × Σ in×out): %s%n", String.join(", ",
                selected.stream().map(w -> String.format(Locale.ROOT, "%s %.4g", w.name(), w.flopsPerStep())).toList()));
        System.out.printf(Locale.ROOT, "total time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static Plan plan(Workload w, boolean quick, int steps, int samples) {
        boolean big = w == Workload.W3;
        Plan p = quick
                ? (big ? new Plan(0, 1, 0, 1, 0) : new Plan(0.1, 3, 0.05, 2, 0))
                : (big ? new Plan(0, 2, 1.0, 3, 0) : new Plan(1.0, 3, 0.5, 5, 0));
        return new Plan(p.warmupSeconds(), p.warmupSteps(), p.sampleSeconds(), samples > 0 ? samples : p.samples(),
                steps);
    }

    /** Runs one workload on both sides: the checks, the warm-up, then the interleaved samples. */
    private static List<Result> run(Workload w, Plan plan) {
        System.out.println(w.name() + ": " + w.describe() + "  [" + w.stresses() + "]");
        if (w != Workload.W3) {
            checkUpdater(w);
        }
        EmberTrainer emberTrainer = EmberTrainer.create(w, false);
        Trainer[] trainers = {emberTrainer, Dl4jTrainer.from(w, emberTrainer)};
        String[] names = {"Ember", "DL4J"};

        double[] first = new double[2];
        long[] perSample = new long[2];
        for (int t = 0; t < 2; t++) {
            settle();
            trainers[t].step();
            first[t] = trainers[t].lastLoss();
            long n = 1;
            long t0 = System.nanoTime();
            long elapsed = 0;
            while (n < plan.warmupSteps() || elapsed < plan.warmupSeconds() * 1e9) {
                trainers[t].step();
                n++;
                elapsed = System.nanoTime() - t0;
            }
            double rate = (n - 1) / Math.max(elapsed / 1e9, 1e-9);
            perSample[t] = plan.stepsPerSample() > 0 ? plan.stepsPerSample()
                    : Math.max(1, Math.round(rate * plan.sampleSeconds()));
        }
        System.out.printf(Locale.ROOT, "  same weights and data: first loss Ember %.7g, DL4J %.7g (relative difference %.1e)%n",
                first[0], first[1], relDiff(first[0], first[1]));

        double[][] seconds = new double[2][plan.samples()];
        for (int s = 0; s < plan.samples(); s++) {
            for (int t = 0; t < 2; t++) {
                settle();
                long t0 = System.nanoTime();
                for (long i = 0; i < perSample[t]; i++) {
                    trainers[t].step();
                }
                seconds[t][s] = (System.nanoTime() - t0) / 1e9;
            }
        }
        List<Result> results = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            double[] sorted = seconds[t].clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            Result r = new Result(w, names[t], perSample[t] / median, sorted[sorted.length - 1] / sorted[0],
                    perSample[t] * plan.samples(), first[t], trainers[t].lastLoss());
            results.add(r);
            System.out.printf(Locale.ROOT, "  %-5s %,10.1f steps/s  (%d samples of %d steps, spread %.2f)%n", names[t],
                    r.stepsPerSecond(), plan.samples(), perSample[t], r.spread());
        }
        return results;
    }

    /**
     * Runs a few steps of DL4J's Nesterovs next to Ember with PyTorch's SGD(nesterov=True) and with plain momentum,
     * all from the same weights, and prints how far apart the losses are.
     */
    private static void checkUpdater(Workload w) {
        EmberTrainer nesterov = EmberTrainer.create(w, true);
        Trainer dl4j = Dl4jTrainer.from(w, nesterov);
        EmberTrainer plain = EmberTrainer.create(w, false);
        double worstNesterov = 0;
        double worstPlain = 0;
        double[] last = new double[3];
        for (int k = 0; k <= CHECK_STEPS; k++) {    // the loss of step k+1 shows the effect of k updates
            nesterov.step();
            dl4j.step();
            plain.step();
            last = new double[] {nesterov.lastLoss(), dl4j.lastLoss(), plain.lastLoss()};
            worstNesterov = Math.max(worstNesterov, relDiff(last[0], last[1]));
            worstPlain = Math.max(worstPlain, relDiff(last[2], last[1]));
        }
        System.out.printf(Locale.ROOT, "  updater check, loss after %d updates: DL4J Nesterovs %.7g; Ember "
                        + "SGD(nesterov) %.7g (max rel. diff %.1e); Ember plain momentum %.7g (max rel. diff %.1e)%n",
                CHECK_STEPS, last[1], last[0], worstNesterov, last[2], worstPlain);
    }

    /** The best of a few float32 GEMMs of n×n by n×n through ND4J, in GFLOP/s (2n³ FLOPs each). */
    private static double sgemmCeiling(int n, int tries, String when) {
        double best = Double.MAX_VALUE;
        try (INDArray a = Nd4j.rand(DataType.FLOAT, n, n); INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
             INDArray c = Nd4j.create(DataType.FLOAT, n, n)) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);    // warm-up
            for (int i = 0; i < tries; i++) {
                long t0 = System.nanoTime();
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
        }
        double gflops = 2.0 * n * n * n / best / 1e9;
        System.out.printf(Locale.ROOT, "SGEMM ceiling %s (ND4J Nd4j.gemm, float32, %d³, best of %d after a warm-up): "
                + "%.1f GFLOP/s (%.1f ms)%n", when, n, tries, gflops, best * 1e3);
        return gflops;
    }

    /** The same product through Ember (Tensor.matmul, float32, the route chosen for it), for comparison. */
    private static void emberGemm(int n, int tries) {
        Tensor a = Ember.rand(n, n);
        Tensor b = Ember.rand(n, n);
        double best = Double.MAX_VALUE;
        Timer.sink = a.matmul(b);   // warm-up
        for (int i = 0; i < tries; i++) {
            long t0 = System.nanoTime();
            Timer.sink = a.matmul(b);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "Ember's GEMM, the same product (Tensor.matmul, float32, %d³, best of %d after a "
                + "warm-up): %.1f GFLOP/s (%.1f ms)%n", n, tries, 2.0 * n * n * n / best / 1e9, best * 1e3);
    }

    private static Gemm.Route route(String name) {
        try {
            return Gemm.Route.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gemm takes auto, java, native or nd4j, got '" + name + "'");
        }
    }

    private static double relDiff(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }

    /** Lets the previous sample's garbage (and ND4J's off-heap frees that follow a GC) go before timing. */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "(unset)" : v;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, got '" + value + "'");
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("Workloads: " + error);
        }
        System.err.println("usage: Workloads [--quick] [--workload W1|W2|W3[,...]]... [--steps N] [--samples N] "
                + "[--gemm auto|java|native|nd4j]");
    }
}
