package dev.ember.tests;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.DualLevel;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.GradOptions;
import dev.ember.kernels.ConvKernels;
import dev.ember.kernels.ConvKernels.Path;
import dev.ember.nn.Conv1d;
import dev.ember.nn.Conv2d;
import dev.ember.nn.ConvNd;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.ConvPadding;
import dev.ember.nn.functional.Convolutions;
import dev.ember.nn.functional.PoolOptions;
import dev.ember.nn.functional.Pooling;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Convolution and pooling against PyTorch 1.13: the fixtures in {@code fixtures/conv.json} (written by
 * {@code tests/src/test/python/generate_conv_fixtures.py}, which documents the format).
 *
 * <p>For each convolution, once with ND4J's kernels and once with the Java loops (each forced): forward, the gradients of input, weight and bias, the grad_fn name, second-order
 * gradients (of ⟨gx, v⟩ + ⟨gw, u⟩ with respect to input, weight and the output gradient, through a backward pass
 * with createGraph) and the forward-mode JVP, all in float64 (relative 1e-10, absolute 1e-12: ND4J's kernels sum in
 * another order than PyTorch's); and forward and gradients in float32 against PyTorch's float32 results (relative
 * 1e-5 plus 1e-5 times the largest magnitude). For each pooling: values, indices (exactly, including the tie rule
 * and NaN), gradient, grad_fn and JVP. For the layers: the default initialisation after a seed, exactly.
 */
class ConvConformanceTest {
    static final double RTOL64 = 1e-10;
    static final double ATOL64 = 1e-12;
    static final double RTOL32 = 1e-5;
    static final double ATOL32 = 1e-5;

    static JsonNode root() throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = ConvConformanceTest.class.getResourceAsStream("/fixtures/conv.json")) {
            assertNotNull(in, "fixtures/conv.json is missing from the test resources; regenerate it with "
                    + "/usr/bin/python3 tests/src/test/python/generate_conv_fixtures.py");
            return mapper.readTree(in);
        }
    }

    static Stream<JsonNode> list(JsonNode root, String key) {
        return StreamSupport.stream(root.get(key).spliterator(), false);
    }

    @TestFactory
    Stream<DynamicNode> convolutions() throws IOException {
        return list(root(), "conv").map(c -> {
            String name = c.get("name").asText();
            return DynamicContainer.dynamicContainer(name, Stream.of(Path.JAVA, Path.ND4J, Path.IM2COL).flatMap(p -> Stream.of(
                    onPath(p, name + " float64 forward and backward", () -> convFirstOrder(c, DType.FLOAT64)),
                    onPath(p, name + " float32 forward and backward", () -> convFirstOrder(c, DType.FLOAT32)),
                    onPath(p, name + " second order", () -> convSecondOrder(c)),
                    onPath(p, name + " forward mode", () -> convForwardMode(c)))));
        });
    }

    /** A test that runs with every convolution forced onto one implementation (Java loops or ND4J's kernels). */
    static DynamicTest onPath(Path p, String name, Runnable check) {
        return DynamicTest.dynamicTest(name + " (" + p + ")", () -> {
            try (var scope = ConvKernels.forcePath(p)) {
                check.run();
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> pooling() throws IOException {
        return list(root(), "pool").map(c -> {
            String name = c.get("name").asText();
            return DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest(name + " float64", () -> poolCheck(c, DType.FLOAT64)),
                    DynamicTest.dynamicTest(name + " float32", () -> poolCheck(c, DType.FLOAT32)),
                    DynamicTest.dynamicTest(name + " forward mode", () -> poolForwardMode(c))));
        });
    }

    @TestFactory
    Stream<DynamicTest> initialisation() throws IOException {
        return list(root(), "init").map(c -> DynamicTest.dynamicTest(c.get("layer").asText() + " seed "
                + c.get("seed").asInt(), () -> initCheck(c)));
    }

    // ---- convolutions ------------------------------------------------------------------------------------------

    static ConvOptions options(JsonNode c) {
        JsonNode o = c.get("options");
        ConvOptions options = ConvOptions.DEFAULT.stride(ints(o.get("stride"))).dilation(ints(o.get("dilation")))
                .groups(o.get("groups").asInt());
        JsonNode padding = o.get("padding");
        return padding.isTextual() ? options.padding(ConvPadding.valueOf(padding.asText().toUpperCase(Locale.ROOT)))
                : options.padding(ints(padding));
    }

    static Tensor conv(JsonNode c, Tensor x, Tensor w, Tensor b) {
        return c.get("op").asText().equals("conv1d") ? Convolutions.conv1d(x, w, b, options(c))
                : Convolutions.conv2d(x, w, b, options(c));
    }

    static void convFirstOrder(JsonNode c, DType dtype) {
        String name = c.get("name").asText() + " (" + dtype.label() + ")";
        boolean f64 = dtype == DType.FLOAT64;
        JsonNode want = c.get(f64 ? "float64" : "float32");
        Tensor x = tensor(c.get("input"), dtype).requiresGrad_();
        Tensor w = tensor(c.get("weight"), dtype).requiresGrad_();
        Tensor b = c.get("bias").isNull() ? null : tensor(c.get("bias"), dtype).requiresGrad_();
        Tensor y = conv(c, x, w, b);
        assertEquals(dtype, y.dtype(), name + ": output dtype");
        compare(name + " output", want.get("output"), y, f64);
        if (f64) {
            assertEquals(c.get("grad_fn").asText(), y.gradFn().name(), name + ": grad_fn");
        }
        List<Tensor> leaves = new ArrayList<>(List.of(x, w));
        if (b != null) {
            leaves.add(b);
        }
        Tensor[] g = Autograd.grad(List.of(y), leaves, List.of(tensor(c.get("grad_output"), dtype)),
                GradOptions.DEFAULT);
        compare(name + " gradient of the input", want.get("grad_input"), g[0], f64);
        compare(name + " gradient of the weight", want.get("grad_weight"), g[1], f64);
        if (b != null) {
            compare(name + " gradient of the bias", want.get("grad_bias"), g[2], f64);
        }
    }

    static void convSecondOrder(JsonNode c) {
        String name = c.get("name").asText();
        JsonNode d = c.get("double");
        Tensor x = tensor(c.get("input"), DType.FLOAT64).requiresGrad_();
        Tensor w = tensor(c.get("weight"), DType.FLOAT64).requiresGrad_();
        Tensor b = c.get("bias").isNull() ? null : tensor(c.get("bias"), DType.FLOAT64);
        Tensor gy = tensor(c.get("grad_output"), DType.FLOAT64).requiresGrad_();
        Tensor y = conv(c, x, w, b);
        Tensor[] g = Autograd.grad(List.of(y), List.of(x, w), List.of(gy), GradOptions.createGraph());
        // The input's gradient passes through an unsqueeze (unbatched) or the appended zeros (padding 'same')
        boolean direct = !name.endsWith("unbatched") && !name.contains("_same_");
        assertEquals("ConvolutionBackwardBackward", (direct ? g[0] : g[1]).gradFn().name(),
                name + ": the gradients' grad_fn");
        Tensor loss = g[0].mul(tensor(d.get("v_input"), DType.FLOAT64)).sum()
                .add(g[1].mul(tensor(d.get("v_weight"), DType.FLOAT64)).sum());
        Tensor[] gg = Autograd.grad(List.of(loss), List.of(x, w, gy), null, GradOptions.DEFAULT);
        compare(name + " second order: input", d.get("grad_input"), gg[0], true);
        compare(name + " second order: weight", d.get("grad_weight"), gg[1], true);
        compare(name + " second order: grad_output", d.get("grad_grad_output"), gg[2], true);
    }

    static void convForwardMode(JsonNode c) {
        String name = c.get("name").asText();
        JsonNode t = c.get("tangents");
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(tensor(c.get("input"), DType.FLOAT64), tensor(t.get("input"), DType.FLOAT64));
            Tensor w = ForwardAD.makeDual(tensor(c.get("weight"), DType.FLOAT64),
                    tensor(t.get("weight"), DType.FLOAT64));
            Tensor b = c.get("bias").isNull() ? null : ForwardAD.makeDual(tensor(c.get("bias"), DType.FLOAT64),
                    tensor(t.get("bias"), DType.FLOAT64));
            Tensor y = conv(c, x, w, b);
            compare(name + " forward mode output", c.get("float64").get("output"), ForwardAD.unpackDual(y).primal(),
                    true);
            compare(name + " JVP", c.get("jvp"), ForwardAD.unpackDual(y).tangent(), true);
        }
    }

    // ---- pooling -------------------------------------------------------------------------------------------------

    /** The pooling call of a case: values, and indices for max pooling (else null). */
    static ValuesAndIndices pool(JsonNode c, Tensor x) {
        JsonNode a = c.get("args");
        switch (c.get("op").asText()) {
            case "max_pool2d" -> {
                PoolOptions o = PoolOptions.DEFAULT.stride(ints(a.get("stride"))).padding(ints(a.get("padding")))
                        .dilation(ints(a.get("dilation"))).ceilMode(a.get("ceil_mode").asBoolean());
                return Pooling.maxPool2dWithIndices(x, ints(a.get("kernel_size")), o);
            }
            case "avg_pool2d" -> {
                PoolOptions o = PoolOptions.DEFAULT.stride(ints(a.get("stride"))).padding(ints(a.get("padding")))
                        .ceilMode(a.get("ceil_mode").asBoolean())
                        .countIncludePad(a.get("count_include_pad").asBoolean());
                if (!a.get("divisor_override").isNull()) {
                    o = o.divisorOverride(a.get("divisor_override").asInt());
                }
                return new ValuesAndIndices(Pooling.avgPool2d(x, ints(a.get("kernel_size")), o), null);
            }
            default -> {
                return new ValuesAndIndices(Pooling.adaptiveAvgPool2d(x, ints(a.get("output_size"))), null);
            }
        }
    }

    static void poolCheck(JsonNode c, DType dtype) {
        boolean f64 = dtype == DType.FLOAT64;
        String name = c.get("name").asText() + " (" + dtype.label() + ")";
        JsonNode want = c.get(f64 ? "float64" : "float32");
        Tensor x = tensor(c.get("input"), dtype).requiresGrad_();
        ValuesAndIndices r = pool(c, x);
        compare(name + " output", want.get("output"), r.values(), f64);
        if (want.get("indices").isNull()) {
            assertNull(r.indices(), name + ": indices");
        } else {
            assertEquals(DType.INT64, r.indices().dtype(), name + ": indices dtype");
            assertArrayEquals(shape(want.get("indices")), r.indices().shape(), name + ": indices shape");
            assertArrayEquals(longs(want.get("indices")), r.indices().toLongArray(), name + ": indices");
        }
        assertEquals(c.get("grad_fn").asText(), r.values().gradFn().name(), name + ": grad_fn");
        Tensor[] g = Autograd.grad(List.of(r.values()), List.of(x), List.of(tensor(c.get("grad_output"), dtype)),
                GradOptions.DEFAULT);
        compare(name + " gradient", want.get("grad_input"), g[0], f64);
    }

    static void poolForwardMode(JsonNode c) {
        String name = c.get("name").asText();
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(tensor(c.get("input"), DType.FLOAT64), tensor(c.get("tangent"),
                    DType.FLOAT64));
            compare(name + " JVP", c.get("jvp"), ForwardAD.unpackDual(pool(c, x).values()).tangent(), true);
        }
    }

    // ---- initialisation ------------------------------------------------------------------------------------------

    static void initCheck(JsonNode c) {
        Ember.manualSeed(c.get("seed").asLong());
        int in = c.get("in_channels").asInt();
        int out = c.get("out_channels").asInt();
        int[] k = ints(c.get("kernel_size"));
        ConvOptions o = ConvOptions.DEFAULT.groups(c.get("groups").asInt());
        boolean bias = c.get("bias").asBoolean();
        ConvNd m = c.get("layer").asText().equals("Conv2d") ? new Conv2d(in, out, k, o, bias)
                : new Conv1d(in, out, k[0], o, bias);
        String what = m.toString();
        assertArrayEquals(shape(c.get("weight")), m.weight().shape(), what + ": weight shape");
        assertArrayEquals(floats(c.get("weight")), m.weight().toFloatArray(), what + ": weight values");
        if (bias) {
            assertArrayEquals(floats(c.get("bias_values")), m.bias().toFloatArray(), what + ": bias values");
        } else {
            assertNull(m.bias(), what + ": bias");
        }
    }

    // ---- comparison and decoding ---------------------------------------------------------------------------------

    /** Shape and values; NaN matches NaN. float32 uses a tolerance scaled by the largest expected magnitude. */
    static void compare(String what, JsonNode expected, Tensor actual, boolean f64) {
        assertNotNull(actual, what + ": Ember returned no tensor");
        int[] shape = shape(expected);
        assertArrayEquals(shape, actual.shape(), what + ": shape " + Arrays.toString(actual.shape())
                + ", PyTorch's is " + Arrays.toString(shape));
        double[] want = doubles(expected);
        double[] got = actual.toDoubleArray();
        double scale = 1.0;
        for (double v : want) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double rtol = f64 ? RTOL64 : RTOL32;
        double atol = f64 ? ATOL64 : ATOL32 * scale;
        for (int i = 0; i < want.length; i++) {
            double e = want[i];
            double a = got[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Double.isInfinite(e) ? a == e
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " is " + a + ", PyTorch's is " + e + " (difference " + (a - e)
                        + ")\n  Ember:   " + Arrays.toString(got) + "\n  PyTorch: " + Arrays.toString(want));
            }
        }
    }

    static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    static int[] shape(JsonNode t) {
        return ints(t.get("shape"));
    }

    static double[] doubles(JsonNode t) {
        JsonNode v = t.get("values");
        double[] r = new double[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i).asDouble();
        }
        return r;
    }

    static float[] floats(JsonNode t) {
        double[] d = doubles(t);
        float[] r = new float[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    static long[] longs(JsonNode t) {
        JsonNode v = t.get("values");
        long[] r = new long[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i).asLong();
        }
        return r;
    }

    static Tensor tensor(JsonNode t, DType dtype) {
        Tensor d = Ember.fromArray(doubles(t), shape(t));
        return dtype == DType.FLOAT64 ? d : d.to(dtype);
    }
}
