package dev.ember.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.Linear;
import dev.ember.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * The initialisers' properties and errors (their values after manualSeed are compared with PyTorch's in the tests
 * module's LayerConformanceTest).
 */
class InitTest {
    private static void assertMessage(EmberException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "\"" + p + "\" missing from: " + e.getMessage());
        }
    }

    @Test
    void fansAndGains() {
        assertEquals(new Fans(75, 400), Init.calculateFanInAndFanOut(Ember.zeros(16, 3, 5, 5)));
        assertEquals(new Fans(784, 128), Init.calculateFanInAndFanOut(Ember.zeros(128, 784)));
        assertEquals(5.0 / 3, Init.calculateGain(Nonlinearity.TANH));
        assertEquals(Math.sqrt(2.0), Init.calculateGain(Nonlinearity.RELU));
        assertEquals(Math.sqrt(2.0 / (1 + 0.01 * 0.01)), Init.calculateGain(Nonlinearity.LEAKY_RELU));
        assertEquals(Math.sqrt(2.0), Init.calculateGain(Nonlinearity.LEAKY_RELU, 0.0));
        assertEquals(1.0, Init.calculateGain(Nonlinearity.CONV2D, 123.0), "the parameter only matters for leaky_relu");
        assertSame(Nonlinearity.CONV_TRANSPOSE2D, Nonlinearity.fromName("conv_transpose2d"));
        assertEquals("leaky_relu", Nonlinearity.LEAKY_RELU.toString());
    }

    @Test
    void initialisersWorkOnParametersWithoutANoGradScope() {
        Tensor w = Parameter.of(Ember.zeros(64, 32));
        int version = w.version();
        assertSame(w, Init.kaimingUniform_(w));
        assertTrue(w.isLeaf() && w.requiresGrad());
        assertTrue(w.version() > version, "written in place");
        double bound = Math.sqrt(3.0) * Math.sqrt(2.0) / Math.sqrt(32);
        assertTrue(w.abs().max().item() <= bound);
        assertTrue(w.abs().max().item() > 0.9 * bound);
        Init.kaimingNormal_(w, 0.0, FanMode.FAN_OUT, Nonlinearity.RELU);
        assertEquals(Math.sqrt(2.0 / 64), w.std().item(), 0.02);
        Init.xavierNormal_(w);
        assertEquals(Math.sqrt(2.0 / 96), w.std().item(), 0.02);
        Init.zeros_(w);
        assertEquals(0.0, w.abs().sum().item());
        Init.ones_(w);
        assertEquals(64 * 32, w.sum().item());
        Init.constant_(w, -0.5);
        assertEquals(-0.5, w.max().item());
        assertEquals(3.0, Init.eye_(Ember.zeros(3, 5)).sum().item());
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        Tensor wide = Init.orthogonal_(Ember.zeros(DType.FLOAT64, 3, 7));
        assertTrue(wide.matmul(wide.t()).allclose(Ember.eye(3).to(DType.FLOAT64), 1e-12, 1e-12));
        Tensor tall = Init.orthogonal_(Ember.zeros(DType.FLOAT64, 7, 3), 2.0);
        assertTrue(tall.t().matmul(tall).allclose(Ember.eye(3).to(DType.FLOAT64).mul(4.0), 1e-12, 1e-12));
        Tensor conv = Init.orthogonal_(Ember.zeros(4, 2, 3));
        Tensor flat = conv.reshape(4, 6);
        assertTrue(flat.matmul(flat.t()).allclose(Ember.eye(4), 1e-5, 1e-5));
    }

    @Test
    void zeroElementTensorsAreLeftAlone() {
        Ember.manualSeed(1);
        Tensor expected = Ember.rand(2);
        Ember.manualSeed(1);
        Init.kaimingUniform_(Ember.zeros(0, 3));
        Init.xavierNormal_(Ember.zeros(3, 0));
        Init.orthogonal_(Ember.zeros(0, 4));
        assertArrayEquals(expected.toFloatArray(), Ember.rand(2).toFloatArray(), "nothing was drawn");
    }

    @Test
    void linearResetParametersDrawsAgain() {
        Ember.manualSeed(0);
        Linear l = new Linear(3, 2);
        float[] first = l.weight().toFloatArray();
        l.resetParameters();
        assertNotEquals(first[0], l.weight().toFloatArray()[0]);
        Ember.manualSeed(0);
        l.resetParameters();
        assertArrayEquals(first, l.weight().toFloatArray());
    }

    @Test
    void errors() {
        ShapeException s = assertThrows(ShapeException.class, () -> Init.xavierUniform_(Ember.zeros(3)));
        assertMessage(s, "xavierUniform_", "fewer than 2 dimensions", "[3]", "uniform_");
        assertThrows(ShapeException.class, () -> Init.kaimingNormal_(Ember.zeros(3)));
        s = assertThrows(ShapeException.class, () -> Init.orthogonal_(Ember.zeros(3)));
        assertMessage(s, "orthogonal_", "2 or more dimensions", "[3]");
        assertThrows(ShapeException.class, () -> Init.eye_(Ember.zeros(2, 2, 2)));
        EmberException e = assertThrows(EmberException.class, () -> Nonlinearity.fromName("foo"));
        assertMessage(e, "unsupported nonlinearity \"foo\"", "leaky_relu", "conv_transpose3d");
        e = assertThrows(EmberException.class, () -> Init.calculateGain(null));
        assertMessage(e, "Nonlinearity.RELU");
        e = assertThrows(EmberException.class, () -> Init.calculateGain(Nonlinearity.LEAKY_RELU, Double.NaN));
        assertMessage(e, "negative slope NaN");
        e = assertThrows(EmberException.class, () -> Init.kaimingUniform_(Ember.zeros(3, 3), 0, null,
                Nonlinearity.RELU));
        assertMessage(e, "FanMode.FAN_IN");
        e = assertThrows(EmberException.class, () -> Init.uniform_(Ember.zeros(3), 2.0, 1.0));
        assertMessage(e, "uniform_");
        e = assertThrows(EmberException.class, () -> Init.normal_(null));
        assertMessage(e, "normal_", "null");
    }
}
