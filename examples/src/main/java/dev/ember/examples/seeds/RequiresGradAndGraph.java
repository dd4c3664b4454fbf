package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.GradOptions;

import java.io.PrintStream;

/**
 * Seed 001, "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation", sections 3
 * ("Implementation: requires_grad") and 4 ("The Backward Pass"): w * x summed, its gradient x, and how a second
 * backward accumulates into {@code .grad}.
 *
 * <p>The seed only says in prose that a second {@code z.backward()} makes {@code w.grad} {@code [6.0, 8.0]}; that
 * needs the graph kept by the first call, so the first backward passes {@code retain_graph=True}.
 *
 * <pre>{@code
 * # Weights (Leaf nodes)
 * w = torch.tensor([1.0, 2.0], requires_grad=True)
 * x = torch.tensor([3.0, 4.0]) # Data (No grad needed)
 *
 * # Forward Pass (Building the Graph)
 * y = w * x          # MulBackward
 * z = y.sum()        # AddBackward
 *
 * print(z)
 * # tensor(11., grad_fn=<SumBackward0>)
 *
 * z.backward(retain_graph=True)
 * print(w.grad)      # tensor([3., 4.])
 * z.backward()
 * print(w.grad)      # tensor([6., 8.])
 * w.grad.zero_()
 * print(w.grad)      # tensor([0., 0.])
 * }</pre>
 */
public final class RequiresGradAndGraph {
    private RequiresGradAndGraph() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Weights (Leaf nodes)
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0); // Data (No grad needed)

        // Forward Pass (Building the Graph)
        Tensor y = w.mul(x);   // MulBackward
        Tensor z = y.sum();    // SumBackward

        out.println(z);
        // tensor(11., grad_fn=<SumBackward>)
        // grad_fn is the link to the graph

        // Backward Pass (retainGraph, so that the second backward below can traverse the graph again)
        z.backward(GradOptions.retainGraph());

        // Gradients are accumulated in .grad
        out.println(w.grad());
        // dz/dw = d(w*x)/dw = x
        // Result: [3.0, 4.0]

        // Important: Gradients accumulate!
        // If you call z.backward() again, w.grad will become [6.0, 8.0].
        z.backward();
        out.println(w.grad());

        // You must zero them out: w.grad.zero_() or optimizer.zero_grad().
        w.grad().zero_();
        out.println(w.grad());
    }
}
