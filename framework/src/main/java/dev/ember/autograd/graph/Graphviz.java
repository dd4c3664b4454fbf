package dev.ember.autograd.graph;

import dev.ember.EmberException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renders DOT text to SVG, PNG or PDF by running Graphviz's {@code dot} program (which Ember does not ship and does
 * not require: only rendering needs it).
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w");
 * String dot = GraphExport.toDot(w.mul(3.0).sum());
 * Graphviz graphviz = Graphviz.find();                 // ember.graphviz.dot property, PATH, usual install dirs
 * if (graphviz.isAvailable()) {
 *     graphviz.render(dot, Path.of("loss.svg"));       // format from the extension
 * }
 * byte[] png = Graphviz.at(Path.of("/opt/graphviz/bin/dot"))
 *         .withTimeout(Duration.ofSeconds(5))
 *         .render(dot, Graphviz.Format.PNG);
 * }</pre>
 *
 * <p>When the program is missing, {@code render} throws an {@link EmberException} that says what is missing, how
 * to install it ({@code apt-get install graphviz} on Debian/Ubuntu, {@code brew install graphviz} on macOS), and
 * that the DOT text is still available. The program runs with a timeout (30 s unless changed); its error output
 * is part of the exception when it fails.
 */
public final class Graphviz {
    /** The system property that names the {@code dot} program explicitly: {@code -Dember.graphviz.dot=/path/to/dot}. */
    public static final String PROPERTY = "ember.graphviz.dot";
    /** How long {@code dot} may run before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> USUAL_DIRS = List.of("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin",
            "/opt/local/bin", "C:\\Program Files\\Graphviz\\bin", "C:\\Program Files (x86)\\Graphviz\\bin");

    /**
     * An output format of {@code dot} ({@code -Tsvg}, ...).
     *
     * <pre>{@code
     * Graphviz.Format f = Graphviz.Format.ofFileName(Path.of("graph.png"));   // PNG
     * }</pre>
     */
    public enum Format {
        /** Scalable vector graphics ({@code -Tsvg}): text, searchable, good for the web. */
        SVG,
        /** A bitmap ({@code -Tpng}). */
        PNG,
        /** A vector document ({@code -Tpdf}). */
        PDF;

