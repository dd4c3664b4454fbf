package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Computing Gradients", "Gradient Storage Behavior": only leaves
 * keep their gradient. (The seed's comment says x.grad is {@code tensor([4., 8., 12.])}; that is y's gradient.
 * x's is 8x = {@code tensor([ 8., 16., 24.])}, as PyTorch prints and as the seed's next example states.)
 *
 * <pre>{@code
 * x = torch.tensor([1., 2., 3.], requires_grad=True)
 * y = 2 * x       # Non-leaf
 * z = (y ** 2).sum()
 *
 * z.backward()
 *
 * print(f"x.grad: {x.grad}")  # Stored: tensor([4., 8., 12.])
 * print(f"y.grad: {y.grad}")  # None (not stored by default)
 * }</pre>
 */
public final class GradientStorage {
    private GradientStorage() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.tensor(1., 2., 3.).requiresGrad_();
        Tensor y = x.mul(2);         // Non-leaf
        Tensor z = y.pow(2).sum();

        z.backward();

        out.println("x.grad: " + x.grad()); // Stored: tensor([ 8., 16., 24.])
        out.println("y.grad: " + y.grad()); // null (not stored by default)
    }
}
