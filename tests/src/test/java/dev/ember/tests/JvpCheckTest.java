package dev.ember.tests;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradOptions;
import dev.ember.kernels.Gemm;
import dev.ember.nn.GeluApproximation;
import dev.ember.nn.functional.Activations;
import dev.ember.nn.functional.Layers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Forward mode checked without PyTorch, for every op, in float64 with seeded random inputs (the cases of
 * {@link GradCheckTest}: broadcasting, dims and keepDim, every matmul rank, the products and the fused linear op on
 * every GEMM route, the shape ops, non-contiguous inputs).
 * For a function f, inputs x, a fixed random tangent v per input that requires grad and a fixed random weight u per
 * floating output:
 * <ol>
 *   <li><b>finite differences</b>: the tangent of every output, J v, equals {@code (f(x + eps v) - f(x - eps v)) /
 *       2 eps} element by element;</li>
 *   <li><b>against reverse mode</b>: {@code u·(J v) = (Jᵀ u)·v}, with Jᵀ u from {@link Autograd#grad} (relative
 *       1e-10: both sides are exact up to rounding);</li>
 *   <li><b>differentiable JVPs</b> (forward-over-reverse): with the inputs requiring grad inside the dual level,
 *       the gradient of {@code u·(J v)} with respect to x, by backward through the recorded tangent computation,
 *       equals its central differences.</li>
 * </ol>
 * Outputs that are not floating point (indices, bools) must carry no tangent. A failure names the op, the check,
 * the output or input, the element, the numeric and the analytic value.
 */
class JvpCheckTest {
    static final double EPS = 1e-6;
    static final double ATOL = 1e-6;
    static final double RTOL = 1e-5;

    /** The function under test: returns a Tensor, a List of Tensors or a ValuesAndIndices. */
    @FunctionalInterface
    interface Fn {
        Object apply(Tensor[] inputs);
    }

    private final Random random = new Random(4321);
    private final List<DynamicTest> tests = new ArrayList<>();

