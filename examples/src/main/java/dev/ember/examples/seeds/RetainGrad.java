package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Computing Gradients", "Retaining Gradients for Non-Leaf Tensors":
 * {@code retain_grad()} makes backward store a non-leaf's gradient too.
 *
 * <pre>{@code
 * x = torch.tensor([1., 2., 3.], requires_grad=True)
 * y = 2 * x
 * y.retain_grad()  # Request gradient storage
 * z = (y ** 2).sum()
 *
 * z.backward()
 *
 * print(f"x.grad: {x.grad}")  # tensor([8., 16., 24.])
 * print(f"y.grad: {y.grad}")  # tensor([4., 8., 12.]) - Now stored!
 * }</pre>
 */
public final class RetainGrad {
    private RetainGrad() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.tensor(1., 2., 3.).requiresGrad_();
        Tensor y = x.mul(2);
        y.retainGrad(); // Request gradient storage
        Tensor z = y.pow(2).sum();

        z.backward();

        out.println("x.grad: " + x.grad()); // tensor([ 8., 16., 24.])
        out.println("y.grad: " + y.grad()); // tensor([ 4.,  8., 12.]) - Now stored!

        // Mathematical Verification:
        // y = 2x, so y = [2, 4, 6]
        // z = sum y_i^2 = 4 + 16 + 36 = 56
        // dz/dy_i = 2 y_i, so dz/dy = [4, 8, 12]
        // dz/dx_i = dz/dy_i * dy_i/dx_i = 2 y_i * 2 = 4 y_i, so dz/dx = [8, 16, 24]
    }
}
