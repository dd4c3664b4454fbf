package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", sections 2 ("The Computation Graph"), 3
 * ("requires_grad=True") and 4 ("Backward Pass"): the loss (w x - 5)^2 at w = 1, x = 2 and its gradient -12.
 *
 * <pre>{@code
 * w = torch.tensor([1.0], requires_grad=True)  # Weight
 * x = torch.tensor([2.0])                       # Data (no grad)
 *
 * # Forward pass (y = w * x)
 * y = w * x
 *
 * # Loss function (L = (y - 5)^2)
 * loss = (y - 5)**2
 *
 * print(loss)  # tensor([9.], grad_fn=<PowBackward0>)
 *
 * loss.backward()
 *
 * # The gradient is stored in .grad attribute
 * print(w.grad)
 * # dL/dw = 2 * (y - 5) * x
 * #       = 2 * (1*2 - 5) * 2 = 2 * (-3) * 2 = -12
 * }</pre>
 */
public final class LossGradient {
    private LossGradient() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor w = Ember.tensor(1.0).requiresGrad_(); // Weight
        Tensor x = Ember.tensor(2.0);                 // Data (no grad)

        // Forward pass (y = w * x)
        Tensor y = w.mul(x);            // MulBackward

        // Loss function (L = (y - 5)^2)
        Tensor loss = y.sub(5).pow(2);  // PowBackward, SubBackward

        out.println(loss); // tensor([9.], grad_fn=<PowBackward>)
        // The grad_fn shows the graph is tracking operations!

        loss.backward();

        // The gradient is stored in .grad attribute
        out.println(w.grad());
        // dL/dw = 2 * (y - 5) * x
        //       = 2 * (1*2 - 5) * 2 = 2 * (-3) * 2 = -12
    }
}
