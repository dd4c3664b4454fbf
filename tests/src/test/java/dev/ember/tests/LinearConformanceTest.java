package dev.ember.tests;

import static dev.ember.tests.LayerConformanceTest.assertClose;
import static dev.ember.tests.LayerConformanceTest.maxAbs;
import static dev.ember.tests.LayerConformanceTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradOptions;
import dev.ember.kernels.Gemm;
import dev.ember.nn.functional.Layers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fused linear op ({@code Layers.linear}, behind {@code nn.Linear}) against PyTorch 1.13's {@code F.linear}: the
 * fixtures in {@code fixtures/linear.json} (written by {@code tests/src/test/python/generate_linear_fixtures.py},
 * which documents the format) hold the value, the first gradients, the second-order gradients (the gradient of a
 * function of the first gradients, computed with {@code createGraph}) and the forward-mode tangent, in float64 and
 * float32, for inputs of every rank, transposed inputs and weights, with and without a bias. Every case runs through
 * every GEMM route ({@link Gemm.Route}: the Java loop, the native BLAS where available, ND4J's GEMM), so that each
 * fast path is checked against the same numbers. Tolerances: float64 relative 1e-10 plus absolute 1e-12; float32
 * 1e-5 of the largest magnitude.
 */
class LinearConformanceTest {
    private static JsonNode fixtures;

    private static synchronized JsonNode fixtures() throws IOException {
        if (fixtures == null) {
            try (InputStream in = LinearConformanceTest.class.getResourceAsStream("/fixtures/linear.json")) {
                assertNotNull(in, "fixtures/linear.json is missing from the test resources; regenerate it with "
                        + "/usr/bin/python3 tests/src/test/python/generate_linear_fixtures.py");
                fixtures = JsonMapper.builder().build().readTree(in);
            }
        }
        return fixtures;
    }

    @TestFactory
    Stream<DynamicTest> linearMatchesPyTorchOnEveryGemmRoute() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("cases")) {
            for (Gemm.Route route : Gemm.routes()) {
                String name = c.get("name").asText() + " [" + route + "]";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    try (Gemm.Scope s = Gemm.force(route)) {
                        check(name, c);
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no cases in fixtures/linear.json");
        return tests.stream();
    }

    private static void check(String name, JsonNode c) {
        boolean f64 = c.get("dtype").asText().equals("float64");
        Tensor x = tensor(c.get("x")).requiresGrad_(true);
        Tensor w = tensor(c.get("w")).requiresGrad_(true);
        Tensor b = c.get("b").isNull() ? null : tensor(c.get("b")).requiresGrad_(true);
        boolean tx = c.get("x_transposed").asBoolean();
        boolean tw = c.get("w_transposed").asBoolean();

        // value and first-order gradients
        Tensor y = apply(x, w, b, tx, tw);
        Tensor expectedY = tensor(c.get("y"));
        assertEquals(x.dtype(), y.dtype(), name + ": dtype");
        compare(expectedY, y, f64, name + ": y");
        if (y.dim() == 2 && !tx) {
            assertEquals(b == null ? "MmBackward" : "AddmmBackward", y.gradFn().name(), name + ": the node");
        }
        Tensor v = tensor(c.get("v"));
        Tensor[] g = Autograd.grad(y.mul(v).sum(), leaves(x, w, b).toArray(new Tensor[0]));
        compare(tensor(c.get("grads").get("x")), g[0], f64, name + ": dL/dx");
        compare(tensor(c.get("grads").get("w")), g[1], f64, name + ": dL/dw");
        if (b != null) {
            compare(tensor(c.get("grads").get("b")), g[2], f64, name + ": dL/db");
        }
        if (!tw) {
            assertTrue(g[1].isContiguous(), name + ": the weight's gradient is contiguous, in its own layout");
        }

        // second order: S = Σ (dL/dp · u_p), differentiated with respect to x, w, b and v
        Tensor vv = v.detach().requiresGrad_(true);
        Tensor[] first = Autograd.grad(List.of(apply(x, w, b, tx, tw).mul(vv).sum()), leaves(x, w, b), null,
                GradOptions.createGraph());
        JsonNode u = c.get("u");
        Tensor s = first[0].mul(tensor(u.get("x"))).sum().add(first[1].mul(tensor(u.get("w"))).sum());
        if (b != null) {
            s = s.add(first[2].mul(tensor(u.get("b"))).sum());
        }
        List<Tensor> wrt = new ArrayList<>(leaves(x, w, b));
        wrt.add(vv);
        Tensor[] second = Autograd.grad(List.of(s), wrt, null, GradOptions.allowUnused());
        JsonNode g2 = c.get("grads2");
        compare(tensor(g2.get("x")), orZeros(second[0], x), f64, name + ": second order, x");
        compare(tensor(g2.get("w")), orZeros(second[1], w), f64, name + ": second order, w");
        if (b != null) {
            compare(tensor(g2.get("b")), orZeros(second[2], b), f64, name + ": second order, b");
        }
        compare(tensor(g2.get("v")), orZeros(second[second.length - 1], vv), f64, name + ": second order, v");

        // forward mode
        JsonNode t = c.get("tangents");
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor dx = ForwardAD.makeDual(x.detach(), tensor(t.get("x")));
            Tensor dw = ForwardAD.makeDual(w.detach(), tensor(t.get("w")));
            Tensor db = b == null ? null : ForwardAD.makeDual(b.detach(), tensor(t.get("b")));
            Tensor jvp = ForwardAD.unpackDual(apply(dx, dw, db, tx, tw)).tangent();
            compare(tensor(c.get("jvp")), jvp, f64, name + ": JVP");
        }
    }

    private static Tensor apply(Tensor x, Tensor w, Tensor b, boolean tx, boolean tw) {
        return Layers.linear(tx ? x.t() : x, tw ? w.t() : w, b);
    }

    private static List<Tensor> leaves(Tensor x, Tensor w, Tensor b) {
        return b == null ? List.of(x, w) : List.of(x, w, b);
    }

    private static Tensor orZeros(Tensor g, Tensor like) {
        return g != null ? g : like.detach().mul(0.0);
    }

    private static void compare(Tensor expected, Tensor actual, boolean f64, String what) {
        if (f64) {
            assertClose(expected, actual, 1e-10, 1e-12, what);
        } else {
            double tol = 1e-5 * Math.max(1.0, maxAbs(expected));
            assertClose(expected, actual, tol, tol, what);
        }
    }
}
