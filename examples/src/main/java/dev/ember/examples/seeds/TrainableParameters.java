package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Seed 004, "Autograd Fundamentals", section "Common Patterns": "Creating Trainable Parameters" (two ways) and
 * "Safe Gradient Access". Added to the seed: {@code manual_seed(0)} and prints of the flags and of the gradient
 * norm before and after a backward (the gradient of sum(w^2) is 2w, so its norm is 2 ||w||).
 *
 * <pre>{@code
 * torch.manual_seed(0)
 *
 * def safe_grad_norm(param):
 *     """Safely compute gradient norm."""
 *     if param.grad is not None:
 *         return param.grad.norm().item()
 *     return 0.0
 *
 * # Method 1: Direct creation
 * w = torch.randn(3, 4, requires_grad=True)
 * print(f"w.requires_grad: {w.requires_grad}")
 *
 * # Method 2: From existing tensor
 * w = torch.randn(3, 4)
 * w.requires_grad_(True)  # In-place modification
 * print(f"w.requires_grad: {w.requires_grad}")
 * print(f"w.is_leaf: {w.is_leaf}")
 *
 * print(f"safe_grad_norm(w): {safe_grad_norm(w):.4f}")
 * (w ** 2).sum().backward()
 * print(f"safe_grad_norm(w): {safe_grad_norm(w):.4f}")
 * print(f"2 * w.norm(): {2 * w.detach().norm().item():.4f}")
 * }</pre>
 */
public final class TrainableParameters {
    private TrainableParameters() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Safely compute gradient norm. */
    static double safeGradNorm(Tensor param) {
        if (param.grad() != null) {
            return param.grad().norm().item();
        }
        return 0.0;
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);

        // Method 1: Direct creation (Ember has no requires_grad argument: requiresGrad_() returns the tensor)
        Tensor w = Ember.randn(3, 4).requiresGrad_();
        out.println("w.requires_grad: " + w.requiresGrad());

        // Method 2: From existing tensor
        w = Ember.randn(3, 4);
        w.requiresGrad_(true); // In-place modification
        out.println("w.requires_grad: " + w.requiresGrad());
        out.println("w.is_leaf: " + w.isLeaf());

        out.println("safe_grad_norm(w): " + String.format(Locale.ROOT, "%.4f", safeGradNorm(w)));
        w.pow(2).sum().backward();
        out.println("safe_grad_norm(w): " + String.format(Locale.ROOT, "%.4f", safeGradNorm(w)));
        out.println("2 * w.norm(): " + String.format(Locale.ROOT, "%.4f", 2 * w.detach().norm().item()));
    }
}
