package dev.ember.examples;

import dev.ember.Ember;
import dev.ember.examples.seeds.SeedProgram;
import dev.ember.examples.seeds.SeedPrograms;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs every seed program of {@link SeedPrograms}, each under a header line, and prints the active backend at the
 * end: what {@code ./ember examples --all} prints.
 *
 * <pre>{@code
 * Demo.run(System.out);
 * }</pre>
 *
 * <p>Each program is a class of {@link dev.ember.examples.seeds} that reads like the seed's Python and prints
 * what PyTorch 1.13 prints (with Java's spelling: {@code true}, {@code null}, {@code SumBackward}).
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        run(System.out);
        System.out.flush();
    }

    /** Runs every seed program under a header line, then prints the backend. */
    public static void run(PrintStream out) {
        run(out, SeedPrograms.all());
        out.println("Backend: " + Ember.backend());
    }

    /**
     * Runs the programs in order, each under a header line ({@code === [2/5] Name (source)}) and followed by a
     * blank line.
     */
    public static void run(PrintStream out, List<SeedProgram> programs) {
        for (int i = 0; i < programs.size(); i++) {
            SeedProgram p = programs.get(i);
            out.println("=== [" + (i + 1) + "/" + programs.size() + "] " + p.name() + " (" + p.source() + ")");
            p.run(out);
            out.println();
        }
    }
}
