package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.optim.Optimizer;
import dev.ember.optim.SGD;

import java.io.PrintStream;
import java.util.List;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 7 ("Common Mistakes"), "Mistake 1:
 * Forgetting to Zero Gradients". The seed's sketch calls {@code loss.backward()} on one loss in a loop, which
 * would itself fail at the second call (Mistake 2); here each epoch runs its forward pass, on the loss of
 * section 4, and three epochs stand for the seed's ten. The seed's {@code optimizer} is undefined; here it is SGD
 * over w (the sketch never calls its {@code step()}, so w stays where it is).
 *
 * <pre>{@code
 * w = torch.tensor([1.0], requires_grad=True)
 * x = torch.tensor([2.0])
 * optimizer = torch.optim.SGD([w], lr=0.1)
 *
 * # WRONG: Gradients accumulate!
 * for epoch in range(3):
 *     loss = (w * x - 5)**2
 *     loss.backward()  # Gradient keeps adding up!
 *     print(f"epoch {epoch}: w.grad = {w.grad}")
 *
 * # CORRECT:
 * for epoch in range(3):
 *     optimizer.zero_grad()  # Clear first
 *     loss = (w * x - 5)**2
 *     loss.backward()
 *     print(f"epoch {epoch}: w.grad = {w.grad}")
 * }</pre>
 */
public final class ForgettingToZeroGradients {
    private ForgettingToZeroGradients() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        Tensor x = Ember.tensor(2.0);
        Optimizer optimizer = new SGD(List.of(w), 0.1);

        // WRONG: Gradients accumulate!
        for (int epoch = 0; epoch < 3; epoch++) {
            Tensor loss = w.mul(x).sub(5).pow(2);
            loss.backward(); // Gradient keeps adding up!
            out.println("epoch " + epoch + ": w.grad = " + w.grad());
        }

        // CORRECT:
        for (int epoch = 0; epoch < 3; epoch++) {
            optimizer.zeroGrad(); // Clear first
            Tensor loss = w.mul(x).sub(5).pow(2);
            loss.backward();
            out.println("epoch " + epoch + ": w.grad = " + w.grad());
        }
    }
}
