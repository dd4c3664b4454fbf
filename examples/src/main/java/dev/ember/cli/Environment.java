package dev.ember.cli;

import dev.ember.autograd.graph.Graphviz;
import dev.ember.data.DataLocations;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the commands read and write besides their options: the output streams, the working directory (where
 * {@code runs/} goes), where data sets are looked for, Graphviz, whether the error stream is a terminal (for
 * progress bars that redraw themselves), and the guard that stops training cleanly. {@link #system} gives the
 * process's; tests give their own.
 *
 * <pre>{@code
 * ByteArrayOutputStream out = new ByteArrayOutputStream();
 * Environment env = Environment.system().withOutput(new PrintStream(out, true), System.err).withWorkDir(tmp);
 * int code = EmberCli.run(env, "info");
 * }</pre>
 *
 * @param out           where results go (standard output)
 * @param err           where progress bars and errors go (standard error)
 * @param workDir       the directory relative paths and the default {@code runs/} directory are resolved against
 * @param dataLocations where data sets are looked for
 * @param graphviz      finds Graphviz's {@code dot} program when a graph is to be rendered
 * @param interactive   whether {@code err} is a terminal: progress bars redraw in place; otherwise each epoch's bar
 *                      is printed once, when it is complete
 * @param guard         tells training to stop, and protects the writing of checkpoints
 */
public record Environment(PrintStream out, PrintStream err, Path workDir, DataLocations dataLocations,
                          Supplier<Graphviz> graphviz, boolean interactive, InterruptGuard guard) {

    /** Checks for nulls. */
    public Environment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(dataLocations, "dataLocations");
        Objects.requireNonNull(graphviz, "graphviz");
        Objects.requireNonNull(guard, "guard");
    }

    /**
     * The process's environment: System.out and System.err, the current directory, the default data locations,
     * Graphviz from the PATH, a terminal when the JVM has a console, and a guard without a shutdown hook.
     */
    public static Environment system() {
        return new Environment(System.out, System.err, Path.of("").toAbsolutePath(), DataLocations.defaults(),
                Graphviz::find, System.console() != null, new InterruptGuard());
    }

    /** This environment writing to other streams, not a terminal. */
    public Environment withOutput(PrintStream newOut, PrintStream newErr) {
        return new Environment(newOut, newErr, workDir, dataLocations, graphviz, false, guard);
    }

    /** This environment with another working directory. */
    public Environment withWorkDir(Path dir) {
        return new Environment(out, err, dir, dataLocations, graphviz, interactive, guard);
    }

    /** This environment looking for data sets elsewhere. */
    public Environment withDataLocations(DataLocations where) {
        return new Environment(out, err, workDir, where, graphviz, interactive, guard);
    }

    /** This environment with another way to find Graphviz. */
    public Environment withGraphviz(Supplier<Graphviz> finder) {
        return new Environment(out, err, workDir, dataLocations, finder, interactive, guard);
    }

    /** This environment with another guard. */
    public Environment withGuard(InterruptGuard newGuard) {
        return new Environment(out, err, workDir, dataLocations, graphviz, interactive, newGuard);
    }

    /** A path given on the command line, resolved against the working directory. */
    public Path resolve(Path given) {
        return workDir.resolve(given).normalize();
    }

    /** How messages show a path: relative to the working directory when it is inside it. */
    public String display(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path base = workDir.toAbsolutePath().normalize();
        return p.startsWith(base) && !p.equals(base) ? base.relativize(p).toString() : p.toString();
    }
}
