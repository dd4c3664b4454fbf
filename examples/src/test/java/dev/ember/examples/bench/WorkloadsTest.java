package dev.ember.examples.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workloads benchmark compares like with like: Ember's side trains PyTorch's model (same weights, data and
 * trajectory as {@code workloads_pytorch.py}), DL4J's side starts from the same weights and data, and DL4J's
 * Nesterovs updater is PyTorch's SGD(nesterov=True), not the workloads' plain momentum.
 */
class WorkloadsTest {
    private static final int STEPS = 6;

    private static double[] losses(Trainer t) {
        double[] l = new double[STEPS];
        for (int k = 0; k < STEPS; k++) {
            t.step();
            l[k] = t.lastLoss();
        }
        return l;
    }

    private static void assertClose(double expected, double actual, double rtol, String what) {
        assertEquals(expected, actual, rtol * Math.abs(expected), what);
    }

    /** Losses of steps 1 and 6 from PyTorch 1.13.1: workloads_pytorch.build(...) stepped six times. */
    @Test
    void emberFollowsPyTorchsTrajectory() {
        double[] w1 = losses(EmberTrainer.create(Workload.W1, false));
        assertClose(1.025093674659729, w1[0], 1e-6, "W1 first loss");
        assertClose(0.8315550088882446, w1[STEPS - 1], 1e-5, "W1 loss after 5 updates");
        double[] w2 = losses(EmberTrainer.create(Workload.W2, false));
        assertClose(2.3149752616882324, w2[0], 1e-6, "W2 first loss");
        assertClose(2.0390589237213135, w2[STEPS - 1], 1e-5, "W2 loss after 5 updates");
    }

    @Test
    void dl4jStartsFromEmbersWeightsAndItsNesterovsIsPyTorchsNesterov() {
        for (Workload w : new Workload[] {Workload.W1, Workload.W2}) {
            EmberTrainer nesterov = EmberTrainer.create(w, true);
            double[] dl4j = losses(Dl4jTrainer.from(w, nesterov));
            double[] ember = losses(nesterov);
            double[] plain = losses(EmberTrainer.create(w, false));
            for (int k = 0; k < STEPS; k++) {
                assertClose(ember[k], dl4j[k], 1e-5, w.name() + " loss of step " + (k + 1));
            }
            double apart = Math.abs(plain[STEPS - 1] - dl4j[STEPS - 1]) / Math.abs(plain[STEPS - 1]);
            assertTrue(apart > 1e-3, w.name() + ": plain momentum should differ from DL4J's Nesterov, rel. diff "
                    + apart);
        }
    }

    @Test
    void flopsPerStepFollowPeersFormula() {
        assertEquals(6.0 * 8 * (2 * 16 + 16 * 16 + 16), Workload.W1.flopsPerStep());
        assertEquals(6.0 * 256 * (1024 * 2048 + 2048 * 2048 + 2048 * 10), Workload.W3.flopsPerStep());
    }
}
