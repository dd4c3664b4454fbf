package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 001, "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation", section 5 ("Controlling
 * the Flow"): {@code torch.no_grad()} and {@code detach()}. The seed states the results in comments; the program
 * prints them.
 *
 * <pre>{@code
 * w = torch.tensor([1.0, 2.0], requires_grad=True)
 * x = torch.tensor([3.0, 4.0])
 *
 * with torch.no_grad():
 *     y = w * x
 *     # y.requires_grad is False. No graph stored.
 * print(f"y.requires_grad: {y.requires_grad}")
 * print(f"y.grad_fn: {y.grad_fn}")
 *
 * y = w * x
 * z = y.detach() # z is a leaf now. Grads won't flow back to w through z.
 * print(f"y: {y}")
 * print(f"z: {z}")
 * print(f"z.is_leaf: {z.is_leaf}")
 * print(f"z.requires_grad: {z.requires_grad}")
 * }</pre>
 */
public final class NoGradAndDetach {
    private NoGradAndDetach() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    @SuppressWarnings("try") // the noGrad scope is only opened and closed, as Python's `with torch.no_grad():`
    public static void run(PrintStream out) {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);

        // torch.no_grad(): Disables graph building. Used for Inference to save memory.
        Tensor y;
        try (var noGrad = Ember.noGrad()) {
            y = w.mul(x);
            // y.requires_grad is False. No graph stored.
        }
        out.println("y.requires_grad: " + y.requiresGrad());
        out.println("y.grad_fn: " + y.gradFn());

        // detach(): Cuts the graph. Returns a new tensor that shares storage but has no history.
        y = w.mul(x);
        Tensor z = y.detach(); // z is a leaf now. Grads won't flow back to w through z.
        out.println("y: " + y);
        out.println("z: " + z);
        out.println("z.is_leaf: " + z.isLeaf());
        out.println("z.requires_grad: " + z.requiresGrad());
    }
}
