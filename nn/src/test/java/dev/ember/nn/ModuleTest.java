package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    static final class TwoLayer extends Module {
        final Linear fc1 = registerModule("fc1", new Linear(2, 16));
        final Linear fc2 = registerModule("fc2", new Linear(16, 1));

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).tanh());
        }
    }

    @Test
    void namedTraversalInRegistrationOrder() {
        TwoLayer m = new TwoLayer();
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("", "fc1", "fc2"), List.copyOf(m.namedModules().keySet()));
        assertEquals(4, m.parameters().size());
        assertTrue(m.parameters().stream().allMatch(p -> p.isLeaf() && p.requiresGrad()));
    }

    @Test
    void linearMatchesPyTorchsInitialisationAfterTheSameSeed() {
        // torch.manual_seed(0); l = torch.nn.Linear(3, 2); l.weight, l.bias
        Ember.manualSeed(0);
        Linear l = new Linear(3, 2);
        assertArrayEquals(new float[] {-0.0043f, 0.3097f, -0.4752f, -0.4249f, -0.2224f, 0.1548f},
                l.weight().toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {-0.0114f, 0.4578f}, l.bias().toFloatArray(), 1e-4f);
    }

    @Test
    void toStringIsPyTorchsTree() {
        assertEquals("TwoLayer(\n  (fc1): Linear(in_features=2, out_features=16, bias=True)\n"
                + "  (fc2): Linear(in_features=16, out_features=1, bias=True)\n)", new TwoLayer().toString());
    }

    @Test
    void zeroGradAndSetToNone() {
        TwoLayer m = new TwoLayer();
        m.forward(Ember.randn(4, 2)).sum().backward();
        m.zeroGrad();
        assertEquals(0.0, m.fc1.weight().grad().abs().sum().item());
        m.zeroGrad(true);
        assertNull(m.fc1.weight().grad());
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        TwoLayer m = new TwoLayer();
        m.eval();
        assertTrue(!m.isTraining() && !m.fc1.isTraining());
        m.train();
        assertTrue(m.fc2.isTraining());
    }

    @Test
    void toDtypeConvertsParametersInPlace() {
        TwoLayer m = new TwoLayer();
        Tensor w = m.fc1.weight();
        m.to(DType.FLOAT64);
        assertSame(w, m.fc1.weight());
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(DType.FLOAT64, m.forward(Ember.randn(DType.FLOAT64, 3, 2)).dtype());
    }

    @Test
    void stateDictRoundTripAndStrictChecksListEveryProblem() {
        TwoLayer a = new TwoLayer();
        TwoLayer b = new TwoLayer();
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.fc2.weight().toFloatArray(), b.fc2.weight().toFloatArray());
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(a.stateDict());
        bad.remove("fc1.bias");
        bad.put("fc3.weight", Ember.zeros(1));
        bad.put("fc2.weight", Ember.zeros(2, 16));
        float[] before = b.fc1.weight().toFloatArray();
        ShapeException e = assertThrows(ShapeException.class, () -> b.loadStateDict(bad));
        assertTrue(e.getMessage().contains("missing keys: fc1.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: fc3.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("fc2.weight: checkpoint [2, 16], model [1, 16]"), e.getMessage());
        assertArrayEquals(before, b.fc1.weight().toFloatArray());
    }

    @Test
    void linearNamesItselfAndBothShapesOnABadInput() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Linear(784, 128).forward(Ember.zeros(64, 100)));
        assertTrue(e.getMessage().startsWith("Linear(in_features=784, out_features=128, bias=True) got input of shape "
                + "[64, 100]"), e.getMessage());
    }
}
