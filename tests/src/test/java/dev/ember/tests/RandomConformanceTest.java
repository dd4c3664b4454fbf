package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Ember's random streams against PyTorch 1.13's, through the public API, over one long sequence of calls at many
 * sizes (fixtures from {@code tests/src/test/python/random_fixtures.py}). float32 and int64 must match bit for bit;
 * float64 normal samples may differ in the last bits where Java's Math.log/sin/cos and glibc's round differently
 * (about 0.2% of values), so they are compared to a relative 1e-13.
 */
class RandomConformanceTest {

    @Test
    void everyCallOfTheSequenceMatchesPyTorch() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/random.json")) {
            root = new ObjectMapper().readTree(in);
        }
        Ember.manualSeed(root.get("seed").asLong());
        int checked = 0;
        for (JsonNode call : root.get("calls")) {
            String kind = call.get("kind").asText();
            String dtype = call.get("dtype").asText();
            int size = call.get("size").asInt();
            JsonNode args = call.get("args");
            DType type = switch (dtype) {
                case "float32" -> DType.FLOAT32;
                case "float64" -> DType.FLOAT64;
                default -> DType.INT64;
            };
            Tensor t = switch (kind) {
                case "randn" -> Ember.randn(type, size);
                case "rand" -> Ember.rand(type, size);
                case "randint" -> Ember.randint(args.get("low").asLong(), args.get("high").asLong(), size);
                case "normal_" -> Ember.zeros(type, size).normal_(args.get("mean").asDouble(), args.get("std").asDouble());
                case "uniform_" -> Ember.zeros(type, size).uniform_(args.get("low").asDouble(), args.get("high").asDouble());
                default -> throw new AssertionError("unknown call " + kind);
            };
            String where = kind + "(" + dtype + ", size " + size + ") at call " + checked;
            JsonNode expected = call.get("values");
            assertEquals(expected.size(), t.numel(), where);
            if (type == DType.INT64) {
                long[] v = t.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    assertEquals(expected.get(i).asLong(), v[i], where + ", element " + i);
                }
            } else if (type == DType.FLOAT32) {
                float[] v = t.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    float e = (float) expected.get(i).asDouble();
                    if (Float.floatToIntBits(e) != Float.floatToIntBits(v[i])) {
                        fail(where + ", element " + i + ": PyTorch " + e + ", Ember " + v[i]);
                    }
                }
            } else {
                double[] v = t.toDoubleArray();
                double tol = kind.equals("randn") ? 1e-13 : 0.0;
                for (int i = 0; i < v.length; i++) {
                    double e = expected.get(i).asDouble();
                    if (Math.abs(e - v[i]) > tol * Math.max(1.0, Math.abs(e))) {
                        fail(where + ", element " + i + ": PyTorch " + e + ", Ember " + v[i]);
                    }
                }
            }
            checked++;
        }
        assertEquals(root.get("calls").size(), checked);
    }
}
