package dev.ember.nn;

import static dev.ember.nn.ContainersAndReprTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;
import dev.ember.nn.utils.PackedSequences;
import dev.ember.nn.utils.PaddedBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LSTM projections and packed sequences: shapes, names, equivalences that pin the semantics (a packed batch equals
 * each sequence run alone), and every error. Values against PyTorch are in the tests module's
 * RecurrentConformanceTest.
 */
class PackedAndProjectedRecurrentTest {
    @Test
    void projectionHasPyTorchsParametersAndShapes() {
        // nn.LSTM(4, 6, proj_size=3, num_layers=2, bidirectional=True)
        LSTM lstm = new LSTM(4, 6, RecurrentOptions.DEFAULT.projSize(3).numLayers(2).bidirectional(true));
        assertEquals("LSTM(4, 6, proj_size=3, num_layers=2, bidirectional=True)", lstm.toString());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_hr_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
                "weight_hr_l1_reverse"), List.copyOf(lstm.namedParameters().keySet()));
        assertArrayEquals(new int[] {24, 3}, lstm.namedParameters().get("weight_hh_l0").shape());
        assertArrayEquals(new int[] {3, 6}, lstm.namedParameters().get("weight_hr_l1").shape());
        assertArrayEquals(new int[] {24, 6}, lstm.namedParameters().get("weight_ih_l1").shape());
        LstmOutput out = lstm.forward(Ember.randn(5, 2, 4), null);
        assertArrayEquals(new int[] {5, 2, 6}, out.output().shape());
        assertArrayEquals(new int[] {4, 2, 3}, out.hidden().shape());
        assertArrayEquals(new int[] {4, 2, 6}, out.cell().shape());
        assertEquals(3, lstm.projSize());
    }

    @Test
    void projectionErrorsAsPyTorchs() {
        // ValueError: proj_size argument is only supported for LSTM, not RNN or GRU
        assertMessage(assertThrows(EmberException.class, () -> new GRU(2, 3, RecurrentOptions.DEFAULT.projSize(1))),
                "GRU: projSize (PyTorch's proj_size) is only supported for LSTM");
        // ValueError: proj_size has to be smaller than hidden_size
        assertMessage(assertThrows(EmberException.class, () -> new LSTM(2, 3, RecurrentOptions.DEFAULT.projSize(3))),
                "projSize=3 has to be smaller than hidden_size=3");
        assertMessage(assertThrows(EmberException.class, () -> RecurrentOptions.DEFAULT.projSize(-1)),
                "projSize must be positive, or 0");
        LSTM lstm = new LSTM(2, 4, RecurrentOptions.DEFAULT.projSize(2));
        assertMessage(assertThrows(ShapeException.class, () -> lstm.forward(Ember.zeros(3, 1, 2),
                new LstmState(Ember.zeros(1, 1, 4), Ember.zeros(1, 1, 4)))),
                "expected h0 to be [1, 1, 2] ([num_layers * num_directions, batch, proj_size])");
        assertMessage(assertThrows(EmberException.class, () -> Recurrent.gru(Ember.zeros(3, 1, 2), null,
                lstm.flatWeights(), RecurrentOptions.DEFAULT.projSize(2), false)), "only supported for LSTM");
        assertMessage(assertThrows(EmberException.class, () -> Recurrent.lstm(Ember.zeros(3, 1, 2), null,
                lstm.flatWeights().subList(0, 4), RecurrentOptions.DEFAULT.projSize(2), false)),
                "expected 5 weights", "weight_hr");
    }

    @Test
    void aPackedBatchEqualsEachSequenceAlone() {
        Ember.manualSeed(7);
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true).projSize(2));
        lstm.to(DType.FLOAT64);
        List<Tensor> seqs = List.of(Ember.randn(DType.FLOAT64, 2, 3), Ember.randn(DType.FLOAT64, 5, 3),
                Ember.randn(DType.FLOAT64, 3, 3));
        PackedSequence packed = PackedSequences.packSequence(seqs, false);
        assertArrayEquals(new long[] {3, 3, 2, 1, 1}, packed.batchSizes().toLongArray());
        assertArrayEquals(new long[] {1, 2, 0}, packed.sortedIndices().toLongArray());
        assertEquals(3, packed.batchSize());
        PackedLstmOutput out = lstm.forward(packed, null);
        PaddedBatch padded = PackedSequences.padPackedSequence(out.output(), true, -1.0, 6);
        assertArrayEquals(new int[] {3, 6, 4}, padded.padded().shape());
        assertArrayEquals(new long[] {2, 5, 3}, padded.lengths().toLongArray());
        for (int b = 0; b < 3; b++) {
            Tensor seq = seqs.get(b);
            LstmOutput alone = lstm.forward(seq, null);   // unbatched [length, 3]
            int len = seq.size(0);
            assertArrayEquals(alone.output().toDoubleArray(), padded.padded().get(b).narrow(0, 0, len)
                    .toDoubleArray(), 1e-12);
            for (double v : padded.padded().get(b).narrow(0, len, 6 - len).toDoubleArray()) {
                assertEquals(-1.0, v);
            }
            assertArrayEquals(alone.hidden().toDoubleArray(), out.hidden().select(1, b).toDoubleArray(), 1e-12);
            assertArrayEquals(alone.cell().toDoubleArray(), out.cell().select(1, b).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void packingRoundTripsAndCarriesGradients() {
        Tensor x = Ember.randn(DType.FLOAT64, 2, 4, 3).requiresGrad_();   // batchFirst [batch, length, features]
        PackedSequence p = PackedSequences.packPaddedSequence(x, Ember.fromArray(new long[] {4, 2}, 2), true, true);
        assertNull(p.sortedIndices());
        assertArrayEquals(new int[] {6, 3}, p.data().shape());
        PaddedBatch back = PackedSequences.padPackedSequence(p, true);
        assertArrayEquals(x.get(0).toDoubleArray(), back.padded().get(0).toDoubleArray());
        assertArrayEquals(new double[6], back.padded().get(1).narrow(0, 2, 2).toDoubleArray());
        back.padded().sum().backward();
        // the padding positions of the input get no gradient
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            int b = i / 12;
            int t = (i / 3) % 4;
            assertEquals(b == 1 && t >= 2 ? 0.0 : 1.0, g[i], "element " + i);
        }
        Tensor s = PackedSequences.padSequence(List.of(Ember.ones(1, 2), Ember.ones(3, 2)), true, 5.0);
        assertArrayEquals(new float[] {1, 1, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1}, s.toFloatArray());
        assertArrayEquals(new int[] {3, 2, 2}, PackedSequences.padSequence(List.of(Ember.ones(1, 2),
                Ember.ones(3, 2)), false, 0.0).shape());
    }

    @Test
    void packingErrorsAreClear() {
        Tensor x = Ember.zeros(4, 3, 2);
        // PyTorch: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packPaddedSequence(x,
                new int[] {4, 2, 3}, false, true)), "lengths [4, 2, 3] must be sorted in decreasing order",
                "enforceSorted=false");
        // PyTorch: Length of all samples has to be greater than 0
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packPaddedSequence(x,
                new int[] {4, 2, 0}, false, false)), "length 0 of sequence 2 is not positive");
        // PyTorch packs garbage here
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packPaddedSequence(x,
                new int[] {5, 2, 1}, false, true)), "length 5 of sequence 0 is longer than the input's 4 time steps");
        // PyTorch: Cannot pack empty tensors.
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packPaddedSequence(Ember.zeros(4, 0, 2),
                new int[0], false, false)), "the input of shape [4, 0, 2] is empty");
        // PyTorch: Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packPaddedSequence(x,
                new int[] {4, 2}, false, true)), "expected one length per sequence, 3", "got 2 lengths");
        assertMessage(assertThrows(DTypeException.class, () -> PackedSequences.packPaddedSequence(x,
                Ember.tensor(4.0, 2.0, 1.0), false, true)), "1-d int64 tensor", ".to(DType.INT64)");
        PackedSequence p = PackedSequences.packPaddedSequence(x, new int[] {4, 2, 1}, false, true);
        // PyTorch: Expected total_length to be at least the length of the longest sequence in input
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.padPackedSequence(p, false, 0.0, 3)),
                "totalLength=3 and max sequence length 4");
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.padSequence(List.of(Ember.ones(2, 3),
                Ember.ones(3, 2)), false, 0.0)), "sequence 1 has shape [3, 2] but sequence 0 has [2, 3]");
        assertMessage(assertThrows(ShapeException.class, () -> PackedSequences.packSequence(List.of(), true)),
                "packSequence: expected a non-empty list of sequences");
        assertMessage(assertThrows(ShapeException.class, () -> new PackedSequence(Ember.zeros(5, 2),
                Ember.fromArray(new long[] {2, 3}, 2), null, null)), "positive and non-increasing");
        assertMessage(assertThrows(ShapeException.class, () -> new PackedSequence(Ember.zeros(4, 2),
                Ember.fromArray(new long[] {3, 2}, 2), null, null)), "must have 5 rows");
        // PyTorch: INDICES element is out of DATA bounds, id=2 axis_dim=2
        LSTM lstm = new LSTM(2, 3);
        assertMessage(assertThrows(ShapeException.class, () -> lstm.forward(p, new LstmState(Ember.zeros(1, 2, 3),
                Ember.zeros(1, 2, 3)))), "LSTM(2, 3) got a packed batch of 3 sequences (data [7, 2]) and h0 of "
                + "shape [1, 2, 3]: expected h0 to be [1, 3, 3]");
        assertMessage(assertThrows(ShapeException.class, () -> new GRU(3, 3).forward(p, null)),
                "GRU(3, 3) got a packed sequence with data of shape [7, 2]: expected [total length, input_size=3]");
    }

    @Test
    void aPackedBatchOfEqualLengthsIsThePaddedBatch() {
        RNN rnn = new RNN(2, 3, RecurrentOptions.DEFAULT.numLayers(2));
        Tensor x = Ember.randn(4, 2, 2);
        Tensor h0 = Ember.randn(2, 2, 3);
        RnnOutput padded = rnn.forward(x, h0);
        PackedRnnOutput packed = rnn.forward(PackedSequences.packPaddedSequence(x, new int[] {4, 4}, false, false),
                h0);
        assertArrayEquals(padded.hidden().toFloatArray(), packed.hidden().toFloatArray(), 1e-6f);
        assertArrayEquals(padded.output().toFloatArray(),
                PackedSequences.padPackedSequence(packed.output()).padded().toFloatArray(), 1e-6f);
        assertTrue(packed.output().data().requiresGrad());
        PackedSequence converted = packed.output().to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, converted.data().dtype());
        assertEquals(packed.output().batchSizes(), converted.batchSizes());
    }
}
