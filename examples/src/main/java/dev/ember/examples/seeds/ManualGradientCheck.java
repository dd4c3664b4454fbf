package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 9 ("Practical Exercises"), "Exercise 1:
 * Manual Gradient Check": f(x) = x^3 at x = 2, f'(x) = 3x^2 = 12.
 *
 * <pre>{@code
 * x = torch.tensor([2.0], requires_grad=True)
 * y = x**3
 * y.backward()
 * print(x.grad)  # Should be 12.0
 * }</pre>
 */
public final class ManualGradientCheck {
    private ManualGradientCheck() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // 1. Create a simple function f(x) = x^3 at x = 2.
        // 2. Calculate the gradient manually: f'(x) = 3x^2 = 12.
        // 3. Verify with autograd.
        Tensor x = Ember.tensor(2.0).requiresGrad_();
        Tensor y = x.pow(3);
        y.backward();
        out.println(x.grad()); // Should be 12.0
    }
}
