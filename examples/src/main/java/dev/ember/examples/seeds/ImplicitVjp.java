package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "The Vector-Jacobian Product Framework", "Implicit VJP for Scalar
 * Outputs": backward on a scalar uses v = 1.
 *
 * <pre>{@code
 * x = torch.tensor([1., 2., 3.], requires_grad=True)
 * loss = (x ** 2).sum()
 *
 * # This is equivalent to:
 * # loss.backward(torch.tensor(1.0))
 * loss.backward()
 *
 * print(f"x.grad: {x.grad}")  # tensor([2., 4., 6.])
 * }</pre>
 */
public final class ImplicitVjp {
    private ImplicitVjp() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.tensor(1., 2., 3.).requiresGrad_();
        Tensor loss = x.pow(2).sum();

        // This is equivalent to:
        // loss.backward(Ember.scalar(1.0))
        loss.backward();

        out.println("x.grad: " + x.grad()); // tensor([2., 4., 6.])
    }
}
