package dev.ember.autograd;

import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PyTorch 1.13's accumulation rules (accumulate_grad.h): when a first gradient is taken over as {@code .grad}
 * without a copy, when it is copied and in which layout, and that the engine never hands a leaf a gradient whose
 * storage someone else can still see or write.
 */
class AccumulateGradTest {

    @Test
    void anExclusiveFirstGradientBecomesTheGradWithoutACopy() {
        Tensor w = Ember.zeros(2, 3).requiresGrad_();
        Tensor incoming = Ember.randn(2, 3);
        try (var mode = GradMode.scope(false)) {   // as the engine runs a first-order backward
            AccumulateGrad.accumulate(w, incoming, true);
        }
        assertSame(incoming.impl().storage(), w.grad().impl().storage());
        assertTrue(w.grad().isLeaf() && !w.grad().requiresGrad());
    }

    @Test
    void aFirstGradientIsCopiedWhenNotExclusiveRecordedOrOfAnotherLayout() {
        Tensor w = Ember.zeros(2, 3).requiresGrad_();
        Tensor incoming = Ember.randn(2, 3);
        try (var mode = GradMode.scope(false)) {
            AccumulateGrad.accumulate(w, incoming, false);
        }
        assertNotSame(incoming.impl().storage(), w.grad().impl().storage());
        assertArrayEquals(incoming.toDoubleArray(), w.grad().toDoubleArray());

        Tensor v = Ember.zeros(2, 3).requiresGrad_();
        try (var mode = GradMode.scope(true)) {   // createGraph: the gradient keeps its own copy (and history)
            AccumulateGrad.accumulate(v, incoming, true);
        }
        assertNotSame(incoming.impl().storage(), v.grad().impl().storage());

        Tensor u = Ember.zeros(2, 3).requiresGrad_();
        Tensor transposed = Ember.randn(3, 2).t();   // not laid out as u: copied into u's (row-major) layout
        try (var mode = GradMode.scope(false)) {
            AccumulateGrad.accumulate(u, transposed, true);
        }
        assertNotSame(transposed.impl().storage(), u.grad().impl().storage());
        assertTrue(u.grad().isContiguous());
        assertArrayEquals(transposed.toDoubleArray(), u.grad().toDoubleArray());
    }

    @Test
    void theGradientOfATransposedLeafIsLaidOutAsTheLeaf() {
        // PyTorch: w = torch.randn(4, 3).t().detach().requires_grad_(); (w * 2).sum().backward(); w.grad.stride()
        // gives (1, 3)
        Tensor w = Ember.randn(4, 3).t().detach().requiresGrad_();
        w.mul(2.0).sum().backward();
        assertArrayEquals(new int[] {1, 3}, w.grad().impl().strides());
        assertValues(w.grad(), 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
        Tensor x = Ember.randn(3, 4);
        Tensor v = Ember.randn(4, 3).t().detach().requiresGrad_();
        v.mul(x).sum().backward();   // a row-major incoming gradient, copied into v's layout
        assertArrayEquals(new int[] {1, 3}, v.grad().impl().strides());
        assertArrayEquals(x.toDoubleArray(), v.grad().toDoubleArray());
    }

    @Test
    void transposedGradientsAreAccumulatedInPlace() {
        // 70 x 45: the tiled loop's 64 x 64 tiles and its groups of eight rows do not divide the matrix
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor w = Ember.randn(70, 45).to(dtype).requiresGrad_();
            Tensor x = Ember.randn(45, 70).to(dtype);
            w.t().mul(x).sum().backward();   // w's gradient arrives as x transposed
            Tensor grad = w.grad();
            assertTrue(grad.isContiguous());
            assertArrayEquals(x.t().toDoubleArray(), grad.toDoubleArray());
            w.t().mul(x).sum().backward();
            assertSame(grad, w.grad(), "the second gradient is added into the first in place");
            assertArrayEquals(x.t().mul(2.0).toDoubleArray(), w.grad().toDoubleArray());
        }
    }

    @Test
    void aRootGradientGivenByTheCallerIsNotTakenOver() {
        Tensor w = Ember.zeros(3).requiresGrad_();
        Tensor g = Ember.tensor(1.0, 2.0, 3.0);
        w.backward(g);
        g.add_(10.0);
        assertValues(w.grad(), 1, 2, 3);
    }

    @Test
    void oneGradientSentToTwoLeavesIsNotShared() {
        Tensor a = Ember.ones(3).requiresGrad_();
        Tensor b = Ember.ones(3).requiresGrad_();
        a.add(b).mul(2.0).sum().backward();   // AddBackward hands the same tensor to both leaves
        assertNotSame(a.grad().impl().storage(), b.grad().impl().storage());
        a.grad().add_(1.0);
        assertValues(b.grad(), 2, 2, 2);
    }

    @Test
    void aHooksResultIsNotTakenOver() {
        Tensor held = Ember.tensor(5.0, 6.0);
        Tensor w = Ember.zeros(2).requiresGrad_();
        w.registerHook(g -> held);
        w.mul(2.0).sum().backward();
        held.add_(1.0);
        assertValues(w.grad(), 5, 6);

        Tensor v = Ember.zeros(2).requiresGrad_();
        Tensor y = v.clone();
        y.registerHook(g -> held);   // replaced on a non-leaf, then passed on unchanged by CloneBackward
        y.sum().backward();
        held.add_(1.0);
        assertValues(v.grad(), 6, 7);
    }

    @Test
    void whatACustomBackwardReturnsIsNotTakenOver() {
        Tensor held = Ember.tensor(7.0, 8.0);
        Function passThrough = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
                return new Tensor[] {inputs[0].clone()};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
                return new Tensor[] {held};
            }
        };
        Tensor w = Ember.zeros(2).requiresGrad_();
        passThrough.apply(w).sum().backward();
        held.add_(1.0);
        assertValues(w.grad(), 7, 8);
    }

    @Test
    void aRetainedGradientAndTheLeafsGradientAreSeparate() {
        Tensor w = Ember.ones(2).requiresGrad_();
        Tensor y = w.mul(2.0);
        y.retainGrad();
        y.mul(3.0).sum().backward();
        assertNotSame(y.grad().impl().storage(), w.grad().impl().storage());
        y.grad().add_(1.0);
        assertValues(w.grad(), 6, 6);
        assertValues(y.grad(), 4, 4);
    }

    @Test
    void aGradientAHookKeptIsNotTakenOver() {
        Tensor[] kept = new Tensor[2];
        Tensor w = Ember.zeros(2).requiresGrad_();
        w.registerHook(g -> {
            kept[0] = g;   // keeps the gradient it sees and lets it pass unchanged
            return null;
        });
        w.mul(2.0).sum().backward();
        w.mul(2.0).sum().backward();   // adds into w.grad in place
        assertValues(kept[0], 2, 2);
        assertValues(w.grad(), 4, 4);

        Tensor v = Ember.zeros(2).requiresGrad_();
        Tensor y = v.clone();
        y.registerHook(g -> {
            kept[1] = g;   // on a non-leaf, then passed on unchanged by CloneBackward
            return g;
        });
        y.mul(3.0).sum().backward();
        v.grad().add_(1.0);
        assertValues(kept[1], 3, 3);
    }
}
