package dev.ember.tests;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradOptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op against PyTorch 1.13: the fixtures in {@code fixtures/ops.json} (written by
 * {@code tests/src/test/python/generate_fixtures.py}, which documents the format) hold inputs, forward outputs,
 * fixed weights w and the gradients of {@code sum((output * w).sum())} computed by PyTorch in float64.
 *
 * <p>For each case: the forward and every gradient in float64 (relative 1e-10 plus absolute 1e-12), the grad_fn
 * name, and the forward in float32 (relative 1e-5 plus absolute 1e-5 times the output's largest magnitude: float32
 * has a 6e-8 unit roundoff, and sums of a few dozen terms or a softmax over values near 1000 lose a few more bits).
 */
class OpConformanceTest {
    static final double RTOL64 = 1e-10;
    static final double ATOL64 = 1e-12;
    static final double RTOL32 = 1e-5;
    static final double ATOL32 = 1e-5;

    /**
     * Cases where PyTorch records a composite op whose top node differs from Ember's single node (Ember records
     * matmul as one node whatever the ranks; PyTorch's vector-matrix product ends in a squeeze, its batched
     * products in a view of a bmm). The values still have to match; only the name differs.
     */
    static final Map<String, String> GRAD_FN_DIFFERENCES = Map.of(
            "matmul_vm", "MatmulBackward",
            "matmul_bmm", "MatmulBackward",
            "matmul_batch_broadcast", "MatmulBackward",
            "matmul_batched_matrix", "MatmulBackward",
            "matmul_vector_batched", "MatmulBackward",
            "matmul_batched_vector", "MatmulBackward");

