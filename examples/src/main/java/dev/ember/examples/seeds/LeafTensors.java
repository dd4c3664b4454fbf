package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Core Concepts", "Leaf Tensors": a tensor created by the user is a
 * leaf, has no grad_fn and (here) requires grad. Python's {@code None} prints as Java's {@code null}.
 *
 * <pre>{@code
 * import torch
 *
 * # Leaf tensor - created directly by user
 * x = torch.randn(3, requires_grad=True)
 *
 * print(f"x.is_leaf: {x.is_leaf}")        # True
 * print(f"x.grad_fn: {x.grad_fn}")        # None
 * print(f"x.requires_grad: {x.requires_grad}")  # True
 * }</pre>
 */
public final class LeafTensors {
    private LeafTensors() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Leaf tensor - created directly by user
        Tensor x = Ember.randn(3).requiresGrad_();

        out.println("x.is_leaf: " + x.isLeaf());                 // true
        out.println("x.grad_fn: " + x.gradFn());                 // null
        out.println("x.requires_grad: " + x.requiresGrad());     // true
    }
}
