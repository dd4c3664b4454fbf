package dev.ember.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Autograd;
import org.junit.jupiter.api.Test;

/**
 * matmul's backward writes each gradient in its input's layout, as PyTorch's does: a transposed operand (such as
 * {@code w.t()} in {@code x.matmul(w.t())}) gets a transposed gradient, so that the leaf behind the transpose
 * receives a contiguous one; the values do not depend on the layout.
 */
class MatmulGradientLayoutTest {

    @Test
    void aTransposedWeightGetsAContiguousGradient() {
        Ember.manualSeed(5);
        Tensor x = Ember.randn(DType.FLOAT64, 6, 4);
        Tensor w = Ember.randn(DType.FLOAT64, 3, 4).requiresGrad_(true);   // [out, in], used as w.t()
        Tensor v = Ember.randn(DType.FLOAT64, 6, 3);
        Tensor g = Autograd.grad(x.matmul(w.t()).mul(v).sum(), w)[0];   // what reaches w's accumulator
        assertTrue(g.isContiguous(), "the weight's gradient is contiguous");
        assertArrayEquals(v.t().matmul(x).toDoubleArray(), g.toDoubleArray(), 1e-12);
    }

    @Test
    void aTransposedFirstOperandGetsAContiguousGradient() {
        Ember.manualSeed(6);
        Tensor a = Ember.randn(DType.FLOAT64, 4, 6).requiresGrad_(true);   // used as a.t(): [6, 4]
        Tensor b = Ember.randn(DType.FLOAT64, 4, 5).requiresGrad_(true);
        Tensor v = Ember.randn(DType.FLOAT64, 6, 5);
        Tensor[] g = Autograd.grad(a.t().matmul(b).mul(v).sum(), a, b);
        assertTrue(g[0].isContiguous(), "a's gradient is contiguous");
        assertTrue(g[1].isContiguous(), "b's gradient is contiguous");
        assertArrayEquals(b.matmul(v.t()).toDoubleArray(), g[0].toDoubleArray(), 1e-12);   // (v bᵀ)ᵀ = b vᵀ
        assertArrayEquals(a.matmul(v).toDoubleArray(), g[1].toDoubleArray(), 1e-12);        // (aᵀ)ᵀ v
    }
}
