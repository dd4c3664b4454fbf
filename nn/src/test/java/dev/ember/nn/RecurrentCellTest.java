package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RNNCell, LSTMCell and GRUCell: parameters, PyTorch's initialisation and printing, formulas, errors. */
class RecurrentCellTest {
    @Test
    void parametersHavePyTorchsNamesShapesAndSeededValues() {
        // torch.manual_seed(0); c = nn.LSTMCell(3, 2); c.weight_ih.flatten()[:6]; c.bias_hh
        Ember.manualSeed(0);
        LSTMCell c = new LSTMCell(3, 2);
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                List.copyOf(c.namedParameters().keySet()));
        assertArrayEquals(new int[] {8, 3}, c.weightIh().shape());
        assertArrayEquals(new int[] {8, 2}, c.weightHh().shape());
        assertArrayEquals(new float[] {-0.0052940f, 0.3793229f, -0.5819808f, -0.5203875f, -0.2723452f, 0.1896159f},
                c.weightIh().flatten().narrow(0, 0, 6).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {-0.3135983f, -0.0255141f, 0.4522377f, 0.7029582f, 0.2806381f, 0.0955251f,
            0.4741054f, -0.4163461f}, c.biasHh().toFloatArray(), 1e-7f);
        assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(new GRUCell(3, 4, false).namedParameters()
                .keySet()));
        assertArrayEquals(new int[] {12, 3}, new GRUCell(3, 4).weightIh().shape());
        assertArrayEquals(new int[] {4, 4}, new RNNCell(3, 4).weightHh().shape());
    }

    @Test
    void toStringIsPyTorchs() {
        assertEquals("RNNCell(3, 4)", new RNNCell(3, 4).toString());
        assertEquals("RNNCell(3, 4, bias=False, nonlinearity=relu)",
                new RNNCell(3, 4, false, RnnNonlinearity.RELU).toString());
        assertEquals("LSTMCell(3, 4, bias=False)", new LSTMCell(3, 4, false).toString());
        assertEquals("GRUCell(3, 4)", new GRUCell(3, 4).toString());
    }

    @Test
    void rnnCellIsTanhOrReluOfBothProjections() {
        RNNCell cell = new RNNCell(3, 2);
        RNNCell relu = new RNNCell(3, 2, true, RnnNonlinearity.RELU);
        relu.loadStateDict(cell.stateDict());
        Tensor x = Ember.randn(4, 3);
        Tensor h = Ember.randn(4, 2);
        Tensor pre = x.matmul(cell.weightIh().t()).add(cell.biasIh()).add(h.matmul(cell.weightHh().t()))
                .add(cell.biasHh());
        assertTrue(pre.tanh().allclose(cell.forward(x, h), 1e-6, 1e-6));
        assertTrue(pre.relu().allclose(relu.forward(x, h), 1e-6, 1e-6));
    }

    @Test
    void lstmCellUsesPyTorchsGateOrder() {
        LSTMCell cell = new LSTMCell(3, 2);
        Tensor x = Ember.randn(4, 3);
        LstmState s = new LstmState(Ember.randn(4, 2), Ember.randn(4, 2));
        Tensor gates = x.matmul(cell.weightIh().t()).add(cell.biasIh()).add(s.hidden().matmul(cell.weightHh().t()))
                .add(cell.biasHh());
        Tensor i = gates.narrow(1, 0, 2).sigmoid();
        Tensor f = gates.narrow(1, 2, 2).sigmoid();
        Tensor g = gates.narrow(1, 4, 2).tanh();
        Tensor o = gates.narrow(1, 6, 2).sigmoid();
        Tensor c = f.mul(s.cell()).add(i.mul(g));
        LstmState next = cell.forward(x, s);
        assertTrue(c.allclose(next.cell(), 1e-6, 1e-6));
        assertTrue(o.mul(c.tanh()).allclose(next.hidden(), 1e-6, 1e-6));
        // Rows of a batch are independent: row 0 alone gives row 0.
        LstmState row = cell.forward(x.narrow(0, 0, 1), new LstmState(s.hidden().narrow(0, 0, 1),
                s.cell().narrow(0, 0, 1)));
        assertTrue(row.hidden().allclose(next.hidden().narrow(0, 0, 1), 1e-6, 1e-6));
    }

    @Test
    void gruCellKeepsTheResetGateInsideTheCandidate() {
        GRUCell cell = new GRUCell(3, 2);
        Tensor x = Ember.randn(4, 3);
        Tensor h = Ember.randn(4, 2);
        Tensor gi = x.matmul(cell.weightIh().t()).add(cell.biasIh());
        Tensor gh = h.matmul(cell.weightHh().t()).add(cell.biasHh());
        Tensor r = gi.narrow(1, 0, 2).add(gh.narrow(1, 0, 2)).sigmoid();
        Tensor z = gi.narrow(1, 2, 2).add(gh.narrow(1, 2, 2)).sigmoid();
        Tensor n = gi.narrow(1, 4, 2).add(r.mul(gh.narrow(1, 4, 2))).tanh();
        Tensor expected = z.rsub(1.0).mul(n).add(z.mul(h));
        assertTrue(expected.allclose(cell.forward(x, h), 1e-6, 1e-6));
    }

    @Test
    void noStateMeansZerosAndUnbatchedInputsGiveUnbatchedStates() {
        GRUCell cell = new GRUCell(3, 2);
        Tensor x = Ember.randn(4, 3);
        assertTrue(cell.forward(x).allclose(cell.forward(x, Ember.zeros(4, 2))));
        Tensor h = cell.forward(x.get(1), Ember.zeros(2));
        assertArrayEquals(new int[] {2}, h.shape());
        assertTrue(h.allclose(cell.forward(x).get(1), 1e-6, 1e-6));
        LSTMCell lstm = new LSTMCell(3, 2);
        LstmState s = lstm.forward(x.get(0), null);
        assertArrayEquals(new int[] {2}, s.hidden().shape());
        assertArrayEquals(new int[] {2}, s.cell().shape());
        assertTrue(lstm.forward(x.get(0)).allclose(s.hidden()));
    }

    @Test
    void shapeErrorsNameTheCellAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> new LSTMCell(3, 4).forward(Ember.zeros(2, 5)));
        assertTrue(e.getMessage().startsWith("LSTMCell(3, 4) got input of shape [2, 5]: its last dimension must be "
                + "input_size=3"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new GRUCell(3, 4).forward(Ember.zeros(2, 3), Ember.zeros(3, 4)));
        assertTrue(e.getMessage().startsWith("GRUCell(3, 4) got input of shape [2, 3] and hx of shape [3, 4]: "
                + "expected the state to be [2, 4]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new RNNCell(3, 4).forward(Ember.zeros(2, 2, 3)));
        assertTrue(e.getMessage().startsWith("RNNCell(3, 4) got input of shape [2, 2, 3]: expected a 2-D tensor "
                + "[batch, 3] or an unbatched 1-D tensor [3]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new LSTMCell(3, 4).forward(Ember.zeros(3),
                new LstmState(Ember.zeros(4), Ember.zeros(1, 4))));
        assertTrue(e.getMessage().startsWith("LSTMCell(3, 4) got input of shape [3] and cell state c of shape [1, 4]: "
                + "expected the state to be [4] (an unbatched input takes an unbatched state"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new GRUCell(0, 4));
        assertTrue(e.getMessage().contains("GRUCell: input_size and hidden_size must be positive"), e.getMessage());
    }

    @Test
    void dtypeErrorsSayHowToConvert() {
        DTypeException e = assertThrows(DTypeException.class,
                () -> new GRUCell(3, 4).forward(Ember.zeros(DType.FLOAT64, 2, 3)));
        assertTrue(e.getMessage().startsWith("GRUCell(3, 4) got input of dtype float64 [2, 3], but its weights are "
                + "float32: convert the input with .to(DType.FLOAT32), or the weights (module.to(DType.FLOAT64))"),
                e.getMessage());
        e = assertThrows(DTypeException.class,
                () -> new RNNCell(3, 4).forward(Ember.zeros(2, 3), Ember.zeros(DType.FLOAT64, 2, 4)));
        assertTrue(e.getMessage().startsWith("RNNCell(3, 4) got hx of dtype float64"), e.getMessage());
        RNNCell cell = new RNNCell(3, 4);
        cell.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, cell.forward(Ember.zeros(DType.FLOAT64, 2, 3)).dtype());
    }

    @Test
    void anLstmStateNeedsBothTensors() {
        EmberException e = assertThrows(EmberException.class, () -> new LstmState(Ember.zeros(1), null));
        assertTrue(e.getMessage().contains("needs both the hidden and the cell state"), e.getMessage());
    }
}