        /** The name dot knows it by: {@code svg}, {@code png}, {@code pdf}. */
        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format named by a file's extension (case-insensitive). */
        public static Format ofFileName(Path file) {
            String n = file.getFileName() == null ? "" : file.getFileName().toString();
            int dot = n.lastIndexOf('.');
            String ext = dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (f.extension().equals(ext)) {
                    return f;
                }
            }
            throw new EmberException("Graphviz: cannot tell the image format of \"" + file + "\" from its "
                    + "extension; name the file *.svg, *.png or *.pdf, or pass a Graphviz.Format explicitly");
        }
    }

    private final Path executable;
    private final String searched;
    private final Duration timeout;

    private Graphviz(Path executable, String searched, Duration timeout) {
        this.executable = executable;
        this.searched = searched;
        this.timeout = timeout;
    }

    /**
     * Looks for {@code dot}: the {@value #PROPERTY} system property if set, else each directory of {@code PATH},
     * else the usual install directories (Homebrew's and MacPorts' among them, which an IDE's PATH often lacks).
     * Never fails: when nothing is found, {@link #isAvailable()} is false and {@code render} explains.
     */
    public static Graphviz find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return at(Path.of(prop.trim()));
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> names = windows ? List.of("dot.exe", "dot") : List.of("dot");
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        for (String d : USUAL_DIRS) {
            if (!dirs.contains(d)) {
                dirs.add(d);
            }
        }
        for (String d : dirs) {
            for (String n : names) {
                try {
                    Path p = Path.of(d, n);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return new Graphviz(p, null, DEFAULT_TIMEOUT);
                    }
                } catch (RuntimeException invalidPath) {
                    // a malformed PATH entry: skip it
                }
            }
        }
        return new Graphviz(null, "the PATH (" + (path == null ? "not set" : path) + ") and "
                + String.join(", ", USUAL_DIRS), DEFAULT_TIMEOUT);
    }

    /** Uses the given {@code dot} program; whether it exists is checked when rendering. */
    public static Graphviz at(Path executable) {
        return new Graphviz(Objects.requireNonNull(executable, "executable"), null, DEFAULT_TIMEOUT);
    }

    /** This renderer with another time limit for one run of {@code dot}. */
    public Graphviz withTimeout(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new EmberException("Graphviz.withTimeout: the time limit must be positive, got " + limit);
        }
        return new Graphviz(executable, searched, limit);
    }

    /** The {@code dot} program this renderer runs, or null if {@link #find()} found none. */
    public Path executable() {
        return executable;
    }

    /** The time limit of one run. */
    public Duration timeout() {
        return timeout;
    }

    /** True if the program exists and is executable (it is not run). */
    public boolean isAvailable() {
        return executable != null && Files.isRegularFile(executable) && Files.isExecutable(executable);
    }

    /** Renders DOT text to a file, in the format of its extension; returns the file. */
    public Path render(String dot, Path output) {
        return render(dot, Format.ofFileName(output), output);
    }

    /** Renders DOT text to a file in the given format; returns the file. */
    public Path render(String dot, Format format, Path output) {
        Objects.requireNonNull(output, "output");
        byte[] bytes = render(dot, format);
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(output, bytes);
        } catch (IOException e) {
            throw new EmberException("Graphviz: could not write the rendered " + format + " to " + output + ": "
                    + e.getMessage(), e);
        }
        return output;
    }

    /** Renders DOT text in the given format and returns the image's bytes. */
    public byte[] render(String dot, Format format) {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(format, "format");
        if (!isAvailable()) {
            throw missing(format);
        }
        Process p;
        try {
            p = new ProcessBuilder(executable.toString(), "-T" + format.extension()).start();
        } catch (IOException e) {
            throw new EmberException(missingMessage(format, "it could not be started (" + e.getMessage() + ")"), e);
        }
        byte[] input = dot.getBytes(StandardCharsets.UTF_8);
        AtomicReference<IOException> writeError = new AtomicReference<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread writer = daemon("ember-graphviz-stdin", () -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(input);
            } catch (IOException e) {
                writeError.set(e);
            }
        });
        Thread outReader = daemon("ember-graphviz-stdout", () -> copy(p.getInputStream(), out));
        Thread errReader = daemon("ember-graphviz-stderr", () -> copy(p.getErrorStream(), err));
        int exit;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new EmberException("Graphviz: " + executable + " did not finish rendering " + format
                        + " within " + timeout.toMillis() + " ms (" + input.length + " bytes of DOT) and was stopped; "
                        + "give it more time with Graphviz.withTimeout(...), or render the DOT text "
                        + "(GraphExport.toDot) elsewhere");
            }
            exit = p.exitValue();
            outReader.join(timeout.toMillis());
            errReader.join(timeout.toMillis());
            writer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmberException("Graphviz: interrupted while " + executable + " was rendering " + format, e);
        }
        if (exit != 0) {
            String msg = err.toString(StandardCharsets.UTF_8).strip();
            throw new EmberException("Graphviz: " + executable + " -T" + format.extension() + " failed with exit code "
                    + exit + (msg.isEmpty() ? "" : ": " + msg)
                    + (writeError.get() != null ? " (writing the DOT text failed: " + writeError.get().getMessage() + ")" : ""));
        }
        return out.toByteArray();
    }

    private EmberException missing(Format format) {
        String why;
        if (executable == null) {
            why = "it was not found on " + searched;
        } else if (!Files.exists(executable)) {
            why = "there is no file " + executable;
        } else {
            why = executable + " is not an executable file";
        }
        return new EmberException(missingMessage(format, why));
    }

    private static String missingMessage(Format format, String why) {
        return "Cannot render the graph to " + format + ": it needs Graphviz's 'dot' program, and " + why + ". "
                + "Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; others: "
                + "https://graphviz.org/download/), or point Ember at the program with Graphviz.at(Path.of(\"/path/to/dot\")) "
                + "or -D" + PROPERTY + "=/path/to/dot. The DOT text is still available without Graphviz: "
                + "GraphExport.toDot(tensor) returns it; save it as a .dot file and render it elsewhere.";
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(InputStream in, ByteArrayOutputStream sink) {
        try (in) {
            in.transferTo(sink);
        } catch (IOException e) {
            // the process was stopped (timeout) or closed its output early; its exit code tells what happened
        }
    }
}
