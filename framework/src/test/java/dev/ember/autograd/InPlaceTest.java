package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

class InPlaceTest {

    @Test
    void inPlaceOpsBumpTheSharedVersion() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0);
        Tensor v = x.narrow(0, 1, 2);
        assertEquals(0, x.version());
        x.add_(1.0);
        assertEquals(1, x.version());
        assertEquals(1, v.version());
        v.mul_(2.0);
        assertEquals(2, x.version());
        assertValues(x, 2, 6, 8);
    }

    @Test
    void staleSavedTensorNamesTheNodeTheVersionsAndTheModifyingOp() {
        Tensor w = Ember.tensor(1.0, 2.0, 3.0).requiresGrad_();
        Tensor x = Ember.tensor(4.0, 5.0, 6.0);
        Tensor y = w.mul(x);
        x.add_(1.0);
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(),
                "modified by an inplace operation", "float32 tensor of shape [3]", "MulBackward", "is at version 1",
                "expected version 0", "add_()");
        assertNull(w.grad());
    }

    @Test
    void savedOutputModifiedInPlaceIsDetected() {
        Tensor a = Ember.tensor(0.5).requiresGrad_();
        Tensor e = a.exp();
        e.mul_(2.0);
        assertThrowsWith(AutogradException.class, () -> e.sum().backward(), "ExpBackward", "mul_()");
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        assertThrowsWith(AutogradException.class, () -> w.add_(1.0), "add_()", "leaf tensor that requires grad",
                "noGrad()");
        assertValues(w, 1, 2);
        assertEquals(0, w.version());
    }

    @Test
    void manualGradientDescentConvergesToTwoPointFive() {
        Tensor w = Ember.tensor(10.0).requiresGrad_();
        Tensor x = Ember.tensor(2.0);
        double lr = 0.1;
        for (int i = 0; i < 20; i++) {
            Tensor y = w.mul(x);
            Tensor loss = y.sub(5.0).pow(2);
            loss.backward();
            try (var g = Ember.noGrad()) {
                w.sub_(w.grad().mul(lr));
            }
            w.grad().zero_();
        }
        assertEquals(2.5, w.item(), 1e-5);
        assertTrue(w.isLeaf() && w.requiresGrad());
    }

    @Test
    void inPlaceOnANonLeafIsRecordedAndRebasesItsHistory() {
        Tensor b = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor c = b.mul(2.0);
        Node before = c.gradFn();
        c.add_(1.0);
        assertEquals("AddBackward", c.gradFn().name());
        assertSame(before, c.gradFn().nextFunctions().get(0).node());
        c.mul_(b);
        c.sum().backward();
        // c = (2b + 1) b, dc/db = 4b + 1
        assertValues(b.grad(), 5, 9);
    }

    @Test
    void multiplyingATensorInPlaceByItselfStalesTheSavedOperandAsInPyTorch() {
        Tensor b = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor c = b.mul(2.0);
        c.mul_(c);
        assertThrowsWith(AutogradException.class, () -> c.sum().backward(), "MulBackward", "mul_()");
    }

    @Test
    void inPlaceWithAnOperandThatRequiresGradMakesTheTargetANonLeaf() {
        Tensor x = Ember.zeros(2);
        Tensor w = Ember.ones(2).requiresGrad_();
        x.add_(w);
        assertTrue(x.requiresGrad());
        assertFalse(x.isLeaf());
        x.mul(3.0).sum().backward();
        assertValues(w.grad(), 3, 3);
    }

    @Test
    void retainedGradFollowsAnInPlaceRebase() {
        Tensor b = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor c = b.mul(2.0);
        c.retainGrad();
        c.add_(1.0);
        c.mul(3.0).sum().backward();
        assertValues(c.grad(), 3, 3);
    }

    @Test
    void aFailedInPlaceOpChangesNothing() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0);
        assertThrowsWith(ShapeException.class, () -> x.add_(Ember.ones(2, 3)), "add_()", "[3]", "[2, 3]");
        assertValues(x, 1, 2, 3);
        assertEquals(0, x.version());
        Tensor i = Ember.arange(3);
        assertThrowsWith(DTypeException.class, () -> i.mul_(0.5), "mul_", "float32", "int64");
        assertValues(i, 0, 1, 2);
        assertEquals(0, i.version());
    }

    @Test
    void integerInPlaceOpsKeepTheirType() {
        Tensor i = Ember.fromArray(new long[] {0, 1}, 2);
        i.add_(1).mul_(3).sub_(2);
        assertEquals(DType.INT64, i.dtype());
        assertValues(i, 1, 4);
    }

    @Test
    void writingThroughAnExpandedViewIsRefused() {
        Tensor e = Ember.tensor(1.0).expand(3);
        assertThrowsWith(ShapeException.class, () -> e.add_(1.0), "single memory location", "clone()");
    }

    @Test
    void zeroFillAndCopy() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0);
        x.fill_(7.0);
        assertValues(x, 7, 7, 7);
        x.copy_(Ember.tensor(DType.FLOAT64, 1.5, 2.5, 3.5));
        assertValues(x, 1.5, 2.5, 3.5);
        assertEquals(DType.FLOAT32, x.dtype());
        x.zero_();
        assertValues(x, 0, 0, 0);
        assertEquals(3, x.version());
    }

    @Test
    void copyIntoANonLeafPassesTheGradientToTheSource() {
        Tensor src = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor dst = Ember.zeros(2);
        dst.copy_(src);
        dst.mul(4.0).sum().backward();
        assertValues(src.grad(), 4, 4);
    }
}
