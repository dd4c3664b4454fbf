package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradOptions;

import java.io.PrintStream;
import java.util.List;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs", section "Higher-Order Derivatives": first
 * order ∂f/∂x, second order ∂²f/∂x² = ∂/∂x(∂f/∂x), mixed partial ∂²f/∂x∂y = ∂/∂x(∂f/∂y), by the seed's strategy:
 * "create computation graph for first derivative ... compute second derivative through another backward pass". The
 * seed gives no function; this program uses its graph example, f(x, y) = (x + y) sin(x) at x = 2, y = 3, where
 * ∂²f/∂x² = 2 cos(x) - (x + y) sin(x) and both mixed partials are cos(x).
 *
 * <pre>{@code
 * # f(x, y) = (x + y) * sin(x), the graph example of this seed
 * x = torch.tensor(2.0, requires_grad=True)
 * y = torch.tensor(3.0, requires_grad=True)
 * f = (x + y) * torch.sin(x)
 *
 * # First order: df/dx = sin(x) + (x + y) cos(x), df/dy = sin(x)
 * df_dx, df_dy = torch.autograd.grad(f, (x, y), create_graph=True)
 * print(f"df/dx: {df_dx}")
 * print(f"df/dy: {df_dy}")
 *
 * # Second order: d2f/dx2 = 2 cos(x) - (x + y) sin(x)
 * d2f_dx2, d2f_dydx = torch.autograd.grad(df_dx, (x, y), retain_graph=True)
 * print(f"d2f/dx2: {d2f_dx2}")
 * print(f"expected: {2 * torch.cos(x.detach()) - 5 * torch.sin(x.detach())}")
 *
 * # Mixed partial: d2f/dxdy = d/dx(df/dy) = cos(x), the same as d/dy(df/dx)
 * d2f_dxdy, = torch.autograd.grad(df_dy, x)
 * print(f"d2f/dxdy: {d2f_dxdy}")
 * print(f"d2f/dydx: {d2f_dydx}")
 * print(f"cos(x): {torch.cos(x.detach())}")
 * }</pre>
 * (An f-string formats a 0-d tensor as its {@code item()}, so the Java prints {@code item()}.)
 */
public final class MixedPartials {
    private MixedPartials() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // f(x, y) = (x + y) * sin(x), the graph example of this seed
        Tensor x = Ember.scalar(2.0).requiresGrad_();
        Tensor y = Ember.scalar(3.0).requiresGrad_();
        Tensor f = x.add(y).mul(x.sin());

        // First order: df/dx = sin(x) + (x + y) cos(x), df/dy = sin(x)
        Tensor[] first = Autograd.grad(List.of(f), List.of(x, y), null, GradOptions.createGraph());
        Tensor dfDx = first[0];
        Tensor dfDy = first[1];
        out.println("df/dx: " + dfDx.item());
        out.println("df/dy: " + dfDy.item());

        // Second order: d2f/dx2 = 2 cos(x) - (x + y) sin(x)
        Tensor[] second = Autograd.grad(List.of(dfDx), List.of(x, y), null, GradOptions.retainGraph());
        Tensor d2fDx2 = second[0];
        Tensor d2fDydx = second[1];
        out.println("d2f/dx2: " + d2fDx2.item());
        out.println("expected: " + x.detach().cos().mul(2).sub(x.detach().sin().mul(5)).item());

        // Mixed partial: d2f/dxdy = d/dx(df/dy) = cos(x), the same as d/dy(df/dx)
        Tensor d2fDxdy = Autograd.grad(dfDy, x)[0];
        out.println("d2f/dxdy: " + d2fDxdy.item());
        out.println("d2f/dydx: " + d2fDydx.item());
        out.println("cos(x): " + x.detach().cos().item());
    }
}
