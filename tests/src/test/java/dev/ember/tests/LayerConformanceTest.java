package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.AlphaDropout;
import dev.ember.nn.BatchNorm1d;
import dev.ember.nn.BatchNorm2d;
import dev.ember.nn.BatchNormOptions;
import dev.ember.nn.Dropout;
import dev.ember.nn.Dropout1d;
import dev.ember.nn.Dropout2d;
import dev.ember.nn.Dropout3d;
import dev.ember.nn.ELU;
import dev.ember.nn.Embedding;
import dev.ember.nn.Flatten;
import dev.ember.nn.GELU;
import dev.ember.nn.GeluApproximation;
import dev.ember.nn.Identity;
import dev.ember.nn.LayerNorm;
import dev.ember.nn.LeakyReLU;
import dev.ember.nn.Linear;
import dev.ember.nn.LogSoftmax;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.SiLU;
import dev.ember.nn.Sigmoid;
import dev.ember.nn.Softmax;
import dev.ember.nn.Tanh;
import dev.ember.nn.functional.EmbeddingOptions;
import dev.ember.nn.init.FanMode;
import dev.ember.nn.init.Init;
import dev.ember.nn.init.Nonlinearity;
import dev.ember.nn.utils.ClipGrad;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The general layers, initialisers and gradient clipping against PyTorch 1.13: the fixtures in
 * {@code fixtures/layers.json} (written by {@code tests/src/test/python/generate_layer_fixtures.py}, which documents
 * the format) hold
 * <ul>
 *   <li>the initial values of Linear and Embedding and of every initialiser after {@code manualSeed}, and the
 *       generator's next draws after them: equal bit for bit (orthogonal_, whose QR runs in a different precision
 *       than PyTorch's LAPACK, to 2e-6; float64 normal samples, whose log/sin/cos are Java's, to 1e-15
 *       relative);</li>
 *   <li>each layer's outputs, input and parameter gradients, and buffers after (running statistics) on fixed inputs,
 *       and the parameters after where a forward changes them (Embedding with maxNorm),
 *       in float64 (relative 1e-10 plus absolute 1e-12) and for some layers in float32 (relative and absolute 1e-5
 *       of the largest magnitude); the outputs of every dropout (element-wise, channel 1-d/2-d/3-d and alpha) bit
 *       for bit, with the generator's position after;</li>
 *   <li>clipGradNorm_ (p = 2, 1, 3, 0.5, infinity) and clipGradValue_: the total norm and the clipped gradients.</li>
 * </ul>
 */
class LayerConformanceTest {
    private static JsonNode fixtures;

    private static synchronized JsonNode fixtures() throws IOException {
        if (fixtures == null) {
            JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
            try (InputStream in = LayerConformanceTest.class.getResourceAsStream("/fixtures/layers.json")) {
                assertNotNull(in, "fixtures/layers.json is missing from the test resources; regenerate it with "
                        + "/usr/bin/python3 tests/src/test/python/generate_layer_fixtures.py");
                fixtures = mapper.readTree(in);
            }
        }
        return fixtures;
    }

