package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Truncated backpropagation through time: a long sequence cut into chunks of k steps, the state carried from chunk
 * to chunk but detached, so that every backward pass stops at its chunk's start.
 */
class TruncatedBpttTest {
    /** Plain SGD, written here because nn does not depend on optim. */
    private static void sgdStep(List<Tensor> params, double lr) {
        try (var g = Ember.noGrad()) {
            for (Tensor p : params) {
                p.sub_(p.grad().mul(lr));
                p.setGrad(null);
            }
        }
    }

    @Test
    void anLstmLearnsToEchoItsInputTwoStepsLaterWithTheStateDetachedEveryTenSteps() {
        Ember.manualSeed(0);
        LSTM lstm = new LSTM(1, 16, RecurrentOptions.DEFAULT.batchFirst(true));
        Linear head = new Linear(16, 1);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Tensor x = Ember.randn(8, 60, 1);
        // y_t = x_{t-2}: the answer for a chunk's first two steps lies in the previous chunk, reachable only through
        // the carried state.
        Tensor y = Ember.cat(List.of(Ember.zeros(8, 2, 1), x.narrow(1, 0, 58)), 1);
        int k = 10;
        double first = 0;
        double last = 0;
        for (int epoch = 0; epoch < 40; epoch++) {
            LstmState state = null;
            double total = 0;
            for (int c = 0; c < 6; c++) {
                LstmOutput out = lstm.forward(x.narrow(1, c * k, k), state);
                Tensor loss = head.forward(out.output()).sub(y.narrow(1, c * k, k)).pow(2.0).mean();
                loss.backward();
                total += loss.item();
                sgdStep(params, 0.5);
                state = out.state().detach();
                assertTrue(state.hidden().isLeaf() && !state.hidden().requiresGrad());
                assertTrue(state.cell().isLeaf() && !state.cell().requiresGrad());
            }
            if (epoch == 0) {
                first = total / 6;
            }
            last = total / 6;
        }
        assertTrue(first > 0.9, "the untrained loss is about the target's variance, got " + first);
        assertTrue(last < 0.3 * first, "the loss should fall: first epoch " + first + ", last " + last);
    }

    @Test
    void afterDetachNoGradientReachesEarlierSteps() {
        Ember.manualSeed(1);
        GRU gru = new GRU(2, 3, RecurrentOptions.DEFAULT.numLayers(2));
        Tensor early = Ember.randn(4, 2, 2).requiresGrad_();
        Tensor late = Ember.randn(3, 2, 2).requiresGrad_();

        // Without detach the late loss reaches the early steps.
        RnnOutput first = gru.forward(early, null);
        gru.forward(late, first.hidden()).output().sum().backward();
        assertTrue(early.grad() != null && early.grad().abs().sum().item() > 0,
                "without detach the gradient flows back into the earlier chunk");
        gru.zeroGrad(true);
        early.setGrad(null);
        late.setGrad(null);

        // With detach it stops at the chunk boundary: the early input gets nothing, and the parameters get exactly
        // what the late chunk alone gives when started from the same (constant) state.
        RnnOutput again = gru.forward(early, null);
        Tensor carried = again.hidden().detach();
        gru.forward(late, carried).output().sum().backward();
        assertNull(early.grad(), "no gradient may reach the steps before the detach");
        Tensor lateGrad = late.grad();
        List<float[]> paramGrads = new ArrayList<>();
        for (Tensor p : gru.parameters()) {
            paramGrads.add(p.grad().toFloatArray());
        }
        gru.zeroGrad(true);
        late.setGrad(null);
        Tensor constantStart = Ember.fromArray(carried.toFloatArray(), carried.shape());
        gru.forward(late, constantStart).output().sum().backward();
        assertArrayEquals(lateGrad.toFloatArray(), late.grad().toFloatArray());
        List<Tensor> ps = gru.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(paramGrads.get(i), ps.get(i).grad().toFloatArray());
        }
    }

    @Test
    void detachingAnLstmStateCutsBothTheHiddenAndTheCellPath() {
        Ember.manualSeed(2);
        LSTMCell cell = new LSTMCell(2, 3);
        Tensor x0 = Ember.randn(1, 2).requiresGrad_();
        LstmState s = cell.forward(x0, null);
        // Only the cell state is carried into the loss: without detach it still reaches x0.
        cell.forward(Ember.randn(1, 2), s).cell().sum().backward();
        assertTrue(x0.grad() != null && x0.grad().abs().sum().item() > 0);
        x0.setGrad(null);
        LstmState t = cell.forward(x0, null);
        Tensor out = cell.forward(Ember.randn(1, 2), t.detach()).cell().sum();
        out.backward();
        assertNull(x0.grad());
    }
}
