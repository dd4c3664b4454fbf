package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)", section "Gradient
 * Accumulation": x feeds two paths, whose gradients sum at x (1 + 3 = 4). The seed gives the formulas; the value
 * of x does not matter, 1.0 is used.
 *
 * <pre>{@code
 * # Example: x used in both addition and multiplication
 * x = torch.tensor(1.0, requires_grad=True)
 * y = x + 2
 * z = x * 3
 * L = y + z
 *
 * L.backward()
 * # dL/dx = (dL/dy * dy/dx) + (dL/dz * dz/dx) = 1 + 3 = 4
 * print("x.grad:", x.grad)
 * }</pre>
 */
public final class GradientAccumulation {
    private GradientAccumulation() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Example: x used in both addition and multiplication
        Tensor x = Ember.scalar(1.0).requiresGrad_();
        Tensor y = x.add(2);
        Tensor z = x.mul(3);
        Tensor L = y.add(z);

        L.backward();
        // dL/dx = (dL/dy * dy/dx) + (dL/dz * dz/dx) = 1 + 3 = 4
        out.println("x.grad: " + x.grad());
    }
}
