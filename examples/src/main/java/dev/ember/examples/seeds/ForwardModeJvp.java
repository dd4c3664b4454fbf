package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;

import java.io.PrintStream;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive", section 5 ("Forward Mode Autograd"): the Jacobian-vector product of
 * y = x^2 at x = 1 in the direction 1, computed alongside the forward pass. The print is added to show the result.
 *
 * <pre>{@code
 * import torch.autograd.forward_ad as fwAD
 *
 * x = torch.tensor(1.0)
 * tangent = torch.tensor(1.0) # Direction
 *
 * with fwAD.dual_level():
 *     dual_x = fwAD.make_dual(x, tangent)
 *     y = dual_x ** 2
 *     jvp = fwAD.unpack_dual(y).tangent
 *     # jvp = 2x * 1 = 2
 * }</pre>
 */
public final class ForwardModeJvp {
    private ForwardModeJvp() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = Ember.scalar(1.0);
        Tensor tangent = Ember.scalar(1.0); // Direction

        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor dualX = ForwardAD.makeDual(x, tangent);
            Tensor y = dualX.pow(2);
            Tensor jvp = ForwardAD.unpackDual(y).tangent();
            // jvp = 2x * 1 = 2
            out.println("jvp: " + jvp);
        }
    }
}
