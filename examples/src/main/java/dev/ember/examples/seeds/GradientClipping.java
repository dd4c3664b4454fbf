package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.Linear;
import dev.ember.nn.functional.Losses;
import dev.ember.nn.utils.ClipGrad;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 8 ("Exploding Gradients ... Solution: Gradient
 * clipping"): {@code torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)}; and seed 002's formula
 * ("Gradient Clipping Theory"), g_clipped = g × min(1, threshold / ||g||), checked against the result. The seeds
 * leave {@code model} undefined; here a linear layer with far-off targets has a gradient of norm 10.2, which
 * clipping scales to norm 1. With a threshold above the norm, the gradients are left as they are.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * model = nn.Linear(4, 2)
 * x = torch.randn(8, 4)
 * target = 10 * torch.randn(8, 2)
 * nn.functional.mse_loss(model(x), target).backward()
 * g = [p.grad.clone() for p in model.parameters()]
 *
 * def grad_norm():
 *     return torch.cat([p.grad.flatten() for p in model.parameters()]).norm()
 *
 * print(f"gradient norm: {grad_norm():.4f}")
 *
 * # Gradient Clipping (prevents explosion)
 * total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
 * print(f"clip_grad_norm_ returned: {total_norm:.4f}")
 * print(f"gradient norm after: {grad_norm():.4f}")
 *
 * # g_clipped = g * min(1, threshold / ||g||)
 * scale = min(1.0, 1.0 / total_norm.item())
 * print(f"g * min(1, 1 / ||g||): {all(torch.allclose(p.grad, gp * scale) for p, gp in zip(model.parameters(), g))}")
 *
 * # Below the threshold, the gradients are left as they are
 * before = [p.grad.clone() for p in model.parameters()]
 * total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
 * print(f"max_norm=5: returned {total_norm:.4f}, "
 *       f"unchanged: {all(torch.equal(p.grad, b) for p, b in zip(model.parameters(), before))}")
 * }</pre>
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Linear model = new Linear(4, 2);
        Tensor x = Ember.randn(8, 4);
        Tensor target = Ember.randn(8, 2).mul(10);
        Losses.mseLoss(model.forward(x), target).backward();
        List<Tensor> g = grads(model);

        out.println(String.format(Locale.ROOT, "gradient norm: %.4f", gradNorm(model)));

        // Gradient Clipping (prevents explosion)
        Tensor totalNorm = ClipGrad.clipGradNorm_(model.parameters(), 1.0);
        out.println(String.format(Locale.ROOT, "clip_grad_norm_ returned: %.4f", totalNorm.item()));
        out.println(String.format(Locale.ROOT, "gradient norm after: %.4f", gradNorm(model)));

        // g_clipped = g * min(1, threshold / ||g||)
        double scale = Math.min(1.0, 1.0 / totalNorm.item());
        boolean formula = true;
        for (int i = 0; i < g.size(); i++) {
            formula &= model.parameters().get(i).grad().allclose(g.get(i).mul(scale));
        }
        out.println("g * min(1, 1 / ||g||): " + formula);

        // Below the threshold, the gradients are left as they are
        List<Tensor> before = grads(model);
        totalNorm = ClipGrad.clipGradNorm_(model.parameters(), 5.0);
        boolean unchanged = true;
        for (int i = 0; i < before.size(); i++) {
            Tensor now = model.parameters().get(i).grad();
            unchanged &= now.eq(before.get(i)).all(); // torch.equal
        }
        out.println(String.format(Locale.ROOT, "max_norm=5: returned %.4f, unchanged: %s", totalNorm.item(), unchanged));
    }

    /** Copies of the parameters' gradients. */
    private static List<Tensor> grads(Linear model) {
        List<Tensor> copies = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            copies.add(p.grad().clone());
        }
        return copies;
    }

    /** The norm of all gradient elements as one vector. */
    private static double gradNorm(Linear model) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            flat.add(p.grad().flatten());
        }
        return Ember.cat(flat, 0).norm().item();
    }
}
