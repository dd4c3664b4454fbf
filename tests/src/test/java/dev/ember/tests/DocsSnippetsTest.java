package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.autograd.graph.Graphviz;
import java.io.IOException;
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
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} code block of docs/AUTOGRAD.md compiles and runs as written: each is wrapped in a method of a
 * class with the imports the page names (including its advice to import {@code dev.ember.autograd.Function} by
 * name), compiled with the JDK's compiler, and run; relative paths ({@code Path.of("graph.svg")}) are resolved in a
 * temporary directory, so files a snippet writes land there. A snippet that renders through Graphviz is skipped where {@code dot} is not
 * installed.
 */
class DocsSnippetsTest {
    private static final String IMPORTS = """
            import dev.ember.*;
            import dev.ember.autograd.*;
            import dev.ember.autograd.graph.*;
            import dev.ember.autograd.Function;
            import java.nio.file.*;
            import java.util.*;
            import java.util.function.*;
            """;

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

    static Path docs() {
        Path p = Path.of("docs", "AUTOGRAD.md");
        return Files.exists(p) ? p : Path.of("..", "docs", "AUTOGRAD.md");
    }

    @TestFactory
    Stream<DynamicTest> everySnippetOfTheAutogradPageRuns() throws IOException {
        List<String> all = snippets(docs());
        assertTrue(all.size() >= 10, "expected the page's snippets, found " + all.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String code = all.get(i);
            int n = i;
            String first = code.lines().findFirst().orElse("");
            tests.add(DynamicTest.dynamicTest("snippet " + (i + 1) + ": " + first, () -> run(n, code)));
        }
        return tests.stream();
    }

    private void run(int n, String code) throws Exception {
        if (code.contains("GraphExport.render")) {
            assumeTrue(Graphviz.find().isAvailable(), "Graphviz's dot is not installed");
        }
        String name = "Snippet" + n;
        String body = code.replace("Path.of(\"", "Path.of(SNIPPET_DIR, \"");
        String source = IMPORTS + "public class " + name + " {\n    static final String SNIPPET_DIR = \""
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
