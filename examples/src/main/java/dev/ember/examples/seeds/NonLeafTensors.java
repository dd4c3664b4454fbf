package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 004, "Autograd Fundamentals", section "Core Concepts", "Non-Leaf Tensors": results of operations have a
 * grad_fn. (PyTorch prints a node as {@code <MulBackward0 object at 0x...>}; Ember as {@code <MulBackward>}.)
 *
 * <pre>{@code
 * x = torch.tensor([1., 2., 3.], requires_grad=True)  # Leaf
 * y = 2 * x    # Non-leaf (result of multiplication)
 * z = y ** 2   # Non-leaf (result of power)
 *
 * print(f"y.is_leaf: {y.is_leaf}")        # False
 * print(f"y.grad_fn: {y.grad_fn}")        # <MulBackward0>
 * print(f"z.grad_fn: {z.grad_fn}")        # <PowBackward0>
 * }</pre>
 */
public final class NonLeafTensors {
    private NonLeafTensors() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.tensor(1., 2., 3.).requiresGrad_(); // Leaf
        Tensor y = x.mul(2);   // Non-leaf (result of multiplication)
        Tensor z = y.pow(2);   // Non-leaf (result of power)

        out.println("y.is_leaf: " + y.isLeaf());   // false
        out.println("y.grad_fn: " + y.gradFn());   // <MulBackward>
        out.println("z.grad_fn: " + z.gradFn());   // <PowBackward>
    }
}
