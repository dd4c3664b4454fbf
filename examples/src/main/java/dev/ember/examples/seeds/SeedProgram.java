package dev.ember.examples.seeds;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * One program of the seed documents: its class name, where it comes from, and its body.
 *
 * <pre>{@code
 * for (SeedProgram p : SeedPrograms.all()) {
 *     System.out.println("== " + p.name() + " (" + p.source() + ")");
 *     p.run(System.out);
 * }
 * }</pre>
 *
 * @param name   the simple name of the program's class
 * @param source the seed document and section it comes from
 * @param body   the program: prints what its Python prints
 */
public record SeedProgram(String name, String source, Consumer<PrintStream> body) {

    /** Runs the program, printing to out. */
    public void run(PrintStream out) {
        body.accept(out);
    }
}
