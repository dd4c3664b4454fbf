package dev.ember.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The point of checkpointing: on a deep chain, the bytes held for backward fall from O(n) to about O(sqrt n), and the
 * gradients stay bit for bit the same.
 */
class CheckpointMemoryTest {
    private static final int LAYERS = 64;
    private static final int SEGMENTS = 8;
    private static final int BATCH = 16;
    private static final int WIDTH = 16;

    private record Chain(Tensor x, List<Tensor> weights, List<UnaryOperator<Tensor>> layers) {
    }

    private static Chain chain() {
        Ember.manualSeed(2024);
        List<Tensor> ws = new ArrayList<>();
        List<UnaryOperator<Tensor>> layers = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            Tensor w = Ember.randn(WIDTH, WIDTH).mul(1.0 / Math.sqrt(WIDTH)).requiresGrad_();
            ws.add(w);
            layers.add(h -> h.matmul(w).tanh());
        }
        Tensor x = Ember.randn(BATCH, WIDTH).requiresGrad_();
        return new Chain(x, ws, layers);
    }

    @Test
    void deepChainHoldsAboutSqrtNActivationsWithIdenticalGradients() {
        Chain plain = chain();
        Tensor h = plain.x();
        for (UnaryOperator<Tensor> l : plain.layers()) {
            h = l.apply(h);
        }
        Tensor plainLoss = h.pow(2).mean();
        long plainBytes = Checkpoint.heldBytes(plainLoss);

        Chain ck = chain();
        Tensor ckLoss = Checkpoint.checkpointSequential(ck.layers(), SEGMENTS, ck.x()).pow(2).mean();
        long ckBytes = Checkpoint.heldBytes(ckLoss);

        // Each layer saves its input and its weight (MmBackward) and its output (TanhBackward): 3 x 1 KiB.
        int tensor = WIDTH * WIDTH * 4;
        long perLayer = 3L * tensor;
        long powSaved = BATCH * WIDTH * 4;   // pow(2) saves its input
        assertEquals(LAYERS * perLayer + powSaved, plainBytes);
        // 7 checkpointed segments keep only their input; the last 8 layers run normally.
        int perSegment = LAYERS / SEGMENTS;
        assertEquals((SEGMENTS - 1) * (long) BATCH * WIDTH * 4 + perSegment * perLayer + powSaved, ckBytes);
        System.out.printf("held for backward, %d tanh layers (%dx%d float32, batch %d): plain %d bytes, "
                        + "checkpointSequential(%d segments) %d bytes, %.1fx less%n",
                LAYERS, WIDTH, WIDTH, BATCH, plainBytes, SEGMENTS, ckBytes, (double) plainBytes / ckBytes);
        assertTrue(plainBytes >= 4 * ckBytes, plainBytes + " vs " + ckBytes);

        plainLoss.backward();
        ckLoss.backward();
        assertArrayEquals(plainLoss.toFloatArray(), ckLoss.toFloatArray());
        assertArrayEquals(plain.x().grad().toFloatArray(), ck.x().grad().toFloatArray());
        for (int i = 0; i < LAYERS; i++) {
            assertArrayEquals(plain.weights().get(i).grad().toFloatArray(), ck.weights().get(i).grad().toFloatArray(),
                    "gradient of layer " + i);
        }
        // after backward nothing is saved any more; the checkpoints still reference their inputs until the graph goes
        assertEquals(0, Checkpoint.heldBytes(plainLoss));
    }

    @Test
    void duringBackwardOnlyOneSegmentIsRecomputedAtATime() {
        Chain plain = chain();
        Tensor h = plain.x();
        for (UnaryOperator<Tensor> l : plain.layers()) {
            h = l.apply(h);
        }
        Tensor plainLoss = h.pow(2).mean();
        long[] plainPeak = new long[1];
        for (Tensor w : plain.weights()) {
            w.registerHook(g -> {
                plainPeak[0] = Math.max(plainPeak[0], Checkpoint.heldBytes(plainLoss));
                return null;
            });
        }
        long plainBefore = Checkpoint.heldBytes(plainLoss);
        plainLoss.backward();

        Chain ck = chain();
        Tensor loss = Checkpoint.checkpointSequential(ck.layers(), SEGMENTS, ck.x()).pow(2).mean();
        long[] peak = new long[1];
        for (Tensor w : ck.weights()) {
            w.registerHook(g -> {   // runs in the middle of backward, after the layer's MmBackward
                peak[0] = Math.max(peak[0], Checkpoint.heldBytes(loss));
                return null;
            });
        }
        long before = Checkpoint.heldBytes(loss);
        loss.backward();
        System.out.printf("peak held during backward: plain %d bytes (%d before), checkpointed %d bytes (%d before)%n",
                plainPeak[0], plainBefore, peak[0], before);
        // a recomputed segment holds at most what the uncheckpointed last segment held after the forward
        assertTrue(peak[0] <= before, peak[0] + " > " + before);
        assertTrue(plainPeak[0] >= 4 * peak[0], plainPeak[0] + " vs " + peak[0]);
        for (int i = 0; i < LAYERS; i++) {
            assertArrayEquals(plain.weights().get(i).grad().toFloatArray(), ck.weights().get(i).grad().toFloatArray());
        }
    }

    @Test
    void heldBytesGrowLinearlyWithoutAndAsSqrtWithCheckpointing() {
        long[] plain = new long[3];
        long[] ck = new long[3];
        int[] depths = {16, 64, 256};
        for (int k = 0; k < depths.length; k++) {
            int n = depths[k];
            List<UnaryOperator<Tensor>> layers = new ArrayList<>();
            Ember.manualSeed(k);
            for (int i = 0; i < n; i++) {
                Tensor w = Ember.randn(WIDTH, WIDTH).mul(0.25).requiresGrad_();
                layers.add(t -> t.matmul(w).tanh());
            }
            Tensor x = Ember.randn(BATCH, WIDTH).requiresGrad_();
            Tensor h = x;
            for (UnaryOperator<Tensor> l : layers) {
                h = l.apply(h);
            }
            plain[k] = Checkpoint.heldBytes(h);
            ck[k] = Checkpoint.heldBytes(Checkpoint.checkpointSequential(layers, (int) Math.sqrt(n), x));
        }
        // 16x the depth: 16x the bytes without checkpointing, 4x with sqrt(n) segments
        assertEquals(16.0, (double) plain[2] / plain[0], 1e-9);
        double growth = (double) ck[2] / ck[0];
        assertTrue(growth > 3.5 && growth < 4.5, "checkpointed bytes grew " + growth + "x for 16x the depth");
        System.out.printf("held bytes at depth 16/64/256: plain %d/%d/%d, checkpointed (sqrt n segments) %d/%d/%d%n",
                plain[0], plain[1], plain[2], ck[0], ck[1], ck[2]);
    }
}
