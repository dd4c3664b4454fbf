package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

class TensorStateTest {

    @Test
    void leavesAndNonLeaves() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0).requiresGrad_();
        assertTrue(x.isLeaf());
        assertNull(x.gradFn());
        Tensor y = x.mul(2.0);
        Tensor z = y.pow(2);
        assertFalse(y.isLeaf());
        assertEquals("MulBackward", y.gradFn().name());
        assertEquals("PowBackward", z.gradFn().name());
        assertEquals("tensor([1., 2., 3.], requires_grad=true)", x.toString());
        assertEquals("tensor([2., 4., 6.], grad_fn=<MulBackward>)", y.toString());
    }

    @Test
    void requiresGradPropagatesFromAnyInput() {
        Tensor a = Ember.randn(3).requiresGrad_();
        Tensor b = Ember.randn(3);
        assertTrue(a.add(b).requiresGrad());
        assertFalse(b.add(b).requiresGrad());
        Tensor data = Ember.tensor(1.0);
        assertTrue(data.isLeaf());
        assertFalse(data.requiresGrad());
    }

    @Test
    void requiresGradCanOnlyBeTurnedOffOnLeaves() {
        Tensor y = Ember.tensor(1.0).requiresGrad_().mul(2.0);
        assertThrowsWith(AutogradException.class, () -> y.requiresGrad_(false), "leaf", "MulBackward", "detach()");
        y.requiresGrad_(true);
        assertTrue(y.requiresGrad());
    }

    @Test
    void onlyFloatingPointTensorsCanRequireGrad() {
        assertThrowsWith(DTypeException.class, () -> Ember.arange(3).requiresGrad_(), "floating-point", "int64");
    }

    @Test
    void retainGradOnATensorWithoutGradIsRefused() {
        assertThrowsWith(AutogradException.class, () -> Ember.tensor(1.0).retainGrad(), "does not require grad");
        Tensor leaf = Ember.tensor(1.0).requiresGrad_();
        leaf.retainGrad();
        assertFalse(leaf.retainsGrad());
    }

    @Test
    void setGradChecksShapeAndDtype() {
        Tensor x = Ember.zeros(2).requiresGrad_();
        assertThrowsWith(ShapeException.class, () -> x.setGrad(Ember.zeros(3)), "[3]", "[2]");
        assertThrowsWith(DTypeException.class, () -> x.setGrad(Ember.zeros(DType.FLOAT64, 2)), "float64");
        x.setGrad(Ember.ones(2));
        x.setGrad(null);
        assertNull(x.grad());
    }

    @Test
    void itemNeedsOneElement() {
        assertThrowsWith(ShapeException.class, () -> Ember.zeros(2).item(), "item()", "2 elements", "[2]");
        assertEquals(3.0, Ember.scalar(3.0).item());
    }

    @Test
    void controlFlowBuildsTheGraphAsItRuns() {
        Tensor x = Ember.tensor(1.5).requiresGrad_();
        Tensor y = x;
        int steps = 0;
        while (y.item() < 10) {
            y = y.item() > 2 ? y.mul(y) : y.mul(2.0);
            steps++;
        }
        y.backward();
        // y = (2x)^2 squared again: x -> 3 -> 9 -> 81; y = (2x)^4 = 16 x^4, dy/dx = 64 x^3
        assertEquals(3, steps);
        assertEquals(64 * Math.pow(1.5, 3), x.grad().item(), 1e-3);
    }
}
