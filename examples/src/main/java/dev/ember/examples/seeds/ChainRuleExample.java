package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)", section "Gradient Flow
 * Mechanics", "Mathematical Example": L = (x + y)^2 at x = 2, y = 3, whose forward and backward passes the seed
 * works out by hand (z = 5, L = 25, dL/dz = dL/dx = dL/dy = 10). The seed has no code; this is that computation.
 *
 * <pre>{@code
 * # Consider: L = (x + y)^2 where x = 2, y = 3
 * x = torch.tensor(2.0, requires_grad=True)
 * y = torch.tensor(3.0, requires_grad=True)
 *
 * # Forward Pass
 * z = x + y
 * z.retain_grad()
 * L = z ** 2
 * print("z:", z)
 * print("L:", L)
 *
 * # Backward Pass
 * L.backward()
 * print("dL/dz:", z.grad)
 * print("dL/dx:", x.grad)
 * print("dL/dy:", y.grad)
 * }</pre>
 */
public final class ChainRuleExample {
    private ChainRuleExample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Consider: L = (x + y)^2 where x = 2, y = 3
        Tensor x = Ember.scalar(2.0).requiresGrad_();
        Tensor y = Ember.scalar(3.0).requiresGrad_();

        // Forward Pass
        Tensor z = x.add(y);     // z = x + y = 5
        z.retainGrad();
        Tensor L = z.pow(2);     // L = z^2 = 25
        out.println("z: " + z);
        out.println("L: " + L);

        // Backward Pass
        L.backward();
        out.println("dL/dz: " + z.grad()); // dL/dz = 1 x 2z = 10
        out.println("dL/dx: " + x.grad()); // dL/dx = dL/dz x dz/dx = 10 x 1 = 10
        out.println("dL/dy: " + y.grad()); // dL/dy = dL/dz x dz/dy = 10 x 1 = 10
    }
}
