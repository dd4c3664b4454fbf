package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.DType;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * In-place ops against PyTorch 1.13: {@code fixtures/inplace.json}, written by
 * {@code tests/src/test/python/generate_inplace_fixtures.py} (which documents the format), holds what PyTorch writes
 * into a destination that is a view (transposed, narrowed, strided, permuted) with operands that are contiguous,
 * transposed, broadcast, 0-d or the destination itself, the overlaps PyTorch refuses, and the gradients of recorded
 * in-place ops on tensors that require grad.
 *
 * <p>Every write is checked on both of Ember's paths: the direct one (a kernel writing into the destination's
 * storage, taken when nothing is recorded) and the general one (the out-of-place formula, then a copy; taken inside
 * a dual level, as forward mode needs it). The whole base tensor is compared, so elements outside the view must be
 * untouched, and so is the number of version-counter bumps. Float64 is compared to 1e-14 relative; float32 to two
 * units in the last place. Both also allow an absolute error of a few units in the last place of the largest
 * element: PyTorch's compiled kernels fuse a multiply and an add into one rounding where Java rounds twice, which
 * matters where the result nearly cancels ({@code d + w (x - d)} near zero).
 */
class InPlaceConformanceTest {
    private static final double RTOL64 = 1e-14;
    private static final double RTOL32 = 0x1p-22;
    /** Units in the last place of the largest element allowed as an absolute error. */
    private static final double ULPS = 4;

    private static JsonNode root;

    private static JsonNode fixtures() throws IOException {
        if (root == null) {
            JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
            try (InputStream in = InPlaceConformanceTest.class.getResourceAsStream("/fixtures/inplace.json")) {
                assertNotNull(in, "fixtures/inplace.json is missing from the test resources; regenerate it with "
                        + "/usr/bin/python3 tests/src/test/python/generate_inplace_fixtures.py");
                root = mapper.readTree(in);
            }
        }
        return root;
    }

