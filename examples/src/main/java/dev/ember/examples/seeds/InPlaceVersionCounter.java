package dev.ember.examples.seeds;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive", section 4 ("In-Place Operations and Version Counter"). The seed
 * describes the error in prose; this program triggers it (y = x * w saves x, then {@code x += 1}), catches it,
 * and then shows the out-of-place form that works.
 *
 * <pre>{@code
 * w = torch.tensor([1.0, 2.0], requires_grad=True)
 * x = torch.tensor([3.0, 4.0])
 *
 * y = x * w
 * print(f"x._version: {x._version}")
 * x += 1
 * print(f"x._version: {x._version}")
 * try:
 *     y.sum().backward()
 * except RuntimeError as e:
 *     print(f"caught {type(e).__name__}: {e}")
 *
 * x = torch.tensor([3.0, 4.0])
 * y = x * w
 * x = x + 1
 * print(f"x._version: {x._version}")
 * y.sum().backward()
 * print(f"w.grad: {w.grad}")
 * }</pre>
 */
public final class InPlaceVersionCounter {
    private InPlaceVersionCounter() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Every tensor has a _version counter.
        //   x = x + 1 -> New tensor.
        //   x += 1    -> In-place. Increments version.
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);

        // If you save x for backward (e.g., in y = x * w) ...
        Tensor y = x.mul(w);
        out.println("x._version: " + x.version());
        // ... and then modify x in-place (x += 1) ...
        x.add_(1);
        out.println("x._version: " + x.version());
        // ... and then call y.backward(), the engine sees that the version of x has changed since it was saved.
        try {
            y.sum().backward();
        } catch (AutogradException e) {
            out.println("caught " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        // x = x + 1 -> New tensor: the x that MulBackward saved is untouched, and backward works
        x = Ember.tensor(3.0, 4.0);
        y = x.mul(w);
        x = x.add(1);
        out.println("x._version: " + x.version());
        y.sum().backward();
        out.println("w.grad: " + w.grad()); // the x that was saved: [3., 4.]
    }
}
