package dev.ember.nn.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.Linear;
import dev.ember.nn.Sequential;
import dev.ember.nn.Tanh;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient clipping and the parameter-vector conversions (PyTorch's values: LayerConformanceTest). */
class UtilsTest {
    private static void assertMessage(EmberException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "\"" + p + "\" missing from: " + e.getMessage());
        }
    }

    private static Tensor withGrad(double... grad) {
        Tensor p = Ember.zeros(DType.FLOAT64, grad.length).requiresGrad_();
        p.setGrad(Ember.tensor(DType.FLOAT64, grad));
        return p;
    }

    @Test
    void clipGradNormScalesAllGradientsTogether() {
        Tensor a = withGrad(3, 0);
        Tensor b = withGrad(0, 4);
        Tensor none = Ember.zeros(2).requiresGrad_();
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, none, b), 1.0);
        assertEquals(5.0, total.item(), 1e-12);
        double coef = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 0}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0, 4 * coef}, b.grad().toDoubleArray(), 1e-15);
        assertNull(none.grad());
        // below the limit nothing changes; infinity-norm is the largest element
        Tensor c = withGrad(0.5, -2.0);
        assertEquals(2.0, ClipGrad.clipGradNorm_(List.of(c), 10.0, Double.POSITIVE_INFINITY).item());
        assertArrayEquals(new double[] {0.5, -2.0}, c.grad().toDoubleArray());
        assertEquals(2.5, ClipGrad.clipGradNorm_(List.of(c), 10.0, 1.0).item(), 1e-12);
        assertEquals(DType.FLOAT32, ClipGrad.clipGradNorm_(List.of(none), 1.0).dtype());
        assertEquals(0.0, ClipGrad.clipGradNorm_(List.of(none), 1.0).item());
    }

    @Test
    void clipGradNormOnAModelAfterBackward() {
        Sequential m = Sequential.of(new Linear(3, 5), new Tanh(), new Linear(5, 1));
        m.forward(Ember.randn(8, 3)).pow(2.0).sum().mul(100.0).backward();
        double before = ClipGrad.clipGradNorm_(m.parameters(), 0.25).item();
        assertTrue(before > 0.25);
        double after = 0;
        for (Tensor p : m.parameters()) {
            after += p.grad().pow(2.0).sum().item();
        }
        assertEquals(0.25, Math.sqrt(after), 1e-5);
    }

    @Test
    void clipGradNormErrors() {
        Tensor bad = withGrad(1.0, Double.NaN);
        EmberException e = assertThrows(EmberException.class, () -> ClipGrad.clipGradNorm_(List.of(bad), 1.0, 2.0, true));
        assertMessage(e, "non-finite", "errorIfNonfinite = false");
        assertTrue(Double.isNaN(bad.grad().toDoubleArray()[1]) && bad.grad().toDoubleArray()[0] == 1.0,
                "left as it was");
        e = assertThrows(EmberException.class, () -> ClipGrad.clipGradNorm_(List.of(bad), -1.0));
        assertMessage(e, "maxNorm", "non-negative", "-1.0");
        assertThrows(EmberException.class, () -> ClipGrad.clipGradNorm_(List.of(bad), 1.0, Double.NaN));
        assertThrows(EmberException.class, () -> ClipGrad.clipGradNorm_(null, 1.0));
        e = assertThrows(EmberException.class, () -> ClipGrad.clipGradNorm_(java.util.Arrays.asList(bad, null), 1.0));
        assertMessage(e, "parameter 1 is null");
    }

    @Test
    void clipGradValueClampsEachElement() {
        Tensor a = withGrad(-3, 0.2, 5);
        ClipGrad.clipGradValue_(List.of(a), 1.0);
        assertArrayEquals(new double[] {-1, 0.2, 1}, a.grad().toDoubleArray());
        EmberException e = assertThrows(EmberException.class, () -> ClipGrad.clipGradValue_(List.of(a), -1.0));
        assertMessage(e, "clipValue", "non-negative");
    }

    @Test
    void parametersToVectorAndBack() {
        Linear l = new Linear(3, 2);
        Tensor flat = ConvertParameters.parametersToVector(l.parameters());
        assertArrayEquals(new int[] {8}, flat.shape());
        float[] w = l.weight().toFloatArray();
        assertArrayEquals(w, flat.slice(0, 0, 6).toFloatArray());
        // differentiable
        flat.mul(Ember.arange(0.0, 8.0, 1.0)).sum().backward();
        assertArrayEquals(new float[] {6, 7}, l.bias().grad().toFloatArray());

        Tensor weight = l.weight();
        Tensor vec = Ember.arange(0.0, 8.0, 1.0);
        ConvertParameters.vectorToParameters(vec, l.parameters());
        assertSame(weight, l.weight(), "the same tensor objects");
        assertTrue(weight.isLeaf() && weight.requiresGrad());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, l.weight().toFloatArray());
        assertArrayEquals(new float[] {6, 7}, l.bias().toFloatArray());
        try (var g = Ember.noGrad()) {
            vec.fill_(9.0);
        }
        assertEquals(9.0, l.bias().max().item(), "views of the vector, as PyTorch's param.data = ...");
        assertArrayEquals(new int[] {1, 2}, l.forward(Ember.ones(1, 3)).shape());
    }

    @Test
    void vectorToParametersErrorsChangeNothing() {
        Linear l = new Linear(3, 2);
        float[] before = l.weight().toFloatArray();
        ShapeException e = assertThrows(ShapeException.class,
                () -> ConvertParameters.vectorToParameters(Ember.zeros(7), l.parameters()));
        assertMessage(e, "7 elements", "2 parameters have 8");
        assertArrayEquals(before, l.weight().toFloatArray());
        e = assertThrows(ShapeException.class, () -> ConvertParameters.vectorToParameters(Ember.zeros(2, 4),
                l.parameters()));
        assertMessage(e, "1-d", "[2, 4]");
        assertThrows(EmberException.class, () -> ConvertParameters.vectorToParameters(null, l.parameters()));
        assertThrows(EmberException.class, () -> ConvertParameters.parametersToVector(List.of()));
    }
}
