package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.Functional;
import dev.ember.autograd.FunctionalOptions;
import dev.ember.autograd.GradOptions;
import dev.ember.autograd.JacobianStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The functional API against PyTorch 1.13's torch.autograd.functional: the fixtures in
 * {@code fixtures/functional.json} (written by {@code tests/src/test/python/generate_functional_fixtures.py}, which
 * documents the format) hold, for functions of one and several inputs (an MLP and its loss among them), the
 * outputs, Jacobians, vjp, jvp, Hessians, hvp, vhp, a third derivative through hvp with createGraph, and the
 * gradient of a Jacobian computed with createGraph. Every value is checked with both strategies where Ember has two
 * (jacobian, hessian, jvp, hvp). The strict-mode fixtures say, per function, API and createGraph, whether PyTorch
 * raises; Ember must raise exactly there.
 */
class FunctionalConformanceTest {
    private static final double ATOL = 1e-10;
    private static final double RTOL = 1e-9;

    /** The fixtures' functions, by name: each takes the inputs and then the constants, as the Python side does. */
    private static final Map<String, BiFunction<Tensor[], Tensor[], Tensor[]>> FUNCTIONS = Map.ofEntries(
            Map.entry("exp_reducer", (x, c) -> one(x[0].exp().sum(1, false))),
            Map.entry("adder", (x, c) -> one(x[0].mul(2.0).add(x[1].mul(3.0)))),
            Map.entry("three_outputs", (x, c) -> new Tensor[] {x[0].mul(x[1]), x[0].sum(0, false).add(x[1].tanh()),
                x[0].pow(2.0).sum().mul(x[1].exp().mean())}),
            Map.entry("softmax", (x, c) -> one(x[0].softmax(0))),
            Map.entry("cubic_sum", (x, c) -> one(x[0].pow(3.0).sum())),
            Map.entry("mixed_scalar", (x, c) -> one(x[0].sin().mul(x[1]).sum().add(x[0].pow(2.0).sum()
                    .mul(x[1].exp().sum())))),
            Map.entry("mlp", (x, c) -> one(mlp(x, c[0]))),
            Map.entry("mlp_loss", (x, c) -> one(mlp(x, c[0]).sub(c[1]).pow(2.0).mean())),
            Map.entry("logistic_loss", (x, c) -> {
                Tensor p = c[0].matmul(x[0]).add(x[1]).sigmoid();
                Tensor y = c[1];
                return one(y.mul(p.log()).add(y.rsub(1.0).mul(p.rsub(1.0).log())).mean().neg());
            }),
            Map.entry("rosenbrock", (x, c) -> {
                Tensor head = x[0].narrow(0, 0, 3);
                Tensor tail = x[0].narrow(0, 1, 3);
                return one(tail.sub(head.pow(2.0)).pow(2.0).mul(100.0).add(head.rsub(1.0).pow(2.0)).sum());
            }),
            Map.entry("log_softmax_nll", (x, c) -> one(x[0].logSoftmax(1).mul(c[0]).sum().neg().div(3.0))),
            // the strict-mode functions
            Map.entry("ignores_y", (x, c) -> one(x[0].mul(2.0))),
            Map.entry("constant", (x, c) -> one(Ember.ones(DType.FLOAT64, 2))),
            Map.entry("linear", (x, c) -> one(x[0].mul(2.0))),
            Map.entry("linear_sum", (x, c) -> one(x[0].mul(2.0).sum())),
            Map.entry("quadratic", (x, c) -> one(x[0].pow(2.0).sum())),
            Map.entry("quadratic_by_mul", (x, c) -> one(x[0].mul(x[0]).sum())),
            Map.entry("separable", (x, c) -> one(x[0].pow(2.0).sum().add(x[1].pow(3.0).sum()))),
            Map.entry("stack_partial", (x, c) -> one(Ember.stack(List.of(x[0].select(0, 0).mul(2.0),
                    x[1].select(0, 1)), 0))),
            Map.entry("cubic_ignores_y", (x, c) -> one(x[0].pow(3.0).sum())));

    private static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    private static Tensor mlp(Tensor[] p, Tensor x) {
        return x.matmul(p[0]).add(p[1]).tanh().matmul(p[2]);
    }

    // ---- loading ----------------------------------------------------------------------------------------------