    static List<JsonNode> loadCases() throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = OpConformanceTest.class.getResourceAsStream("/fixtures/ops.json")) {
            assertNotNull(in, "fixtures/ops.json is missing from the test resources; regenerate it with "
                    + "/usr/bin/python3 tests/src/test/python/generate_fixtures.py");
            JsonNode root = mapper.readTree(in);
            return StreamSupport.stream(root.spliterator(), false).toList();
        }
    }

    @TestFactory
    Stream<DynamicNode> conformance() throws IOException {
        return loadCases().stream().map(c -> {
            String name = c.get("name").asText();
            return DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest(name + " float64 forward and backward", () -> checkFloat64(c)),
                    DynamicTest.dynamicTest(name + " float32 forward", () -> checkFloat32(c))));
        });
    }

    // ---- behaviours a fixture cannot express: PyTorch's errors ------------------------------------------------

    /** Where PyTorch 1.13 raises, Ember raises too, with a message that names the op, the operands and a fix. */
    @Test
    void errorsWherePyTorchRaises() {
        Tensor f = Ember.tensor(1.0, 0.0);
        Tensor ints = Ember.tensor(DType.INT64, 2, 3);
        Tensor bools = Ember.fromArray(new boolean[] {true, false}, 2);
        assertError(DTypeException.class, () -> Ember.where(f, f, f), "where", "bool", "float32", "[2]");
        assertError(DTypeException.class, () -> ints.pow(-1.0), "pow", "int64", "negative integer power",
                ".to(DType.FLOAT32)");
        assertError(DTypeException.class, bools::neg, "neg", "bool", "logicalNot");
        assertError(DTypeException.class, bools::abs, "abs", "bool");
        assertError(DTypeException.class, bools::relu, "relu", "bool");
        assertError(DTypeException.class, () -> bools.sub(bools), "sub", "bool", "[2]");
        assertError(ShapeException.class, () -> Ember.ones(3, 1).expand(-2, 3), "expand", "-2", "[3, 1]");
        assertError(ShapeException.class, () -> Ember.ones(3).split(new int[] {-1, 4}, 0), "split", "-1");
        assertError(ShapeException.class, () -> Ember.scalar(1).split(new int[] {1}, 0), "split", "0-d");
        assertError(ShapeException.class, () -> Ember.cat(List.of(Ember.ones(2), Ember.scalar(1)), 0), "cat",
                "position 1", "zero-dimensional");
        assertError(ShapeException.class, () -> Ember.ones(2, 3).gather(1, Ember.fromArray(new long[] {0, 3}, 2, 1)),
                "gather", "index 3", "[2, 3]", "[0, 3)");
        assertError(ShapeException.class, () -> Ember.ones(2, 3).reshape(-1, -1), "reshape", "-1", "[2, 3]");
        assertError(ShapeException.class, () -> Ember.where(Ember.fromArray(new boolean[] {true, false, true}, 3),
                Ember.ones(2), Ember.ones(2)), "where", "[3]", "[2]");
    }

    /** Index and condition tensors are saved for backward: modifying them in place is detected (PyTorch). */
    @Test
    void savedIndicesAreVersionChecked() {
        Tensor x = Ember.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
        Tensor idx = Ember.fromArray(new long[] {0, 2}, 2, 1);
        Tensor y = x.gather(1, idx);
        idx.add_(Ember.scalar(DType.INT64, 1));
        assertError(AutogradException.class, () -> y.sum().backward(), "modified by an inplace operation");

        Tensor i2 = Ember.fromArray(new long[] {0, 2}, 2);
        Tensor z = x.indexSelect(1, i2);
        i2.zero_();
        assertError(AutogradException.class, () -> z.sum().backward(), "modified by an inplace operation");

        ValuesAndIndices m = x.max(1, false);
        m.indices().zero_();
        assertError(AutogradException.class, () -> m.values().sum().backward(), "modified by an inplace operation");

        Tensor cond = Ember.fromArray(new boolean[] {true, false, true}, 3);
        Tensor w = Ember.where(cond, x, x.mul(2.0));
        cond.copy_(Ember.fromArray(new boolean[] {false, false, false}, 3));
        assertError(AutogradException.class, () -> w.sum().backward(), "modified by an inplace operation");
    }

    /** int64 values beyond 2^53 are not rounded through double (PyTorch's integer ops are exact). */
    @Test
    void int64OpsAreExact() {
        long big = (1L << 60) + 1;
        Tensor x = Ember.fromArray(new long[] {big, 3, big + 2, 1}, 2, 2);
        assertArrayEquals(new long[] {2 * big + 2, 4}, x.sum(0, false).toLongArray());
        assertArrayEquals(new long[] {big + 2}, new long[] {x.max().toLongArray()[0]});
        assertArrayEquals(new long[] {big, big + 2}, x.max(1, false).values().toLongArray());
        assertArrayEquals(new long[] {3, 1}, x.min(1, false).values().toLongArray());
        Tensor cond = Ember.fromArray(new boolean[] {true, false, false, true}, 2, 2);
        assertArrayEquals(new long[] {big, 0, 0, 1}, Ember.where(cond, x, Ember.zerosLike(x)).toLongArray());
        assertArrayEquals(new long[] {big, big + 2}, x.gather(1, Ember.fromArray(new long[] {0, 0}, 2, 1))
                .toLongArray());
        assertArrayEquals(new long[] {4052555153018976267L, 1L << 62}, Ember.fromArray(new long[] {3, 2}, 2)
                .pow(Ember.fromArray(new long[] {39, 62}, 2)).toLongArray());
    }

    static void assertError(Class<? extends RuntimeException> type, Runnable r, String... fragments) {
        RuntimeException e = assertThrows(type, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "the message should contain \"" + f + "\": " + e.getMessage());
        }
    }

    // ---- the checks --------------------------------------------------------------------------------------------

    static void checkFloat64(JsonNode c) {
        String name = c.get("name").asText();
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            Tensor t = tensor(in, DType.FLOAT64);
            if (in.get("requires_grad").asBoolean()) {
                t.requiresGrad_();
            }
            inputs.add(t);
        }
        List<Tensor> outs = apply(c.get("op").asText(), inputs, c.get("args"));
        JsonNode expected = c.get("outputs");
        assertEquals(expected.size(), outs.size(), name + ": number of outputs");
        for (int i = 0; i < outs.size(); i++) {
            compare(name + " output " + i, expected.get(i), outs.get(i), RTOL64, ATOL64);
        }

        // grad_fn
        JsonNode gradFn = c.get("grad_fn");
        Tensor first = outs.get(0);
        if (gradFn.isNull()) {
            assertTrue(first.gradFn() == null, name + ": PyTorch records no grad_fn, Ember records " + first.gradFn());
            assertFalse(first.requiresGrad(), name + ": the output should not require grad");
        } else {
            assertNotNull(first.gradFn(), name + ": PyTorch records " + gradFn.asText() + ", Ember records nothing");
            String want = GRAD_FN_DIFFERENCES.getOrDefault(name, gradFn.asText());
            assertEquals(want, first.gradFn().name(), name + ": grad_fn name (PyTorch: " + gradFn.asText() + ")");
        }

        // gradients of sum((out * w).sum())
        Tensor loss = null;
        JsonNode weights = c.get("weights");
        for (int i = 0; i < outs.size(); i++) {
            JsonNode w = weights.get(i);
            if (w.isNull()) {
                assertFalse(outs.get(i).requiresGrad(), name + ": output " + i + " (" + outs.get(i).dtype()
                        + ") has no gradient in PyTorch but requires grad in Ember");
                continue;
            }
            Tensor term = outs.get(i).mul(tensor(w, DType.FLOAT64)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        List<Tensor> needGrad = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).requiresGrad()) {
                needGrad.add(inputs.get(i));
                where.add(i);
            }
        }
        JsonNode grads = c.get("grads");
        if (loss == null) {
            for (JsonNode g : grads) {
                assertTrue(g.isNull(), name + ": PyTorch has a gradient but Ember's outputs do not require grad");
            }
            return;
        }
        Tensor[] got = Autograd.grad(List.of(loss), needGrad, null, GradOptions.allowUnused());
        for (int k = 0; k < got.length; k++) {
            int i = where.get(k);
            JsonNode g = grads.get(i);
            assertFalse(g.isNull(), name + ": input " + i + " requires grad but the fixture has no gradient");
            Tensor actual = got[k] != null ? got[k] : Ember.zerosLike(inputs.get(i));
            assertEquals(DType.FLOAT64, actual.dtype(), name + ": gradient of input " + i + " dtype");
            compare(name + " gradient of input " + i, g, actual, RTOL64, ATOL64);
        }
    }

    static void checkFloat32(JsonNode c) {
        String name = c.get("name").asText();
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            inputs.add(tensor(in, DType.FLOAT32));
        }
        List<Tensor> outs = apply(c.get("op").asText(), inputs, c.get("args"));
        JsonNode expected = c.get("outputs");
        assertEquals(expected.size(), outs.size(), name + ": number of outputs");
        for (int i = 0; i < outs.size(); i++) {
            JsonNode e = expected.get(i);
            Tensor o = outs.get(i);
            String want = e.get("dtype").asText();
            DType wantType = want.equals("float64") ? DType.FLOAT32 : want.equals("int64") ? DType.INT64 : DType.BOOL;
            assertEquals(wantType, o.dtype(), name + " output " + i + " dtype in float32 mode");
            double scale = 1.0;
            for (JsonNode v : e.get("values")) {
                if (v.isNumber() && Double.isFinite(v.asDouble())) {
                    scale = Math.max(scale, Math.abs(v.asDouble()));
                }
            }
            compare(name + " output " + i + " (float32)", e, o, RTOL32, ATOL32 * scale);
        }
    }

    /** Shape, dtype and values; NaN matches NaN, infinities must be equal. */
    static void compare(String what, JsonNode expected, Tensor actual, double rtol, double atol) {
        int[] shape = shapeOf(expected);
        assertArrayEquals(shape, actual.shape(), what + ": shape " + Arrays.toString(actual.shape())
                + ", PyTorch's is " + Arrays.toString(shape));
        String dtype = expected.get("dtype").asText();
        if (!dtype.equals("float64")) {
            assertEquals(dtype, actual.dtype().label(), what + ": dtype");
        }
        double[] want = values(expected);
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            double e = want[i];
            double a = got[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? a == e
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " " + Arrays.toString(unravel(i, shape)) + " is " + a
                        + ", PyTorch's is " + e + " (difference " + (a - e) + ")\n  Ember:   " + Arrays.toString(got)
                        + "\n  PyTorch: " + Arrays.toString(want));
            }
        }
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    // ---- decoding ---------------------------------------------------------------------------------------------

    static int[] shapeOf(JsonNode t) {
        JsonNode s = t.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asInt();
        }
        return shape;
    }

    static double[] values(JsonNode t) {
        JsonNode v = t.get("values");
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            out[i] = x.isBoolean() ? (x.asBoolean() ? 1 : 0) : x.asDouble();
        }
        return out;
    }

    /** A tensor from its encoding; floating ones are created in {@code floatType}. */
    static Tensor tensor(JsonNode t, DType floatType) {
        int[] shape = shapeOf(t);
        double[] v = values(t);
        switch (t.get("dtype").asText()) {
            case "int64" -> {
                long[] l = new long[v.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) v[i];
                }
                return Ember.fromArray(l, shape);
            }
            case "bool" -> {
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = v[i] != 0;
                }
                return Ember.fromArray(b, shape);
            }
            default -> {
                if (floatType == DType.FLOAT64) {
                    return Ember.fromArray(v, shape);
                }
                float[] f = new float[v.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) v[i];
                }
                return Ember.fromArray(f, shape);
            }
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static double num(JsonNode a) {
        if (a.isTextual()) {
            return switch (a.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("not a number: " + a);
            };
        }
        return a.asDouble();
    }

    // ---- the Ember call of each op ----------------------------------------------------------------------------

    /** Runs the op named in the fixture; returns its outputs (values then indices for max/min along a dim). */
    static List<Tensor> apply(String op, List<Tensor> in, JsonNode args) {
        Tensor a = in.isEmpty() ? null : in.get(0);
        Tensor b = in.size() > 1 ? in.get(1) : null;
        int[] dims = args.has("dims") && !args.get("dims").isNull() ? ints(args.get("dims")) : null;
        boolean keep = args.has("keepdim") && args.get("keepdim").asBoolean();
        Tensor r = switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "add_self" -> a.add(a);
            case "mul_self" -> a.mul(a);
            case "mul_f32_f64" -> a.to(DType.FLOAT32).mul(b);
            case "maximum" -> a.maximum(b);
            case "minimum" -> a.minimum(b);
            case "pow_tensor" -> a.pow(b);
            case "add_scalar" -> a.add(args.get("other").asDouble());
            case "sub_scalar" -> a.sub(args.get("other").asDouble());
            case "mul_scalar" -> a.mul(args.get("other").asDouble());
            case "div_scalar" -> a.div(args.get("other").asDouble());
            case "rsub_scalar" -> a.rsub(args.get("other").asDouble());
            case "pow_scalar" -> a.pow(args.get("exponent").asDouble());
            case "neg" -> a.neg();
            case "exp" -> a.exp();
            case "log" -> a.log();
            case "sqrt" -> a.sqrt();
            case "abs" -> a.abs();
            case "sin" -> a.sin();
            case "cos" -> a.cos();
            case "tanh" -> a.tanh();
            case "sigmoid" -> a.sigmoid();
            case "relu" -> a.relu();
            case "erf" -> a.erf();
            case "gelu" -> dev.ember.nn.functional.Activations.gelu(a);
            case "gelu_tanh" -> dev.ember.nn.functional.Activations.gelu(a, dev.ember.nn.GeluApproximation.TANH);
            case "silu" -> dev.ember.nn.functional.Activations.silu(a);
            case "leaky_relu" -> dev.ember.nn.functional.Activations.leakyRelu(a, args.get("negative_slope").asDouble());
            case "elu" -> dev.ember.nn.functional.Activations.elu(a, args.get("alpha").asDouble());
            case "clamp" -> a.clamp(args.get("min").asDouble(), args.get("max").asDouble());
            case "clamp_min" -> a.clampMin(args.get("min").asDouble());
            case "clamp_max" -> a.clampMax(args.get("max").asDouble());
            case "where" -> Ember.where(a, b, in.get(2));
            case "sum" -> dims == null ? a.sum() : a.sum(dims, keep);
            case "mean" -> dims == null ? a.mean() : a.mean(dims, keep);
            case "max_all" -> a.max();
            case "min_all" -> a.min();
            case "var" -> dims == null && !keep && args.get("unbiased").asBoolean() ? a.var()
                    : a.var(dims == null ? allDims(a) : dims, args.get("unbiased").asBoolean(), keep);
            case "std" -> dims == null && !keep && args.get("unbiased").asBoolean() ? a.std()
                    : a.std(dims == null ? allDims(a) : dims, args.get("unbiased").asBoolean(), keep);
            case "logsumexp" -> a.logsumexp(dims, keep);
            case "norm" -> dims == null && !keep ? a.norm(num(args.get("p"))) : a.norm(num(args.get("p")), dims, keep);
            case "matmul" -> a.matmul(b);
            case "transpose" -> a.transpose(args.get("d0").asInt(), args.get("d1").asInt());
            case "permute" -> a.permute(ints(args.get("dims")));
            case "reshape" -> a.reshape(ints(args.get("shape")));
            case "t_reshape" -> a.t().reshape(ints(args.get("shape")));
            case "view" -> a.view(ints(args.get("shape")));
            case "squeeze" -> args.get("dim").isNull() ? a.squeeze() : a.squeeze(args.get("dim").asInt());
            case "unsqueeze" -> a.unsqueeze(args.get("dim").asInt());
            case "expand" -> a.expand(ints(args.get("shape")));
            case "cat" -> Ember.cat(in, args.get("dim").asInt());
            case "stack" -> Ember.stack(in, args.get("dim").asInt());
            case "narrow" -> a.narrow(args.get("dim").asInt(), args.get("start").asInt(), args.get("length").asInt());
            case "select" -> a.select(args.get("dim").asInt(), args.get("index").asInt());
            case "slice" -> a.slice(args.get("dim").asInt(), args.get("start").asInt(), args.get("end").asInt(),
                    args.get("step").asInt());
            case "gather" -> a.gather(args.get("dim").asInt(), b);
            case "index_select" -> a.indexSelect(args.get("dim").asInt(), b);
            case "softmax" -> a.softmax(args.get("dim").asInt());
            case "log_softmax" -> a.logSoftmax(args.get("dim").asInt());
            case "eq" -> a.eq(b);
            case "ne" -> a.ne(b);
            case "lt" -> a.lt(b);
            case "le" -> a.le(b);
            case "gt" -> a.gt(b);
            case "ge" -> a.ge(b);
            case "eq_scalar" -> a.eq(args.get("other").asDouble());
            case "ne_scalar" -> a.ne(args.get("other").asDouble());
            case "lt_scalar" -> a.lt(args.get("other").asDouble());
            case "le_scalar" -> a.le(args.get("other").asDouble());
            case "gt_scalar" -> a.gt(args.get("other").asDouble());
            case "ge_scalar" -> a.ge(args.get("other").asDouble());
            default -> null;
        };
        if (r != null) {
            return List.of(r);
        }
        return switch (op) {
            case "max_dim", "min_dim" -> {
                ValuesAndIndices vi = op.equals("max_dim") ? a.max(args.get("dim").asInt(), keep)
                        : a.min(args.get("dim").asInt(), keep);
                yield List.of(vi.values(), vi.indices());
            }
            case "split" -> a.split(args.get("size").asInt(), args.get("dim").asInt());
            case "split_sizes" -> a.split(ints(args.get("sizes")), args.get("dim").asInt());
            default -> throw new IllegalArgumentException("the fixture names an op this test does not know: " + op
                    + " (add it to OpConformanceTest.apply)");
        };
    }

    static int[] allDims(Tensor a) {
        int[] d = new int[a.dim()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return d;
    }
}
