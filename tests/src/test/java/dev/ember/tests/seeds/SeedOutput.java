package dev.ember.tests.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs a seed program into a buffer and compares what it printed, line by line, with what PyTorch 1.13 prints for
 * the same program.
 *
 * <p>The expected outputs in the tests are PyTorch's stdout, verbatim, as printed by
 * {@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME} (that script holds the Python twin of every
 * program). {@link #toEmber} respells them the way Ember prints the same things, and nothing else:
 * <ul>
 *   <li>{@code True}/{@code False}/{@code None} become Java's {@code true}/{@code false}/{@code null};</li>
 *   <li>node names lose PyTorch's trailing digit ({@code SumBackward0} becomes {@code SumBackward});</li>
 *   <li>a node's {@code repr} loses its address ({@code <MulBackward0 object at 0x7f..>} becomes
 *       {@code <MulBackward>});</li>
 *   <li>the caught {@code RuntimeError} is Ember's {@code AutogradException}.</li>
 * </ul>
 * An expected line that ends with {@code ...} is compared as a prefix: it is the start of an error message that
 * PyTorch and Ember word the same way before Ember goes on with its own explanation.
 */
final class SeedOutput {
    private static final Pattern NODE_ADDRESS = Pattern.compile(" object at 0x[0-9a-f]+>");
    private static final Pattern NODE_DIGIT = Pattern.compile("(\\w+Backward)\\d+\\b");
    private static final String ELLIPSIS = "...";

    private SeedOutput() {
    }

    /** What the program prints. */
    static String capture(Consumer<PrintStream> program) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            program.accept(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** PyTorch's spelling to Ember's (see the class comment). */
    static String toEmber(String pytorch) {
        String s = NODE_ADDRESS.matcher(pytorch).replaceAll(">");
        s = NODE_DIGIT.matcher(s).replaceAll("$1");
        s = s.replaceAll("\\bTrue\\b", "true").replaceAll("\\bFalse\\b", "false").replaceAll("\\bNone\\b", "null");
        return s.replace("caught RuntimeError: ", "caught AutogradException: ");
    }

    static List<String> lines(String text) {
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\R", -1));
    }

    /**
     * Runs the program and checks its output against PyTorch's, line by line; returns the printed lines for
     * further checks.
     */
    static List<String> assertPrintsLikePyTorch(String pytorchOutput, Consumer<PrintStream> program) {
        List<String> expected = lines(toEmber(pytorchOutput));
        List<String> actual = lines(capture(program));
        String both = "\nexpected (PyTorch, respelled):\n" + String.join("\n", expected) + "\nactual (Ember):\n"
                + String.join("\n", actual);
        assertEquals(expected.size(), actual.size(), "number of printed lines" + both);
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = actual.get(i);
            if (e.endsWith(ELLIPSIS)) {
                String prefix = e.substring(0, e.length() - ELLIPSIS.length());
                assertTrue(a.startsWith(prefix), "line " + (i + 1) + " should start with <" + prefix + "> but is <"
                        + a + ">" + both);
            } else {
                assertEquals(e, a, "line " + (i + 1) + both);
            }
        }
        return actual;
    }
}
