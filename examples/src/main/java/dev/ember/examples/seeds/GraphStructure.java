package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)", section "Computational Graph
 * Representation": f(x, y) = (x + y) * sin(x), whose graph the seed draws. The program builds it (at x = 2, y = 3,
 * values the seed leaves open), walks it from f back to the leaves' accumulators, and differentiates it: x
 * reaches f along two paths.
 *
 * <pre>{@code
 * # Example: f(x, y) = (x + y) * sin(x)
 * x = torch.tensor(2.0, requires_grad=True)
 * y = torch.tensor(3.0, requires_grad=True)
 * u1 = x + y
 * u2 = torch.sin(x)
 * f = u1 * u2
 * print("f:", f)
 *
 * def name(node):
 *     return type(node).__name__
 *
 * # Walk the graph from f back to the leaves
 * print("f.grad_fn:", name(f.grad_fn))
 * for node, _ in f.grad_fn.next_functions:
 *     print(f"  {name(node)} <- {', '.join(name(n) for n, _ in node.next_functions)}")
 *
 * # x reaches f through two paths: df/dx = sin(x) + (x + y) * cos(x); df/dy = sin(x)
 * f.backward()
 * print("x.grad:", x.grad)
 * print("y.grad:", y.grad)
 * }</pre>
 */
public final class GraphStructure {
    private GraphStructure() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Example: f(x, y) = (x + y) * sin(x)
        Tensor x = Ember.scalar(2.0).requiresGrad_();
        Tensor y = Ember.scalar(3.0).requiresGrad_();
        Tensor u1 = x.add(y);
        Tensor u2 = x.sin();
        Tensor f = u1.mul(u2);
        out.println("f: " + f);

        // Walk the graph from f back to the leaves
        out.println("f.grad_fn: " + f.gradFn().name());
        for (Edge edge : f.gradFn().nextFunctions()) {
            Node node = edge.node();
            List<String> names = new ArrayList<>();
            for (Edge next : node.nextFunctions()) {
                names.add(next.node().name());
            }
            out.println("  " + node.name() + " <- " + String.join(", ", names));
        }

        // x reaches f through two paths: df/dx = sin(x) + (x + y) * cos(x); df/dy = sin(x)
        f.backward();
        out.println("x.grad: " + x.grad());
        out.println("y.grad: " + y.grad());
    }
}
