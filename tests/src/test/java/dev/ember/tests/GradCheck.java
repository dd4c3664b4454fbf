package dev.ember.tests;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.GradCheckException;
import dev.ember.autograd.GradCheckOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The op tests' thin adapter over the public checker {@link dev.ember.autograd.GradCheck}: it accepts ops that
 * return a Tensor, a List of Tensors or a ValuesAndIndices, names the op in failures, and fixes the tolerances.
 *
 * <pre>{@code
 * GradCheck.check("mul", x -> x[0].mul(x[1]), GradCheck.input(a), GradCheck.input(b));
 * }</pre>
 *
 * <p>{@link #OPTIONS}: the full Jacobian, element by element, in reverse mode and in forward mode (second order:
 * reverse over reverse and forward over reverse), with tolerances 10 to 100 times tighter than PyTorch's defaults
 * (atol 1e-5, rtol 1e-3): central differences with eps = 1e-6 in float64 carry a truncation error of about
 * eps^2 |f'''| (1e-12) and a rounding error of about 1e-16 |f| / eps (1e-10 for the values here), far below
 * atol 1e-6 + rtol 1e-5 |numeric|.
 */
public final class GradCheck {
    /** The finite-difference step (PyTorch's default). */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-6;
    public static final double RTOL = 1e-5;
    /** Reverse and forward mode, the tolerances above. */
    public static final GradCheckOptions OPTIONS = GradCheckOptions.DEFAULT.eps(EPS).atol(ATOL).rtol(RTOL)
            .checkForwardAd(true);

    private GradCheck() {
    }

    /** The function under test: returns a Tensor, a List of Tensors or a ValuesAndIndices. */
    @FunctionalInterface
    public interface Fn {
        Object apply(Tensor[] inputs);
    }

    /** First- and second-order checks of every element. */
    public static void check(String op, Fn f, Tensor... inputs) {
        check(op, OPTIONS, f, inputs);
    }

    /** First- and second-order checks of at most maxElements (randomly chosen) elements of each input and output. */
    public static void check(String op, int maxElements, Fn f, Tensor... inputs) {
        check(op, OPTIONS.maxElements(maxElements), f, inputs);
    }

    /** First- and second-order checks with the given options. */
    public static void check(String op, GradCheckOptions options, Fn f, Tensor... inputs) {
        Function<Tensor[], Tensor[]> g = function(f);
        named(op, () -> dev.ember.autograd.GradCheck.gradcheck(g, inputs, options));
        named(op, () -> dev.ember.autograd.GradCheck.gradgradcheck(g, inputs, null, options));
    }

    /** First-order check only. */
    public static void gradcheck(String op, Fn f, Tensor... inputs) {
        named(op, () -> dev.ember.autograd.GradCheck.gradcheck(function(f), inputs, OPTIONS));
    }

    /** A float64 leaf with these values that requires grad. */
    public static Tensor input(double[] values, int... shape) {
        return Ember.fromArray(values, shape).requiresGrad_();
    }

    /** The op as a function of Tensor[] returning Tensor[] (ValuesAndIndices: values, then indices). */
    public static Function<Tensor[], Tensor[]> function(Fn f) {
        return x -> outputs(f.apply(x)).toArray(new Tensor[0]);
    }

    static List<Tensor> outputs(Object r) {
        if (r instanceof Tensor t) {
            return List.of(t);
        }
        if (r instanceof ValuesAndIndices vi) {
            return List.of(vi.values(), vi.indices());
        }
        if (r instanceof List<?> l) {
            List<Tensor> out = new ArrayList<>();
            for (Object o : l) {
                out.add((Tensor) o);
            }
            return out;
        }
        throw new IllegalArgumentException("the function returned " + r + "; return a Tensor, a List<Tensor> or a "
                + "ValuesAndIndices");
    }

    private static void named(String op, java.util.function.BooleanSupplier check) {
        try {
            org.junit.jupiter.api.Assertions.assertTrue(check.getAsBoolean(), op);
        } catch (GradCheckException e) {
            throw new AssertionError(op + ": " + e.getMessage(), e);
        }
    }
}
