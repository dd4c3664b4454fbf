package dev.ember.autograd.graph;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphExportTest {
    private static final String HEADER = "digraph {\n"
            + "\tgraph [size=\"12,12\"]\n"
            + "\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]\n"
            + "\tedge [fontname=monospace fontsize=10]\n";

    /** loss = sum(w * x + b) with w and b named, x a constant. */
    private static Tensor affineLoss(Tensor w, Tensor b) {
        Tensor x = Ember.tensor(3.0, 4.0);
        return w.mul(x).add(b).sum();
    }

    @Test
    void smallGraphIsDrawnLikeMakeDot() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w");
        Tensor b = Ember.tensor(0.5).requiresGrad_().setName("b");
        String dot = GraphExport.toDot(affineLoss(w, b));
        assertEquals(HEADER
                + "\tn0 [label=\"()\" fillcolor=darkolivegreen1]\n"
                + "\tn1 [label=\"SumBackward\"]\n"
                + "\tn2 [label=\"AddBackward\"]\n"
                + "\tn3 [label=\"MulBackward\"]\n"
                + "\tn4 [label=\"b\\n(1)\" fillcolor=lightblue]\n"
                + "\tn5 [label=\"w\\n(2)\" fillcolor=lightblue]\n"
                + "\tn1 -> n0\n"
                + "\tn2 -> n1\n"
                + "\tn3 -> n2\n"
                + "\tn4 -> n2\n"
                + "\tn5 -> n3\n"
                + "}\n", dot);
    }

    @Test
    void outputIsDeterministic() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor b = Ember.tensor(0.5).requiresGrad_();
        String first = GraphExport.toDot(affineLoss(w, b));
        String second = GraphExport.toDot(affineLoss(w, b));
        assertEquals(first, second);
        assertTrue(first.contains("\tn5 [label=\"(2)\" fillcolor=lightblue]\n"), first);  // unnamed: shape only
    }

    @Test
    void multiOutputNodeIsOneBoxWithNumberedOutputs() {
        Tensor a = Ember.ones(2, 3).requiresGrad_().setName("a");
        List<Tensor> parts = a.mul(2.0).split(1, 0);
        assertEquals(HEADER
                + "\tn0 [label=\"(1, 3)\" fillcolor=darkolivegreen1]\n"
                + "\tn1 [label=\"SplitBackward\"]\n"
                + "\tn2 [label=\"(1, 3)\" fillcolor=darkolivegreen1]\n"
                + "\tn3 [label=\"MulBackward\"]\n"
                + "\tn4 [label=\"a\\n(2, 3)\" fillcolor=lightblue]\n"
                + "\tn1 -> n0 [label=\"out 0\"]\n"
                + "\tn1 -> n2 [label=\"out 1\"]\n"
                + "\tn3 -> n1\n"
                + "\tn4 -> n3\n"
                + "}\n", GraphExport.toDot(parts, DotOptions.defaults()));

        // consumed again: both chunks feed one AddBackward, through two labelled edges of the one split box
        String dot = GraphExport.toDot(parts.get(1).add(parts.get(0)).sum());
        assertEquals(1, count(dot, "SplitBackward"));
        assertTrue(dot.contains("\tn3 -> n2 [label=\"out 1\"]\n\tn3 -> n2 [label=\"out 0\"]\n"), dot);
    }

    @Test
    void sharedSubexpressionsAppearOnce() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w");
        Tensor h = w.mul(3.0);                 // shared by two consumers
        Tensor y = h.exp().add(h.sin()).add(w).sum();   // w is used twice as well
        String dot = GraphExport.toDot(y);
        assertEquals(HEADER
                + "\tn0 [label=\"()\" fillcolor=darkolivegreen1]\n"
                + "\tn1 [label=\"SumBackward\"]\n"
                + "\tn2 [label=\"AddBackward\"]\n"
                + "\tn3 [label=\"AddBackward\"]\n"
                + "\tn4 [label=\"w\\n(2)\" fillcolor=lightblue]\n"
                + "\tn5 [label=\"ExpBackward\"]\n"
                + "\tn6 [label=\"SinBackward\"]\n"
                + "\tn7 [label=\"MulBackward\"]\n"
                + "\tn1 -> n0\n"
                + "\tn2 -> n1\n"
                + "\tn3 -> n2\n"
                + "\tn4 -> n2\n"
                + "\tn5 -> n3\n"
                + "\tn6 -> n3\n"
                + "\tn7 -> n5\n"
                + "\tn7 -> n6\n"
                + "\tn4 -> n7\n"
                + "}\n", dot);
        assertEquals(1, count(dot, "MulBackward"));
        assertEquals(1, count(dot, "w\\n(2)"));
    }

    @Test
    void namedParametersLabelLeavesAndRoots() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("ignored");   // the params map wins
        Tensor b = Ember.tensor(0.5).requiresGrad_();
        Tensor loss = affineLoss(w, b);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("fc.weight", w);
        params.put("fc.bias", b);
        params.put("loss", loss);
        String dot = GraphExport.toDot(loss, DotOptions.defaults().withParams(params));
        assertTrue(dot.contains("\tn0 [label=\"loss\\n()\" fillcolor=darkolivegreen1]\n"), dot);
        assertTrue(dot.contains("\tn4 [label=\"fc.bias\\n(1)\" fillcolor=lightblue]\n"), dot);
        assertTrue(dot.contains("\tn5 [label=\"fc.weight\\n(2)\" fillcolor=lightblue]\n"), dot);
        assertTrue(!dot.contains("ignored"), dot);

        // tied weights: one tensor under two names shows both
        Tensor t = Ember.ones(2).requiresGrad_();
        Map<String, Tensor> tied = new LinkedHashMap<>();
        tied.put("encoder.weight", t);
        tied.put("decoder.weight", t);
        String dot2 = GraphExport.toDot(t.mul(t).sum(), DotOptions.defaults().withParams(tied));
        assertTrue(dot2.contains("[label=\"encoder.weight, decoder.weight\\n(2)\" fillcolor=lightblue]"), dot2);
        assertEquals(2, count(dot2, "n3 -> n2"), dot2);   // t feeds MulBackward twice
    }

    @Test
    void nullParamEntriesAreRejectedWithTheirName() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", null);
        assertThrowsWith(EmberException.class, () -> DotOptions.defaults().withParams(params),
                "\"w\"", "null");
    }

    @Test
    void savedTensorsAreShownWithShapeAndDtypeAndFreedAfterBackward() {
        Tensor w = Ember.tensor(DType.FLOAT64, 1.0, 2.0).requiresGrad_().setName("w");
        Tensor x = Ember.ones(2, 2).requiresGrad_().setName("x");
        Tensor y = x.mul(w).sum();     // float32 [2, 2] times float64 [2]: MulBackward saves both factors
        DotOptions opts = DotOptions.defaults().withShowSaved(true);
        String dot = GraphExport.toDot(y, opts);
        assertEquals(HEADER
                + "\tn0 [label=\"()\" fillcolor=darkolivegreen1]\n"
                + "\tn1 [label=\"SumBackward\"]\n"
                + "\tn2 [label=\"MulBackward\"]\n"
                + "\tn3 [label=\"saved[0]\\n(2, 2) float32\" fillcolor=orange]\n"
                + "\tn4 [label=\"saved[1]\\n(2) float64\" fillcolor=orange]\n"
                + "\tn5 [label=\"x\\n(2, 2)\" fillcolor=lightblue]\n"
                + "\tn6 [label=\"w\\n(2)\" fillcolor=lightblue]\n"
                + "\tn1 -> n0\n"
                + "\tn2 -> n1\n"
                + "\tn2 -> n3 [dir=none]\n"
                + "\tn2 -> n4 [dir=none]\n"
                + "\tn5 -> n2\n"
                + "\tn6 -> n2\n"
                + "}\n", dot);
        // without the option: the same graph, without the orange boxes
        assertEquals(GraphExport.toDot(y), dot.replaceAll("\t[^\n]*(orange|dir=none)[^\n]*\n", "")
                .replace("n5", "n3").replace("n6", "n4"));

        y.backward();
        String after = GraphExport.toDot(y, opts);
        assertTrue(after.contains("\tn3 [label=\"saved[0]\\n(2, 2) float32\\nfreed\" fillcolor=orange]\n"), after);
    }

    @Test
    void namesAreEscaped() {
        Tensor w = Ember.ones(1).requiresGrad_().setName("say \"hi\"\\l\nnext\r\nend\tx");
        String dot = GraphExport.toDot(w.mul(2.0));
        assertTrue(dot.contains("[label=\"say \\\"hi\\\"\\\\l\\nnext\\nend x\\n(1)\" fillcolor=lightblue]"), dot);
        // every quoted string is closed on its line: no raw newline or unescaped quote leaked
        for (String line : dot.split("\n")) {
            assertEquals(0, count(line.replace("\\\\", "").replace("\\\"", ""), "\"") % 2, line);
        }
    }

    @Test
    void leafRootAndTensorsWithoutGraph() {
        Tensor w = Ember.ones(3).requiresGrad_().setName("w");
        assertEquals(HEADER + "\tn0 [label=\"w\\n(3)\" fillcolor=darkolivegreen1]\n}\n", GraphExport.toDot(w));
        Tensor c = Ember.ones(2, 2);
        assertEquals(HEADER + "\tn0 [label=\"(2, 2)\" fillcolor=darkolivegreen1]\n}\n", GraphExport.toDot(c));
        // the leaf passed as a root and reached from another root is drawn once
        String dot = GraphExport.toDot(List.of(w.mul(2.0), w), DotOptions.defaults());
        assertEquals(1, count(dot, "w\\n(3)"), dot);
        assertThrowsWith(EmberException.class, () -> GraphExport.toDot(List.of(), DotOptions.defaults()),
                "no tensors given");
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Tensor x = Ember.ones(1).requiresGrad_();
        Tensor h = x;
        for (int i = 0; i < 20_000; i++) {
            h = h.add(1.0);
        }
        String dot = GraphExport.toDot(h);
        assertEquals(20_000, count(dot, "AddBackward"));
    }

    // ---- rendering ------------------------------------------------------------------------------------------------

    @Test
    void missingDotProgramGivesAClearError(@TempDir Path dir) {
        String dot = GraphExport.toDot(Ember.ones(1).requiresGrad_().mul(2.0));
        Path nowhere = dir.resolve("no-such-dir").resolve("dot");
        Graphviz g = Graphviz.at(nowhere);
        assertTrue(!g.isAvailable());
        EmberException e = assertThrowsWith(EmberException.class, () -> g.render(dot, dir.resolve("g.svg")),
                "Cannot render the graph to SVG", "Graphviz's 'dot' program", "there is no file " + nowhere,
                "apt-get install graphviz", "brew install graphviz", "Graphviz.at(",
                "The DOT text is still available", "GraphExport.toDot");
        assertTrue(!Files.exists(dir.resolve("g.svg")));
        assertTrue(e.getMessage().contains("Debian/Ubuntu") && e.getMessage().contains("macOS"), e.getMessage());
    }

    @Test
    void formatComesFromTheExtension() {
        assertEquals(Graphviz.Format.PNG, Graphviz.Format.ofFileName(Path.of("out", "graph.PNG")));
        assertEquals(Graphviz.Format.SVG, Graphviz.Format.ofFileName(Path.of("graph.svg")));
        assertThrowsWith(EmberException.class, () -> Graphviz.Format.ofFileName(Path.of("graph.gif")),
                "graph.gif", "*.svg, *.png or *.pdf");
        assertThrowsWith(EmberException.class, () -> Graphviz.find().withTimeout(Duration.ZERO), "positive");
    }

    @Test
    void failingAndHangingProgramsAreReportedAndStopped(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        String dot = GraphExport.toDot(Ember.ones(1).requiresGrad_().mul(2.0));

        Path failing = script(dir, "failing-dot", "cat > /dev/null; echo 'Error: <stdin>: syntax error in line 1' >&2; exit 3");
        assertThrowsWith(EmberException.class, () -> Graphviz.at(failing).render(dot, Graphviz.Format.SVG),
                "failed with exit code 3", "syntax error in line 1");

        Path hanging = script(dir, "hanging-dot", "sleep 30");
        long start = System.nanoTime();
        assertThrowsWith(EmberException.class,
                () -> Graphviz.at(hanging).withTimeout(Duration.ofMillis(300)).render(dot, Graphviz.Format.PNG),
                "did not finish", "300 ms", "withTimeout");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the timeout must stop the program");

        // a fake dot that echoes its input shows that the DOT text goes in on stdin and the format as -T
        Path echo = script(dir, "echo-dot", "echo \"$1\"; cat");
        byte[] out = Graphviz.at(echo).render(dot, Graphviz.Format.PDF);
        assertEquals("-Tpdf\n" + dot, new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void rendersSvgAndPngWhenDotIsInstalled(@TempDir Path dir) throws Exception {
        Graphviz g = Graphviz.find();
        assumeTrue(g.isAvailable(), "Graphviz's dot is not installed; skipping the real render");
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w \"quoted\"");
        Tensor b = Ember.tensor(0.5).requiresGrad_().setName("b");
        Tensor loss = affineLoss(w, b);
        Path svg = GraphExport.render(loss, DotOptions.defaults().withShowSaved(true), dir.resolve("sub/graph.svg"));
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg"), text);
        for (String s : Set.of("SumBackward", "AddBackward", "MulBackward", "saved[0]", "w &quot;quoted&quot;")) {
            assertTrue(text.contains(s), () -> s + " missing in\n" + text);
        }
        byte[] png = g.render(GraphExport.toDot(loss), Graphviz.Format.PNG);
        assertTrue(png.length > 8 && (png[0] & 0xff) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        assumeTrue(p.toFile().setExecutable(true), "cannot make a script executable here");
        return p;
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