    @TestFactory
    Stream<DynamicNode> writes() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode c : fixtures().get("writes")) {
            String name = c.get("name").asText();
            nodes.add(DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest("direct path", () -> checkWrite(c, false)),
                    DynamicTest.dynamicTest("general path", () -> checkWrite(c, true)))));
        }
        assertTrue(nodes.size() > 300, "the fixture file should hold the write cases");
        return nodes.stream();
    }

    @TestFactory
    Stream<DynamicNode> recorded() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode c : fixtures().get("recorded")) {
            nodes.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkRecorded(c)));
        }
        assertFalse(nodes.isEmpty(), "the fixture file should hold the recorded cases");
        return nodes.stream();
    }

    private static void checkWrite(JsonNode c, boolean generalPath) {
        String name = c.get("name").asText();
        DType dtype = c.get("dtype").asText().equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
        Tensor base = OpConformanceTest.tensor(c.get("self").get("base"), dtype);
        Tensor self = view(base, c.get("self").get("view"));
        List<Tensor> operands = new ArrayList<>();
        for (JsonNode o : c.get("operands")) {
            operands.add(o.has("self_view") ? view(base, o.get("self_view"))
                    : view(OpConformanceTest.tensor(o.get("base"), dtype), o.get("view")));
        }
        int before = base.version();
        Runnable call = () -> run(c.get("op").asText(), self, operands, c.get("args"));
        Runnable onPath = generalPath ? () -> {
            try (var level = ForwardAD.dualLevel()) {
                call.run();
            }
        } : call;
        if (!c.get("error").isNull()) {
            String fragment = c.get("error").asText().equals("partial overlap") ? "same memory location"
                    : "single memory location";
            ShapeException e = assertThrows(ShapeException.class, onPath::run, name + ": PyTorch raises");
            assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains("clone()"),
                    name + ": the message should say why and how to fix it: " + e.getMessage());
        } else {
            onPath.run();
        }
        compare(name, c.get("expected"), base, dtype == DType.FLOAT32 ? RTOL32 : RTOL64);
        assertEquals(c.get("versions").asInt(), base.version() - before, name + ": version counter bumps");
    }

    private static void checkRecorded(JsonNode c) {
        String name = c.get("name").asText();
        Tensor a = OpConformanceTest.tensor(c.get("a"), DType.FLOAT64).requiresGrad_();
        Tensor w = OpConformanceTest.tensor(c.get("w"), DType.FLOAT64);
        List<Tensor> operands = new ArrayList<>();
        List<Tensor> wanted = new ArrayList<>(List.of(a));
        for (JsonNode o : c.get("operands")) {
            Tensor t = OpConformanceTest.tensor(o.get("tensor"), DType.FLOAT64);
            if (o.get("requires_grad").asBoolean()) {
                t.requiresGrad_();
                wanted.add(t);
            }
            operands.add(t);
        }
        Tensor y = a.mul(1.5);
        run(c.get("op").asText(), y, operands, c.get("args"));
        assertTrue(y.requiresGrad() && !y.isLeaf(), name + ": the in-place op on y is recorded");
        compare(name + " y", c.get("y"), y, RTOL64);
        Tensor[] grads = Autograd.grad(List.of(y.mul(w).sum()), wanted, null, GradOptions.DEFAULT);
        compare(name + " gradient of a", c.get("grads").get(0), grads[0], RTOL64);
        int k = 1;
        for (int i = 0; i < operands.size(); i++) {
            JsonNode g = c.get("grads").get(i + 1);
            if (g.isNull()) {
                assertFalse(operands.get(i).requiresGrad(), name + ": operand " + i);
            } else {
                compare(name + " gradient of operand " + i, g, grads[k++], RTOL64);
            }
        }
    }

    private static void run(String op, Tensor s, List<Tensor> o, JsonNode args) {
        switch (op) {
            case "add" -> s.add_(o.get(0));
            case "add_alpha" -> s.add_(o.get(0), args.get("alpha").asDouble());
            case "sub" -> s.sub_(o.get(0));
            case "sub_alpha" -> s.sub_(o.get(0), args.get("alpha").asDouble());
            case "mul" -> s.mul_(o.get(0));
            case "div" -> s.div_(o.get(0));
            case "add_scalar" -> s.add_(args.get("value").asDouble());
            case "sub_scalar" -> s.sub_(args.get("value").asDouble());
            case "mul_scalar" -> s.mul_(args.get("value").asDouble());
            case "div_scalar" -> s.div_(args.get("value").asDouble());
            case "addcmul" -> s.addcmul_(o.get(0), o.get(1), args.get("value").asDouble());
            case "addcdiv" -> s.addcdiv_(o.get(0), o.get(1), args.get("value").asDouble());
            case "lerp_scalar" -> s.lerp_(o.get(0), args.get("weight").asDouble());
            case "lerp_tensor" -> s.lerp_(o.get(0), o.get(1));
            case "copy" -> s.copy_(o.get(0));
            case "clamp" -> s.clamp_(bound(args.get("min")), bound(args.get("max")));
            case "fill" -> s.fill_(args.get("value").asDouble());
            case "zero" -> s.zero_();
            case "sqrt" -> s.sqrt_();
            case "neg" -> s.neg_();
            case "relu" -> s.relu_();
            default -> fail("unknown op in the fixture: " + op);
        }
    }

    /** A clamp bound; null (no bound) is NaN in Ember's clamp. */
    private static double bound(JsonNode b) {
        return b == null || b.isNull() ? Double.NaN : b.asDouble();
    }

    private static Tensor view(Tensor t, JsonNode steps) {
        for (JsonNode s : steps) {
            t = switch (s.get(0).asText()) {
                case "t" -> t.t();
                case "narrow" -> t.narrow(s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt());
                case "slice" -> t.slice(s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt(), s.get(4).asInt());
                case "permute" -> t.permute(OpConformanceTest.ints(s.get(1)));
                case "expand" -> t.expand(OpConformanceTest.ints(s.get(1)));
                default -> throw new IllegalArgumentException("unknown view step " + s);
            };
        }
        return t;
    }

    private static void compare(String what, JsonNode expected, Tensor actual, double rtol) {
        assertArrayEquals(OpConformanceTest.shapeOf(expected), actual.shape(), what + ": shape");
        double[] got = actual.toDoubleArray();
        JsonNode want = expected.get("values");
        double largest = 0;
        for (JsonNode v : want) {
            largest = Double.isFinite(v.asDouble()) ? Math.max(largest, Math.abs(v.asDouble())) : largest;
        }
        double atol = ULPS * (actual.dtype() == DType.FLOAT32 ? Math.ulp((float) largest) : Math.ulp(largest));
        for (int i = 0; i < got.length; i++) {
            double e = want.get(i).asDouble();
            double a = got[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Math.abs(a - e) <= rtol * Math.abs(e) + atol || a == e;
            if (!ok) {
                fail(what + ": element " + i + " is " + a + ", PyTorch's is " + e + "\n  Ember:   "
                        + Arrays.toString(got) + "\n  PyTorch: " + want);
            }
        }
    }
}
