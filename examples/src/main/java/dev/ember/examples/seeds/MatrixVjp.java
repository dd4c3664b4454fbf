package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.io.PrintStream;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive", section 1 ("Vector-Jacobian Product (VJP) Explained"): for y = Ax the
 * Jacobian is J = A, and backward computes vᵀJ = vᵀA without building J; "for element-wise ops like ReLU, we just
 * multiply by the local derivative (0 or 1)". The seed states this in prose; the program checks both.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * A = torch.randn(3, 2)
 * x = torch.randn(2, requires_grad=True)
 * y = A @ x  # J = A
 *
 * v = torch.tensor([1.0, 0.5, -1.0])
 * y.backward(v)  # v^T J, without building J
 * print(f"x.grad: {x.grad}")
 * print(f"v^T A:  {v @ A}")
 *
 * # Element-wise ops like ReLU: multiply by the local derivative (0 or 1)
 * z = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
 * torch.relu(z).backward(v)
 * print(f"z.grad: {z.grad}")
 * }</pre>
 */
public final class MatrixVjp {
    private MatrixVjp() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Tensor a = Ember.randn(3, 2);
        Tensor x = Ember.randn(2).requiresGrad_();
        Tensor y = a.matmul(x); // J = A

        Tensor v = Ember.tensor(1.0, 0.5, -1.0);
        y.backward(v); // v^T J, without building J
        out.println("x.grad: " + x.grad());
        out.println("v^T A:  " + v.matmul(a));

        // Element-wise ops like ReLU: multiply by the local derivative (0 or 1)
        Tensor z = Ember.tensor(-1.0, 0.5, 2.0).requiresGrad_();
        z.relu().backward(v);
        out.println("z.grad: " + z.grad());
    }
}
