package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Core Concepts", "The requires_grad Attribute": if any input of an
 * operation requires grad, so does its output.
 *
 * <pre>{@code
 * a = torch.randn(3, requires_grad=True)
 * b = torch.randn(3, requires_grad=False)
 * c = a + b
 *
 * print(f"c.requires_grad: {c.requires_grad}")  # True (inherits from a)
 * }</pre>
 */
public final class RequiresGradPropagation {
    private RequiresGradPropagation() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor a = Ember.randn(3).requiresGrad_();
        Tensor b = Ember.randn(3).requiresGrad_(false);
        Tensor c = a.add(b);

        out.println("c.requires_grad: " + c.requiresGrad()); // true (inherits from a)
    }
}
