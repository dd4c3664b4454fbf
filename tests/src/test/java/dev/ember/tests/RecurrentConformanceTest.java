package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.GRU;
import dev.ember.nn.GRUCell;
import dev.ember.nn.LSTM;
import dev.ember.nn.LSTMCell;
import dev.ember.nn.LstmOutput;
import dev.ember.nn.LstmState;
import dev.ember.nn.Module;
import dev.ember.nn.PackedLstmOutput;
import dev.ember.nn.PackedRnnOutput;
import dev.ember.nn.PackedSequence;
import dev.ember.nn.RNN;
import dev.ember.nn.RNNCell;
import dev.ember.nn.RecurrentOptions;
import dev.ember.nn.RnnNonlinearity;
import dev.ember.nn.RnnOutput;
import dev.ember.nn.utils.PackedSequences;
import dev.ember.nn.utils.PaddedBatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The recurrent layers against PyTorch 1.13: the fixtures in {@code fixtures/rnn.json} (written by
 * {@code tests/src/test/python/generate_rnn_fixtures.py}, which documents the format) hold, for RNNCell, LSTMCell,
 * GRUCell, RNN, LSTM and GRU,
 * <ul>
 *   <li>the parameters PyTorch builds after {@code manual_seed(s)}: Ember, seeded alike, must build them exactly
 *       (same names, same order, same float32 values);</li>
 *   <li>in float64, with PyTorch's state dict loaded into the Ember layer: the outputs and final states, and the
 *       gradients of a weighted sum of them with respect to the input, the initial states and every parameter, for
 *       stacked layers with batchFirst both ways, bidirectional layers, unbatched inputs, layers without biases, and
 *       zero or given initial states;</li>
 *   <li>in training mode with dropout between layers, after the same seed: the same masks, so the same outputs and
 *       gradients;</li>
 *   <li>LSTMs with projections (projSize: parameters weight_hr_lk, h of the projected size);</li>
 *   <li>packed batches of different lengths, sorted or not, with ties: packPaddedSequence's data, batch sizes and
 *       permutations, the layer's packed output, the padded output, final states in the original order, and the
 *       gradients through packing, layer and padding.</li>
 * </ul>
 */
class RecurrentConformanceTest {
    private static final double RTOL = 1e-9;
    private static final double ATOL = 1e-11;

    private static JsonNode fixtures() throws IOException {
        try (InputStream in = RecurrentConformanceTest.class.getResourceAsStream("/fixtures/rnn.json")) {
            assertNotNull(in, "fixtures/rnn.json is missing from the test resources; regenerate it with "
                    + "/usr/bin/python3 tests/src/test/python/generate_rnn_fixtures.py");
            return new ObjectMapper().readTree(in);
        }
    }

    private static Tensor tensor(JsonNode n) {
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        double[] v = new double[n.get("values").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get("values").get(i).asDouble();
        }
        Tensor t = Ember.fromArray(v, shape);
        return "float32".equals(n.get("dtype").asText()) ? t.to(DType.FLOAT32) : t;
    }

