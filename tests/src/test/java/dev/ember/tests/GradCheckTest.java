package dev.ember.tests;

import dev.ember.Ember;
import dev.ember.Tensor;
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
 * First- and second-order finite-difference checks of every differentiable op, through the public checker
 * ({@link dev.ember.autograd.GradCheck}'s gradcheck and gradgradcheck, via the adapter {@link GradCheck}), in float64
 * with seeded random inputs: broadcasting variants of the binary ops, dims and keepDim variants of the reductions,
 * every matmul rank combination, the products and the fused linear op on every GEMM route (the Java loop, the native
 * BLAS, ND4J's GEMM; large products checked on a random sub-Jacobian) with operands of every layout, the shape ops, and the ops applied to non-contiguous inputs (transposed, sliced, expanded views).
 * Each case compares the full Jacobian element by element in reverse and forward mode, and the Jacobian of the
 * gradients (with respect to the inputs and the grad_outputs) reverse over reverse and forward over reverse.
 * Inputs are kept away from the points where an op is not differentiable (a finite difference across a kink is
 * meaningless).
 */
class GradCheckTest {
    private final Random random = new Random(1234);
    private final List<DynamicTest> tests = new ArrayList<>();

    private void add(String name, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(name, f, inputs)));
    }

    private void addSampled(String name, int maxElements, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(name, maxElements, f, inputs)));
    }

    // ---- inputs -----------------------------------------------------------------------------------------------

    /** Uniform in [-2, 2]. */
    private Tensor rand(int... shape) {
        return fill(shape, () -> random.nextDouble() * 4 - 2);
    }

    /** |x| in [0.2, 2], random sign: away from 0. */
    private Tensor away(int... shape) {
        return fill(shape, () -> (0.2 + random.nextDouble() * 1.8) * (random.nextBoolean() ? 1 : -1));
    }

    /** In [0.3, 2.5]. */
    private Tensor pos(int... shape) {
        return fill(shape, () -> 0.3 + random.nextDouble() * 2.2);
    }

    /** No two values (or absolute values) closer than about 0.1: a shuffle of evenly spaced values. */
    private Tensor distinct(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double mag = 0.15 + 1.85 * (n == 1 ? 0.5 : (double) i / (n - 1)) + (random.nextDouble() - 0.5) * 0.02;
            v.add(mag * (random.nextBoolean() ? 1 : -1));
        }
        java.util.Collections.shuffle(v, random);
        return GradCheck.input(v.stream().mapToDouble(Double::doubleValue).toArray(), shape);
    }

    private Tensor fill(int[] shape, java.util.function.DoubleSupplier s) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s.getAsDouble();
        }
        return GradCheck.input(v, shape);
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

    // ---- the cases --------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> gradcheck() {
        binary();
        unary();
        reductions();
        matmul();
        shapes();
        softmaxAndCompositions();
        incomingGradientLayouts();
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
            add("maximum " + tag, x -> x[0].maximum(x[1]), distinct(s[0]), distinct(s[1]).add(0.05).detach()
                    .requiresGrad_());
            add("minimum " + tag, x -> x[0].minimum(x[1]), distinct(s[0]), distinct(s[1]).add(0.05).detach()
                    .requiresGrad_());
        }
        add("add one constant", x -> x[0].add(x[1]), rand(2, 3), constant(rand(3)));
        add("mul one constant", x -> x[0].mul(x[1]), constant(rand(2, 3)), rand(2, 3));
        add("div numerator constant", x -> x[0].div(x[1]), constant(rand(2, 3)), away(3));
        add("pow tensor exponent constant", x -> x[0].pow(x[1]), away(2, 3),
                constant(GradCheck.input(new double[] {2, 3, -1, 0, 1, -2}, 2, 3)));
        add("mul self", x -> x[0].mul(x[0]), rand(2, 3));
        add("add scalar", x -> x[0].add(2.5), rand(2, 3));
        add("sub scalar", x -> x[0].sub(1.5), rand(2, 3));
        add("mul scalar", x -> x[0].mul(-3.0), rand(2, 3));
        add("div scalar", x -> x[0].div(4.0), rand(2, 3));
        add("rsub scalar", x -> x[0].rsub(1.0), rand(2, 3));
        add("neg", x -> x[0].neg(), rand(2, 3));
        for (double e : new double[] {2, 3, 0.5, 2.5, -1, -2, 0, 1}) {
            Tensor base = e == Math.rint(e) && e != 0.0 && e > 0 ? rand(2, 3) : e < 0 || e != Math.rint(e) ? pos(2, 3)
                    : rand(2, 3);
            add("pow " + e, x -> x[0].pow(e), base);
        }
        add("pow -1 of negative values", x -> x[0].pow(-1.0), pos(2, 3).neg().detach().requiresGrad_());
        add("pow 3 of negative values", x -> x[0].pow(3.0), pos(2, 3).neg().detach().requiresGrad_());
        // non-contiguous operands: a transposed view, a strided slice, an expanded view
        add("add transposed", x -> x[0].t().add(x[1]), rand(3, 2), rand(2, 3));
        add("mul transposed both", x -> x[0].t().mul(x[1].t()), rand(3, 2), rand(3, 2));
        add("div strided slice", x -> x[0].slice(1, 0, 6, 2).div(x[1]), rand(2, 6), away(2, 3));
        add("sub expanded", x -> x[0].expand(2, 3).sub(x[1]), rand(1, 3), rand(2, 3));
        add("pow tensor transposed", x -> x[0].t().pow(x[1].t()), pos(3, 2), rand(3, 2));
        add("maximum transposed", x -> x[0].t().maximum(x[1]), distinct(3, 2),
                distinct(2, 3).add(0.05).detach().requiresGrad_());
    }

    private void unary() {
        add("exp", x -> x[0].exp(), rand(2, 3));
        add("log", x -> x[0].log(), pos(2, 3));
        add("sqrt", x -> x[0].sqrt(), pos(2, 3));
        add("abs", x -> x[0].abs(), away(2, 3));
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
        add("where cond broadcast", x -> Ember.where(x[0], x[1], x[2]), mask(new boolean[] {true, false}, 2, 1),
                rand(2, 3), rand(3));
        add("where from comparison", x -> Ember.where(x[0].gt(0.0), x[0].mul(x[0]), x[0].exp()), away(2, 3));
        // non-contiguous inputs
        for (String op : List.of("exp", "log", "sqrt", "abs", "sin", "tanh", "sigmoid", "relu", "neg")) {
            add(op + " transposed", x -> unaryOp(op, x[0].t()), op.equals("log") || op.equals("sqrt") ? pos(3, 4)
                    : away(3, 4));
        }
        add("clamp transposed", x -> x[0].t().clamp(-0.5, 0.5), distinct(3, 4));
        add("exp of a select", x -> x[0].select(1, 1).exp(), rand(3, 4));
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
        add("sum dim -1 keepDim", x -> x[0].sum(-1, true), rand(2, 3, 4));
        add("sum 0-d", x -> x[0].sum(), rand());
        add("sum transposed dim 0", x -> x[0].t().sum(0, false), rand(3, 4));
        add("mean all", x -> x[0].mean(), rand(2, 3, 4));
        add("mean dim 0", x -> x[0].mean(0, false), rand(2, 3, 4));
        add("mean dims 1,2 keepDim", x -> x[0].mean(new int[] {1, 2}, true), rand(2, 3, 4));
        add("mean transposed dim 1 keepDim", x -> x[0].transpose(0, 2).mean(1, true), rand(2, 3, 4));
        add("max all", x -> x[0].max(), distinct(3, 4));
        add("min all", x -> x[0].min(), distinct(3, 4));
        add("max dim 1", x -> x[0].max(1, false), distinct(3, 4));
        add("max dim 0 keepDim", x -> x[0].max(0, true), distinct(3, 4));
        add("min dim -1", x -> x[0].min(-1, false), distinct(2, 3, 4));
        add("min dim 1 keepDim", x -> x[0].min(1, true), distinct(2, 3, 4));
        add("max dim 0 transposed", x -> x[0].t().max(0, false), distinct(3, 4));
        add("max dim of 0-d", x -> x[0].max(0, false), rand());
        add("var all", x -> x[0].var(), rand(2, 3, 4));
        add("var dim 1 biased", x -> x[0].var(1, false, false), rand(2, 3, 4));
        add("var dims 0,2 keepDim", x -> x[0].var(new int[] {0, 2}, true, true), rand(2, 3, 4));
        add("std all", x -> x[0].std(), rand(2, 3, 4));
        add("std all biased", x -> x[0].std(new int[] {0, 1, 2}, false, false), rand(2, 3, 4));
        add("std dim -1 keepDim", x -> x[0].std(-1, true, true), rand(2, 3, 4));
        add("std dims 0,1 biased", x -> x[0].std(new int[] {0, 1}, false, false), rand(2, 3, 4));
        add("std transposed dim 0", x -> x[0].t().std(0, true, false), rand(3, 4));
        add("logsumexp dim 1", x -> x[0].logsumexp(1, false), rand(2, 3, 4));
        add("logsumexp dims 0,2 keepDim", x -> x[0].logsumexp(new int[] {0, 2}, true), rand(2, 3, 4));
        add("logsumexp transposed dim 0", x -> x[0].t().logsumexp(0, false), rand(3, 4));
        add("norm 2 all", x -> x[0].norm(), rand(2, 3, 4));
        add("norm 1 all", x -> x[0].norm(1.0), away(3, 4));
        add("norm 3 dim 1", x -> x[0].norm(3.0, 1, false), away(3, 4));
        add("norm 3 all", x -> x[0].norm(3.0), away(3, 4));
        add("norm inf all", x -> x[0].norm(Double.POSITIVE_INFINITY), distinct(3, 4));
        add("norm inf dim 0 keepDim", x -> x[0].norm(Double.POSITIVE_INFINITY, 0, true), distinct(3, 4));
        add("norm 2 dims 0,2 keepDim", x -> x[0].norm(2.0, new int[] {0, 2}, true), rand(2, 3, 4));
        add("norm 1 dim -1", x -> x[0].norm(1.0, -1, false), away(2, 3, 4));
        add("norm 2 transposed dim 1", x -> x[0].t().norm(2.0, 1, false), rand(3, 4));
        add("norm 1.5 dim 1", x -> x[0].norm(1.5, 1, false), away(3, 4));
        add("norm 0.5 all", x -> x[0].norm(0.5), away(3, 4));
        add("norm -1 dim 0", x -> x[0].norm(-1.0, 0, true), away(3, 4));
        add("norm -inf dim 1", x -> x[0].norm(Double.NEGATIVE_INFINITY, 1, false), distinct(3, 4));
        add("norm 0 (a count: zero gradient)", x -> x[0].norm(0.0, 1, false), away(3, 4));
        add("sum over an empty dims list (all)", x -> x[0].sum(new int[0], false), rand(2, 3));
    }

    private void matmul() {
        add("matmul dot", x -> x[0].matmul(x[1]), rand(4), rand(4));
        add("matmul mv", x -> x[0].matmul(x[1]), rand(3, 4), rand(4));
        add("matmul vm", x -> x[0].matmul(x[1]), rand(4), rand(4, 5));
        add("matmul mm", x -> x[0].matmul(x[1]), rand(3, 4), rand(4, 5));
        add("matmul bmm", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(2, 4, 5));
        add("matmul batch broadcast", x -> x[0].matmul(x[1]), rand(2, 1, 3, 4), rand(3, 4, 2));
        add("matmul batched matrix", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(4, 2));
        add("matmul matrix batched", x -> x[0].matmul(x[1]), rand(3, 4), rand(2, 4, 2));
        add("matmul vector batched", x -> x[0].matmul(x[1]), rand(3), rand(2, 3, 4));
        add("matmul batched vector", x -> x[0].matmul(x[1]), rand(2, 3, 4), rand(4));
        add("matmul one constant", x -> x[0].matmul(x[1]), rand(3, 4), constant(rand(4, 2)));
        add("matmul transposed operands", x -> x[0].t().matmul(x[1].t()), rand(4, 3), rand(5, 4));
        add("matmul self", x -> x[0].matmul(x[0]), rand(3, 3));
        for (Gemm.Route route : Gemm.routes()) {
            gemmRoute(route);
        }
    }

    /**
     * The products and the fused linear op with every GEMM forced onto one route (the Java loop, the native BLAS,
     * ND4J's GEMM): operands in every layout the kernels take without a copy (row-major, transposed, row- and
     * column-sliced) or with one (expanded, permuted), forward and both orders of backward; large products on a
     * sample of elements.
     */
    private void gemmRoute(Gemm.Route route) {
        String r = " [" + route + "]";
        addOn(route, "matmul mm" + r, x -> x[0].matmul(x[1]), rand(3, 4), rand(4, 5));
        addOn(route, "matmul transposed operands" + r, x -> x[0].t().matmul(x[1].t()), rand(4, 3), rand(5, 4));
        addOn(route, "matmul row-sliced operand" + r, x -> x[0].narrow(1, 1, 3).matmul(x[1]), rand(4, 5),
                rand(3, 2));
        addOn(route, "matmul sliced transposed operand" + r, x -> x[0].matmul(x[1].t().narrow(0, 2, 3)), rand(2, 3),
                rand(4, 6));
        addOn(route, "matmul expanded operand" + r, x -> x[0].expand(4, 3).matmul(x[1]), rand(1, 3), rand(3, 2));
        addOn(route, "matmul batch broadcast" + r, x -> x[0].matmul(x[1]), rand(2, 1, 3, 4), rand(3, 4, 2));
        addOn(route, "matmul permuted batch" + r, x -> x[0].permute(1, 0, 2).matmul(x[1]), rand(3, 2, 4),
                rand(2, 4, 3));
        addOn(route, "linear" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(3, 4), rand(5, 4), rand(5));
        addOn(route, "linear no bias" + r, x -> Layers.linear(x[0], x[1], null), rand(3, 4), rand(2, 4));
        addOn(route, "linear 3-d input" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(2, 3, 4), rand(2, 4),
                rand(2));
        addOn(route, "linear vector input" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(4), rand(3, 4), rand(3));
        addOn(route, "linear transposed input and weight" + r, x -> Layers.linear(x[0].t(), x[1].t(), x[2]),
                rand(4, 3), rand(4, 2), rand(2));
        addOn(route, "linear constant input" + r, x -> Layers.linear(x[0], x[1], x[2]), constant(rand(3, 4)),
                rand(2, 4), rand(2));
        addOn(route, "linear bias only" + r, x -> Layers.linear(x[0], x[1], x[2]), constant(rand(3, 4)),
                constant(rand(2, 4)), rand(2));
        addOn(route, "linear then tanh then linear" + r,
                x -> Layers.linear(Layers.linear(x[0], x[1], x[2]).tanh(), x[3], null), rand(3, 4), rand(5, 4),
                rand(5), rand(2, 5));
        addSampledOn(route, "matmul mm large" + r, x -> x[0].matmul(x[1]), rand(32, 32), rand(32, 32));
        addSampledOn(route, "matmul batched broadcast large" + r, x -> x[0].matmul(x[1]), rand(2, 1, 16, 64),
                rand(2, 64, 32));
        addSampledOn(route, "matmul transposed large" + r, x -> x[0].t().matmul(x[1]), rand(40, 30), rand(40, 30));
        addSampledOn(route, "linear large" + r, x -> Layers.linear(x[0], x[1], x[2]), rand(16, 40), rand(24, 40),
                rand(24));
    }

    private void addOn(Gemm.Route route, String name, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
            try (Gemm.Scope s = Gemm.force(route)) {
                GradCheck.check(name, f, inputs);
            }
        }));
    }

    private void addSampledOn(Gemm.Route route, String name, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
            try (Gemm.Scope s = Gemm.force(route)) {
                GradCheck.check(name, 24, f, inputs);
            }
        }));
    }

    private void shapes() {
        add("transpose", x -> x[0].transpose(0, 1), rand(2, 3));
        add("transpose 3-d negative", x -> x[0].transpose(-1, 0), rand(2, 3, 4));
        add("permute", x -> x[0].permute(2, 0, 1), rand(2, 3, 4));
        add("reshape (view)", x -> x[0].reshape(4, -1), rand(2, 3, 4));
        add("reshape (copy of a transpose)", x -> x[0].t().reshape(6), rand(2, 3));
        add("view", x -> x[0].view(6, 4), rand(2, 3, 4));
        add("flatten", x -> x[0].flatten(), rand(2, 3));
        add("squeeze all", x -> x[0].squeeze(), rand(2, 1, 3, 1));
        add("squeeze dim", x -> x[0].squeeze(1), rand(2, 1, 3, 1));
        add("squeeze dim not one", x -> x[0].squeeze(0), rand(2, 1, 3));
        add("unsqueeze 0", x -> x[0].unsqueeze(0), rand(2, 3));
        add("unsqueeze -1", x -> x[0].unsqueeze(-1), rand(2, 3));
        add("expand", x -> x[0].expand(2, 3, 4), rand(3, 1));
        add("expand -1", x -> x[0].expand(4, -1), rand(1, 3));
        add("expand then mul", x -> x[0].expand(3, 3).mul(x[0].t()), rand(1, 3));
        add("cat dim 0", x -> Ember.cat(List.of(x[0], x[1]), 0), rand(2, 3), rand(1, 3));
        add("cat dim 1 three", x -> Ember.cat(List.of(x[0], x[1], x[2]), 1), rand(2, 1), rand(2, 3), rand(2, 2));
        add("cat dim -1 one constant", x -> Ember.cat(List.of(x[0], x[1]), -1), rand(2, 2), constant(rand(2, 3)));
        add("cat same tensor twice", x -> Ember.cat(List.of(x[0], x[0].t()), 0), rand(2, 2));
        add("stack dim 0", x -> Ember.stack(List.of(x[0], x[1]), 0), rand(2, 3), rand(2, 3));
        add("stack dim 2", x -> Ember.stack(List.of(x[0], x[1], x[2]), 2), rand(2, 3), rand(2, 3), rand(2, 3));
        add("stack dim -1", x -> Ember.stack(List.of(x[0], x[1]), -1), rand(3), rand(3));
        add("split size", x -> x[0].split(2, 1), rand(2, 5));
        add("split sizes", x -> x[0].split(new int[] {1, 3, 1}, 1), rand(2, 5));
        add("split, one chunk used", x -> x[0].split(2, 0).get(1).exp(), rand(5, 2));
        add("split sizes, two chunks combined", x -> {
            List<Tensor> p = x[0].split(new int[] {2, 1, 2}, 1);
            return p.get(0).mul(p.get(2));
        }, rand(3, 5));
        add("narrow", x -> x[0].narrow(1, 1, 2), rand(3, 4));
        add("narrow negative start", x -> x[0].narrow(0, -3, 2), rand(4, 3));
        add("select", x -> x[0].select(1, 2), rand(2, 3, 4));
        add("select negative", x -> x[0].select(0, -1), rand(3, 4));
        add("slice step 2", x -> x[0].slice(1, 1, 6, 2), rand(3, 7));
        add("slice step 3 of a transpose", x -> x[0].t().slice(0, 0, 7, 3), rand(3, 7));
        add("slice clamped end", x -> x[0].slice(0, 1, 100), rand(4, 3));
        add("slice negative start", x -> x[0].slice(1, -3, 5), rand(3, 5));
        add("gather dim 1 with repeats", x -> x[0].gather(1, x[1]), rand(3, 4),
                index(new long[] {0, 0, 3, 1, 2, 2}, 3, 2));
        add("gather dim 0", x -> x[0].gather(0, x[1]), rand(3, 4), index(new long[] {2, 0, 1, 1, 0, 0, 2, 1}, 2, 4));
        add("gather of a transpose", x -> x[0].t().gather(1, x[1]), rand(4, 3),
                index(new long[] {0, 0, 3, 1, 2, 2}, 3, 2));
        add("indexSelect dim 0 with repeats", x -> x[0].indexSelect(0, x[1]), rand(3, 4), index(new long[] {2, 0, 2}, 3));
        add("indexSelect dim 2", x -> x[0].indexSelect(2, x[1]), rand(2, 3, 4), index(new long[] {3, 1}, 2));
        add("indexSelect of a transpose", x -> x[0].t().indexSelect(1, x[1]), rand(4, 3), index(new long[] {1, 1, 0}, 3));
    }

    /**
     * Ops followed by a reduction or a view, so that the gradient reaching each op's backward is an expanded
     * (stride 0), transposed or sliced tensor rather than a fresh contiguous one.
     */
    private void incomingGradientLayouts() {
        Tensor idx = index(new long[] {0, 3, 3, 1, 2, 0}, 3, 2);
        Tensor rows = index(new long[] {2, 0, 2}, 3);
        add("exp then transpose then sum", x -> x[0].exp().t().sum(), rand(3, 4));
        add("mul then sum dim 0", x -> x[0].mul(x[1]).sum(0, false), rand(3, 4), rand(4));
        add("div then mean", x -> x[0].div(x[1]).mean(), rand(3, 4), away(3, 1));
        add("pow tensor then sum", x -> x[0].pow(x[1]).sum(), pos(3, 4), rand(4));
        add("maximum then sum", x -> x[0].maximum(x[1]).sum(), distinct(3, 4),
                distinct(4).add(0.05).detach().requiresGrad_());
        add("where then sum", x -> Ember.where(x[0].gt(0.0), x[0], x[1]).sum(), away(3, 4), rand(4));
        add("gather then sum", x -> x[0].gather(1, idx).sum(), rand(3, 4));
        add("indexSelect then sum", x -> x[0].indexSelect(0, rows).sum(), rand(3, 4));
        add("max dim then sum", x -> x[0].max(1, false).values().sum(), distinct(3, 4));
        add("max all then mul", x -> x[0].max().mul(x[0]).sum(), distinct(3, 4));
        add("slice then sum", x -> x[0].slice(1, 0, 4, 2).sum(), rand(3, 4));
        add("select then sum", x -> x[0].select(0, 1).sum(), rand(3, 4));
        add("matmul then sum", x -> x[0].matmul(x[1]).sum(), rand(3, 4), rand(4, 2));
        add("batched matmul then sum dim 0", x -> x[0].matmul(x[1]).sum(0, false), rand(2, 3, 4), rand(4, 2));
        add("softmax then sum dim 1", x -> x[0].softmax(1).mul(x[0]).sum(1, false), rand(3, 4));
        add("logSoftmax then transpose", x -> x[0].logSoftmax(0).t().exp(), rand(3, 4));
        add("var then sum", x -> x[0].var(1, true, false).sum(), rand(3, 4));
        add("std then expand", x -> x[0].std(0, true, true).expand(3, 4).mul(x[0]).sum(), rand(3, 4));
        add("norm then expand", x -> x[0].norm(2.0, 1, true).expand(3, 4).mul(x[0]), rand(3, 4));
        add("logsumexp then sum", x -> x[0].logsumexp(0, false).sum(), rand(3, 4));
        add("cat then sum dim 1", x -> Ember.cat(List.of(x[0], x[1]), 0).sum(1, false), rand(2, 3), rand(1, 3));
        add("stack then transpose", x -> Ember.stack(List.of(x[0], x[1]), 0).transpose(0, 2).tanh(), rand(2, 3),
                rand(2, 3));
        add("split then sum", x -> x[0].split(2, 1).get(1).sum(), rand(2, 5));
        add("clamp then sum", x -> x[0].clamp(-0.5, 0.5).sum(), distinct(3, 4));
        add("relu then sum dim 0", x -> x[0].relu().sum(0, true), away(3, 4));
        add("expand then sum", x -> x[0].expand(3, 4).sigmoid().sum(), rand(1, 4));
        add("permute then reshape then sum", x -> x[0].permute(2, 0, 1).reshape(4, 6).sin().sum(0, false),
                rand(2, 3, 4));
    }

    private void softmaxAndCompositions() {
        add("softmax dim 1", x -> x[0].softmax(1), rand(3, 4));
        add("softmax dim 0", x -> x[0].softmax(0), rand(3, 4));
        add("softmax 3-d dim -1", x -> x[0].softmax(-1), rand(2, 3, 4));
        add("softmax transposed", x -> x[0].t().softmax(1), rand(3, 4));
        add("logSoftmax dim 1", x -> x[0].logSoftmax(1), rand(3, 4));
        add("logSoftmax 3-d dim 1", x -> x[0].logSoftmax(1), rand(2, 3, 4));
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
        add("sigmoid of product", x -> x[0].mul(x[1]).sigmoid().log(), rand(2, 3), rand(3));
    }
}
