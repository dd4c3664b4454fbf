package dev.ember.ops;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused linear op beside the composition it replaces, x.matmul(w.t()).add(b): the same values and gradients,
 * one node, a weight gradient in the weight's own layout, and clear errors for bad input that leave no graph.
 */
class LinearOpTest {

    @Test
    void equalsTheComposedOpsInValueAndGradient() {
        Ember.manualSeed(11);
        for (int[] s : new int[][] {{5, 7, 3}, {64, 40, 30}}) {   // the Java loop, then the BLAS
            Tensor x = Ember.randn(DType.FLOAT64, s[0], s[1]).requiresGrad_(true);
            Tensor w = Ember.randn(DType.FLOAT64, s[2], s[1]).requiresGrad_(true);
            Tensor b = Ember.randn(DType.FLOAT64, s[2]).requiresGrad_(true);
            Tensor v = Ember.randn(DType.FLOAT64, s[0], s[2]);
            Tensor fused = LinearAlgebra.linear(x, w, b);
            assertEquals("AddmmBackward", fused.gradFn().name());
            assertEquals(3, fused.gradFn().numInputs());
            fused.mul(v).sum().backward();
            Tensor[] fusedGrads = {x.grad(), w.grad(), b.grad()};
            x.grad().zero_();
            w.grad().zero_();
            b.grad().zero_();
            Tensor composed = x.matmul(w.t()).add(b);
            composed.mul(v).sum().backward();
            assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12);
            assertArrayEquals(x.grad().toDoubleArray(), fusedGrads[0].toDoubleArray(), 1e-12);
            assertArrayEquals(w.grad().toDoubleArray(), fusedGrads[1].toDoubleArray(), 1e-12);
            assertArrayEquals(b.grad().toDoubleArray(), fusedGrads[2].toDoubleArray(), 1e-12);
            assertTrue(fusedGrads[1].isContiguous());
        }
    }

    @Test
    void withoutABiasTheNodeIsMmBackwardAndOtherRanksAreReshapedAroundIt() {
        Tensor w = Ember.ones(2, 3).requiresGrad_(true);
        assertEquals("MmBackward", LinearAlgebra.linear(Ember.ones(4, 3), w, null).gradFn().name());
        assertArrayEquals(new int[] {5, 4, 2}, LinearAlgebra.linear(Ember.ones(5, 4, 3), w, null).shape());
        Tensor y = LinearAlgebra.linear(Ember.ones(3), w, Ember.ones(2));
        assertArrayEquals(new int[] {2}, y.shape());
        assertArrayEquals(new double[] {4, 4}, y.toDoubleArray(), 0);
    }

    @Test
    void badInputIsNamedAndRecordsNothing() {
        Tensor x = Ember.ones(4, 3).requiresGrad_(true);
        Tensor w = Ember.ones(2, 3).requiresGrad_(true);
        assertThrowsWith(ShapeException.class, () -> LinearAlgebra.linear(x, Ember.ones(3), null),
                "linear", "weight must be a matrix", "[3]");
        assertThrowsWith(ShapeException.class, () -> LinearAlgebra.linear(Ember.ones(4, 5), w, null),
                "linear", "[4, 5]", "[2, 3]", "last dimension must be 3");
        assertThrowsWith(ShapeException.class, () -> LinearAlgebra.linear(x, w, Ember.ones(3)),
                "linear", "bias has shape [3]", "[2]");
        assertThrowsWith(DTypeException.class, () -> LinearAlgebra.linear(x, Ember.ones(DType.FLOAT64, 2, 3), null),
                "linear", "float32", "float64", ".to(");
        assertThrowsWith(DTypeException.class, () -> LinearAlgebra.linear(Ember.arange(3).reshape(1, 3),
                Ember.ones(DType.INT64, 2, 3), null), "linear", "int64");
        assertNull(x.grad());
        assertNull(w.grad());
    }
}
