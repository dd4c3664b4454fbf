package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 5 ("Putting It Together: Manual Gradient
 * Descent"): twenty steps of w -= lr * dL/dw on (w x - 5)^2, converging to w = 2.5.
 *
 * <pre>{@code
 * # Initialize weight
 * w = torch.tensor([10.0], requires_grad=True)
 * x = torch.tensor([2.0])
 * target = 5.0
 * lr = 0.1
 *
 * # Training loop (manual gradient descent)
 * for i in range(20):
 *     # Forward
 *     y = w * x
 *     loss = (y - target)**2
 *
 *     # Backward (compute gradient)
 *     loss.backward()
 *
 *     # Update weight (gradient descent!)
 *     with torch.no_grad():  # Don't track this operation
 *         w -= lr * w.grad
 *
 *     # Clear gradient for next iteration
 *     w.grad.zero_()
 *
 *     print(f"Iter {i+1}: w={w.item():.4f}, loss={loss.item():.4f}")
 *
 * # w should converge to 2.5 (because 2.5 * 2 = 5)
 * }</pre>
 */
public final class ManualGradientDescent {
    private ManualGradientDescent() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    @SuppressWarnings("try") // the noGrad scope is only opened and closed, as Python's `with torch.no_grad():`
    public static void run(PrintStream out) {
        // Initialize weight
        Tensor w = Ember.tensor(10.0).requiresGrad_();
        Tensor x = Ember.tensor(2.0);
        double target = 5.0;
        double lr = 0.1;

        // Training loop (manual gradient descent)
        for (int i = 0; i < 20; i++) {
            // Forward
            Tensor y = w.mul(x);
            Tensor loss = y.sub(target).pow(2);

            // Backward (compute gradient)
            loss.backward();

            // Update weight (gradient descent!)
            try (var noGrad = Ember.noGrad()) { // Don't track this operation
                w.sub_(w.grad().mul(lr));
            }

            // Clear gradient for next iteration
            w.grad().zero_();

            out.println(String.format(Locale.ROOT, "Iter %d: w=%.4f, loss=%.4f", i + 1, w.item(), loss.item()));
        }

        // w should converge to 2.5 (because 2.5 * 2 = 5)
    }
}
