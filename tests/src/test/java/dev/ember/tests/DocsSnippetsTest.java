package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.autograd.graph.Graphviz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} code block of docs/AUTOGRAD.md, docs/NN.md and docs/DATA.md compiles and runs as written: each is
 * wrapped in a method of a class with the imports its page names (including the page's advice to import
 * {@code dev.ember.autograd.Function} or {@code dev.ember.nn.Module} by name; the test checks that the page names
 * every import it uses), compiled with the JDK's compiler, and run; relative paths ({@code Path.of("graph.svg")}) are
 * resolved in a temporary directory, so files a snippet writes land there. A snippet that renders through Graphviz is
 * skipped where {@code dot} is not installed.
 */
class DocsSnippetsTest {
    /** A page, the imports its snippets run with (as its introduction states them), and its least snippet count. */
    record Page(String file, List<String> imports, int minSnippets) {
        String name() {
            return file.substring(0, file.indexOf('.'));
        }
    }

    static final List<Page> PAGES = List.of(
            new Page("AUTOGRAD.md", List.of("dev.ember.*", "dev.ember.autograd.*", "dev.ember.autograd.graph.*",
                    "dev.ember.autograd.Function", "java.nio.file.*", "java.util.*", "java.util.function.*"), 10),
            new Page("NN.md", List.of("dev.ember.*", "dev.ember.nn.*", "dev.ember.nn.Module",
                    "dev.ember.nn.functional.*", "dev.ember.nn.init.*", "dev.ember.nn.utils.*", "dev.ember.data.*",
                    "dev.ember.optim.*", "java.util.*", "java.nio.file.*"), 10),
            new Page("DATA.md", List.of("dev.ember.*", "dev.ember.data.*", "dev.ember.kernels.random.Generator",
                    "java.util.*", "java.util.function.*", "java.nio.file.*"), 6));

    @TempDir
    Path dir;

    static List<String> snippets(Path page) throws IOException {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(page));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static Path docs(String file) {
        Path p = Path.of("docs", file);
        return Files.exists(p) ? p : Path.of("..", "docs", file);
    }

    @TestFactory
    Stream<DynamicContainer> everySnippetOfEveryPageRuns() {
        return PAGES.stream().map(page -> DynamicContainer.dynamicContainer(page.file(), pageTests(page)));
    }

    private Stream<DynamicTest> pageTests(Page page) {
        List<String> all;
        String text;
        try {
            all = snippets(docs(page.file()));
            text = Files.readString(docs(page.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("the page's snippets and imports", () -> {
            assertTrue(all.size() >= page.minSnippets(), page.file() + ": expected at least " + page.minSnippets()
                    + " snippets, found " + all.size());
            for (String imp : page.imports()) {
                assertTrue(text.contains("`" + imp + "`"), page.file() + " does not name the import `" + imp
                        + "` that its snippets run with");
            }
        }));
        String imports = page.imports().stream().map(i -> "import " + i + ";\n").collect(Collectors.joining());
        for (int i = 0; i < all.size(); i++) {
            String code = all.get(i);
            int n = i;
            String first = code.lines().findFirst().orElse("");
            tests.add(DynamicTest.dynamicTest("snippet " + (i + 1) + ": " + first,
                    () -> run(page.name() + "Snippet" + n, n, imports, code)));
        }
        return tests.stream();
    }

    private void run(String name, int n, String imports, String code) throws Exception {
        if (code.contains("GraphExport.render")) {
            assumeTrue(Graphviz.find().isAvailable(), "Graphviz's dot is not installed");
        }
        String body = code.replace("Path.of(\"", "Path.of(SNIPPET_DIR, \"");
        String source = imports + "public class " + name + " {\n    static final String SNIPPET_DIR = \""
                + dir.toString().replace("\\", "\\\\") + "\";\n    public static void main() throws Exception {\n"
                + body + "\n    }\n}\n";
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(errors, null, null,
                List.of("-classpath", classpath, "-d", dir.toString(), "-proc:none", "-nowarn"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call();
        assertTrue(ok, "snippet " + (n + 1) + " does not compile:\n" + errors + "\n" + source);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass(name).getMethod("main").invoke(null);
        } catch (InvocationTargetException e) {
            throw new AssertionError("snippet " + (n + 1) + " failed: " + e.getCause(), e.getCause());
        }
        if (code.contains("GraphExport.render")) {
            assertTrue(Files.size(dir.resolve("graph.svg")) > 0, "the rendered graph");
        }
    }
}
