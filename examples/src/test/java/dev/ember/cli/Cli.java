package dev.ember.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ember.autograd.graph.Graphviz;
import dev.ember.data.DataLocations;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Runs the ember command in-process with captured output, in a working directory of the test's. */
final class Cli {
    private final Environment env;

    /** A command line working in dir, with no data sets but the embedded ones and without Graphviz. */
    static Cli in(Path dir) {
        Environment env = Environment.system().withWorkDir(dir)
                .withDataLocations(new DataLocations(Optional.empty(), dir.resolve("no-cache"),
                        dir.resolve("no-system")))
                .withGraphviz(() -> Graphviz.at(dir.resolve("no-graphviz").resolve("dot")));
        return new Cli(env);
    }

    private Cli(Environment env) {
        this.env = env;
    }

    Cli with(Environment changed) {
        return new Cli(changed);
    }

    Environment env() {
        return env;
    }

    /** The exit code and what was printed. */
    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        /** Asserts the exit code and that the error stream holds exactly one line, without a stack trace. */
        String oneLineError(int expectedCode) {
            assertEquals(expectedCode, code, () -> "exit code; out:\n" + out + "\nerr:\n" + err);
            assertEquals(1, errLines().size(), () -> "one line of error, got:\n" + err);
            assertFalse(err.contains("\tat "), err);
            return errLines().get(0);
        }

        /**
         * Asserts the exit code and that, besides the progress bars of the epochs, the error stream holds exactly
         * one line, the last, without a stack trace.
         */
        String oneLineErrorAfterProgress(int expectedCode) {
            assertEquals(expectedCode, code, () -> "exit code; out:\n" + out + "\nerr:\n" + err);
            List<String> lines = errLines().stream().filter(l -> !l.startsWith("epoch ")).toList();
            assertEquals(1, lines.size(), () -> "one line of error after the progress bars, got:\n" + err);
            assertEquals(lines.get(0), errLines().get(errLines().size() - 1), err);
            assertFalse(err.contains("\tat "), err);
            return lines.get(0);
        }

        Result ok() {
            assertEquals(ExitCodes.OK, code, () -> "exit code; out:\n" + out + "\nerr:\n" + err);
            return this;
        }
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = EmberCli.run(env.withOutput(o, e), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
