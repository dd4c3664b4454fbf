package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradOptions;

import java.io.PrintStream;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive", section 2 ("Higher-Order Derivatives (Hessians)"): the derivative of
 * x^3 at 2, then the derivative of that derivative, through {@code createGraph}. The seed names the values in
 * comments; the program prints them.
 *
 * <pre>{@code
 * x = torch.tensor([2.0], requires_grad=True)
 * y = x ** 3
 *
 * # First Derivative
 * grad_1 = torch.autograd.grad(y, x, create_graph=True)[0]
 * # grad_1 = 3x^2 = 12
 * print(f"grad_1: {grad_1}")
 *
 * # Second Derivative
 * grad_2 = torch.autograd.grad(grad_1, x)[0]
 * # grad_2 = 6x = 12
 * print(f"grad_2: {grad_2}")
 * }</pre>
 */
public final class HigherOrderDerivatives {
    private HigherOrderDerivatives() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.tensor(2.0).requiresGrad_();
        Tensor y = x.pow(3);

        // First Derivative
        Tensor grad1 = Autograd.grad(y, x, GradOptions.createGraph())[0];
        // grad_1 = 3x^2 = 12
        out.println("grad_1: " + grad1);

        // Second Derivative
        Tensor grad2 = Autograd.grad(grad1, x)[0];
        // grad_2 = 6x = 12
        out.println("grad_2: " + grad2);

        // When createGraph is set, the gradient computation itself is added to the graph, allowing you to
        // backpropagate through the backpropagation!
    }
}
