package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.examples.bench.Timer.Measurement;
import dev.ember.kernels.Gemm;

import java.util.List;
import java.util.Locale;

/**
 * Every GEMM route of Ember's kernels ({@link Gemm.Route}: Java loops, the native BLAS on the arrays in place,
 * ND4J's GEMM with copies) timed on the products the workloads W1–W3 run (forward x·Wᵀ, backward dY·W and
 * dYᵀ·X), in float32, plus a few squares: where the Java loop stops paying ({@code Gemm.JAVA_LIMIT}) and what the
 * copies into and out of INDArrays cost. Each figure is the median time per {@code a.matmul(b)} (Timer's samples).
 *
 * <pre>{@code
 * java -cp examples/target/classes:$(cat examples/target/cp.txt) dev.ember.examples.bench.GemmRoutes [--quick]
 * }</pre>
 */
public final class GemmRoutes {
    /** One product: a [m, k] times b [k, n], b given as the transpose of a contiguous [n, k] when bTransposed. */
    private record Shape(String what, int m, int k, int n, boolean bTransposed) {
        long macs() {
            return (long) m * k * n;
        }
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("W1 forward x·W1ᵀ", 8, 2, 16, true),
            new Shape("W1 forward x·W3ᵀ", 8, 16, 1, true),
            new Shape("W1 forward x·W2ᵀ", 8, 16, 16, true),
            new Shape("W1 backward dYᵀ·X (W2)", 16, 8, 16, false),
            new Shape("square 16", 16, 16, 16, false),
            new Shape("square 32", 32, 32, 32, false),
            new Shape("square 64", 64, 64, 64, false),
            new Shape("W2 forward x·W2ᵀ", 64, 128, 10, true),
            new Shape("W2 backward dY·W2", 64, 10, 128, false),
            new Shape("W2 backward dYᵀ·X (W2)", 10, 64, 128, false),
            new Shape("W2 forward x·W1ᵀ", 64, 784, 128, true),
            new Shape("W2 backward dYᵀ·X (W1)", 128, 64, 784, false),
            new Shape("W3 forward x·W1ᵀ", 256, 1024, 2048, true),
            new Shape("W3 forward x·W2ᵀ", 256, 2048, 2048, true),
            new Shape("W3 backward dY·W2", 256, 2048, 2048, false),
            new Shape("W3 backward dYᵀ·X (W2)", 2048, 256, 2048, false),
            new Shape("W3 backward dYᵀ·X (W1)", 2048, 256, 1024, false));

    private GemmRoutes() {
    }

    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        Timer timer = quick ? Timer.quick(false) : Timer.full(false);
        System.out.println("GEMM routes, float32, µs per a.matmul(b) (" + timer.describe() + ")");
        System.out.println("auto route: " + Gemm.describe());
        List<Gemm.Route> routes = Gemm.routes();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s %16s %10s", "product", "m×k×n",
                "MACs"));
        for (Gemm.Route r : routes) {
            head.append(String.format(Locale.ROOT, " %18s", r));
        }
        System.out.println(head + "   auto takes");
        Ember.manualSeed(0);
        for (Shape s : SHAPES) {
            Tensor a = Ember.randn(s.m(), s.k());
            Tensor b = s.bTransposed() ? Ember.randn(s.n(), s.k()).t() : Ember.randn(s.k(), s.n());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %16s %,10d", s.what(),
                    s.m() + "×" + s.k() + "×" + s.n(), s.macs()));
            for (Gemm.Route r : routes) {
                if (r == Gemm.Route.JAVA && s.macs() > 50_000_000L) {
                    line.append(String.format(Locale.ROOT, " %18s", "(skipped)"));   // seconds per call
                    continue;
                }
                Measurement m;
                try (Gemm.Scope scope = Gemm.force(r)) {
                    m = timer.measure(() -> Timer.sink = a.matmul(b));
                }
                line.append(String.format(Locale.ROOT, " %9.2f (%5.1f GF)", m.median(),
                        2.0 * s.macs() / m.median() / 1e3));
            }
            System.out.println(line + "   " + Gemm.routeFor(s.macs()));
        }
    }
}
