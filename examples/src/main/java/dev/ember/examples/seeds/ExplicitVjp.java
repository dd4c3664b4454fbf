package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "The Vector-Jacobian Product Framework", "Explicit VJP for
 * Non-Scalar Outputs": backward on sin(x) with v = [0.1, 1.0, 0.01] gives v * cos(x). Added to the seed:
 * {@code manual_seed(0)}, so that the random x (and thus the output) is reproducible, and prints of x and of
 * v * cos(x) to compare with.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * x = torch.randn(3, requires_grad=True)
 * y = torch.sin(x)  # Non-scalar output
 *
 * # Must provide gradient vector v
 * v = torch.tensor([0.1, 1.0, 0.01])
 * y.backward(v)
 *
 * # x.grad = v^T * J where J = diag(cos(x))
 * # x.grad[i] = v[i] * cos(x[i])
 * print(f"x: {x}")
 * print(f"x.grad: {x.grad}")
 * print(f"v * cos(x): {v * torch.cos(x.detach())}")
 * }</pre>
 */
public final class ExplicitVjp {
    private ExplicitVjp() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Tensor x = Ember.randn(3).requiresGrad_();
        Tensor y = x.sin(); // Non-scalar output

        // Must provide gradient vector v
        Tensor v = Ember.tensor(0.1, 1.0, 0.01);
        y.backward(v);

        // x.grad = v^T * J where J = diag(cos(x))
        // x.grad[i] = v[i] * cos(x[i])
        out.println("x: " + x);
        out.println("x.grad: " + x.grad());
        out.println("v * cos(x): " + v.mul(x.detach().cos()));
    }
}