    private void add(String name, Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> check(name, true, f, inputs)));
    }

    /**
     * Finite differences only: for in-place writes through views, which reverse mode does not record yet (with
     * inputs that require grad they fail; without, the forward-mode tangent is what is checked).
     */
    private void addForwardOnly(String name, Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> check(name, false, f, inputs)));
    }

    // ---- the checks -------------------------------------------------------------------------------------------

    static void check(String op, boolean withReverse, Fn f, Tensor... inputs) {
        Random r = new Random(op.hashCode());
        Tensor[] v = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                v[i] = randomLike(r, inputs[i]);
            }
        }
        // 1. J v by forward mode, against central differences along v
        List<Tensor> jvps = new ArrayList<>();
        List<Tensor> outs;
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor[] x = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                x[i] = v[i] == null ? plain(inputs[i]) : ForwardAD.makeDual(plain(inputs[i]), v[i]);
            }
            outs = outputs(f.apply(x));
            for (int j = 0; j < outs.size(); j++) {
                Tensor o = outs.get(j);
                Tensor t = ForwardAD.unpackDual(o).tangent();
                if (!o.dtype().isFloatingPoint()) {
                    if (t != null) {
                        throw new AssertionError(op + ": output " + j + " is " + o.dtype() + " but has a tangent");
                    }
                    jvps.add(null);
                    continue;
                }
                jvps.add(t == null ? Ember.zerosLike(o) : t.detach());
            }
        }
        List<Tensor> plus = evaluate(f, shifted(inputs, v, EPS));
        List<Tensor> minus = evaluate(f, shifted(inputs, v, -EPS));
        List<String> failures = new ArrayList<>();
        for (int j = 0; j < outs.size(); j++) {
            if (jvps.get(j) == null) {
                continue;
            }
            double[] a = jvps.get(j).toDoubleArray();
            double[] p = plus.get(j).toDoubleArray();
            double[] m = minus.get(j).toDoubleArray();
            for (int k = 0; k < a.length; k++) {
                double numeric = (p[k] - m[k]) / (2 * EPS);
                compare(failures, "J v of output " + j, outs.get(j).shape(), k, numeric, a[k], ATOL, RTOL);
            }
        }
        report(op, "finite differences of the JVP", failures);
        if (!withReverse) {
            return;
        }

        // 2. u·(J v) = (Jᵀ u)·v
        Tensor[] u = new Tensor[outs.size()];
        double forward = 0;
        for (int j = 0; j < outs.size(); j++) {
            if (jvps.get(j) != null) {
                u[j] = randomLike(r, outs.get(j));
                forward += dot(u[j], jvps.get(j));
            }
        }
        Tensor[] leaves = new Tensor[inputs.length];
        List<Tensor> req = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = plain(inputs[i]);
            if (v[i] != null) {
                leaves[i].requiresGrad_();
                req.add(leaves[i]);
            }
        }
        Tensor loss = weighted(outputs(f.apply(leaves)), u);
        double reverse = 0;
        if (loss != null && loss.requiresGrad()) {
            Tensor[] g = Autograd.grad(List.of(loss), req, null, GradOptions.allowUnused());
            int k = 0;
            for (int i = 0; i < inputs.length; i++) {
                if (v[i] != null) {
                    reverse += g[k] == null ? 0.0 : dot(g[k], v[i]);
                    k++;
                }
            }
        }
        if (!(Math.abs(forward - reverse) <= 1e-12 + 1e-10 * Math.abs(reverse)) && !(Double.isNaN(forward)
                && Double.isNaN(reverse))) {
            throw new AssertionError(op + ": u·(J v) = " + forward + " by forward mode but (Jᵀ u)·v = " + reverse
                    + " by reverse mode (difference " + (forward - reverse) + ")");
        }

        // 3. the JVP is differentiable: d(u·(J v))/dx by backward through the tangent computation, against
        // central differences of u·(J v) computed by forward mode
        Tensor[] grads;
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor[] x = new Tensor[inputs.length];
            List<Tensor> targets = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                Tensor leaf = plain(inputs[i]);
                if (v[i] != null) {
                    leaf.requiresGrad_();
                    targets.add(leaf);
                    x[i] = ForwardAD.makeDual(leaf, v[i]);
                } else {
                    x[i] = leaf;
                }
            }
            Tensor s = uDotJv(outputs(f.apply(x)), u);
            grads = s != null && s.requiresGrad()
                    ? Autograd.grad(List.of(s), targets, null, GradOptions.allowUnused())
                    : new Tensor[targets.size()];
        }
        failures.clear();
        int k = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (v[i] == null) {
                continue;
            }
            double[] analytic = grads[k] == null ? new double[inputs[i].numel()] : grads[k].toDoubleArray();
            k++;
            double[] values = inputs[i].toDoubleArray();
            for (int e = 0; e < values.length; e++) {
                double[] up = values.clone();
                up[e] += EPS;
                double[] down = values.clone();
                down[e] -= EPS;
                double numeric = (uDotJvAt(f, inputs, v, u, i, up) - uDotJvAt(f, inputs, v, u, i, down)) / (2 * EPS);
                compare(failures, "d(u·J v)/d(input " + i + ")", inputs[i].shape(), e, numeric, analytic[e], ATOL,
                        RTOL);
            }
        }
        report(op, "forward-over-reverse (the JVP differentiated by backward)", failures);
    }

    /** u·(J v) at the inputs with input i replaced by the given values (by forward mode, no grad). */
    private static double uDotJvAt(Fn f, Tensor[] inputs, Tensor[] v, Tensor[] u, int i, double[] values) {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor[] x = new Tensor[inputs.length];
            for (int j = 0; j < inputs.length; j++) {
                Tensor p = j == i ? Ember.fromArray(values, inputs[i].shape()) : plain(inputs[j]);
                x[j] = v[j] == null ? p : ForwardAD.makeDual(p, v[j]);
            }
            Tensor s = uDotJv(outputs(f.apply(x)), u);
            return s == null ? 0.0 : s.item();
        }
    }

    /** sum_j (tangent(out_j) * u_j).sum() inside the open level, or null if no output has a tangent. */
    private static Tensor uDotJv(List<Tensor> outs, Tensor[] u) {
        Tensor s = null;
        for (int j = 0; j < outs.size(); j++) {
            Tensor t = ForwardAD.unpackDual(outs.get(j)).tangent();
            if (u[j] == null || t == null) {
                continue;
            }
            Tensor term = t.mul(u[j]).sum();
            s = s == null ? term : s.add(term);
        }
        return s;
    }

    static List<Tensor> outputs(Object r) {
        if (r instanceof Tensor t) {
            return List.of(t);
        }
        if (r instanceof ValuesAndIndices vi) {
            return List.of(vi.values(), vi.indices());
        }
        List<Tensor> out = new ArrayList<>();
        for (Object o : (List<?>) r) {
            out.add((Tensor) o);
        }
        return out;
    }

    /** A float64 leaf with these values that requires grad. */
    static Tensor input(double[] values, int... shape) {
        return Ember.fromArray(values, shape).requiresGrad_();
    }

    private static Tensor weighted(List<Tensor> outs, Tensor[] u) {
        Tensor loss = null;
        for (int j = 0; j < outs.size(); j++) {
            if (u[j] == null || !outs.get(j).requiresGrad()) {
                continue;
            }
            Tensor term = outs.get(j).mul(u[j]).sum();
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    private static List<Tensor> evaluate(Fn f, Tensor[] x) {
        return outputs(f.apply(x));
    }

    private static Tensor[] shifted(Tensor[] inputs, Tensor[] v, double eps) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (v[i] == null) {
                x[i] = plain(inputs[i]);
                continue;
            }
            double[] a = inputs[i].toDoubleArray();
            double[] d = v[i].toDoubleArray();
            for (int k = 0; k < a.length; k++) {
                a[k] += eps * d[k];
            }
            x[i] = Ember.fromArray(a, inputs[i].shape());
        }
        return x;
    }

    /** A fresh tensor with t's values (no grad); non-floating tensors are used as they are. */
    private static Tensor plain(Tensor t) {
        return t.dtype().isFloatingPoint() ? Ember.fromArray(t.toDoubleArray(), t.shape()) : t;
    }

    private static Tensor randomLike(Random r, Tensor t) {
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return Ember.fromArray(v, t.shape()).to(t.dtype() == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64);
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static void compare(List<String> failures, String what, int[] shape, int k, double numeric,
            double analytic, double atol, double rtol) {
        boolean ok = Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric)
                || (Double.isNaN(numeric) && Double.isNaN(analytic));
        if (!ok) {
            failures.add(what + " at element " + k + " " + Arrays.toString(OpConformanceTest.unravel(k, shape))
                    + ": numeric " + numeric + ", analytic " + analytic + " (difference " + (analytic - numeric)
                    + ")");
        }
    }

    private static void report(String op, String check, List<String> failures) {
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(check + " failed for " + op + " (" + failures.size() + " element"
                    + (failures.size() == 1 ? "" : "s") + " off, tolerance " + ATOL + " + " + RTOL + " * |numeric|):");
            failures.stream().limit(8).forEach(s -> sb.append("\n  ").append(s));
            throw new AssertionError(sb.toString());
        }
    }

    // ---- inputs (as GradCheckTest's) --------------------------------------------------------------------------

    private Tensor rand(int... shape) {
        return fill(shape, () -> random.nextDouble() * 4 - 2);
    }

    private Tensor away(int... shape) {
        return fill(shape, () -> (0.2 + random.nextDouble() * 1.8) * (random.nextBoolean() ? 1 : -1));
    }

    private Tensor pos(int... shape) {
        return fill(shape, () -> 0.3 + random.nextDouble() * 2.2);
    }

    private Tensor distinct(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double mag = 0.15 + 1.85 * (n == 1 ? 0.5 : (double) i / (n - 1)) + (random.nextDouble() - 0.5) * 0.02;
            v.add(mag * (random.nextBoolean() ? 1 : -1));
        }
        java.util.Collections.shuffle(v, random);
        return input(v.stream().mapToDouble(Double::doubleValue).toArray(), shape);
    }

    private Tensor fill(int[] shape, java.util.function.DoubleSupplier s) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s.getAsDouble();
        }
        return input(v, shape);
    }

    private static Tensor constant(Tensor t) {
        return t.detach();
    }

    private static Tensor index(long[] values, int... shape) {
        return Ember.fromArray(values, shape);
    }

    private static Tensor mask(boolean[] values, int... shape) {
        return Ember.fromArray(values, shape);
    }

    private Tensor shiftedDistinct(int... shape) {
        return distinct(shape).add(0.05).detach().requiresGrad_();
    }

    // ---- the cases --------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> jvpCheck() {
        binary();
        unary();
        reductions();
        matmul();
        shapes();
        softmaxAndCompositions();
        inPlace();
        activations();
        org.junit.jupiter.api.Assertions.assertFalse(tests.isEmpty(), "no cases were built");
        return tests.stream();
    }

    /** erf and the activation ops of nn (GELU exact and tanh, SiLU, LeakyReLU, ELU), last: the inputs above keep
     * their random values. */
    private void activations() {
        add("erf", x -> x[0].erf(), rand(2, 3));
        add("erf transposed", x -> x[0].t().erf(), rand(3, 4));
        add("gelu", x -> Activations.gelu(x[0]), rand(2, 3));
        add("gelu tanh", x -> Activations.gelu(x[0], GeluApproximation.TANH), rand(2, 3));
        add("silu", x -> Activations.silu(x[0]), rand(2, 3));
        add("leakyRelu", x -> Activations.leakyRelu(x[0], 0.2), away(2, 3));
        add("elu", x -> Activations.elu(x[0], 0.7), away(2, 3));
        add("elu transposed", x -> Activations.elu(x[0].t(), 1.3), away(3, 4));
    }

    private static final int[][][] BROADCAST = {
        {{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{3, 1}, {1, 4}}, {{2, 3}, {}}, {{}, {2, 3}}, {{2, 1, 3}, {4, 1}},
    };

    private void binary() {
        for (int[][] s : BROADCAST) {
            String tag = Arrays.toString(s[0]) + " " + Arrays.toString(s[1]);
            add("add " + tag, x -> x[0].add(x[1]), rand(s[0]), rand(s[1]));
            add("sub " + tag, x -> x[0].sub(x[1]), rand(s[0]), rand(s[1]));
            add("mul " + tag, x -> x[0].mul(x[1]), rand(s[0]), rand(s[1]));
            add("div " + tag, x -> x[0].div(x[1]), rand(s[0]), away(s[1]));
            add("pow tensor " + tag, x -> x[0].pow(x[1]), pos(s[0]), rand(s[1]));
            add("maximum " + tag, x -> x[0].maximum(x[1]), distinct(s[0]), shiftedDistinct(s[1]));
            add("minimum " + tag, x -> x[0].minimum(x[1]), distinct(s[0]), shiftedDistinct(s[1]));
        }
        add("add one constant", x -> x[0].add(x[1]), rand(2, 3), constant(rand(3)));
        add("mul one constant", x -> x[0].mul(x[1]), constant(rand(2, 3)), rand(2, 3));
        add("div numerator constant", x -> x[0].div(x[1]), constant(rand(2, 3)), away(3));
        add("pow tensor exponent constant", x -> x[0].pow(x[1]), away(2, 3),
                constant(input(new double[] {2, 3, -1, 0, 1, -2}, 2, 3)));
        add("mul self", x -> x[0].mul(x[0]), rand(2, 3));
        add("add scalar", x -> x[0].add(2.5), rand(2, 3));
        add("sub scalar", x -> x[0].sub(1.5), rand(2, 3));
        add("mul scalar", x -> x[0].mul(-3.0), rand(2, 3));
        add("div scalar", x -> x[0].div(4.0), rand(2, 3));
        add("rsub scalar", x -> x[0].rsub(1.0), rand(2, 3));
        add("neg", x -> x[0].neg(), rand(2, 3));
        for (double e : new double[] {2, 3, 0.5, 2.5, -1, -2, 0, 1}) {
            Tensor base = e < 0 || e != Math.rint(e) ? pos(2, 3) : rand(2, 3);
            add("pow " + e, x -> x[0].pow(e), base);
        }
        add("add transposed", x -> x[0].t().add(x[1]), rand(3, 2), rand(2, 3));
        add("mul transposed both", x -> x[0].t().mul(x[1].t()), rand(3, 2), rand(3, 2));
        add("div strided slice", x -> x[0].slice(1, 0, 6, 2).div(x[1]), rand(2, 6), away(2, 3));
        add("sub expanded", x -> x[0].expand(2, 3).sub(x[1]), rand(1, 3), rand(2, 3));
        add("comparisons carry no tangent", x -> List.of(x[0].gt(x[1]), x[0].eq(0.5), x[0].isnan(),
                x[0].mul(x[1])), rand(2, 3), rand(2, 3));
    }

    private void unary() {
        add("exp", x -> x[0].exp(), rand(2, 3));
        add("log", x -> x[0].log(), pos(2, 3));
        add("sqrt", x -> x[0].sqrt(), pos(2, 3));
        add("abs", x -> x[0].abs(), away(2, 3));
        add("sign (zero tangent)", x -> x[0].sign(), away(2, 3));
        add("sin", x -> x[0].sin(), rand(2, 3));
        add("cos", x -> x[0].cos(), rand(2, 3));
        add("tanh", x -> x[0].tanh(), rand(2, 3));
        add("sigmoid", x -> x[0].sigmoid(), rand(2, 3));
        add("relu", x -> x[0].relu(), away(2, 3));
        add("exp 0-d", x -> x[0].exp(), rand());
        add("clamp", x -> x[0].clamp(-0.55, 0.75), distinct(3, 4));
        add("clampMin", x -> x[0].clampMin(0.1), distinct(3, 4));
        add("clampMax", x -> x[0].clampMax(-0.1), distinct(3, 4));
        add("where", x -> Ember.where(x[0], x[1], x[2]),
                mask(new boolean[] {true, false, false, true, true, false}, 2, 3), rand(2, 3), rand(2, 3));
        add("where broadcast", x -> Ember.where(x[0], x[1], x[2]), mask(new boolean[] {true, false, true}, 3),
                rand(2, 1), rand());
        add("where one constant", x -> Ember.where(x[0], x[1], x[2]), mask(new boolean[] {true, false}, 2, 1),
                rand(2, 3), constant(rand(3)));
        add("where from comparison", x -> Ember.where(x[0].gt(0.0), x[0].mul(x[0]), x[0].exp()), away(2, 3));
        for (String op : List.of("exp", "log", "sqrt", "abs", "sin", "tanh", "sigmoid", "relu", "neg")) {
            add(op + " transposed", x -> unaryOp(op, x[0].t()), op.equals("log") || op.equals("sqrt") ? pos(3, 4)
                    : away(3, 4));
        }
        add("clamp transposed", x -> x[0].t().clamp(-0.5, 0.5), distinct(3, 4));
        add("exp of a select", x -> x[0].select(1, 1).exp(), rand(3, 4));
        add("clone, contiguous, to", x -> List.of(x[0].clone(), x[0].t().contiguous(), x[0].to(DType.FLOAT64),
                x[0].to(DType.INT64)), rand(2, 3));
    }

    private static Tensor unaryOp(String op, Tensor t) {
        return switch (op) {
            case "exp" -> t.exp();
            case "log" -> t.log();
            case "sqrt" -> t.sqrt();
            case "abs" -> t.abs();
            case "sin" -> t.sin();
            case "tanh" -> t.tanh();
            case "sigmoid" -> t.sigmoid();
            case "relu" -> t.relu();
            case "neg" -> t.neg();
            default -> throw new IllegalArgumentException(op);
        };
    }

    private void reductions() {
        add("sum all", x -> x[0].sum(), rand(2, 3, 4));
        add("sum dim 1", x -> x[0].sum(1, false), rand(2, 3, 4));
        add("sum dims 0,2 keepDim", x -> x[0].sum(new int[] {0, 2}, true), rand(2, 3, 4));
        add("sum 0-d", x -> x[0].sum(), rand());
        add("sum transposed dim 0", x -> x[0].t().sum(0, false), rand(3, 4));
        add("sumTo", x -> x[0].sumTo(3, 1), rand(2, 3, 4));
        add("mean all", x -> x[0].mean(), rand(2, 3, 4));
        add("mean dim 0", x -> x[0].mean(0, false), rand(2, 3, 4));
        add("mean dims 1,2 keepDim", x -> x[0].mean(new int[] {1, 2}, true), rand(2, 3, 4));
        add("max all", x -> x[0].max(), distinct(3, 4));
        add("min all", x -> x[0].min(), distinct(3, 4));
        add("max dim 1", x -> x[0].max(1, false), distinct(3, 4));
        add("max dim 0 keepDim", x -> x[0].max(0, true), distinct(3, 4));
        add("min dim -1", x -> x[0].min(-1, false), distinct(2, 3, 4));
        add("min dim 1 keepDim", x -> x[0].min(1, true), distinct(2, 3, 4));
        add("max dim 0 transposed", x -> x[0].t().max(0, false), distinct(3, 4));
        add("max dim of 0-d", x -> x[0].max(0, false), rand());
        add("argmax (no tangent)", x -> x[0].argmax(1, false), distinct(3, 4));
        add("var all", x -> x[0].var(), rand(2, 3, 4));
        add("var dim 1 biased", x -> x[0].var(1, false, false), rand(2, 3, 4));
        add("var dims 0,2 keepDim", x -> x[0].var(new int[] {0, 2}, true, true), rand(2, 3, 4));
        add("std all", x -> x[0].std(), rand(2, 3, 4));
        add("std dim -1 keepDim", x -> x[0].std(-1, true, true), rand(2, 3, 4));
        add("std dims 0,1 biased", x -> x[0].std(new int[] {0, 1}, false, false), rand(2, 3, 4));
        add("std transposed dim 0", x -> x[0].t().std(0, true, false), rand(3, 4));
        add("logsumexp dim 1", x -> x[0].logsumexp(1, false), rand(2, 3, 4));
        add("logsumexp dims 0,2 keepDim", x -> x[0].logsumexp(new int[] {0, 2}, true), rand(2, 3, 4));
        add("logsumexp transposed dim 0", x -> x[0].t().logsumexp(0, false), rand(3, 4));
        add("norm 2 all", x -> x[0].norm(), rand(2, 3, 4));
        add("norm 1 all", x -> x[0].norm(1.0), away(3, 4));
        add("norm 3 dim 1", x -> x[0].norm(3.0, 1, false), away(3, 4));
        add("norm inf all", x -> x[0].norm(Double.POSITIVE_INFINITY), distinct(3, 4));
        add("norm inf dim 0 keepDim", x -> x[0].norm(Double.POSITIVE_INFINITY, 0, true), distinct(3, 4));
        add("norm 2 dims 0,2 keepDim", x -> x[0].norm(2.0, new int[] {0, 2}, true), rand(2, 3, 4));
        add("norm 1 dim -1", x -> x[0].norm(1.0, -1, false), away(2, 3, 4));
        add("norm 1.5 dim 1", x -> x[0].norm(1.5, 1, false), away(3, 4));
        add("norm 0.5 all", x -> x[0].norm(0.5), away(3, 4));
        add("norm -1 dim 0", x -> x[0].norm(-1.0, 0, true), away(3, 4));
        add("norm -inf dim 1", x -> x[0].norm(Double.NEGATIVE_INFINITY, 1, false), distinct(3, 4));
        add("norm 0 (a count: zero tangent)", x -> x[0].norm(0.0, 1, false), away(3, 4));
    }

    private void matmul() {
        add("matmul dot", x -> x[0].matmul(x[1]), rand(4), rand(4));
        add("matmul mv", x -> x[0].matmul(x[1]), rand(3, 4), rand(4));
        add("matmul vm", x -> x[0].matmul(x[1]), rand(4), rand(4, 5));
        add("matmul mm", x -> x[0].matmul(x[1]), rand(3, 4), rand(4, 5));
        add("matmul bmm", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(2, 4, 5));
        add("matmul batch broadcast", x -> x[0].matmul(x[1]), rand(2, 1, 3, 4), rand(3, 4, 2));
        add("matmul batched matrix", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(4, 2));
        add("matmul vector batched", x -> x[0].matmul(x[1]), rand(3), rand(2, 3, 4));
        add("matmul batched vector", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(4));
        add("matmul one constant", x -> x[0].matmul(x[1]), rand(3, 4), constant(rand(4, 2)));
        add("matmul transposed operands", x -> x[0].t().matmul(x[1].t()), rand(4, 3), rand(5, 4));
        add("matmul self", x -> x[0].matmul(x[0]), rand(3, 3));
        for (Gemm.Route route : Gemm.routes()) {
            String r = " [" + route + "]";
            addOn(route, "matmul mm large" + r, x -> x[0].matmul(x[1]).sum(1, false), rand(32, 32), rand(32, 32));
            addOn(route, "matmul transposed operands" + r, x -> x[0].t().matmul(x[1].t()), rand(4, 3), rand(5, 4));
            addOn(route, "linear" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(3, 4), rand(5, 4), rand(5));
            addOn(route, "linear no bias, transposed weight" + r, x -> Layers.linear(x[0], x[1].t(), null),
                    rand(3, 4), rand(4, 2));
            addOn(route, "linear 3-d input" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(2, 3, 4), rand(2, 4),
                    rand(2));
            addOn(route, "linear constant weight" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(3, 4),
                    constant(rand(2, 4)), rand(2));
            addOn(route, "linear bias only" + r, x -> Layers.linear(x[0], x[1], x[2]), constant(rand(3, 4)),
                    constant(rand(2, 4)), rand(2));
            addOn(route, "linear large" + r, x -> Layers.linear(x[0], x[1], x[2]).sum(1, false), rand(16, 40),
                    rand(24, 40), rand(24));
        }
    }

    /** A case with every GEMM forced onto one route. */
    private void addOn(Gemm.Route route, String name, Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
            try (Gemm.Scope s = Gemm.force(route)) {
                check(name, true, f, inputs);
            }
        }));
    }

    private void shapes() {
        add("transpose", x -> x[0].transpose(0, 1), rand(2, 3));
        add("transpose 3-d negative", x -> x[0].transpose(-1, 0), rand(2, 3, 4));
        add("transpose 0-d", x -> x[0].transpose(0, -1), rand());
        add("t", x -> x[0].t(), rand(2, 3));
        add("permute", x -> x[0].permute(2, 0, 1), rand(2, 3, 4));
        add("reshape (view)", x -> x[0].reshape(4, -1), rand(2, 3, 4));
        add("reshape (copy of a transpose)", x -> x[0].t().reshape(6), rand(2, 3));
        add("view", x -> x[0].view(6, 4), rand(2, 3, 4));
        add("view of a transposed view", x -> x[0].t().unsqueeze(0).view(3, 2), rand(2, 3));
        add("flatten", x -> x[0].flatten(), rand(2, 3));
        add("squeeze all", x -> x[0].squeeze(), rand(2, 1, 3, 1));
        add("squeeze dim", x -> x[0].squeeze(1), rand(2, 1, 3, 1));
        add("unsqueeze -1", x -> x[0].unsqueeze(-1), rand(2, 3));
        add("expand", x -> x[0].expand(2, 3, 4), rand(3, 1));
        add("expandAs then mul", x -> x[0].expandAs(x[1]).mul(x[1]), rand(1, 3), rand(3, 3));
        add("cat dim 0", x -> Ember.cat(List.of(x[0], x[1]), 0), rand(2, 3), rand(1, 3));
        add("cat dim 1 three", x -> Ember.cat(List.of(x[0], x[1], x[2]), 1), rand(2, 1), rand(2, 3), rand(2, 2));
        add("cat dim -1 one constant", x -> Ember.cat(List.of(x[0], x[1]), -1), rand(2, 2), constant(rand(2, 3)));
        add("cat skips legacy empty", x -> Ember.cat(List.of(x[0], x[1], x[2]), 1), rand(2, 3),
                input(new double[0], 0), rand(2, 1));
        add("stack dim 0", x -> Ember.stack(List.of(x[0], x[1]), 0), rand(2, 3), rand(2, 3));
        add("stack dim 2 one constant", x -> Ember.stack(List.of(x[0], x[1], x[2]), 2), rand(2, 3),
                constant(rand(2, 3)), rand(2, 3));
        add("split size", x -> x[0].split(2, 1), rand(2, 5));
        add("split sizes", x -> x[0].split(new int[] {1, 3, 1}, 1), rand(2, 5));
        add("narrow negative start", x -> x[0].narrow(0, -3, 2), rand(4, 3));
        add("select", x -> x[0].select(1, 2), rand(2, 3, 4));
        add("get", x -> x[0].get(-1), rand(3, 4));
        add("slice step 2", x -> x[0].slice(1, 1, 6, 2), rand(3, 7));
        add("slice step 3 of a transpose", x -> x[0].t().slice(0, 0, 7, 3), rand(3, 7));
        add("gather dim 1 with repeats", x -> x[0].gather(1, x[1]), rand(3, 4),
                index(new long[] {0, 0, 3, 1, 2, 2}, 3, 2));
        add("gather of a transpose", x -> x[0].t().gather(1, x[1]), rand(4, 3),
                index(new long[] {0, 0, 3, 1, 2, 2}, 3, 2));
        add("indexSelect dim 0 with repeats", x -> x[0].indexSelect(0, x[1]), rand(3, 4),
                index(new long[] {2, 0, 2}, 3));
        add("indexSelect of a 0-d tensor", x -> x[0].indexSelect(0, x[1]), rand(), index(new long[] {0, 0}, 2));
        // the adjoints used by backward formulas (linear in src)
        Tensor idx = index(new long[] {0, 0, 3, 1, 2, 2}, 3, 2);
        add("scatterAdd", x -> dev.ember.ops.Indexing.scatterAdd(new int[] {3, 4}, 1, idx, x[0]), rand(3, 2));
        add("indexAdd", x -> dev.ember.ops.Indexing.indexAdd(new int[] {3, 4}, 0, index(new long[] {2, 0, 2}, 3),
                x[0]), rand(3, 4));
        add("sliceScatter", x -> dev.ember.ops.Indexing.sliceScatter(new int[] {3, 7}, x[0], 1, 1, 6, 2), rand(3, 3));
    }

    private void softmaxAndCompositions() {
        add("softmax dim 1", x -> x[0].softmax(1), rand(3, 4));
        add("softmax 3-d dim -1", x -> x[0].softmax(-1), rand(2, 3, 4));
        add("softmax transposed", x -> x[0].t().softmax(1), rand(3, 4));
        add("logSoftmax dim 1", x -> x[0].logSoftmax(1), rand(3, 4));
        add("logSoftmax transposed", x -> x[0].t().logSoftmax(0), rand(3, 4));
        add("mlp layer", x -> x[0].matmul(x[1]).add(x[2]).tanh().sum(1, false), rand(4, 3), rand(3, 5), rand(5));
        add("cross entropy", x -> x[0].logSoftmax(1).gather(1, x[1]).mean().neg(), rand(4, 3),
                index(new long[] {0, 2, 1, 2}, 4, 1));
        add("mse", x -> x[0].sub(x[1]).pow(2.0).mean(), rand(2, 3), constant(rand(2, 3)));
        add("layer norm", x -> {
            Tensor mu = x[0].mean(1, true);
            Tensor sd = x[0].var(1, false, true).add(1e-5).sqrt();
            return x[0].sub(mu).div(sd);
        }, rand(3, 4));
        // a gradient computed inside the level: the backward formulas themselves carry tangents (a Hessian-vector
        // product by forward-over-reverse; checked against finite differences of the gradient)
        add("gradient of tanh(x W).sum()", x -> {
            Tensor w = x[1].requiresGrad_();   // a leaf here or already requiring grad; detach() would drop the tangent
            Tensor y = x[0].matmul(w).tanh().pow(2.0).sum();
            return Autograd.grad(List.of(y), List.of(w), null, GradOptions.createGraph())[0];
        }, rand(2, 3), rand(3, 2));
    }

    /** In-place ops on clones of dual tensors: the tangent is updated in place along with the values. */
    private void inPlace() {
        add("add_ mul_ sub_ div_ in place", x -> {
            Tensor y = x[0].clone();
            y.add_(x[1]).mul_(x[1]).sub_(2.0).div_(x[1].abs().add(1.0));
            return y;
        }, rand(2, 3), rand(2, 3));
        add("pow_ neg_ clamp_ relu_", x -> {
            Tensor y = x[0].mul(1.0);
            y.pow_(3.0).neg_().clamp_(-1.5, 1.5).relu_();
            return y;
        }, distinct(3, 4));
        addForwardOnly("in place into a view of a clone", x -> {
            Tensor y = x[0].clone();
            y.select(0, 1).mul_(x[1]);
            y.slice(1, 0, 3, 2).add_(x[1].narrow(0, 0, 2));
            return y;
        }, rand(2, 3), rand(3));
        addForwardOnly("copy_ into a view of a plain tensor", x -> {
            Tensor y = Ember.zeros(DType.FLOAT64, 3, 3);
            y.narrow(0, 1, 2).copy_(x[0]);
            return y.mul(x[1]);
        }, rand(2, 3), rand(3, 3));
        addForwardOnly("fill_ and zero_ end the dependence", x -> {
            Tensor y = x[0].exp();
            Tensor z = x[0].mul(2.0);
            y.fill_(2.0);
            z.select(0, 0).zero_();
            return List.of(y, z);
        }, rand(2, 3));
    }
}
