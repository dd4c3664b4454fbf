package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.GradCheck;
import dev.ember.autograd.GradCheckOptions;
import dev.ember.nn.functional.Recurrent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RNN, LSTM and GRU: parameters, printing, layouts, dropout, gradients (finite differences), errors. */
class RecurrentLayerTest {
    @Test
    void parametersHavePyTorchsNamesOrderAndSeededValues() {
        // torch.manual_seed(0); g = nn.GRU(2, 3, 2, batch_first=True); g.bias_hh_l1
        Ember.manualSeed(0);
        GRU g = new GRU(2, 3, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1",
                "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"), List.copyOf(g.namedParameters().keySet()));
        assertArrayEquals(new float[] {-0.1445280f, -0.2812350f, -0.2019764f, -0.4732088f, -0.1228111f, 0.1234123f,
            -0.3761239f, -0.0296292f, 0.4132967f}, g.namedParameters().get("bias_hh_l1").toFloatArray(), 1e-7f);
        LSTM bi = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true).bias(false));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse"),
                List.copyOf(bi.namedParameters().keySet()));
        assertArrayEquals(new int[] {16, 8}, bi.namedParameters().get("weight_ih_l1").shape());
        assertEquals(bi.parameters(), bi.flatWeights());
    }

    @Test
    void toStringIsPyTorchs() {
        assertEquals("GRU(2, 3, num_layers=2, batch_first=True)",
                new GRU(2, 3, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true)).toString());
        assertEquals("RNN(3, 4, num_layers=2, dropout=0.25)",
                new RNN(3, 4, RecurrentOptions.DEFAULT.numLayers(2).dropout(0.25)).toString());
        assertEquals("LSTM(10, 20, bias=False, bidirectional=True)",
                new LSTM(10, 20, RecurrentOptions.DEFAULT.bias(false).bidirectional(true)).toString());
        final class Model extends Module {
            final LSTM lstm = registerModule("lstm", new LSTM(1, 8, RecurrentOptions.DEFAULT.batchFirst(true)));
            final Linear head = registerModule("head", new Linear(8, 1));

            @Override
            public Tensor forward(Tensor x) {
                return head.forward(lstm.forward(x));
            }
        }
        assertEquals("Model(\n  (lstm): LSTM(1, 8, batch_first=True)\n"
                + "  (head): Linear(in_features=8, out_features=1, bias=True)\n)", new Model().toString());
        assertArrayEquals(new int[] {2, 5, 1}, new Model().forward(Ember.randn(2, 5, 1)).shape());
    }

    @Test
    void shapesOfOutputsAndStates() {
        LSTM lstm = new LSTM(10, 20, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true));
        LstmOutput out = lstm.forward(Ember.randn(5, 3, 10), null);
        assertArrayEquals(new int[] {5, 3, 40}, out.output().shape());
        assertArrayEquals(new int[] {4, 3, 20}, out.hidden().shape());
        assertArrayEquals(new int[] {4, 3, 20}, out.cell().shape());
        RNN rnn = new RNN(10, 20, RecurrentOptions.DEFAULT.batchFirst(true));
        RnnOutput r = rnn.forward(Ember.randn(3, 5, 10), null);
        assertArrayEquals(new int[] {3, 5, 20}, r.output().shape());
        assertArrayEquals(new int[] {1, 3, 20}, r.hidden().shape());
        assertArrayEquals(new int[] {3, 5, 20}, rnn.forward(Ember.randn(3, 5, 10)).shape());
    }

    @Test
    void batchFirstIsTheTransposedLayoutOfTheSameComputation() {
        GRU seqFirst = new GRU(3, 4, RecurrentOptions.DEFAULT.numLayers(2));
        GRU batchFirst = new GRU(3, 4, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true));
        batchFirst.loadStateDict(seqFirst.stateDict());
        Tensor x = Ember.randn(6, 2, 3);
        Tensor h0 = Ember.randn(2, 2, 4);
        RnnOutput a = seqFirst.forward(x, h0);
        RnnOutput b = batchFirst.forward(x.transpose(0, 1), h0);
        assertTrue(a.output().allclose(b.output().transpose(0, 1), 1e-6, 1e-6));
        assertTrue(a.hidden().allclose(b.hidden(), 1e-6, 1e-6));
    }

    @Test
    void anUnbatchedSequenceIsABatchOfOne() {
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true));
        Tensor x = Ember.randn(5, 3);
        LstmState s = new LstmState(Ember.randn(2, 4), Ember.randn(2, 4));
        LstmOutput one = lstm.forward(x, s);
        LstmOutput batched = lstm.forward(x.unsqueeze(0), new LstmState(s.hidden().unsqueeze(1),
                s.cell().unsqueeze(1)));
        assertArrayEquals(new int[] {5, 4}, one.output().shape());
        assertArrayEquals(new int[] {2, 4}, one.hidden().shape());
        assertTrue(one.output().allclose(batched.output().squeeze(0), 1e-6, 1e-6));
        assertTrue(one.cell().allclose(batched.cell().squeeze(1), 1e-6, 1e-6));
    }

    @Test
    void theLayerIsTheCellUnrolled() {
        LSTM lstm = new LSTM(3, 4);
        LSTMCell cell = new LSTMCell(3, 4);
        Tensor x = Ember.randn(5, 2, 3);
        try (var g = Ember.noGrad()) {
            cell.weightIh().copy_(lstm.namedParameters().get("weight_ih_l0"));
            cell.weightHh().copy_(lstm.namedParameters().get("weight_hh_l0"));
            cell.biasIh().copy_(lstm.namedParameters().get("bias_ih_l0"));
            cell.biasHh().copy_(lstm.namedParameters().get("bias_hh_l0"));
        }
        LstmState s = null;
        List<Tensor> hs = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            s = cell.forward(x.get(t), s);
            hs.add(s.hidden());
        }
        LstmOutput out = lstm.forward(x, null);
        assertTrue(Ember.stack(hs, 0).allclose(out.output(), 1e-6, 1e-6));
        assertTrue(s.cell().allclose(out.cell().squeeze(0), 1e-6, 1e-6));
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Ember.manualSeed(3);
        LSTM dropped = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).dropout(1.0));
        LSTM plain = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2));
        plain.loadStateDict(dropped.stateDict());
        Tensor x = Ember.randn(5, 2, 3);
        Tensor other = Ember.randn(5, 2, 3);
        // dropout=1 zeroes everything the first layer hands on, so in training the output ignores the input ...
        Tensor a = dropped.forward(x);
        assertTrue(a.allclose(dropped.forward(other)));
        assertTrue(a.abs().sum().item() > 0, "the last layer's output is not dropped");
        // ... and in eval mode the layer is the plain one.
        dropped.eval();
        assertTrue(dropped.forward(x).allclose(plain.forward(x)));
        assertFalse(dropped.forward(x).allclose(dropped.forward(other)));

        LSTM half = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).dropout(0.5));
        Ember.manualSeed(7);
        Tensor r1 = half.forward(x);
        Ember.manualSeed(7);
        Tensor r2 = half.forward(x);
        assertTrue(r1.allclose(r2), "the masks come from the global generator: same seed, same output");
        assertFalse(r1.allclose(half.forward(x)), "a new mask on the next call");
    }

    /** The functional LSTM of x, h0, c0 and its weights, for the finite-difference checks. */
    private static Tensor[] lstmOf(Tensor[] in, RecurrentOptions o) {
        List<Tensor> w = Arrays.asList(in).subList(3, in.length);
        LstmOutput out = Recurrent.lstm(in[0], new LstmState(in[1], in[2]), w, o, false);
        return new Tensor[] {out.output(), out.hidden(), out.cell()};
    }

    private static Tensor[] inputs(RNNBase layer, Tensor... states) {
        layer.to(DType.FLOAT64);
        List<Tensor> all = new ArrayList<>(Arrays.asList(states));
        for (Tensor w : layer.flatWeights()) {
            all.add(w.detach().clone().requiresGrad_());
        }
        return all.toArray(new Tensor[0]);
    }

    @Test
    void lstmGradientsAgreeWithFiniteDifferencesInReverseAndForwardMode() {
        Ember.manualSeed(11);
        RecurrentOptions o = RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true).batchFirst(true);
        Tensor[] in = inputs(new LSTM(2, 2, o), Ember.randn(DType.FLOAT64, 2, 3, 2).requiresGrad_(),
                Ember.randn(DType.FLOAT64, 4, 2, 2).requiresGrad_(),
                Ember.randn(DType.FLOAT64, 4, 2, 2).requiresGrad_());
        assertTrue(GradCheck.gradcheck(x -> lstmOf(x, o), in, GradCheckOptions.DEFAULT.checkForwardAd(true)));
        assertTrue(GradCheck.gradgradcheck(x -> lstmOf(x, o), in, null,
                GradCheckOptions.DEFAULT.maxElements(6)));
    }

    @Test
    void gruAndRnnGradientsAgreeWithFiniteDifferencesInReverseAndForwardMode() {
        Ember.manualSeed(12);
        RecurrentOptions o = RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true);
        Tensor[] gru = inputs(new GRU(2, 2, o), Ember.randn(DType.FLOAT64, 3, 2, 2).requiresGrad_(),
                Ember.randn(DType.FLOAT64, 4, 2, 2).requiresGrad_());
        assertTrue(GradCheck.gradcheck(x -> {
            RnnOutput r = Recurrent.gru(x[0], x[1], Arrays.asList(x).subList(2, x.length), o, false);
            return new Tensor[] {r.output(), r.hidden()};
        }, gru, GradCheckOptions.DEFAULT.checkForwardAd(true)));
        RecurrentOptions single = RecurrentOptions.DEFAULT.numLayers(2);
        Tensor[] rnn = inputs(new RNN(2, 3, single), Ember.randn(DType.FLOAT64, 3, 2, 2).requiresGrad_(),
                Ember.randn(DType.FLOAT64, 2, 2, 3).requiresGrad_());
        assertTrue(GradCheck.gradcheck(x -> {
            RnnOutput r = Recurrent.rnn(x[0], x[1], Arrays.asList(x).subList(2, x.length), RnnNonlinearity.TANH,
                    single, false);
            return new Tensor[] {r.output(), r.hidden()};
        }, rnn, GradCheckOptions.DEFAULT.checkForwardAd(true)));
        assertTrue(GradCheck.gradgradcheck(x -> {
            RnnOutput r = Recurrent.gru(x[0], x[1], Arrays.asList(x).subList(2, x.length), o, false);
            return new Tensor[] {r.output(), r.hidden()};
        }, gru, null, GradCheckOptions.DEFAULT.maxElements(6)));
    }

    @Test
    void cellGradientsAgreeWithFiniteDifferences() {
        Ember.manualSeed(13);
        LSTMCell lstm = new LSTMCell(2, 3);
        lstm.to(DType.FLOAT64);
        Tensor[] in = {Ember.randn(DType.FLOAT64, 2, 2).requiresGrad_(), Ember.randn(DType.FLOAT64, 2, 3)
                .requiresGrad_(), Ember.randn(DType.FLOAT64, 2, 3).requiresGrad_(),
            lstm.weightIh().detach().clone().requiresGrad_(), lstm.weightHh().detach().clone().requiresGrad_(),
            lstm.biasIh().detach().clone().requiresGrad_(), lstm.biasHh().detach().clone().requiresGrad_()};
        assertTrue(GradCheck.gradcheck(x -> {
            LstmState s = Recurrent.lstmCell(x[0], new LstmState(x[1], x[2]), x[3], x[4], x[5], x[6]);
            return new Tensor[] {s.hidden(), s.cell()};
        }, in, GradCheckOptions.DEFAULT.checkForwardAd(true)));
        GRUCell gru = new GRUCell(2, 3, false);
        gru.to(DType.FLOAT64);
        Tensor[] g = {Ember.randn(DType.FLOAT64, 2).requiresGrad_(), Ember.randn(DType.FLOAT64, 3).requiresGrad_(),
            gru.weightIh().detach().clone().requiresGrad_(), gru.weightHh().detach().clone().requiresGrad_()};
        assertTrue(GradCheck.gradcheck(x -> new Tensor[] {Recurrent.gruCell(x[0], x[1], x[2], x[3], null, null)}, g,
                GradCheckOptions.DEFAULT.checkForwardAd(true)));
    }

    @Test
    void theFunctionalFormsAreTheLayers() {
        GRU gru = new GRU(3, 4, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true));
        Tensor x = Ember.randn(5, 2, 3);
        RnnOutput layer = gru.forward(x, null);
        RnnOutput functional = Recurrent.gru(x, null, List.copyOf(gru.flatWeights()), gru.options(), false);
        assertTrue(layer.output().allclose(functional.output()));
        assertTrue(layer.hidden().allclose(functional.hidden()));
        RNN rnn = new RNN(3, 4, RnnNonlinearity.RELU, RecurrentOptions.DEFAULT);
        Tensor f = Recurrent.rnn(x, null, rnn.flatWeights(), RnnNonlinearity.RELU, RecurrentOptions.DEFAULT, true)
                .output();
        assertTrue(rnn.forward(x).allclose(f));
        RNNCell cell = new RNNCell(3, 4);
        assertTrue(cell.forward(x.get(0)).allclose(Recurrent.rnnTanhCell(x.get(0), null, cell.weightIh(),
                cell.weightHh(), cell.biasIh(), cell.biasHh())));
    }

    @Test
    void anEmptyBatchGivesEmptyOutputs() {
        LstmOutput out = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2)).forward(Ember.zeros(5, 0, 3), null);
        assertArrayEquals(new int[] {5, 0, 4}, out.output().shape());
        assertArrayEquals(new int[] {2, 0, 4}, out.cell().shape());
    }

    @Test
    void shapeErrorsNameTheLayerAndBothShapes() {
        LSTM lstm = new LSTM(10, 20);
        ShapeException e = assertThrows(ShapeException.class, () -> lstm.forward(Ember.zeros(5, 3, 7)));
        assertTrue(e.getMessage().startsWith("LSTM(10, 20) got input of shape [5, 3, 7]: its last dimension must be "
                + "input_size=10 (the layout is [seq_len, batch, 10])"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> lstm.forward(Ember.zeros(5, 3, 2, 10)));
        assertTrue(e.getMessage().startsWith("LSTM(10, 20) got input of shape [5, 3, 2, 10]: expected a 3-D tensor "
                + "[seq_len, batch, 10] or an unbatched 2-D tensor [seq_len, 10], but it is 4-D"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> lstm.forward(Ember.zeros(5, 3, 10),
                new LstmState(Ember.zeros(1, 2, 20), Ember.zeros(1, 3, 20))));
        assertTrue(e.getMessage().startsWith("LSTM(10, 20) got input of shape [5, 3, 10] and h0 of shape [1, 2, 20]: "
                + "expected h0 to be [1, 3, 20] ([num_layers * num_directions, batch, hidden_size])"), e.getMessage());
        GRU gru = new GRU(10, 20, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true));
        e = assertThrows(ShapeException.class, () -> gru.forward(Ember.zeros(3, 5, 10), Ember.zeros(1, 3, 20)));
        assertTrue(e.getMessage().startsWith("GRU(10, 20, num_layers=2, batch_first=True) got input of shape "
                + "[3, 5, 10] and h0 of shape [1, 3, 20]: expected h0 to be [2, 3, 20]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> gru.forward(Ember.zeros(5, 10), Ember.zeros(2, 1, 20)));
        assertTrue(e.getMessage().contains("an unbatched input takes an unbatched state"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> gru.forward(Ember.zeros(3, 0, 10)));
        assertTrue(e.getMessage().startsWith("GRU(10, 20, num_layers=2, batch_first=True) got input of shape "
                + "[3, 0, 10]: the sequence is empty"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new RNN(0, 3));
        assertTrue(e.getMessage().startsWith("RNN: input_size and hidden_size must be positive"), e.getMessage());
    }

    @Test
    void dtypeErrorsNameTheLayer() {
        RNN rnn = new RNN(3, 4);
        DTypeException e = assertThrows(DTypeException.class, () -> rnn.forward(Ember.zeros(DType.FLOAT64, 5, 2, 3)));
        assertTrue(e.getMessage().startsWith("RNN(3, 4) got input of dtype float64 [5, 2, 3], but its weights are "
                + "float32"), e.getMessage());
        e = assertThrows(DTypeException.class, () -> rnn.forward(Ember.arange(6).view(2, 1, 3)));
        assertTrue(e.getMessage().contains("convert the input with .to(DType.FLOAT32)"), e.getMessage());
    }

    @Test
    void optionsAndFunctionalWeightsAreChecked() {
        EmberException e = assertThrows(EmberException.class, () -> RecurrentOptions.DEFAULT.numLayers(0));
        assertTrue(e.getMessage().contains("numLayers must be at least 1, got 0"), e.getMessage());
        e = assertThrows(EmberException.class, () -> RecurrentOptions.DEFAULT.dropout(1.5));
        assertTrue(e.getMessage().contains("dropout must be a probability in [0, 1]"), e.getMessage());
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2));
        List<Tensor> w = lstm.flatWeights();
        e = assertThrows(EmberException.class, () -> Recurrent.lstm(Ember.zeros(5, 2, 3), null, w.subList(0, 6),
                RecurrentOptions.DEFAULT.numLayers(2), false));
        assertTrue(e.getMessage().startsWith("lstm: expected 8 weights in PyTorch's order"), e.getMessage());
        List<Tensor> swapped = new ArrayList<>(w);
        swapped.set(4, Ember.zeros(16, 3));
        e = assertThrows(ShapeException.class, () -> Recurrent.lstm(Ember.zeros(5, 2, 3), null, swapped,
                RecurrentOptions.DEFAULT.numLayers(2), false));
        assertTrue(e.getMessage().startsWith("lstm: weight_ih_l1 has shape [16, 3], expected [16, 4] (lstm stacks 4 "
                + "gates: i, f, g, o)"), e.getMessage());
        e = assertThrows(EmberException.class, () -> Recurrent.gruCell(Ember.zeros(2, 3), null,
                Ember.zeros(12, 3), Ember.zeros(12, 4), Ember.zeros(12), null));
        assertTrue(e.getMessage().startsWith("gruCell: pass both biases"), e.getMessage());
    }
}
