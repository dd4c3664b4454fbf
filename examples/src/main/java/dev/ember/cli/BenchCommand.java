package dev.ember.cli;

import dev.ember.examples.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ember bench}: the workloads benchmark, Ember and DL4J side by side. */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Benchmark Ember and DL4J side by side on the workloads W1-W3.",
        description = {"Runs the workloads benchmark: W1 (a tiny MLP, per-op overhead), W2 (784-128-10) and W3 "
                + "(large GEMMs), each trained with Ember and with DL4J on the same ND4J backend, in turns, and "
                + "prints steps per second side by side with the machine's SGEMM ceiling. About 25 s; --quick takes "
                + "a few seconds with rough figures. docs/BENCHMARKS.md explains the figures."})
public final class BenchCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--workload", paramLabel = "W", split = ",", description = "W1, W2 or W3; repeat or separate "
            + "by commas (default: all three)")
    private List<String> workloads = new ArrayList<>();

    @Option(names = "--quick", description = "short samples: a few seconds, rough figures")
    private boolean quick;

    @Option(names = "--steps", paramLabel = "N", description = "steps per sample (default: calibrated to the time)")
    private Integer steps;

    @Option(names = "--samples", paramLabel = "N", description = "timed samples per side (default: 5, or 3 for W3)")
    private Integer samples;

    /** The command, reading and writing through env. */
    public BenchCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        for (String w : workloads) {
            String name = w.trim().toUpperCase(Locale.ROOT);
            if (!List.of("W1", "W2", "W3").contains(name)) {
                throw new ParameterException(spec.commandLine(), "--workload must be W1, W2 or W3, got '" + w + "'");
            }
            args.add("--workload");
            args.add(name);
        }
        if (steps != null) {
            args.add("--steps");
            args.add(Integer.toString(Counts.atLeastOne(spec.commandLine(), "--steps", steps)));
        }
        if (samples != null) {
            args.add("--samples");
            args.add(Integer.toString(Counts.atLeastOne(spec.commandLine(), "--samples", samples)));
        }
        PrintStream stdout = System.out;
        System.setOut(env.out());   // the benchmark prints to System.out
        try {
            Workloads.main(args.toArray(String[]::new));
        } finally {
            System.out.flush();
            System.setOut(stdout);
        }
        return ExitCodes.OK;
    }
}
