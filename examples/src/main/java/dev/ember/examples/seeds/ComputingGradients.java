package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Computing Gradients", "Example: Computing Gradients": with
 * {@code manual_seed(0)}, x = randn(3) is the same in Ember as in PyTorch, and the gradient of sum(x^2) is 2x.
 *
 * <p>The seed's "Output" block is not what PyTorch prints. An f-string formats a 0-d tensor through
 * {@code item()} ({@code Tensor.__format__}), so the loss line is a Python float, {@code loss: 7.207892417907715},
 * not {@code loss: tensor(7.2274, grad_fn=<SumBackward0>)}; and the values are 7.2079 and -0.5869, not 7.2274
 * and -0.5868. This program prints what PyTorch 1.13 prints, so the loss line uses {@code loss.item()}.
 *
 * <pre>{@code
 * import torch
 *
 * torch.manual_seed(0)
 *
 * # Create leaf tensor with gradient tracking
 * x = torch.randn(3, requires_grad=True)
 * print(f"x: {x}")
 *
 * # Forward pass: loss = sum(x^2)
 * loss = (x ** 2).sum()
 * print(f"loss: {loss}")
 *
 * # Backward pass: compute d(loss)/dx = 2*x
 * loss.backward()
 *
 * print(f"x.grad: {x.grad}")
 * print(f"Expected (2*x): {2*x.detach()}")
 * print(f"Match: {torch.allclose(x.grad, 2*x.detach())}")
 * }</pre>
 */
public final class ComputingGradients {
    private ComputingGradients() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);

        // Create leaf tensor with gradient tracking
        Tensor x = Ember.randn(3).requiresGrad_();
        out.println("x: " + x);

        // Forward pass: loss = sum(x^2)
        Tensor loss = x.pow(2).sum();
        out.println("loss: " + loss.item()); // f"{loss}" of a 0-d tensor is f"{loss.item()}"

        // Backward pass: compute d(loss)/dx = 2*x
        loss.backward();

        out.println("x.grad: " + x.grad());
        out.println("Expected (2*x): " + x.detach().mul(2));
        out.println("Match: " + x.grad().allclose(x.detach().mul(2)));
    }
}