    /** The Ember layer a fixture describes. */
    private static Module build(String kind, JsonNode a) {
        int in = a.get("input_size").asInt();
        int hidden = a.get("hidden_size").asInt();
        boolean bias = a.get("bias").asBoolean();
        RnnNonlinearity nl = "relu".equals(a.get("nonlinearity").asText()) ? RnnNonlinearity.RELU
                : RnnNonlinearity.TANH;
        switch (kind) {
            case "RNNCell":
                return new RNNCell(in, hidden, bias, nl);
            case "LSTMCell":
                return new LSTMCell(in, hidden, bias);
            case "GRUCell":
                return new GRUCell(in, hidden, bias);
            default:
                break;
        }
        RecurrentOptions o = RecurrentOptions.DEFAULT.numLayers(a.get("num_layers").asInt()).bias(bias)
                .batchFirst(a.get("batch_first").asBoolean()).bidirectional(a.get("bidirectional").asBoolean())
                .dropout(a.get("dropout").asDouble()).projSize(a.get("proj_size").asInt());
        switch (kind) {
            case "RNN":
                return new RNN(in, hidden, nl, o);
            case "LSTM":
                return new LSTM(in, hidden, o);
            case "GRU":
                return new GRU(in, hidden, o);
            default:
                throw new AssertionError("unknown kind " + kind);
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what + " is null");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = ATOL + RTOL * Math.abs(e[i]);
            if (Math.abs(e[i] - a[i]) > tol) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", PyTorch " + e[i]);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> seededInitialisationEqualsPyTorchs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("init")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                Ember.manualSeed(c.get("seed").asLong());
                Module m = build(c.get("kind").asText(), c.get("args"));
                Map<String, Tensor> params = m.namedParameters();
                List<String> expectedNames = new ArrayList<>();
                c.get("params").fieldNames().forEachRemaining(expectedNames::add);
                assertEquals(expectedNames, List.copyOf(params.keySet()), "parameter names and order");
                for (String name : expectedNames) {
                    Tensor expected = tensor(c.get("params").get(name));
                    assertEquals(DType.FLOAT32, params.get(name).dtype());
                    assertArrayEquals(expected.toFloatArray(), params.get(name).toFloatArray(), 0f,
                            name + " differs from PyTorch's after the same seed");
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> outputsAndGradientsEqualPyTorchs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> runCase(c)));
        }
        return tests.stream();
    }

    /** A sequence layer on a padded (or unbatched) input: {output, h_n, c_n or null}. */
    private static Tensor[] runPadded(Module m, Tensor x, Tensor h0, Tensor c0) {
        if (m instanceof LSTM lstm) {
            LstmOutput r = lstm.forward(x, h0 == null ? null : new LstmState(h0, c0));
            return new Tensor[] {r.output(), r.hidden(), r.cell()};
        }
        RnnOutput r = m instanceof RNN rnn ? rnn.forward(x, h0) : ((GRU) m).forward(x, h0);
        return new Tensor[] {r.output(), r.hidden(), null};
    }

    /**
     * A sequence layer on the padded input packed as PyTorch packed it (checked: data, batch sizes, permutations),
     * its packed output checked against PyTorch's, then padded again: {padded output, h_n, c_n or null}.
     */
    private static Tensor[] runPacked(JsonNode c, Module m, Tensor x, Tensor h0, Tensor c0) {
        JsonNode p = c.get("packed");
        int[] lengths = new int[p.get("lengths").size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = p.get("lengths").get(i).asInt();
        }
        boolean batchFirst = c.get("args").get("batch_first").asBoolean();
        PackedSequence packed = PackedSequences.packPaddedSequence(x, lengths, batchFirst,
                p.get("enforce_sorted").asBoolean());
        assertClose("packed data", tensor(p.get("data")), packed.data());
        assertArrayEquals(longs(p.get("batch_sizes")), packed.batchSizes().toLongArray(), "batch sizes");
        if (p.get("sorted_indices").isNull()) {
            assertEquals(null, packed.sortedIndices(), "no sorting when the caller sorted");
        } else {
            assertArrayEquals(longs(p.get("sorted_indices")), packed.sortedIndices().toLongArray(), "sorted indices");
            assertArrayEquals(longs(p.get("unsorted_indices")), packed.unsortedIndices().toLongArray(),
                    "unsorted indices");
        }
        PackedSequence out;
        Tensor[] states;
        if (m instanceof LSTM lstm) {
            PackedLstmOutput r = lstm.forward(packed, h0 == null ? null : new LstmState(h0, c0));
            out = r.output();
            states = new Tensor[] {r.hidden(), r.cell()};
        } else {
            PackedRnnOutput r = m instanceof RNN rnn ? rnn.forward(packed, h0) : ((GRU) m).forward(packed, h0);
            out = r.output();
            states = new Tensor[] {r.hidden(), null};
        }
        assertClose("packed output data", tensor(c.get("output_data")), out.data());
        assertEquals(packed.batchSizes(), out.batchSizes(), "the output is packed as the input");
        PaddedBatch padded = PackedSequences.padPackedSequence(out, batchFirst);
        assertArrayEquals(Arrays.stream(lengths).asLongStream().toArray(), padded.lengths().toLongArray(),
                "lengths in the original order");
        return new Tensor[] {padded.padded(), states[0], states[1]};
    }

    private static long[] longs(JsonNode n) {
        long[] v = new long[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asLong();
        }
        return v;
    }

    private static void runCase(JsonNode c) {
        String kind = c.get("kind").asText();
        Module m = build(kind, c.get("args"));
        m.to(DType.FLOAT64);
        m.train(c.has("train_seed"));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Iterator<String> it = c.get("params").fieldNames(); it.hasNext(); ) {
            String k = it.next();
            state.put(k, tensor(c.get("params").get(k)));
        }
        m.loadStateDict(state);

        Tensor x = tensor(c.get("input")).requiresGrad_();
        Tensor h0 = c.has("h0") ? tensor(c.get("h0")).requiresGrad_() : null;
        Tensor c0 = c.has("c0") ? tensor(c.get("c0")).requiresGrad_() : null;
        Tensor output;
        Tensor hN = null;
        Tensor cN = null;
        if (c.has("train_seed")) {
            Ember.manualSeed(c.get("train_seed").asLong());
        }
        switch (kind) {
            case "RNNCell":
                output = ((RNNCell) m).forward(x, h0);
                break;
            case "GRUCell":
                output = ((GRUCell) m).forward(x, h0);
                break;
            case "LSTMCell": {
                LstmState s = ((LSTMCell) m).forward(x, h0 == null ? null : new LstmState(h0, c0));
                output = s.hidden();
                cN = s.cell();
                break;
            }
            case "RNN":
            case "GRU":
            case "LSTM": {
                Tensor[] r = c.has("packed") ? runPacked(c, m, x, h0, c0) : runPadded(m, x, h0, c0);
                output = r[0];
                hN = r[1];
                cN = r[2];
                break;
            }
            default:
                throw new AssertionError(kind);
        }
        assertClose("output", tensor(c.get("output")), output);
        Tensor loss = output.mul(tensor(c.get("w_out"))).sum();
        if (c.has("h_n")) {
            assertClose("h_n", tensor(c.get("h_n")), hN);
            loss = loss.add(hN.mul(tensor(c.get("w_h"))).sum());
        }
        if (c.has("c_n")) {
            assertClose("c_n", tensor(c.get("c_n")), cN);
            loss = loss.add(cN.mul(tensor(c.get("w_c"))).sum());
        }
        loss.backward();
        JsonNode grads = c.get("grads");
        assertClose("grad of the input", tensor(grads.get("input")), x.grad());
        if (h0 != null) {
            assertClose("grad of h0", tensor(grads.get("h0")), h0.grad());
        }
        if (c0 != null) {
            assertClose("grad of c0", tensor(grads.get("c0")), c0.grad());
        }
        Map<String, Tensor> params = m.namedParameters();
        int checked = 0;
        for (Iterator<String> it = grads.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (params.containsKey(k)) {
                assertClose("grad of " + k, tensor(grads.get(k)), params.get(k).grad());
                checked++;
            }
        }
        assertEquals(params.size(), checked, "every parameter's gradient is in the fixture and was compared");
        assertTrue(checked >= 2);
    }
}
