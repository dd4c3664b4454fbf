package dev.ember.autograd;

import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class HigherOrderTest {

    @Test
    void thirdAndFourthDerivatives() {
        Tensor x = Ember.scalar(DType.FLOAT64, 1.5).requiresGrad_();
        Tensor y = x.sin().mul(x.pow(2));            // x^2 sin x
        Tensor d1 = Autograd.grad(y, x, GradOptions.createGraph())[0];
        Tensor d2 = Autograd.grad(d1, x, GradOptions.createGraph())[0];
        Tensor d3 = Autograd.grad(d2, x, GradOptions.createGraph())[0];
        Tensor d4 = Autograd.grad(d3, x)[0];
        double v = 1.5;
        double s = Math.sin(v);
        double c = Math.cos(v);
        assertEquals(2 * v * s + v * v * c, d1.item(), 1e-12);
        assertEquals(2 * s + 4 * v * c - v * v * s, d2.item(), 1e-12);
        assertEquals(6 * c - 6 * v * s - v * v * c, d3.item(), 1e-12);
        assertEquals(-12 * s - 8 * v * c + v * v * s, d4.item(), 1e-12);
    }

    @Test
    void hessianVectorProductByDoubleBackward() {
        // f(x) = sum(x^3) + x0 x1: H = diag(6x) + [[0,1],[1,0]]
        Tensor x = Ember.tensor(DType.FLOAT64, 1.0, 2.0).requiresGrad_();
        Tensor f = x.pow(3).sum().add(x.get(0).mul(x.get(1)));
        Tensor g = Autograd.grad(f, x, GradOptions.createGraph())[0];
        Tensor v = Ember.tensor(DType.FLOAT64, 0.5, -1.0);
        Tensor hv = Autograd.grad(g.mul(v).sum(), x)[0];
        assertArrayEquals(new double[] {6 * 0.5 - 1.0, 0.5 + 12 * -1.0}, hv.toDoubleArray(), 1e-12);
    }

    @Test
    void gradientPenaltyTrainsLikeWganGp() {
        // a linear critic D(x) = tanh(x W) v; penalty (||dD/dx|| - 1)^2 pushes the input-gradient norm towards 1
        Ember.manualSeed(0);
        Tensor w = Ember.randn(DType.FLOAT64, 3, 4).mul(2.0).requiresGrad_();
        Tensor v = Ember.randn(DType.FLOAT64, 4, 1).requiresGrad_();
        Tensor x = Ember.randn(DType.FLOAT64, 16, 3).requiresGrad_();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 60; step++) {
            Tensor d = x.matmul(w).tanh().matmul(v);
            Tensor gradX = Autograd.grad(List.of(d.sum()), List.of(x), null, GradOptions.createGraph())[0];
            Tensor penalty = gradX.norm(2, 1, false).sub(1.0).pow(2).mean();
            penalty.backward(null, GradOptions.DEFAULT, w, v);
            try (var g = Ember.noGrad()) {
                w.sub_(w.grad().mul(0.05));
                v.sub_(v.grad().mul(0.05));
            }
            w.grad().zero_();
            v.grad().zero_();
            if (step == 0) {
                first = penalty.item();
            }
            last = penalty.item();
        }
        assertNull(x.grad());
        assertTrue(last < first / 10, "penalty " + first + " -> " + last);
    }

    @Test
    void theGraphStoredInGradIsReclaimedByTheGarbageCollector() throws Exception {
        // backward(createGraph) stores a graph in .grad: parameter -> grad -> grad_fn -> ... -> parameter.
        // The JVM's tracing collector reclaims such cycles once nothing outside refers to them.
        WeakReference<Node> fn = makeCycle();
        for (int i = 0; i < 50 && fn.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(fn.get(), "the grad's graph was not reclaimed");
    }

    private static WeakReference<Node> makeCycle() {
        Tensor w = Ember.randn(100, 100).requiresGrad_();
        w.mul(w).sum().backward(GradOptions.createGraph());
        Node gradFn = w.grad().gradFn();
        assertTrue(gradFn != null);
        return new WeakReference<>(gradFn);
    }

    @Test
    void retainGraphDefaultsToCreateGraph() {
        Tensor x = Ember.scalar(2.0).requiresGrad_();
        Tensor y = x.pow(3);
        Autograd.grad(y, x, GradOptions.createGraph());
        assertValues(Autograd.grad(y, x)[0], 12);
    }
}
