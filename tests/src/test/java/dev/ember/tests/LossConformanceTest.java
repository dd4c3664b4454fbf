package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.BCELoss;
import dev.ember.nn.BCEWithLogitsLoss;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.HuberLoss;
import dev.ember.nn.KLDivLoss;
import dev.ember.nn.L1Loss;
import dev.ember.nn.Loss;
import dev.ember.nn.MSELoss;
import dev.ember.nn.NLLLoss;
import dev.ember.nn.Reduction;
import dev.ember.nn.SmoothL1Loss;
import dev.ember.nn.functional.Losses;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The losses against PyTorch 1.13: the fixtures in {@code fixtures/losses.json} (written by
 * {@code tests/src/test/python/generate_loss_fixtures.py}, which documents the format) hold, for every loss and
 * option (reductions, class weights, ignoreIndex, label smoothing, class indices and probabilities, K-dimensional
 * and unbatched inputs, posWeight, beta, delta, logTarget, and the edges: probabilities of exactly 0 and 1, extreme
 * logits, every sample ignored), the value and the gradients of input and target, in float64. Each case runs twice:
 * through the functional form ({@link Losses}) and through the loss module.
 */
class LossConformanceTest {
    private static final double ATOL = 1e-10;
    private static final double RTOL = 1e-9;

    private static JsonNode fixtures() throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = LossConformanceTest.class.getResourceAsStream("/fixtures/losses.json")) {
            assertNotNull(in, "fixtures/losses.json is missing from the test resources; regenerate it with "
                    + "/usr/bin/python3 tests/src/test/python/generate_loss_fixtures.py");
            return mapper.readTree(in);
        }
    }

    private static Tensor tensor(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        JsonNode values = n.get("values");
        switch (n.get("dtype").asText()) {
            case "float64": {
                double[] v = new double[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values.get(i).asDouble();
                }
                return Ember.fromArray(v, shape);
            }
            case "int64": {
                long[] v = new long[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values.get(i).asLong();
                }
                return Ember.fromArray(v, shape);
            }
            default:
                throw new AssertionError("unexpected dtype in the fixtures: " + n.get("dtype"));
        }
    }

    private static Reduction reduction(JsonNode options) {
        return switch (options.get("reduction").asText()) {
            case "none" -> Reduction.NONE;
            case "mean" -> Reduction.MEAN;
            case "sum" -> Reduction.SUM;
            case "batchmean" -> Reduction.BATCH_MEAN;
            default -> throw new AssertionError("unknown reduction " + options.get("reduction"));
        };
    }

    private static double number(JsonNode options, String key, double otherwise) {
        return options.has(key) ? options.get(key).asDouble() : otherwise;
    }

    /** The case's loss as a function, through Losses (functional) or through a loss module. */
    private static BinaryOperator<Tensor> loss(String name, JsonNode options, boolean module) {
        Reduction r = reduction(options);
        Tensor weight = tensor(options.get("weight"));
        Tensor posWeight = tensor(options.get("pos_weight"));
        long ignoreIndex = options.has("ignore_index") ? options.get("ignore_index").asLong()
                : Losses.DEFAULT_IGNORE_INDEX;
        double smoothing = number(options, "label_smoothing", 0.0);
        double beta = number(options, "beta", 1.0);
        double delta = number(options, "delta", 1.0);
        boolean logTarget = options.has("log_target") && options.get("log_target").asBoolean();
        Loss m;
        switch (name) {
            case "mse_loss":
                m = new MSELoss(r);
                return module ? m::forward : (x, t) -> Losses.mseLoss(x, t, r);
            case "l1_loss":
                m = new L1Loss(r);
                return module ? m::forward : (x, t) -> Losses.l1Loss(x, t, r);
            case "smooth_l1_loss":
                m = new SmoothL1Loss(r, beta);
                return module ? m::forward : (x, t) -> Losses.smoothL1Loss(x, t, r, beta);
            case "huber_loss":
                m = new HuberLoss(r, delta);
                return module ? m::forward : (x, t) -> Losses.huberLoss(x, t, r, delta);
            case "cross_entropy":
                m = CrossEntropyLoss.builder().weight(weight).ignoreIndex(ignoreIndex).reduction(r)
                        .labelSmoothing(smoothing).build();
                return module ? m::forward : (x, t) -> Losses.crossEntropy(x, t, weight, ignoreIndex, r, smoothing);
            case "nll_loss":
                m = NLLLoss.builder().weight(weight).ignoreIndex(ignoreIndex).reduction(r).build();
                return module ? m::forward : (x, t) -> Losses.nllLoss(x, t, weight, ignoreIndex, r);
            case "binary_cross_entropy":
                m = new BCELoss(weight, r);
                return module ? m::forward : (x, t) -> Losses.binaryCrossEntropy(x, t, weight, r);
            case "binary_cross_entropy_with_logits":
                m = BCEWithLogitsLoss.builder().weight(weight).posWeight(posWeight).reduction(r).build();
                return module ? m::forward
                        : (x, t) -> Losses.binaryCrossEntropyWithLogits(x, t, weight, posWeight, r);
            case "kl_div":
                m = new KLDivLoss(r, logTarget);
                return module ? m::forward : (x, t) -> Losses.klDiv(x, t, r, logTarget);
            default:
                throw new AssertionError("no Ember loss for the fixtures' " + name);
        }
    }

    @TestFactory
    Stream<DynamicNode> everyLossAndOptionMatchesPyTorch() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode c : fixtures().get("cases")) {
            String name = c.get("name").asText();
            nodes.add(DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest("functional", () -> check(c, false)),
                    DynamicTest.dynamicTest("module", () -> check(c, true)))));
        }
        return nodes.stream();
    }

    private static void check(JsonNode c, boolean module) {
        String where = c.get("name").asText() + (module ? " (module)" : " (functional)");
        BinaryOperator<Tensor> f = loss(c.get("loss").asText(), c.get("options"), module);
        Tensor x = tensor(c.get("input")).requiresGrad_();
        Tensor t = tensor(c.get("target"));
        boolean targetGrad = !c.get("grad_target").isNull();
        if (targetGrad) {
            t.requiresGrad_();
        }
        Tensor out = f.apply(x, t);
        assertClose(tensor(c.get("output")), out, where + ": value");
        out.backward(tensor(c.get("grad_output")));
        assertClose(tensor(c.get("grad_input")), x.grad(), where + ": input gradient");
        if (targetGrad) {
            assertClose(tensor(c.get("grad_target")), t.grad(), where + ": target gradient");
        } else {
            assertNull(t.grad(), where);
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what + " is missing");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(DType.FLOAT64, actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : Double.isInfinite(e[i]) ? e[i] == a[i]
                    : Math.abs(a[i] - e[i]) <= ATOL + RTOL * Math.abs(e[i]);
            if (!ok) {
                fail(what + " differs from PyTorch's at flat index " + i + ": expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    @Test
    void theFixturesCoverEveryLoss() throws IOException {
        List<String> seen = new ArrayList<>();
        for (JsonNode c : fixtures().get("cases")) {
            String loss = c.get("loss").asText();
            if (!seen.contains(loss)) {
                seen.add(loss);
            }
        }
        for (String loss : List.of("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "cross_entropy",
                "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div")) {
            assertTrue(seen.contains(loss), "no fixture for " + loss);
        }
    }
}
