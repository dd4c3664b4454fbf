package dev.ember;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every documented misuse of an op raises an exception of Ember's family that says what, where and how to fix. */
class OpErrorsTest {

    @Test
    void broadcastingMismatchNamesTheOpAndBothShapes() {
        Tensor a = Ember.ones(2, 3).requiresGrad_();
        assertThrowsWith(ShapeException.class, () -> a.add(Ember.ones(4)), "add", "[2, 3]", "[4]", "broadcast");
        assertThrowsWith(ShapeException.class, () -> a.mul(Ember.ones(3, 3)), "mul", "[2, 3]", "[3, 3]");
        assertNull(a.grad());
    }

    @Test
    void matmulMismatchNamesBothShapesAndTheInnerSizes() {
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).matmul(Ember.ones(2, 3)),
                "matmul", "[2, 3]", "2x3 and 2x3");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(3).matmul(Ember.ones(4)), "matmul", "[3]", "[4]");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 2, 3).matmul(Ember.ones(3, 3, 4)),
                "batch dimensions", "[2]", "[3]");
        assertThrowsWith(ShapeException.class, () -> Ember.scalar(2).matmul(Ember.ones(3)), "at least 1 dimension");
    }

    @Test
    void dtypeMismatchesAreNamed() {
        assertThrowsWith(DTypeException.class, () -> Ember.ones(2, 2).matmul(Ember.ones(DType.FLOAT64, 2, 2)),
                "matmul", "float32", "float64", ".to(");
        assertThrowsWith(DTypeException.class, () -> Ember.arange(3).mean(), "mean", "int64", "floating-point");
        assertThrowsWith(DTypeException.class, () -> Ember.ones(3).gather(0, Ember.zeros(3)), "gather", "int64");
    }

    @Test
    void badDimensionsAndShapes() {
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).sum(2, false), "sum", "dimension 2",
                "[-2, 1]");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).reshape(4, 2), "reshape", "[4, 2]",
                "6 elements");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).t().view(6), "view", "reshape(");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).expand(4, 3), "expand", "size 2");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(2, 3).select(0, 2), "select", "index 2",
                "size 2");
        assertThrowsWith(ShapeException.class, () -> Ember.cat(List.of(Ember.ones(2, 3), Ember.ones(2, 4)), 0),
                "cat", "[2, 4]", "[2, 3]");
        assertThrowsWith(ShapeException.class, () -> Ember.stack(List.of(Ember.ones(2), Ember.ones(3)), 0),
                "stack", "[2]", "[3]");
        assertThrowsWith(ShapeException.class, () -> Ember.ones(3).permute(0, 0), "permute");
        assertThrowsWith(ShapeException.class, () -> Ember.zeros(3).gather(0, Ember.fromArray(new long[] {5}, 1)),
                "gather", "index 5", "out of bounds");
        assertThrowsWith(ShapeException.class, () -> Ember.fromArray(new float[] {1, 2, 3}, 2, 2), "fromArray",
                "needs 4", "has 3");
        assertThrowsWith(ShapeException.class, () -> Ember.zeros(2, -1), "negative dimension");
    }

    @Test
    void randomArgumentErrorsAreEmbers() {
        assertThrowsWith(EmberException.class, () -> Ember.zeros(3).normal_(0, -1), "normal_");
        assertThrowsWith(EmberException.class, () -> Ember.randint(5, 5, 3), "randint", "low < high");
        assertThrowsWith(DTypeException.class, () -> Ember.randn(DType.INT64, 3), "randn", "int64");
    }

    @Test
    void aFailedOpRecordsNothing() {
        Tensor w = Ember.ones(2, 3).requiresGrad_();
        Tensor ok = w.mul(2.0);
        assertThrowsWith(ShapeException.class, () -> ok.matmul(Ember.ones(2, 3)), "matmul");
        ok.sum().backward();
        Assertions2.assertValues(w.grad(), 2, 2, 2, 2, 2, 2);
    }

    @Test
    void emptyTensorsStackAndConcatenate() {
        Tensor s = Ember.stack(List.of(Ember.zeros(DType.FLOAT64, 0), Ember.zeros(DType.FLOAT64, 0)), 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0}, s.shape());
        Tensor c = Ember.cat(List.of(Ember.zeros(2, 0), Ember.zeros(3, 0)), 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {5, 0}, c.shape());
    }
}
