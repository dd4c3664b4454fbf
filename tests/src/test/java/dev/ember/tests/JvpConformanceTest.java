package dev.ember.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward mode against PyTorch 1.13: for every case of {@code fixtures/ops.json}, each input that requires grad is
 * made dual with the fixture's tangent, the op runs inside a dual level, and the tangent of every output (its JVP)
 * is compared with the one {@code torch.autograd.forward_ad} computed, in float64 (relative 1e-10 plus absolute
 * 1e-12, as the gradients in {@link OpConformanceTest}) and in float32 (relative and absolute 1e-5, scaled by the
 * largest magnitude). Outputs without a tangent in PyTorch (indices, bools) must have none in Ember.
 *
 * <p>Where Ember's forward mode deliberately differs from PyTorch's, {@link #DIFFERENCES} lists the case, the
 * element, Ember's value and why: each such value is what reverse mode implies (u·Jv equals (Jᵀu)·v).
 */
class JvpConformanceTest {
    static final double RTOL64 = 1e-10;
    static final double ATOL64 = 1e-12;
    static final double RTOL32 = 1e-5;
    static final double ATOL32 = 1e-5;

    /** A deliberate difference: in this case, output element {@code element} of output 0 is {@code ember}. */
    record Difference(int element, double ember, String why) {
    }

    static final Map<String, Difference> DIFFERENCES = Map.of(
            // PyTorch's evenly_read_jvp masks with x == max, which is false for NaN, and divides by a count of 0.
            // Its backward (and Ember's) gives the gradient to the NaN element, so Ember's JVP reads that element's
            // tangent: the input is [1, nan, 2] with tangent [-0.492, -0.785, 0.828].
            "max_all_with_nan", new Difference(0, -0.785, "the tangent of the NaN element, consistent with the "
                    + "backward, where PyTorch's forward mode gives NaN (0/0)"));

    /** Cases where PyTorch's forward mode raises and Ember computes a tangent consistent with its backward. */
    static final Map<String, double[]> PYTORCH_RAISES = Map.of(
            // amax() of an empty dimension fails in PyTorch's logsumexp_jvp; the derivative of log(0) = -inf with
            // respect to no elements is an empty sum: 0
            "logsumexp_of_empty", new double[] {0.0, 0.0});

    @TestFactory
    Stream<DynamicNode> jvpConformance() throws IOException {
        return OpConformanceTest.loadCases().stream().map(c -> {
            String name = c.get("name").asText();
            return DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest(name + " float64 JVP", () -> check(c, DType.FLOAT64)),
                    DynamicTest.dynamicTest(name + " float32 JVP", () -> check(c, DType.FLOAT32))));
        });
    }

    /** Every case of the fixture file has tangents and (unless PyTorch raised) JVPs: the generator was run. */
    @Test
    void everyCaseHasJvps() throws IOException {
        for (JsonNode c : OpConformanceTest.loadCases()) {
            String name = c.get("name").asText();
            assertTrue(c.has("tangents") && c.has("jvps"), name + ": no tangents or jvps in ops.json; regenerate it "
                    + "with /usr/bin/python3 tests/src/test/python/generate_fixtures.py");
            if (c.get("jvps").isNull()) {
                assertTrue(PYTORCH_RAISES.containsKey(name), name + ": PyTorch's forward mode raised ("
                        + c.get("jvp_error") + ") but the test does not list the case");
            }
        }
    }

    static void check(JsonNode c, DType floatType) {
        String name = c.get("name").asText();
        JsonNode tangents = c.get("tangents");
        boolean f64 = floatType == DType.FLOAT64;
        try (DualLevel level = ForwardAD.dualLevel()) {
            List<Tensor> inputs = new ArrayList<>();
            JsonNode in = c.get("inputs");
            for (int i = 0; i < in.size(); i++) {
                Tensor t = OpConformanceTest.tensor(in.get(i), floatType);
                JsonNode v = tangents.get(i);
                inputs.add(v.isNull() ? t : ForwardAD.makeDual(t, OpConformanceTest.tensor(v, floatType)));
            }
            List<Tensor> outs = OpConformanceTest.apply(c.get("op").asText(), inputs, c.get("args"));
            JsonNode expectedOuts = c.get("outputs");
            assertEquals(expectedOuts.size(), outs.size(), name + ": number of outputs");
            if (f64) {
                for (int i = 0; i < outs.size(); i++) {
                    OpConformanceTest.compare(name + " output " + i + " inside a dual level", expectedOuts.get(i),
                            ForwardAD.unpackDual(outs.get(i)).primal(), RTOL64, ATOL64);
                }
            }
            JsonNode jvps = c.get("jvps");
            if (jvps.isNull()) {
                double[] want = PYTORCH_RAISES.get(name);
                assertNotNull(want, name + ": PyTorch raised " + c.get("jvp_error"));
                Tensor t = ForwardAD.unpackDual(outs.get(0)).tangent();
                assertNotNull(t, name + ": Ember's output has no tangent");
                assertArrayEquals(want, t.toDoubleArray(), 0.0, name + ": Ember's tangent");
                return;
            }
            for (int i = 0; i < outs.size(); i++) {
                Tensor got = ForwardAD.unpackDual(outs.get(i)).tangent();
                JsonNode want = jvps.get(i);
                if (want.isNull()) {
                    assertNull(got, name + ": output " + i + " (" + outs.get(i).dtype() + ") has no tangent in "
                            + "PyTorch but one in Ember");
                    continue;
                }
                assertNotNull(got, name + ": output " + i + " has a tangent in PyTorch but none in Ember");
                assertEquals(outs.get(i).dtype(), got.dtype(), name + ": the tangent's dtype is the output's");
                assertArrayEquals(outs.get(i).shape(), got.shape(), name + ": the tangent's shape is the output's");
                Difference diff = DIFFERENCES.get(name);
                if (diff != null && i == 0) {
                    assertEquals(diff.ember(), got.toDoubleArray()[diff.element()], 1e-6,
                            name + ": Ember's documented value (" + diff.why() + ")");
                    continue;
                }
                if (f64) {
                    OpConformanceTest.compare(name + " JVP of output " + i, want, got, RTOL64, ATOL64);
                } else {
                    double scale = 1.0;
                    for (JsonNode v : want.get("values")) {
                        if (v.isNumber() && Double.isFinite(v.asDouble())) {
                            scale = Math.max(scale, Math.abs(v.asDouble()));
                        }
                    }
                    OpConformanceTest.compare(name + " JVP of output " + i + " (float32)", want, got, RTOL32,
                            ATOL32 * scale);
                }
            }
        }
        assertFalse(ForwardAD.isActive(), "the level is closed");
    }

    /** The seed's example, float32 as in the seed: x = 1, tangent 1, y = x ** 2 has tangent 2. */
    @Test
    void seedExample() {
        Tensor x = Ember.scalar(1.0);
        Tensor tangent = Ember.scalar(1.0);
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor dualX = ForwardAD.makeDual(x, tangent);
            Tensor y = dualX.pow(2);
            Tensor jvp = ForwardAD.unpackDual(y).tangent();
            assertEquals("tensor(2.)", jvp.toString());
            assertEquals("tensor(1., tangent=2.0)", y.toString());
        }
    }
}
