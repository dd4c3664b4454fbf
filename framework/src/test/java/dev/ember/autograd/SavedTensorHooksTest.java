package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedTensorHooksTest {

    @Test
    void packRunsWhenSavingAndUnpackWhenBackwardNeedsTheTensor() {
        List<String> log = new ArrayList<>();
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);
        Tensor y;
        try (var h = SavedTensorHooks.scope(t -> {
            log.add("pack " + t);
            return t.toDoubleArray();
        }, p -> {
            log.add("unpack");
            return Ember.fromArray((double[]) p, 2).to(DType.FLOAT32);
        })) {
            y = w.mul(x).sum();
        }
        assertEquals(List.of("pack tensor([3., 4.])"), log);
        assertEquals(0, y.gradFn().nextFunctions().get(0).node().savedBytes());
        y.backward();
        assertEquals(List.of("pack tensor([3., 4.])", "unpack"), log);
        assertValues(w.grad(), 3, 4);
    }

    @Test
    void float16KeepsGradientsWithinHalfPrecision() {
        Ember.manualSeed(0);
        Tensor w1 = Ember.randn(8, 16).mul(0.3).requiresGrad_();
        Tensor w2 = Ember.randn(16, 1).mul(0.3).requiresGrad_();
        Tensor x = Ember.randn(32, 8);
        x.matmul(w1).tanh().matmul(w2).pow(2).mean().backward();
        float[] exact1 = w1.grad().toFloatArray();
        float[] exact2 = w2.grad().toFloatArray();
        w1.setGrad(null);
        w2.setGrad(null);
        Tensor loss;
        try (var h = SavedTensorHooks.float16()) {
            loss = x.matmul(w1).tanh().matmul(w2).pow(2).mean();
        }
        loss.backward();
        assertClose(exact1, w1.grad().toFloatArray());
        assertClose(exact2, w2.grad().toFloatArray());
    }

    private static void assertClose(float[] exact, float[] half) {
        double scale = 0;
        for (float v : exact) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < exact.length; i++) {
            assertTrue(Math.abs(exact[i] - half[i]) <= 5e-3 * scale,
                    "element " + i + ": " + exact[i] + " vs " + half[i]);
        }
    }

    @Test
    void float16RoundTripsRepresentableValuesAndRoundsToNearestEven() {
        float[] exact = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-05f, 5.9604645e-08f, Float.POSITIVE_INFINITY};
        for (float f : exact) {
            assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(Float16.toFloat(Float16.toHalf(f))), "" + f);
        }
        assertTrue(Float.isNaN(Float16.toFloat(Float16.toHalf(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(Float16.toHalf(70000f)));
        assertEquals(1.0f, Float16.toFloat(Float16.toHalf(1.0f + 0x1p-11f)));          // tie: to even
        assertEquals(1.0f + 0x1p-9f, Float16.toFloat(Float16.toHalf(1.0f + 0x1.8p-10f)));   // tie: to even, up
    }

    @Test
    void versionChecksStillApplyToPackedTensors() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);
        Tensor y;
        try (var h = SavedTensorHooks.float16()) {
            y = w.mul(x).sum();
        }
        x.add_(1.0);
        assertThrowsWith(AutogradException.class, y::backward, "MulBackward", "add_()");
    }

    @Test
    void doubleBackwardWorksThroughPackedTensors() {
        Tensor x = Ember.tensor(2.0).requiresGrad_();
        Tensor y;
        try (var h = SavedTensorHooks.scope(t -> t.clone(), p -> (Tensor) p)) {
            y = x.pow(3);
        }
        Tensor g1 = Autograd.grad(y, x, GradOptions.createGraph())[0];
        assertValues(g1, 12);
        assertValues(Autograd.grad(g1, x)[0], 12);
    }

    @Test
    void unpackMustRestoreShapeAndDtype() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y;
        try (var h = SavedTensorHooks.scope(t -> t, p -> Ember.ones(3))) {
            y = w.mul(w).sum();
        }
        assertThrowsWith(AutogradException.class, y::backward, "unpack", "shape [3]", "MulBackward", "[2]");
    }

    @Test
    void innermostScopeApplies() {
        List<String> log = new ArrayList<>();
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        try (var outer = SavedTensorHooks.scope(t -> {
            log.add("outer");
            return t;
        }, p -> (Tensor) p)) {
            try (var inner = SavedTensorHooks.scope(t -> {
                log.add("inner");
                return t;
            }, p -> (Tensor) p)) {
                w.mul(w);
            }
            w.exp();
        }
        w.exp();
        assertArrayEquals(new Object[] {"inner", "inner", "outer"}, log.toArray());
    }
}
