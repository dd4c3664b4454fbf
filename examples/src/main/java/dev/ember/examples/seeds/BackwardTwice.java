package dev.ember.examples.seeds;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.GradOptions;

import java.io.PrintStream;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 7 ("Common Mistakes"), "Mistake 2: Calling
 * .backward() Twice", on the loss of section 4: the second call fails because the first freed the graph; the
 * error is caught and printed, then the fix (retain the graph) runs.
 *
 * <pre>{@code
 * w = torch.tensor([1.0], requires_grad=True)
 * x = torch.tensor([2.0])
 * loss = (w * x - 5)**2
 *
 * loss.backward()
 * print(f"w.grad: {w.grad}")
 * try:
 *     loss.backward()  # ERROR! Graph was freed
 * except RuntimeError as e:
 *     print(f"caught {type(e).__name__}: {e}")
 *
 * # FIX: If you need to call twice, retain the graph
 * w.grad.zero_()
 * loss = (w * x - 5)**2
 * loss.backward(retain_graph=True)
 * loss.backward()
 * print(f"w.grad: {w.grad}")
 * }</pre>
 */
public final class BackwardTwice {
    private BackwardTwice() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        Tensor x = Ember.tensor(2.0);
        Tensor loss = w.mul(x).sub(5).pow(2);

        loss.backward();
        out.println("w.grad: " + w.grad());
        try {
            loss.backward(); // ERROR! Graph was freed
        } catch (AutogradException e) {
            out.println("caught " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        // FIX: If you need to call twice, retain the graph
        w.grad().zero_();
        loss = w.mul(x).sub(5).pow(2);
        loss.backward(GradOptions.retainGraph());
        loss.backward();
        out.println("w.grad: " + w.grad()); // -12 twice
    }
}