    private static JsonNode fixtures() throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = FunctionalConformanceTest.class.getResourceAsStream("/fixtures/functional.json")) {
            assertNotNull(in, "fixtures/functional.json is missing from the test resources; regenerate it with "
                    + "/usr/bin/python3 tests/src/test/python/generate_functional_fixtures.py");
            return mapper.readTree(in);
        }
    }

    private static Tensor tensor(JsonNode n) {
        assertEquals("float64", n.get("dtype").asText());
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        double[] v = new double[n.get("values").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get("values").get(i).asDouble();
        }
        return Ember.fromArray(v, shape);
    }

    private static Tensor[] tensors(JsonNode list) {
        Tensor[] out = new Tensor[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tensor(list.get(i));
        }
        return out;
    }

    private static void assertTensor(String what, JsonNode expected, Tensor actual) {
        Tensor e = tensor(expected);
        assertArrayEquals(e.shape(), actual.shape(), what + ": shape");
        assertEquals(DType.FLOAT64, actual.dtype(), what + ": dtype");
        double[] ev = e.toDoubleArray();
        double[] av = actual.toDoubleArray();
        for (int k = 0; k < ev.length; k++) {
            double tol = ATOL + RTOL * Math.abs(ev[k]);
            if (!(Math.abs(av[k] - ev[k]) <= tol)) {
                throw new AssertionError(what + ": element " + k + " is " + av[k] + ", PyTorch has " + ev[k]);
            }
        }
    }

    private static void assertTensors(String what, JsonNode expected, Tensor[] actual) {
        assertEquals(expected.size(), actual.length, what + ": count");
        for (int i = 0; i < actual.length; i++) {
            assertTensor(what + "[" + i + "]", expected.get(i), actual[i]);
        }
    }

    private static void assertBlocks(String what, JsonNode expected, Tensor[][] actual) {
        assertEquals(expected.size(), actual.length, what + ": rows");
        for (int i = 0; i < actual.length; i++) {
            assertTensors(what + "[" + i + "]", expected.get(i), actual[i]);
        }
    }

    // ---- values -----------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicNode> values() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode c : fixtures().get("cases")) {
            nodes.add(DynamicContainer.dynamicContainer(c.get("name").asText(), caseTests(c)));
        }
        return nodes.stream();
    }

    private static Stream<DynamicTest> caseTests(JsonNode c) {
        BiFunction<Tensor[], Tensor[], Tensor[]> fn = FUNCTIONS.get(c.get("function").asText());
        assertNotNull(fn, "no Java function named " + c.get("function"));
        Tensor[] x = tensors(c.get("inputs"));
        Tensor[] consts = tensors(c.get("constants"));
        Function<Tensor[], Tensor[]> f = in -> fn.apply(in, consts);
        Function<Tensor[], Tensor> scalar = in -> fn.apply(in, consts)[0];
        List<DynamicTest> tests = new ArrayList<>();
        for (JacobianStrategy s : JacobianStrategy.values()) {
            FunctionalOptions o = FunctionalOptions.strategy(s);
            String tag = " (" + s + ")";
            tests.add(DynamicTest.dynamicTest("jacobian" + tag, () ->
                    assertBlocks("jacobian", c.get("jacobian"), Functional.jacobian(f, x, o))));
            tests.add(DynamicTest.dynamicTest("jvp" + tag, () -> {
                Functional.Result r = Functional.jvp(f, x, tensors(c.get("jvp").get("v")), o);
                assertTensors("outputs", c.get("outputs"), r.outputs());
                assertTensors("jvp", c.get("jvp").get("result"), r.products());
            }));
            tests.add(DynamicTest.dynamicTest("jacobian with createGraph, differentiated" + tag, () -> {
                Tensor[] xs = requiringGrad(x);
                Tensor[][] j = Functional.jacobian(f, xs, FunctionalOptions.createGraph().withStrategy(s));
                Tensor total = null;
                for (Tensor[] row : j) {
                    for (Tensor b : row) {
                        total = total == null ? b.sum() : total.add(b.sum());
                    }
                }
                assertTensors("d sum(J) / dx", c.get("jacobian_grad"), gradOrZeros(total, xs));
            }));
            if (c.get("scalar").asBoolean()) {
                tests.add(DynamicTest.dynamicTest("hessian" + tag, () ->
                        assertBlocks("hessian", c.get("hessian"), Functional.hessian(scalar, x, o))));
                tests.add(DynamicTest.dynamicTest("hvp" + tag, () -> {
                    Functional.Result r = Functional.hvp(scalar, x, tensors(c.get("hvp").get("v")), o);
                    assertTensors("outputs", c.get("outputs"), r.outputs());
                    assertTensors("hvp", c.get("hvp").get("result"), r.products());
                }));
                tests.add(DynamicTest.dynamicTest("third derivative through hvp with createGraph" + tag, () -> {
                    Tensor[] xs = requiringGrad(x);
                    Functional.Result r = Functional.hvp(scalar, xs, tensors(c.get("hvp").get("v")),
                            FunctionalOptions.createGraph().withStrategy(s));
                    Tensor total = null;
                    for (Tensor p : r.products()) {
                        total = total == null ? p.sum() : total.add(p.sum());
                    }
                    assertTensors("d sum(H v) / dx", c.get("third"), gradOrZeros(total, xs));
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest("vjp", () -> {
            Functional.Result r = Functional.vjp(f, x, tensors(c.get("vjp").get("v")));
            assertTensors("outputs", c.get("outputs"), r.outputs());
            assertTensors("vjp", c.get("vjp").get("result"), r.products());
        }));
        if (c.get("scalar").asBoolean()) {
            tests.add(DynamicTest.dynamicTest("vhp", () -> {
                Functional.Result r = Functional.vhp(scalar, x, tensors(c.get("vhp").get("v")));
                assertTensors("outputs", c.get("outputs"), r.outputs());
                assertTensors("vhp", c.get("vhp").get("result"), r.products());
            }));
            tests.add(DynamicTest.dynamicTest("hvp equals the Hessian times v", () -> {
                Tensor[] v = tensors(c.get("hvp").get("v"));
                Tensor[][] h = Functional.hessian(scalar, x);
                Tensor[] hv = Functional.hvp(scalar, x, v).products();
                for (int i = 0; i < x.length; i++) {
                    Tensor acc = Ember.zeros(DType.FLOAT64, x[i].numel());
                    for (int j = 0; j < x.length; j++) {
                        acc = acc.add(h[i][j].reshape(x[i].numel(), x[j].numel()).matmul(v[j].reshape(-1)));
                    }
                    assertArrayEquals(acc.toDoubleArray(), hv[i].toDoubleArray(), 1e-10, "H v, input " + i);
                }
            }));
        }
        return tests.stream();
    }

    private static Tensor[] requiringGrad(Tensor[] x) {
        return Arrays.stream(x).map(t -> t.detach().requiresGrad_()).toArray(Tensor[]::new);
    }

    /** The gradient of total with respect to xs; zeros where there is none (also when total has no graph). */
    private static Tensor[] gradOrZeros(Tensor total, Tensor[] xs) {
        Tensor[] g = total.requiresGrad()
                ? Autograd.grad(List.of(total), List.of(xs), null, GradOptions.allowUnused())
                : new Tensor[xs.length];
        for (int i = 0; i < g.length; i++) {
            if (g[i] == null) {
                g[i] = Ember.zerosLike(xs[i]);
            }
        }
        return g;
    }

    // ---- strict -----------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> strict() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode s : fixtures().get("strict")) {
            String function = s.get("function").asText();
            String api = s.get("api").asText();
            boolean cg = s.get("create_graph").asBoolean();
            boolean raises = s.get("raises").asBoolean();
            BiFunction<Tensor[], Tensor[], Tensor[]> fn = FUNCTIONS.get(function);
            Tensor[] x = tensors(s.get("inputs"));
            for (JacobianStrategy strategy : strategies(api)) {
                String name = function + " " + api + (cg ? " createGraph" : "") + (strategy == null ? ""
                        : " " + strategy) + (raises ? " raises" : " passes");
                FunctionalOptions o = FunctionalOptions.strict().createGraph(cg).withStrategy(strategy);
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Runnable call = () -> callStrict(api, fn, x, o);
                    if (raises) {
                        AutogradException e = assertThrows(AutogradException.class, call::run,
                                () -> "PyTorch raises: " + s.get("message").asText());
                        assertTrue(e.getMessage().contains("(strict): "), e.getMessage());
                        assertTrue(e.getMessage().endsWith("pass strict(false) to get zeros instead."), e.getMessage());
                    } else {
                        call.run();
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static List<JacobianStrategy> strategies(String api) {
        return switch (api) {
            case "jacobian", "hessian", "jvp", "hvp" -> List.of(JacobianStrategy.REVERSE_MODE,
                    JacobianStrategy.FORWARD_MODE);
            default -> Arrays.asList((JacobianStrategy) null);
        };
    }

    private static void callStrict(String api, BiFunction<Tensor[], Tensor[], Tensor[]> fn, Tensor[] x,
                                   FunctionalOptions o) {
        Function<Tensor[], Tensor[]> f = in -> fn.apply(in, new Tensor[0]);
        Function<Tensor[], Tensor> scalar = in -> fn.apply(in, new Tensor[0])[0];
        Tensor[] ones = Arrays.stream(x).map(Ember::onesLike).toArray(Tensor[]::new);
        switch (api) {
            case "vjp" -> {
                Tensor out = f.apply(x)[0];
                Functional.vjp(f, x, new Tensor[] {Ember.onesLike(out)}, o);
            }
            case "jvp" -> Functional.jvp(f, x, ones, o);
            case "jacobian" -> Functional.jacobian(f, x, o);
            case "hessian" -> Functional.hessian(scalar, x, o);
            case "hvp" -> Functional.hvp(scalar, x, ones, o);
            case "vhp" -> Functional.vhp(scalar, x, ones, o);
            default -> throw new IllegalArgumentException(api);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureFunctionIsKnown() throws IOException {
        JsonNode root = fixtures();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("cases and strict checks present", () -> {
            assertTrue(root.get("cases").size() >= 10);
            assertTrue(root.get("strict").size() >= 60);
            for (JsonNode c : root.get("cases")) {
                assertTrue(FUNCTIONS.containsKey(c.get("function").asText()), c.get("function").asText());
            }
            for (JsonNode s : root.get("strict")) {
                assertTrue(FUNCTIONS.containsKey(s.get("function").asText()), s.get("function").asText());
            }
            assertFalse(FUNCTIONS.isEmpty());
        }));
        return tests.stream();
    }
}
