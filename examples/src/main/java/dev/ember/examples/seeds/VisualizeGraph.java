package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.AccumulateGrad;
import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import dev.ember.autograd.graph.DotOptions;
import dev.ember.autograd.graph.GraphExport;
import dev.ember.autograd.graph.Graphviz;
import dev.ember.nn.Linear;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 9, "Exercise 2: Visualize the Computation Graph":
 * torchviz's {@code make_dot(output, params=dict(model.named_parameters())).render("graph", format="png")} is
 * {@link GraphExport}: it writes the graph's DOT text to {@code graph.dot} and, when Graphviz's {@code dot} program is
 * installed, the picture to {@code graph.png} (without it, the program says so and writes the DOT file only). The
 * seed leaves {@code model} and {@code input_tensor} undefined; here a two-layer perceptron. The program also prints
 * what the picture shows, as text: from the output back to the parameters, each box above the boxes that feed it,
 * parameters labelled by their names as {@code params} names them.
 *
 * <p>Where Ember's graph differs from PyTorch's: both record a linear layer on a batch as one node,
 * {@code AddmmBackward} (bias + input × weightᵀ in one op), but PyTorch reaches the weight through a
 * {@code TBackward0} node and Ember's fused op takes the weight itself, so Ember draws one box less per layer.
 *
 * <pre>{@code
 * # pip install torchviz
 * from torchviz import make_dot
 *
 * torch.manual_seed(0)
 * model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
 * input_tensor = torch.randn(2, 3)
 *
 * output = model(input_tensor)
 * make_dot(output, params=dict(model.named_parameters())).render("graph", format="png")
 *
 * # What the picture shows, as text
 * names = {id(p): n for n, p in model.named_parameters()}
 *
 * def size(t):
 *     return "(" + ", ".join(str(s) for s in t.shape) + ")"
 *
 * def show(fn, depth):
 *     label = type(fn).__name__
 *     if hasattr(fn, "variable"):  # a leaf's AccumulateGrad
 *         label += f" {names[id(fn.variable)]} {size(fn.variable)}"
 *     print("  " * depth + label)
 *     for child, _ in fn.next_functions:
 *         if child is not None:
 *             show(child, depth + 1)
 *
 * print(f"output {size(output)}")
 * show(output.grad_fn, 1)
 * }</pre>
 */
public final class VisualizeGraph {
    private VisualizeGraph() {
    }

    /** Writes graph.dot and graph.png into the directory given as the first argument, else the current one. */
    public static void main(String[] args) {
        run(System.out, Path.of(args.length > 0 ? args[0] : "."));
    }

    /** Writes the files into the directory {@code ember-graph} of the system's temporary directory. */
    public static void run(PrintStream out) {
        run(out, Path.of(System.getProperty("java.io.tmpdir"), "ember-graph"));
    }

    /** Writes graph.dot, and graph.png if Graphviz is installed, into dir. */
    public static void run(PrintStream out, Path dir) {
        Ember.manualSeed(0);
        Sequential model = Sequential.of(new Linear(3, 4), new ReLU(), new Linear(4, 1));
        Tensor inputTensor = Ember.randn(2, 3);

        Tensor output = model.forward(inputTensor);
        Map<String, Tensor> params = model.namedParameters();
        String dot = GraphExport.toDot(output, DotOptions.defaults().withParams(params));

        // What the picture shows, as text
        Map<Tensor, String> names = new IdentityHashMap<>();
        params.forEach((name, p) -> names.put(p, name));
        out.println("output " + size(output));
        show(out, names, output.gradFn(), 1);

        out.println(write(dot, dir));
    }

    private static String size(Tensor t) {
        return IntStream.of(t.shape()).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static void show(PrintStream out, Map<Tensor, String> names, Node fn, int depth) {
        String label = fn.name();
        if (fn instanceof AccumulateGrad acc) { // a leaf's AccumulateGrad
            label += " " + names.get(acc.variable()) + " " + size(acc.variable());
        }
        out.println("  ".repeat(depth) + label);
        for (Edge child : fn.nextFunctions()) {
            if (child != null) {
                show(out, names, child.node(), depth + 1);
            }
        }
    }

    /** make_dot(...).render("graph", format="png"): the DOT text, and the picture when Graphviz is there. */
    private static String write(String dot, Path dir) {
        Path source = dir.resolve("graph.dot");
        try {
            Files.createDirectories(dir);
            Files.writeString(source, dot, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + source, e);
        }
        Graphviz graphviz = Graphviz.find();
        if (!graphviz.isAvailable()) {
            return "wrote " + source + " (Graphviz's dot program was not found, so no graph.png: install the "
                    + "graphviz package, or open graph.dot in any Graphviz viewer)";
        }
        try {
            return "wrote " + source + " and " + graphviz.render(dot, dir.resolve("graph.png"));
        } catch (EmberException e) {
            return "wrote " + source + " (rendering graph.png failed: " + e.getMessage() + ")";
        }
    }
}
