package dev.ember.autograd;

import dev.ember.Tensor;
import dev.ember.kernels.Storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The reverse-mode engine (PyTorch's engine.cpp, single-threaded): counts, for every node reachable from the
 * roots, how many edges lead into it; runs a node once all of them delivered (its input buffer then holds the sum
 * of every path's gradient); among ready nodes runs the most recently created first; hands each input its share.
 *
 * <p>With targets ({@code grad()} or {@code backward(inputs)}), only nodes on a path to a target run, and the
 * gradient reaching a target is captured (or accumulated into the target's {@code .grad}). As in PyTorch 1.13, a
 * target's gradient is captured before the hooks of the node it enters run, and hooks run only on nodes that run.
 *
 * <p>A leaf's accumulator may take a gradient over as the leaf's {@code .grad} without copying it when the engine
 * holds the only reference to its storage (PyTorch checks the tensor's reference count; Java has none, so the
 * engine tracks where gradients can be seen from outside): not a root gradient, not one a tensor hook saw (it may
 * keep it) or returned, not returned by a backward outside Ember's own ops (custom Functions, user subclasses of
 * Node), and not shared with a gradient still waiting in another node's buffer.
 */
final class Engine {
    private Engine() {
    }

    /** Where the gradient of one target tensor arrives: an output slot of a node. */
    private record Target(int slot, int index) {
    }

    /**
     * Runs a backward pass.
     *
     * @param rootEdges  where the root gradients enter
     * @param rootGrads  the gradients of the roots
     * @param targets    edges of the target tensors, or null to run the whole graph
     * @param targetTensors the target tensors themselves (for accumulation), parallel to targets
     * @param accumulate accumulate into the targets' .grad (backward) rather than return them (grad)
     * @return the captured gradient of each target (grad mode), else null
     */
    static Tensor[] run(Edge[] rootEdges, Tensor[] rootGrads, Edge[] targets, Tensor[] targetTensors,
                        boolean keepGraph, boolean createGraph, boolean accumulate) {
        Map<Node, int[]> deps = countDependencies(rootEdges);
        Map<Node, List<Target>> captures = null;
        Map<Node, Boolean> needed = null;
        if (targets != null) {
            captures = new IdentityHashMap<>();
            for (int i = 0; i < targets.length; i++) {
                captures.computeIfAbsent(targets[i].node(), k -> new ArrayList<>(1))
                        .add(new Target(targets[i].inputNr(), i));
            }
            needed = neededNodes(rootEdges, captures, accumulate);
        }
        Tensor[] captured = targets == null ? null : new Tensor[targets.length];

        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        List<Storage> seenOutside = new ArrayList<>(2);   // few: the roots', and any hook's or custom backward's
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr()));
        for (int i = 0; i < rootEdges.length; i++) {
            Node n = rootEdges[i].node();
            addToBuffer(buffers, n, rootEdges[i].inputNr(), rootGrads[i]);
            seenFromOutside(seenOutside, rootGrads[i]);
        }
        for (Edge e : rootEdges) {
            Node n = e.node();
            if (deps.get(n)[0] == 0 && !ready.contains(n)) {
                ready.add(n);
            }
        }

        try (GradMode.Scope mode = GradMode.scope(createGraph)) {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] grads = buffers.remove(node);
                if (grads == null) {
                    grads = new Tensor[Math.max(node.numOutputs(), 1)];
                }
                List<Target> here = captures == null ? null : captures.get(node);
                if (here != null) {
                    for (Target t : here) {
                        Tensor g = grads[t.slot()];
                        if (g == null) {
                            continue;
                        }
                        if (accumulate) {
                            if (!(node instanceof AccumulateGrad)) {
                                AccumulateGrad.accumulate(targetTensors[t.index()], g);
                            }
                        } else {
                            captured[t.index()] = captured[t.index()] == null ? g : captured[t.index()].add(g);
                        }
                    }
                }
                boolean execute = needed == null || Boolean.TRUE.equals(needed.get(node));
                if (!execute) {
                    continue;
                }
                Tensor first = grads[0];
                Tensor[] before = grads.length > 1 ? grads.clone() : null;
                node.runPreHooks(grads);
                for (int i = 0; i < grads.length; i++) {
                    Tensor seenByHooks = i == 0 ? first : before[i];
                    if (node.hasTensorHooks(i)) {
                        seenFromOutside(seenOutside, seenByHooks);   // a hook may have kept what it saw
                    }
                    if (grads[i] != seenByHooks) {
                        seenFromOutside(seenOutside, grads[i]);   // a hook's result
                    }
                }
                Tensor[] out = null;
                if (node instanceof AccumulateGrad acc) {
                    Tensor g = grads[0];
                    if (g != null) {
                        acc.deliver(g, acc.couldTakeOver(g) && heldOnlyHere(g, seenOutside, buffers));
                    }
                } else if (anyDefined(grads)) {
                    out = node.apply(grads);
                    if (!isOwnOp(node)) {
                        for (Tensor g : out) {
                            seenFromOutside(seenOutside, g);
                        }
                    }
                }
                if (!keepGraph) {
                    node.release();
                }
                List<Edge> next = node.nextFunctions();
                for (int i = 0; i < next.size(); i++) {
                    Edge e = next.get(i);
                    if (e == null || (needed != null && !Boolean.TRUE.equals(needed.get(e.node()))
                            && (captures == null || !captures.containsKey(e.node())))) {
                        continue;
                    }
                    if (out != null && out[i] != null) {
                        addToBuffer(buffers, e.node(), e.inputNr(), out[i]);
                    }
                    int[] d = deps.get(e.node());
                    if (--d[0] == 0) {
                        ready.add(e.node());
                    }
                }
            }
        }
        return captured;
    }

    /** Marks a gradient's storage as possibly referenced outside the engine. */
    private static void seenFromOutside(List<Storage> seen, Tensor g) {
        if (g != null && !isIn(g.impl().storage(), seen)) {
            seen.add(g.impl().storage());
        }
    }

    private static boolean isIn(Storage s, List<Storage> list) {
        for (Storage x : list) {
            if (x == s) {
                return true;
            }
        }
        return false;
    }

    /** True when no other reference to g's storage is known: not seen from outside, in no waiting buffer. */
    private static boolean heldOnlyHere(Tensor g, List<Storage> seenOutside, Map<Node, Tensor[]> buffers) {
        Storage s = g.impl().storage();
        if (isIn(s, seenOutside)) {
            return false;
        }
        for (Tensor[] buf : buffers.values()) {
            for (Tensor t : buf) {
                if (t != null && t.impl().storage() == s) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True for the nodes of Ember's own ops, whose backward returns new tensors or views of its incoming gradients
     * and keeps no reference to them; not for custom Functions or other subclasses of Node, whose backward is user
     * code.
     */
    private static boolean isOwnOp(Node node) {
        String pkg = node.getClass().getPackageName();
        return pkg.equals("dev.ember.ops")
                || (pkg.equals("dev.ember.autograd") && !(node instanceof Function.FunctionNode));
    }

    private static boolean anyDefined(Tensor[] grads) {
        for (Tensor g : grads) {
            if (g != null) {
                return true;
            }
        }
        return false;
    }

    private static void addToBuffer(Map<Node, Tensor[]> buffers, Node n, int slot, Tensor g) {
        Tensor[] buf = buffers.computeIfAbsent(n, k -> new Tensor[Math.max(k.numOutputs(), 1)]);
        buf[slot] = buf[slot] == null ? g : buf[slot].add(g);
    }

    /** For every node reachable from the roots, the number of edges that lead into it. */
    private static Map<Node, int[]> countDependencies(Edge[] roots) {
        Map<Node, int[]> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Edge e : roots) {
            if (!deps.containsKey(e.node())) {
                deps.put(e.node(), new int[1]);
                stack.push(e.node());
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.nextFunctions()) {
                if (e == null) {
                    continue;
                }
                int[] d = deps.get(e.node());
                if (d == null) {
                    d = new int[1];
                    deps.put(e.node(), d);
                    stack.push(e.node());
                }
                d[0]++;
            }
        }
        return deps;
    }

    /**
     * The nodes that must run to reach the targets: those with a path to a target. A target's own node runs only
     * if it leads to another target, or if it is a leaf's accumulator and the pass accumulates.
     */
    private static Map<Node, Boolean> neededNodes(Edge[] roots, Map<Node, List<Target>> captures, boolean accumulate) {
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Edge e : roots) {
            if (!needed.containsKey(e.node())) {
                stack.push(new Object[] {e.node(), 0});
                needed.put(e.node(), Boolean.FALSE);
            }
        }
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node n = (Node) frame[0];
            int i = (Integer) frame[1];
            List<Edge> next = n.nextFunctions();
            if (i < next.size()) {
                frame[1] = i + 1;
                Edge e = next.get(i);
                if (e != null && !needed.containsKey(e.node())) {
                    needed.put(e.node(), Boolean.FALSE);
                    stack.push(new Object[] {e.node(), 0});
                }
                continue;
            }
            stack.pop();
            boolean need = accumulate && n instanceof AccumulateGrad && captures.containsKey(n);
            for (Edge e : next) {
                if (e != null && (Boolean.TRUE.equals(needed.get(e.node())) || captures.containsKey(e.node()))) {
                    need = true;
                    break;
                }
            }
            needed.put(n, need);
        }
        return needed;
    }
}