    static Tensor tensor(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        JsonNode values = n.get("values");
        String dtype = n.get("dtype").asText();
        if (dtype.equals("int64")) {
            long[] v = new long[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i).asLong();
            }
            return Ember.fromArray(v, shape);
        }
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).asDouble();
        }
        Tensor t = Ember.fromArray(v, shape);
        return dtype.equals("float32") ? t.to(DType.FLOAT32) : t;
    }

    /** |a - e| &lt;= atol + rtol |e| everywhere (NaN matches NaN), with the same shape and dtype. */
    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertNotNull(actual, what + " is missing");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                fail(what + " differs from PyTorch's at flat index " + i + ": expected " + e[i] + " but was " + a[i]
                        + " (difference " + (a[i] - e[i]) + ")");
            }
        }
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    // ---- initial values -----------------------------------------------------------------------------------------

    private static Map<String, Tensor> params(String label, Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(label + "." + k, v));
        return out;
    }

    private static Tensor init(int[] shape, java.util.function.UnaryOperator<Tensor> fn) {
        return fn.apply(Ember.zeros(shape));
    }

    private static Tensor init64(int[] shape, java.util.function.UnaryOperator<Tensor> fn) {
        return fn.apply(Ember.zeros(DType.FLOAT64, shape));
    }

    private static int[] s(int... shape) {
        return shape;
    }

    /** The Ember steps of each init case, in the fixture's order, producing its labelled values. */
    private static List<Supplier<Map<String, Tensor>>> initSteps(String name) {
        List<Supplier<Map<String, Tensor>>> steps = new ArrayList<>();
        switch (name) {
            case "linear_3_2" -> steps.add(() -> params("linear", new Linear(3, 2)));
            case "linear_20_30" -> {
                steps.add(() -> params("linear", new Linear(20, 30)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            case "layer_sequence" -> {
                steps.add(() -> params("linear_no_bias", new Linear(5, 4, false)));
                steps.add(() -> params("embedding_pad", new Embedding(7, 3, -2)));
                steps.add(() -> params("linear", new Linear(2, 9)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            case "embedding_10_3" -> steps.add(() -> params("embedding", new Embedding(10, 3)));
            case "embedding_20_8" -> {
                steps.add(() -> params("embedding", new Embedding(20, 8)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            case "norms_draw_nothing" -> {
                steps.add(() -> params("batch_norm", new BatchNorm1d(3)));
                steps.add(() -> params("layer_norm", new LayerNorm(4)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            case "initialisers" -> {
                steps.add(() -> Map.of("xavier_uniform", init(s(4, 5), Init::xavierUniform_)));
                steps.add(() -> Map.of("xavier_uniform_tanh", init(s(3, 6),
                        t -> Init.xavierUniform_(t, Init.calculateGain(Nonlinearity.TANH)))));
                steps.add(() -> Map.of("xavier_normal_small", init(s(3, 4), Init::xavierNormal_)));
                steps.add(() -> Map.of("xavier_normal", init(s(20, 30), t -> Init.xavierNormal_(t, 2.0))));
                steps.add(() -> Map.of("kaiming_uniform_fan_out_relu", init(s(6, 5),
                        t -> Init.kaimingUniform_(t, 0.1, FanMode.FAN_OUT, Nonlinearity.RELU))));
                steps.add(() -> Map.of("kaiming_uniform_conv", init(s(8, 3, 3, 3), Init::kaimingUniform_)));
                steps.add(() -> Map.of("kaiming_normal_conv1d", init(s(16, 4, 3), Init::kaimingNormal_)));
                steps.add(() -> Map.of("kaiming_normal_leaky_fan_out", init(s(5, 7),
                        t -> Init.kaimingNormal_(t, 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU))));
                steps.add(() -> Map.of("uniform", init(s(5), t -> Init.uniform_(t, -2.0, 3.0))));
                steps.add(() -> Map.of("normal", init(s(20), t -> Init.normal_(t, 1.0, 0.5))));
                steps.add(() -> Map.of("constant", init(s(2, 3), t -> Init.constant_(t, 0.25))));
                steps.add(() -> Map.of("eye", init(s(3, 4), Init::eye_)));
                steps.add(() -> Map.of("orthogonal_wide", init(s(3, 5), Init::orthogonal_)));
                steps.add(() -> Map.of("orthogonal_tall_gain", init(s(6, 4), t -> Init.orthogonal_(t, 2.0))));
                steps.add(() -> Map.of("orthogonal_3d", init(s(4, 2, 3), Init::orthogonal_)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            case "initialisers_float64" -> {
                steps.add(() -> Map.of("xavier_uniform", init64(s(4, 5), Init::xavierUniform_)));
                steps.add(() -> Map.of("kaiming_normal", init64(s(6, 5), Init::kaimingNormal_)));
                steps.add(() -> Map.of("orthogonal", init64(s(5, 3), Init::orthogonal_)));
                steps.add(() -> Map.of("next", Ember.rand(3)));
            }
            default -> throw new AssertionError("no Ember steps for the init case " + name);
        }
        return steps;
    }

    @TestFactory
    Stream<DynamicTest> initialValuesAfterManualSeedArePyTorchs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("init")) {
            String name = c.get("name").asText();
            if (name.equals("gains")) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Ember.manualSeed(c.get("seed").asLong());
                Map<String, Tensor> actual = new LinkedHashMap<>();
                for (Supplier<Map<String, Tensor>> step : initSteps(name)) {
                    actual.putAll(step.get());
                }
                assertEquals(List.copyOf(iterable(c.get("values").fieldNames())), List.copyOf(actual.keySet()),
                        name + ": the labelled values");
                c.get("values").fields().forEachRemaining(e -> {
                    Tensor expected = tensor(e.getValue());
                    Tensor got = actual.get(e.getKey());
                    String what = name + ": " + e.getKey();
                    if (e.getKey().startsWith("orthogonal")) {
                        assertClose(expected, got, 0, 2e-6, what);
                    } else if (expected.dtype() == DType.FLOAT64 && e.getKey().contains("normal")) {
                        assertClose(expected, got, 1e-15, 0, what);
                    } else {
                        assertClose(expected, got, 0, 0, what + " (bit for bit)");
                    }
                });
            }));
        }
        return tests.stream();
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void gainsArePyTorchs() throws IOException {
        JsonNode gains = null;
        for (JsonNode c : fixtures().get("init")) {
            if (c.get("name").asText().equals("gains")) {
                gains = c.get("gains");
            }
        }
        assertNotNull(gains);
        for (Nonlinearity n : Nonlinearity.values()) {
            assertEquals(gains.get(n.pytorchName()).asDouble(), Init.calculateGain(n), 0.0, n.pytorchName());
        }
        assertEquals(gains.get("leaky_relu_0.2").asDouble(), Init.calculateGain(Nonlinearity.LEAKY_RELU, 0.2), 0.0);
    }

    // ---- layers ---------------------------------------------------------------------------------------------------

    private static Module module(String layer, JsonNode a) {
        return switch (layer) {
            case "linear" -> new Linear(a.get("in_features").asInt(), a.get("out_features").asInt(),
                    a.get("bias").asBoolean());
            case "relu" -> new ReLU();
            case "leaky_relu" -> new LeakyReLU(a.get("negative_slope").asDouble());
            case "elu" -> new ELU(a.get("alpha").asDouble());
            case "gelu" -> new GELU(a.get("approximate").asText().equals("tanh") ? GeluApproximation.TANH
                    : GeluApproximation.NONE);
            case "silu" -> new SiLU();
            case "sigmoid" -> new Sigmoid();
            case "tanh" -> new Tanh();
            case "softmax" -> new Softmax(a.get("dim").asInt());
            case "log_softmax" -> new LogSoftmax(a.get("dim").asInt());
            case "identity" -> new Identity();
            case "flatten" -> new Flatten(a.get("start_dim").asInt(), a.get("end_dim").asInt());
            case "sequential_mlp" -> Sequential.of(new Linear(3, 4), new Tanh(), new Linear(4, 2));
            case "layer_norm" -> {
                int[] shape = new int[a.get("normalized_shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = a.get("normalized_shape").get(i).asInt();
                }
                yield new LayerNorm(shape, a.get("eps").asDouble(), a.get("elementwise_affine").asBoolean());
            }
            case "batch_norm1d", "batch_norm2d" -> {
                BatchNormOptions o = BatchNormOptions.DEFAULT.withEps(a.get("eps").asDouble())
                        .withMomentum(a.get("momentum").isNull() ? null : a.get("momentum").asDouble())
                        .withAffine(a.get("affine").asBoolean())
                        .withTrackRunningStats(a.get("track_running_stats").asBoolean());
                int n = a.get("num_features").asInt();
                yield layer.equals("batch_norm1d") ? new BatchNorm1d(n, o) : new BatchNorm2d(n, o);
            }
            case "embedding" -> {
                EmbeddingOptions o = EmbeddingOptions.DEFAULT
                        .paddingIdx(a.get("padding_idx").isNull() ? null : a.get("padding_idx").asInt());
                if (a.has("max_norm")) {
                    o = o.maxNorm(a.get("max_norm").isNull() ? null : a.get("max_norm").asDouble())
                            .normType(a.get("norm_type").isTextual() ? Double.POSITIVE_INFINITY
                                    : a.get("norm_type").asDouble())
                            .scaleGradByFreq(a.get("scale_grad_by_freq").asBoolean());
                }
                yield new Embedding(a.get("num_embeddings").asInt(), a.get("embedding_dim").asInt(), o);
            }
            case "dropout" -> new Dropout(a.get("p").asDouble());
            case "dropout1d" -> new Dropout1d(a.get("p").asDouble());
            case "dropout2d" -> new Dropout2d(a.get("p").asDouble());
            case "dropout3d" -> new Dropout3d(a.get("p").asDouble());
            case "alpha_dropout" -> new AlphaDropout(a.get("p").asDouble());
            default -> throw new AssertionError("no Ember module for the fixtures' " + layer);
        };
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("layers")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkLayer(c)));
        }
        return tests.stream();
    }

    private static void checkLayer(JsonNode c) {
        String name = c.get("name").asText();
        String layer = c.get("layer").asText();
        DType dtype = c.get("dtype").asText().equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
        boolean f64 = dtype == DType.FLOAT64;
        boolean exact = layer.startsWith("dropout") || layer.equals("alpha_dropout");
        Module m = module(layer, c.get("args"));
        m.to(dtype);
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.get("state").fields().forEachRemaining(e -> state.put(e.getKey(), tensor(e.getValue())));
        m.loadStateDict(state);
        m.train(c.get("train").asBoolean());
        if (!c.get("seed").isNull()) {
            Ember.manualSeed(c.get("seed").asLong());
        }
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            Tensor x = tensor(in);
            inputs.add(x.dtype().isFloatingPoint() ? x.requiresGrad_() : x);
        }
        List<Tensor> outputs = new ArrayList<>();
        for (Tensor x : inputs) {
            outputs.add(m.forward(x));
        }
        if (!c.get("next_rand").isNull()) {
            assertClose(tensor(c.get("next_rand")), Ember.rand(3), 0, 0, name + ": the generator's next draws");
        }
        Tensor loss = null;
        for (int i = 0; i < outputs.size(); i++) {
            Tensor expected = tensor(c.get("outputs").get(i));
            String what = name + ": output " + i;
            if (exact) {
                assertClose(expected, outputs.get(i), 0, 0, what + " (bit for bit)");
            } else if (f64) {
                assertClose(expected, outputs.get(i), 1e-10, 1e-12, what);
            } else {
                assertClose(expected, outputs.get(i), 1e-5, 1e-5 * Math.max(1, maxAbs(expected)), what);
            }
            Tensor term = outputs.get(i).mul(tensor(c.get("weights").get(i))).sum();
            loss = loss == null ? term : loss.add(term);
        }
        assertTrue(loss.requiresGrad(), name + ": the loss must require grad");
        loss.backward();
        Map<String, Tensor> named = m.namedParameters();
        c.get("grads").fields().forEachRemaining(e -> {
            Tensor expected = tensor(e.getValue());
            Tensor got;
            if (e.getKey().startsWith("input")) {
                got = inputs.get(Integer.parseInt(e.getKey().substring(5))).grad();
            } else {
                Tensor p = named.get(e.getKey());
                assertNotNull(p, name + ": no parameter " + e.getKey());
                got = p.grad() == null ? Ember.zerosLike(p) : p.grad();
            }
            String what = name + ": gradient of " + e.getKey();
            if (f64) {
                assertClose(expected, got, 1e-10, 1e-12, what);
            } else {
                assertClose(expected, got, 1e-5, 1e-5 * Math.max(1, maxAbs(expected)), what);
            }
        });
        assertEquals(c.get("grads").size(), named.size() + inputs.stream().filter(Tensor::requiresGrad).count(),
                name + ": every parameter and input has an expected gradient");
        if (c.has("params_after")) {
            c.get("params_after").fields().forEachRemaining(e -> assertClose(tensor(e.getValue()),
                    named.get(e.getKey()), f64 ? 1e-12 : 1e-6, f64 ? 1e-15 : 1e-7,
                    name + ": parameter " + e.getKey() + " after the forwards"));
        }
        Map<String, Tensor> buffers = m.namedBuffers();
        assertEquals(List.copyOf(iterable(c.get("state_after").fieldNames())), List.copyOf(buffers.keySet()),
                name + ": the buffers");
        c.get("state_after").fields().forEachRemaining(e -> {
            Tensor expected = tensor(e.getValue());
            Tensor got = buffers.get(e.getKey());
            String what = name + ": buffer " + e.getKey() + " after the forwards";
            if (expected.dtype() == DType.INT64) {
                assertArrayEquals(expected.toLongArray(), got.toLongArray(), what);
            } else {
                assertClose(expected, got, f64 ? 1e-10 : 1e-6, f64 ? 1e-12 : 1e-6, what);
            }
        });
    }

    // ---- clipping -------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> clippingMatchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("clip")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                List<Tensor> params = new ArrayList<>();
                for (JsonNode g : c.get("grads")) {
                    Tensor grad = tensor(g);
                    Tensor p = Ember.zerosLike(grad).requiresGrad_();
                    p.setGrad(grad);
                    params.add(p);
                }
                JsonNode args = c.get("args");
                boolean f64 = c.get("dtype").asText().equals("float64");
                double rtol = f64 ? 1e-12 : 1e-6;
                String name = c.get("name").asText();
                if (c.get("op").asText().equals("clip_grad_norm_")) {
                    double p = args.get("norm_type").isTextual() ? Double.POSITIVE_INFINITY
                            : args.get("norm_type").asDouble();
                    Tensor total = ClipGrad.clipGradNorm_(params, args.get("max_norm").asDouble(), p);
                    assertClose(tensor(c.get("total")), total, rtol, 0, name + ": total norm");
                } else {
                    ClipGrad.clipGradValue_(params, args.get("clip_value").asDouble());
                }
                for (int i = 0; i < params.size(); i++) {
                    assertClose(tensor(c.get("after").get(i)), params.get(i).grad(), rtol, 1e-15,
                            name + ": gradient " + i + " after clipping");
                }
            }));
        }
        return tests.stream();
    }
}
