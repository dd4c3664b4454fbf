package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Dual;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;

import java.io.PrintStream;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs", section "Forward Mode Differentiation":
 * each variable is a dual number (v, v̇), primal and tangent, and the seed's three propagation rules,
 * <pre>
 * Addition: (u, u̇) + (v, v̇) = (u + v, u̇ + v̇)
 * Multiplication: (u, u̇) × (v, v̇) = (u × v, u̇v + uv̇)
 * Function: f(u, u̇) = (f(u), f'(u) × u̇)
 * </pre>
 * run with forward-mode autograd at u = 2, u̇ = 1, v = 3, v̇ = 0.5: the sum's tangent is 1.5, the product's
 * 1 × 3 + 2 × 0.5 = 4, and sin's cos(2) × 1. The seed states the rules only; the prints show them.
 *
 * <pre>{@code
 * import torch.autograd.forward_ad as fwAD
 *
 * u, u_dot = torch.tensor(2.0), torch.tensor(1.0)
 * v, v_dot = torch.tensor(3.0), torch.tensor(0.5)
 *
 * with fwAD.dual_level():
 *     U = fwAD.make_dual(u, u_dot)
 *     V = fwAD.make_dual(v, v_dot)
 *
 *     # Addition: (u, u') + (v, v') = (u + v, u' + v')
 *     s = fwAD.unpack_dual(U + V)
 *     print(f"sum: primal={s.primal}, tangent={s.tangent}")
 *     # Multiplication: (u, u') * (v, v') = (u * v, u'v + uv')
 *     p = fwAD.unpack_dual(U * V)
 *     print(f"product: primal={p.primal}, tangent={p.tangent}")
 *     # Function: f(u, u') = (f(u), f'(u) * u')
 *     f = fwAD.unpack_dual(torch.sin(U))
 *     print(f"sin: primal={f.primal}, tangent={f.tangent}, cos(u) * u'={torch.cos(u) * u_dot}")
 * }</pre>
 * (An f-string formats a 0-d tensor as its {@code item()}, so the Java prints {@code item()}.)
 */
public final class ForwardModeRules {
    private ForwardModeRules() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor u = Ember.scalar(2.0);
        Tensor uDot = Ember.scalar(1.0);
        Tensor v = Ember.scalar(3.0);
        Tensor vDot = Ember.scalar(0.5);

        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor dualU = ForwardAD.makeDual(u, uDot);
            Tensor dualV = ForwardAD.makeDual(v, vDot);

            // Addition: (u, u') + (v, v') = (u + v, u' + v')
            Dual s = ForwardAD.unpackDual(dualU.add(dualV));
            out.println("sum: primal=" + s.primal().item() + ", tangent=" + s.tangent().item());
            // Multiplication: (u, u') * (v, v') = (u * v, u'v + uv')
            Dual p = ForwardAD.unpackDual(dualU.mul(dualV));
            out.println("product: primal=" + p.primal().item() + ", tangent=" + p.tangent().item());
            // Function: f(u, u') = (f(u), f'(u) * u')
            Dual f = ForwardAD.unpackDual(dualU.sin());
            out.println("sin: primal=" + f.primal().item() + ", tangent=" + f.tangent().item() + ", cos(u) * u'="
                    + u.cos().mul(uDot).item());
        }
    }
}
