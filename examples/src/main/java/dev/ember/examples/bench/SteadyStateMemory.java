package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.kernels.NativeMemory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Memory over a long training run: 100,000 W1 steps (the tape and Ember's own storage, no ND4J call), then 5,000 W2
 * steps (matrix products on ND4J's GEMM, so native buffers are allocated and freed every step), sampling every so
 * many steps the off-heap bytes JavaCPP counts ({@code Pointer.totalBytes()}), the process's physical memory
 * ({@code Pointer.physicalBytes()}), the part of it outside the JVM's managed areas (physical minus the committed heap
 * and non-heap: where ND4J's native buffers live, which ND4J 1.0.0-M2.1 allocates without JavaCPP's count) and the
 * Java heap in use after a full garbage collection. It ends with a verdict per phase: after a warm-up of a tenth of
 * the phase, the median of each figure over the second half of the samples may exceed its median over the first half
 * by at most a bound (off-heap 1 MiB, native 32 MiB, heap 8 MiB, physical 48 MiB: the resident set also moves as the
 * collector commits and returns heap, and with the JIT's code cache).
 *
 * <pre>{@code
 * ./mvnw -q -B -o -pl examples -am package -DskipTests
 * ./mvnw -q -B -o -pl examples exec:exec -Dexec.executable=java \
 *     "-Dexec.args=-cp %classpath dev.ember.examples.bench.SteadyStateMemory"
 * }</pre>
 * Options (inside the quotes, after the class name): {@code --w1-steps N} (default 100,000), {@code --w2-steps N}
 * (default 5,000), {@code --samples N} per phase (default 20), {@code --quick} (10,000 and 500 steps). Unless
 * {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} is given, the program sets it to 0 before ND4J loads, as the other
 * benchmarks do. About two minutes in all; W2's steps dominate.
 */
public final class SteadyStateMemory {
    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final double MIB = 1024.0 * 1024.0;
    private static final long OFF_HEAP_BOUND = 1L << 20;
    private static final long HEAP_BOUND = 8L << 20;
    private static final long NATIVE_BOUND = 32L << 20;
    private static final long PHYSICAL_BOUND = 48L << 20;

    /** The figures at one point of the run. */
    private record Sample(long step, long offHeap, long physical, long outside, long heap) {
    }

    private SteadyStateMemory() {
    }

    public static void main(String[] args) {
        int w1Steps = 100_000;
        int w2Steps = 5_000;
        int samples = 20;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--w1-steps" -> w1Steps = count(args, ++i);
                    case "--w2-steps" -> w2Steps = count(args, ++i);
                    case "--samples" -> samples = Math.max(2, count(args, ++i));
                    case "--quick" -> {
                        w1Steps = 10_000;
                        w2Steps = 500;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: SteadyStateMemory [--w1-steps N] [--w2-steps N] [--samples N] [--quick]");
            System.exit(2);
        }
        boolean defaulted = System.getProperty(MAX_PHYSICAL_BYTES) == null;
        if (defaulted) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        long start = System.nanoTime();
        System.out.println(String.format(Locale.ROOT, "Ember steady-state memory: %,d W1 steps, then %,d W2 steps",
                w1Steps, w2Steps));
        System.out.println("date:      " + ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println("JVM:       " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ", max heap "
                + mib(Runtime.getRuntime().maxMemory()) + ", " + Runtime.getRuntime().availableProcessors()
                + " processors");
        System.out.println("ND4J:      " + Ember.backend() + ", " + MAX_PHYSICAL_BYTES + "="
                + System.getProperty(MAX_PHYSICAL_BYTES) + (defaulted ? " (set by SteadyStateMemory)" : ""));
        System.out.println("Ember:     " + EmberTrainer.describe());
        System.out.println("figures:   off-heap = JavaCPP Pointer.totalBytes(); physical = Pointer.physicalBytes() "
                + "(the process's resident set);");
        System.out.println("           native = physical - committed heap - committed non-heap (resident memory "
                + "outside the JVM's managed areas: ND4J's buffers, which ND4J does not count in totalBytes);");
        System.out.println("           heap = Java heap used after System.gc()");
        System.out.println();

        List<String> verdicts = new ArrayList<>();
        verdicts.add(phase(Workload.W1, w1Steps, samples));
        verdicts.add(phase(Workload.W2, w2Steps, samples));
        System.out.println();
        boolean flat = verdicts.stream().allMatch(v -> v.startsWith("FLAT"));
        System.out.println("verdict: " + (flat ? "FLAT" : "GROWING") + " (after a warm-up of a tenth of each phase, "
                + "median of the later half of the samples minus median of the earlier half, at most: off-heap "
                + mib(OFF_HEAP_BOUND) + ", native " + mib(NATIVE_BOUND) + ", heap " + mib(HEAP_BOUND) + ", physical "
                + mib(PHYSICAL_BOUND) + ")");
        for (String v : verdicts) {
            System.out.println("  " + v);
        }
        System.out.printf(Locale.ROOT, "%ntotal time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Trains one workload for the given number of steps, printing samples; returns the phase's verdict. */
    private static String phase(Workload workload, int steps, int samples) {
        EmberTrainer trainer = EmberTrainer.create(workload, false);
        int every = Math.max(1, steps / samples);
        System.out.println(workload.name() + ": " + workload.describe() + "; a sample every "
                + String.format(Locale.ROOT, "%,d", every) + " steps");
        System.out.printf(Locale.ROOT, "  %10s %12s %12s %12s %12s %12s%n", "step", "off-heap", "physical", "native",
                "heap", "loss");
        List<Sample> taken = new ArrayList<>();
        taken.add(sample(0, Double.NaN));
        long t0 = System.nanoTime();
        for (int s = 1; s <= steps; s++) {
            trainer.step();
            if (s % every == 0 || s == steps) {
                taken.add(sample(s, trainer.lastLoss()));
            }
        }
        double rate = steps / ((System.nanoTime() - t0) / 1e9);
        // after the warm-up: the medians of the second half of the samples against those of the first half (the
        // resident set goes up and down as the collector commits and returns heap; a leak moves the median)
        List<Sample> settled = taken.stream().filter(x -> x.step() >= steps / 10).toList();
        List<Sample> first = settled.subList(0, settled.size() / 2);
        List<Sample> second = settled.subList(settled.size() / 2, settled.size());
        long offHeap = median(second, Sample::offHeap) - median(first, Sample::offHeap);
        long physical = median(second, Sample::physical) - median(first, Sample::physical);
        long outside = median(second, Sample::outside) - median(first, Sample::outside);
        long heap = median(second, Sample::heap) - median(first, Sample::heap);
        boolean flat = offHeap <= OFF_HEAP_BOUND && outside <= NATIVE_BOUND && heap <= HEAP_BOUND
                && physical <= PHYSICAL_BOUND;
        return String.format(Locale.ROOT, "%s %s, samples of steps %,d-%,d against %,d-%,d: off-heap %s, native %s, "
                        + "heap %s, physical %s (%.0f steps/s with sampling)", flat ? "FLAT   " : "GROWING",
                workload.name(), second.get(0).step(), second.get(second.size() - 1).step(), first.get(0).step(),
                first.get(first.size() - 1).step(), signedMib(offHeap), signedMib(outside), signedMib(heap),
                signedMib(physical), rate);
    }

    private static long median(List<Sample> samples, ToLongFunction<Sample> figure) {
        long[] v = samples.stream().mapToLong(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Sample sample(long step, double loss) {
        System.gc();
        try {
            Thread.sleep(20);   // JavaCPP frees what the collector found on a thread of its own
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long physical = NativeMemory.physicalBytes();
        long committed = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        Sample s = new Sample(step, NativeMemory.totalBytes(), physical, physical - committed,
                memory.getHeapMemoryUsage().getUsed());
        System.out.printf(Locale.ROOT, "  %,10d %12s %12s %12s %12s %12s%n", step, mib(s.offHeap()), mib(s.physical()),
                mib(s.outside()), mib(s.heap()), Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "%.6g", loss));
        return s;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / MIB);
    }

    private static String signedMib(long bytes) {
        return String.format(Locale.ROOT, "%+.2f MiB", bytes / MIB);
    }

    private static int count(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a number");
        }
        try {
            int n = Integer.parseInt(args[i]);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a whole number >= 1, got '" + args[i] + "'");
        }
    }
}
