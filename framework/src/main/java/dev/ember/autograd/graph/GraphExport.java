package dev.ember.autograd.graph;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.AccumulateGrad;
import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Draws the autograd graph behind one or more tensors as Graphviz DOT text, like torchviz's {@code make_dot}.
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w");
 * Tensor x = Ember.tensor(3.0, 4.0);
 * Tensor b = Ember.tensor(0.5).requiresGrad_().setName("b");
 * Tensor loss = w.mul(x).add(b).sum();
 *
 * String dot = GraphExport.toDot(loss);                                     // make_dot(loss)
 * GraphExport.render(loss, DotOptions.defaults(), Path.of("graph.svg"));     // needs Graphviz's dot program
 * }</pre>
 *
 * <p>What is drawn, as in torchviz:
 * <ul>
 *   <li>each node of the graph ({@link Node}) as a grey box labelled by its op, e.g. {@code MulBackward};</li>
 *   <li>each leaf that receives a gradient as a light-blue box labelled by its name and shape, e.g.
 *       {@code w\n(2)}; unlike torchviz, the leaf and its {@link AccumulateGrad} are one box, since they are one
 *       thing to the reader. The name comes from {@link DotOptions#params()}, else {@link Tensor#name()}, else the
 *       box shows the shape alone;</li>
 *   <li>each root (the tensors passed in) as a green box labelled by its shape (and name, if it has one);</li>
 *   <li>with {@link DotOptions#showSaved()}, each saved tensor as an orange box ({@code saved[i]}, shape, dtype, and
 *       {@code freed} once released) joined to its node by an undirected edge;</li>
 *   <li>an edge from every input's node to the node that consumes it, in the direction of the forward pass; when
 *       the input's node has several outputs (a {@code split}), the edge says which ({@code out 1}).</li>
 * </ul>
 * Inputs that need no gradient (constants) are not part of the graph, so they are not drawn; a node or leaf that
 * feeds several consumers (a shared subexpression) is drawn once, with one edge per use.
 *
 * <p>The text is deterministic: node ids ({@code n0}, {@code n1}, ...) are given in breadth-first order from the
 * roots, following each node's inputs in order, so the same program always produces the same string. Names are
 * escaped for DOT's quoted strings.
 */
public final class GraphExport {
    private static final String ROOT_COLOR = "darkolivegreen1";
    private static final String LEAF_COLOR = "lightblue";
    private static final String SAVED_COLOR = "orange";

    private GraphExport() {
    }

    /** The DOT text of root's graph, without names besides {@link Tensor#name()}: {@code make_dot(root)}. */
    public static String toDot(Tensor root) {
        return toDot(List.of(Objects.requireNonNull(root, "root")), DotOptions.defaults());
    }

    /** The DOT text of root's graph with the given options. */
    public static String toDot(Tensor root, DotOptions options) {
        return toDot(List.of(Objects.requireNonNull(root, "root")), options);
    }

    /** The DOT text of the graph behind several roots (e.g. the outputs of a split), each node drawn once. */
    public static String toDot(List<Tensor> roots, DotOptions options) {
        Objects.requireNonNull(roots, "roots");
        if (roots.isEmpty()) {
            throw new EmberException("GraphExport.toDot: no tensors given; pass the output (e.g. the loss) whose "
                    + "graph should be drawn");
        }
        for (int i = 0; i < roots.size(); i++) {
            if (roots.get(i) == null) {
                throw new EmberException("GraphExport.toDot: root " + i + " of " + roots.size() + " is null");
            }
        }
        Builder b = new Builder(options == null ? DotOptions.defaults() : options);
        for (Tensor t : roots) {
            b.addRoot(t);
        }
        b.drain();
        return b.text();
    }

    /** Renders root's graph with default options to an image file; see {@link #render(Tensor, DotOptions, Path)}. */
    public static Path render(Tensor root, Path output) {
        return render(root, DotOptions.defaults(), output);
    }

    /**
     * Renders root's graph to an image file through Graphviz's {@code dot} program (found by {@link Graphviz#find()});
     * the format comes from the file name's extension ({@code .svg}, {@code .png} or {@code .pdf}).
     *
     * @return the output path
     * @throws EmberException if {@code dot} is not installed (the message says how to install it), fails, or times
     *                        out; {@link #toDot(Tensor, DotOptions)} still gives the DOT text
     */
    public static Path render(Tensor root, DotOptions options, Path output) {
        return Graphviz.find().render(toDot(root, options), output);
    }

    /** Collects node lines and edge lines while walking the graph breadth first. */
    private static final class Builder {
        private final DotOptions options;
        private final IdentityHashMap<Tensor, String> names = new IdentityHashMap<>();
        /** Ids of drawn things: root and leaf tensors, nodes, saved tensors. */
        private final IdentityHashMap<Object, String> ids = new IdentityHashMap<>();
        private final ArrayDeque<Node> queue = new ArrayDeque<>();
        private final List<String> nodeLines = new ArrayList<>();
        private final List<String> edgeLines = new ArrayList<>();
        private int next;

        Builder(DotOptions options) {
            this.options = options;
            for (Map.Entry<String, Tensor> e : options.params().entrySet()) {
                names.merge(e.getValue(), e.getKey(), (a, c) -> a + ", " + c);
            }
        }

        private String newId(Object key) {
            String id = "n" + next++;
            ids.put(key, id);
            return id;
        }

        private String nameOf(Tensor t) {
            String n = names.get(t);
            return n != null ? n : t.name();
        }

        void addRoot(Tensor t) {
            if (ids.containsKey(t)) {
                return;
            }
            String id = newId(t);
            nodeLines.add(node(id, label(nameOf(t), shape(t.shape())), ROOT_COLOR));
            Node fn = t.gradFn();
            if (fn != null) {
                String src = discover(fn);
                edgeLines.add(edge(src, id, fn, t.outputNr()));
            }
        }

        /** The id of fn's box, drawing it (and queueing it) the first time it is seen. */
        private String discover(Node fn) {
            Object key = fn instanceof AccumulateGrad acc ? acc.variable() : fn;
            String id = ids.get(key);
            if (id != null) {
                return id;
            }
            id = newId(key);
            if (fn instanceof AccumulateGrad acc) {
                Tensor v = acc.variable();
                nodeLines.add(node(id, label(nameOf(v), shape(v.shape())), LEAF_COLOR));
            } else {
                nodeLines.add(node(id, escape(fn.name()), null));
                queue.add(fn);
            }
            return id;
        }

        void drain() {
            while (!queue.isEmpty()) {
                Node fn = queue.poll();
                String id = ids.get(fn);
                if (options.showSaved()) {
                    List<SavedTensor> saved = fn.savedTensors();
                    for (int i = 0; i < saved.size(); i++) {
                        SavedTensor s = saved.get(i);
                        String sid = newId(s);
                        String text = "saved[" + i + "]\\n" + shape(s.shape()) + " " + s.dtype().label()
                                + (s.isReleased() ? "\\nfreed" : "");
                        nodeLines.add(node(sid, text, SAVED_COLOR));
                        edgeLines.add("\t" + id + " -> " + sid + " [dir=none]");
                    }
                }
                for (Edge e : fn.nextFunctions()) {
                    if (e == null) {
                        continue;
                    }
                    String src = discover(e.node());
                    edgeLines.add(edge(src, id, e.node(), e.inputNr()));
                }
            }
        }

        String text() {
            StringBuilder sb = new StringBuilder(64 * (nodeLines.size() + edgeLines.size()) + 200);
            sb.append("digraph {\n");
            sb.append("\tgraph [size=\"12,12\"]\n");
            sb.append("\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]\n");
            sb.append("\tedge [fontname=monospace fontsize=10]\n");
            for (String s : nodeLines) {
                sb.append(s).append('\n');
            }
            for (String s : edgeLines) {
                sb.append(s).append('\n');
            }
            sb.append("}\n");
            return sb.toString();
        }

        private static String node(String id, String escapedLabel, String color) {
            return "\t" + id + " [label=\"" + escapedLabel + "\"" + (color == null ? "" : " fillcolor=" + color) + "]";
        }

        private static String edge(String from, String to, Node source, int outputNr) {
            String e = "\t" + from + " -> " + to;
            return source.numOutputs() > 1 ? e + " [label=\"out " + outputNr + "\"]" : e;
        }

        /** An escaped two-line label: the name (if any) above the shape. */
        private static String label(String name, String shape) {
            return name == null || name.isEmpty() ? shape : escape(name) + "\\n" + shape;
        }
    }

    /** torchviz's size_to_str: {@code (2, 3)}, {@code (4)}, and {@code ()} for a scalar. */
    static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Escapes text for a DOT double-quoted string: backslashes and quotes are escaped (so that a name cannot end
     * the string or smuggle in Graphviz's {@code \l} / {@code \N} escapes), line breaks become DOT's {@code \n}, and
     * other control characters become spaces.
     */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> {
                    if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
                        sb.append("\\n");
                    }
                }
                default -> sb.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
