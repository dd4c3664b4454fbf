package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.autograd.graph.Graphviz;
import dev.ember.data.Mnist;
import dev.ember.kernels.Nd4jBridge;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ember info}: versions, backend, BLAS, threads, data sets and Graphviz. */
@Command(name = "info", mixinStandardHelpOptions = true,
        header = "Show versions, the backend (CPU or CUDA), BLAS, threads, data sets and Graphviz.",
        description = "Prints the versions of Ember, Java and ND4J, the backend (CPU or CUDA), the BLAS library, the "
                + "threads, where the data sets were found, and whether Graphviz is installed.")
public final class InfoCommand implements Callable<Integer> {
    private final Environment env;

    /** The command, reading and writing through env. */
    public InfoCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintStream out = env.out();
        String backend = Ember.backend();
        Map<String, String> nd4j = Nd4jBridge.environment();
        line(out, "Ember", Versions.ember());
        line(out, "Java", Versions.java() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        line(out, "ND4J", Versions.nd4j());
        line(out, "backend", backend + (backend.startsWith("CUDA") ? ", devices " + nd4j.getOrDefault(
                "cuda.availableDevices", "?") : ""));
        line(out, "BLAS", nd4j.getOrDefault("blas.vendor", "?") + ", " + nd4j.getOrDefault("blas.threads", "?")
                + " threads");
        line(out, "threads", Runtime.getRuntime().availableProcessors() + " processors for Java; ND4J/OpenMP "
                + nd4j.getOrDefault("omp.threads", "?") + " threads (OMP_NUM_THREADS "
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + ")");
        line(out, "memory", String.format(Locale.ROOT, "Java heap up to %.1f GiB", Runtime.getRuntime().maxMemory()
                / (double) (1L << 30)));
        line(out, "digits", "embedded");
        for (DatasetKind d : new DatasetKind[] {DatasetKind.FASHION_MNIST, DatasetKind.MNIST}) {
            line(out, d.cliName(), Mnist.builder(d.idxVariant()).locations(env.dataLocations()).locate()
                    .map(l -> l.images().getParent() + " (" + l.origin() + ")")
                    .orElse("not found (ember train --dataset " + d.cliName() + " --download fetches it)"));
        }
        Graphviz graphviz = env.graphviz().get();
        line(out, "Graphviz", graphviz.isAvailable() ? graphviz.executable().toString()
                : "not found (ember graph writes DOT only)");
        out.flush();
        return ExitCodes.OK;
    }

    private static void line(PrintStream out, String what, String value) {
        out.printf(Locale.ROOT, "%-14s %s%n", what, value);
    }
}
