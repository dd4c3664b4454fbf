package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.RemovableHandle;

import java.io.PrintStream;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive", section 3 ("Hooks: Debugging the Backward Pass"): a hook that logs
 * the gradient reaching v and clamps it when its norm exceeds 1. Added to the seed: printing {@code v.grad}, then
 * removing the hook through its handle and running backward again (no log line, no clamping).
 *
 * <pre>{@code
 * v = torch.tensor([1.0, 2.0], requires_grad=True)
 *
 * def log_grad(grad):
 *     print(f"Gradient at v: {grad}")
 *     if grad.norm() > 1.0:
 *         return grad.clamp(-1, 1) # Gradient Clipping inside the graph!
 *
 * # Register hook
 * handle = v.register_hook(log_grad)
 *
 * y = v * 2
 * y.sum().backward()
 * # Output: Gradient at v: tensor([2., 2.])
 * print(f"v.grad: {v.grad}")
 *
 * handle.remove()
 * y = v * 2
 * y.sum().backward()
 * print(f"v.grad: {v.grad}")
 * }</pre>
 */
public final class GradientHook {
    private GradientHook() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor v = Ember.tensor(1.0, 2.0).requiresGrad_();

        // Register hook
        RemovableHandle handle = v.registerHook(grad -> {
            out.println("Gradient at v: " + grad);
            if (grad.norm().item() > 1.0) {
                return grad.clamp(-1, 1); // Gradient Clipping inside the graph!
            }
            return null; // keep the gradient as it is
        });

        Tensor y = v.mul(2);
        y.sum().backward();
        // Output: Gradient at v: tensor([2., 2.])
        out.println("v.grad: " + v.grad()); // clamped: [1., 1.]

        // Remove the hook through its handle: the next backward neither logs nor clamps
        handle.remove();
        y = v.mul(2);
        y.sum().backward();
        out.println("v.grad: " + v.grad()); // [1., 1.] + [2., 2.]
    }
}
