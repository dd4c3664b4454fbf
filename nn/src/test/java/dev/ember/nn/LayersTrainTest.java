package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.utils.ClipGrad;
import org.junit.jupiter.api.Test;

/** The new layers together in one model: it learns XOR, and a seeded run repeats bit for bit. */
class LayersTrainTest {
    private static float[] train(long seed) {
        Ember.manualSeed(seed);
        Sequential model = Sequential.of(new Linear(2, 16), new BatchNorm1d(16), new GELU(), new Dropout(0.1),
                new Linear(16, 16), new LayerNorm(16), new SiLU(), new Linear(16, 1));
        Tensor x = Ember.tensor(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Ember.tensor(new double[][] {{0}, {1}, {1}, {0}, {0}, {1}, {1}, {0}});
        for (int step = 0; step < 300; step++) {
            model.zeroGrad();
            Tensor loss = model.forward(x).sub(y).pow(2.0).mean();
            loss.backward();
            ClipGrad.clipGradNorm_(model.parameters(), 5.0);
            try (var g = Ember.noGrad()) {
                for (Tensor p : model.parameters()) {
                    p.sub_(p.grad().mul(0.1));
                }
            }
        }
        model.eval();
        return model.forward(x).toFloatArray();
    }

    @Test
    void aModelOfTheNewLayersLearnsXorReproducibly() {
        float[] out = train(7);
        float[] target = {0, 1, 1, 0, 0, 1, 1, 0};
        for (int i = 0; i < out.length; i++) {
            assertTrue(Math.abs(out[i] - target[i]) < 0.25, "prediction " + i + ": " + out[i]);
        }
        assertArrayEquals(out, train(7), "the same seed gives the same model, bit for bit");
    }
}
