package dev.ember.nn;

import static dev.ember.nn.ContainersAndReprTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.GradCheck;
import dev.ember.nn.functional.EmbeddingOptions;
import dev.ember.nn.functional.Embeddings;
import dev.ember.nn.functional.Layers;
import dev.ember.nn.functional.Normalization;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Embedding, LayerNorm and BatchNorm: behaviour that the PyTorch fixtures do not show, and every error. */
class EmbeddingAndNormTest {
    @Test
    void embeddingLooksUpRowsAndKeepsThePaddingRowOutOfTraining() {
        Embedding e = new Embedding(5, 2, 1);
        assertArrayEquals(new float[] {0f, 0f}, e.weight().get(1).toFloatArray());
        Tensor idx = Ember.fromArray(new long[] {1, 3, 1, 0}, 2, 2);
        Tensor out = e.forward(idx);
        assertArrayEquals(new int[] {2, 2, 2}, out.shape());
        assertArrayEquals(e.weight().get(3).toFloatArray(), out.get(0).get(1).toFloatArray());
        out.sum().backward();
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 1, 1, 0, 0}, e.weight().grad().toFloatArray());
        // a changed padding row is returned as it is, and still gets no gradient
        try (var g = Ember.noGrad()) {
            e.weight().get(1).fill_(7.0);
        }
        assertArrayEquals(new float[] {7f, 7f}, e.forward(Ember.fromArray(new long[] {1}, 1)).toFloatArray());
        assertArrayEquals(new int[] {2}, e.forward(Ember.scalar(DType.INT64, 4)).shape());
    }

    @Test
    void embeddingFromPretrained() {
        Tensor table = Ember.randn(4, 3);
        Embedding frozen = Embedding.fromPretrained(table, true);
        assertFalse(frozen.weight().requiresGrad());
        assertTrue(frozen.parameters().size() == 1);
        assertArrayEquals(table.get(2).toFloatArray(), frozen.forward(Ember.scalar(DType.INT64, 2)).toFloatArray());
        Embedding trainable = Embedding.fromPretrained(table, false, 0);
        assertTrue(trainable.weight().requiresGrad() && trainable.weight().isLeaf());
        assertEquals("Embedding(4, 3, padding_idx=0)", trainable.toString());
    }

    @Test
    void embeddingErrors() {
        Embedding e = new Embedding(10, 3);
        DTypeException d = assertThrows(DTypeException.class, () -> e.forward(Ember.tensor(1.0, 2.0)));
        assertMessage(d, "Embedding(10, 3)", "int64", "float32", ".to(DType.INT64)");
        ShapeException s = assertThrows(ShapeException.class, () -> e.forward(Ember.fromArray(new long[] {2, 10}, 2)));
        assertMessage(s, "Embedding(10, 3)", "index 10", "position 1", "[0, 10)");
        assertThrows(ShapeException.class, () -> e.forward(Ember.fromArray(new long[] {-1}, 1)));
        s = assertThrows(ShapeException.class, () -> new Embedding(10, 3, 10));
        assertMessage(s, "paddingIdx 10", "within the 10 embeddings");
        assertThrows(ShapeException.class, () -> new Embedding(10, 3, -11));
        assertThrows(ShapeException.class, () -> new Embedding(0, 3));
        assertThrows(ShapeException.class, () -> Embedding.fromPretrained(Ember.zeros(3), false));
        assertThrows(ShapeException.class, () -> Layers.embedding(Ember.fromArray(new long[] {0}, 1), Ember.zeros(2, 2), 5));
    }

    @Test
    void embeddingOptionsPrintAsPyTorch() {
        assertEquals("Embedding(10, 3, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)",
                new Embedding(10, 3, EmbeddingOptions.DEFAULT.paddingIdx(0).maxNorm(1.0).normType(1.0)
                        .scaleGradByFreq(true).sparse(false)).toString());
        assertEquals("Embedding(10, 3, max_norm=2.0, norm_type=inf)", new Embedding(10, 3,
                EmbeddingOptions.DEFAULT.maxNorm(2.0).normType(Double.POSITIVE_INFINITY)).toString());
        Embedding e = new Embedding(4, 2, EmbeddingOptions.DEFAULT.paddingIdx(-1));
        assertEquals(3, e.paddingIdx());
        assertEquals(3, e.options().paddingIdx());
    }

    @Test
    void maxNormRenormalisesTheLookedUpRowsInPlace() {
        Tensor table = Ember.fromArray(new double[] {3, 4, 0.3, 0.4, 6, 8}, 3, 2);
        Embedding e = Embedding.fromPretrained(table, false, EmbeddingOptions.DEFAULT.maxNorm(1.0));
        Tensor out = e.forward(Ember.fromArray(new long[] {0, 1, 0}, 3));
        // row 0 (norm 5) becomes [3, 4] / (5 + 1e-7); row 1 (norm 0.5) stays; row 2 was not looked up
        double s = 1.0 / (5 + 1e-7);
        assertArrayEquals(new double[] {3 * s, 4 * s, 0.3, 0.4, 6, 8}, e.weight().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {3 * s, 4 * s, 0.3, 0.4, 3 * s, 4 * s}, out.toDoubleArray(), 1e-15);
        out.sum().backward();
        assertArrayEquals(new double[] {2, 2, 1, 1, 0, 0}, e.weight().grad().toDoubleArray());
        // the lookup saves no weight, so a later renormalisation leaves earlier outputs differentiable
        Tensor first = e.forward(Ember.fromArray(new long[] {1}, 1));
        e.forward(Ember.fromArray(new long[] {2}, 1));
        first.sum().backward();
        assertArrayEquals(new double[] {2, 2, 2, 2, 0, 0}, e.weight().grad().toDoubleArray());
        // the ∞-norm, and the functional form on a plain tensor
        Tensor w = Ember.fromArray(new double[] {-2, 1, 0.5, 0.25}, 2, 2);
        Embeddings.embeddingRenorm_(w, Ember.fromArray(new long[] {1, 0}, 2), 1.0, Double.POSITIVE_INFINITY);
        assertArrayEquals(new double[] {-2 / (2 + 1e-7), 1 / (2 + 1e-7), 0.5, 0.25}, w.toDoubleArray(), 1e-15);
    }

    @Test
    void scaleGradByFreqDividesEachRowsGradientByItsCount() {
        Tensor w = Ember.ones(DType.FLOAT64, 4, 2).requiresGrad_();
        Tensor idx = Ember.fromArray(new long[] {1, 1, 3, 1, 0, 0}, 2, 3);
        Tensor out = Embeddings.embedding(idx, w, EmbeddingOptions.DEFAULT.scaleGradByFreq(true).paddingIdx(0));
        out.retainGrad();
        out.mul(Ember.arange(12).to(DType.FLOAT64).view(2, 3, 2)).sum().backward();
        // row 1 at positions 0, 1, 3: (0 + 2 + 6) / 3 and (1 + 3 + 7) / 3; row 3 at position 2: 4, 5; row 0 padding
        assertArrayEquals(new double[] {0, 0, 8.0 / 3, 11.0 / 3, 0, 0, 4, 5}, w.grad().toDoubleArray(), 1e-15);
        // the output's own gradient is the plain one
        assertArrayEquals(Ember.arange(12).to(DType.FLOAT64).toDoubleArray(), out.grad().toDoubleArray());
    }

    @Test
    void embeddingOptionErrorsChangeNothing() {
        assertMessage(assertThrows(EmberException.class, () -> EmbeddingOptions.DEFAULT.sparse(true)),
                "sparse gradients (PyTorch's sparse=True) are not supported", "dense");
        assertMessage(assertThrows(EmberException.class, () -> EmbeddingOptions.DEFAULT.maxNorm(-1.0)),
                "maxNorm must be positive", "-1.0");
        assertMessage(assertThrows(EmberException.class, () -> EmbeddingOptions.DEFAULT.normType(0)),
                "normType must be a p > 0");
        assertThrows(EmberException.class, () -> EmbeddingOptions.DEFAULT.maxNorm(Double.NaN));
        assertMessage(assertThrows(ShapeException.class, () -> new Embedding(3, 2, (EmbeddingOptions) null)),
                "options are null");
        Tensor table = Ember.fromArray(new double[] {3, 4, 6, 8}, 2, 2);
        Embedding e = Embedding.fromPretrained(table, false, EmbeddingOptions.DEFAULT.maxNorm(1.0));
        double[] before = e.weight().toDoubleArray();
        // a bad index is found before any row changes
        assertMessage(assertThrows(ShapeException.class, () -> e.forward(Ember.fromArray(new long[] {0, 2}, 2))),
                "Embedding(2, 2, max_norm=1.0)", "index 2", "out of range for 2 embeddings");
        assertMessage(assertThrows(DTypeException.class, () -> e.forward(Ember.tensor(0.0))), "int64");
        assertMessage(assertThrows(ShapeException.class, () -> Embeddings.embedding(Ember.fromArray(new long[] {0}, 1),
                e.weight(), EmbeddingOptions.DEFAULT.maxNorm(1.0).paddingIdx(5))), "paddingIdx 5 must be within");
        assertArrayEquals(before, e.weight().toDoubleArray());
        assertMessage(assertThrows(ShapeException.class, () -> Embeddings.embeddingRenorm_(Ember.zeros(3),
                Ember.fromArray(new long[] {0}, 1), 1.0, 2.0)), "must be a matrix");
        assertMessage(assertThrows(ShapeException.class, () -> Embeddings.embeddingRenorm_(null,
                Ember.fromArray(new long[] {0}, 1), 1.0, 2.0)), "embeddingRenorm_: the weight and the indices");
    }

    @Test
    void layerNormNormalisesEachSample() {
        LayerNorm ln = new LayerNorm(6);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
        Tensor y = ln.forward(Ember.randn(4, 6).mul(3.0).add(2.0));
        assertArrayEquals(new float[4], y.mean(1, false).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 1, 1, 1}, y.var(1, false, false).toFloatArray(), 1e-3f);
        assertTrue(new LayerNorm(new int[] {2, 3}, 1e-5, false).parameters().isEmpty());
        ShapeException e = assertThrows(ShapeException.class, () -> new LayerNorm(4).forward(Ember.zeros(2, 3)));
        assertMessage(e, "LayerNorm((4,), eps=1e-05, elementwise_affine=True)", "normalizedShape=[4]", "[*, 4]",
                "[2, 3]");
        assertThrows(ShapeException.class, () -> new LayerNorm(new int[] {2, 3}, 1e-5, true).forward(Ember.zeros(3)));
        assertThrows(ShapeException.class, () -> new LayerNorm());
        assertThrows(ShapeException.class, () -> new LayerNorm(0));
        e = assertThrows(ShapeException.class, () -> Normalization.layerNorm(Ember.zeros(2, 4), new int[] {4},
                Ember.ones(3), null, 1e-5));
        assertMessage(e, "weight", "[3]", "[4]");
    }

    @Test
    void batchNormTrainsOnBatchStatisticsAndEvaluatesOnRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(2);
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.namedBuffers().keySet()));
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        Tensor x = Ember.tensor(new double[][] {{1, 10}, {3, 20}, {5, 60}});
        Tensor y = bn.forward(x);
        assertArrayEquals(new float[] {0, 0}, y.mean(0, false).toFloatArray(), 1e-6f);
        // running = 0.9 * initial + 0.1 * batch statistic, with the unbiased variance
        assertArrayEquals(new float[] {0.3f, 3.0f}, bn.runningMean().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 4f, 0.9f + 0.1f * 700f}, bn.runningVar().toFloatArray(), 1e-4f);
        assertEquals(1L, bn.numBatchesTracked().toLongArray()[0]);
        bn.eval();
        Tensor z = bn.forward(Ember.tensor(new double[][] {{0.3, 3.0}}));
        assertArrayEquals(new float[] {0, 0}, z.toFloatArray(), 1e-6f);
        assertEquals(1L, bn.numBatchesTracked().toLongArray()[0], "eval does not count batches");
        bn.resetRunningStats();
        assertArrayEquals(new float[] {0, 0}, bn.runningMean().toFloatArray());
        assertEquals(0L, bn.numBatchesTracked().toLongArray()[0]);
    }

    @Test
    void batchNormWithoutTrackingAlwaysUsesBatchStatistics() {
        BatchNorm2d bn = new BatchNorm2d(3, BatchNormOptions.DEFAULT.withTrackRunningStats(false).withAffine(false));
        assertTrue(bn.namedBuffers().isEmpty() && bn.parameters().isEmpty());
        assertNull(bn.runningMean());
        bn.eval();
        Tensor y = bn.forward(Ember.randn(4, 3, 2, 2));
        assertArrayEquals(new float[3], y.mean(new int[] {0, 2, 3}, false).toFloatArray(), 1e-5f);
    }

    @Test
    void batchNormConvertsItsStatisticsButNotItsCount() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, bn.runningVar().dtype());
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        assertEquals(DType.FLOAT64, bn.forward(Ember.randn(DType.FLOAT64, 4, 3)).dtype());
    }

    @Test
    void batchNormErrorsLeaveTheStateUnchanged() {
        BatchNorm1d bn = new BatchNorm1d(3);
        ShapeException e = assertThrows(ShapeException.class, () -> bn.forward(Ember.zeros(1, 3)));
        assertMessage(e, "BatchNorm1d(3,", "more than 1 value per channel when training", "[1, 3]", "eval()");
        assertEquals(0L, bn.numBatchesTracked().toLongArray()[0]);
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toFloatArray());
        e = assertThrows(ShapeException.class, () -> bn.forward(Ember.zeros(2, 4)));
        assertMessage(e, "BatchNorm1d(3,", "[2, 4]", "dimension 1 (the channels) must be 3");
        e = assertThrows(ShapeException.class, () -> bn.forward(Ember.zeros(2, 3, 4, 5)));
        assertMessage(e, "expected 2D or 3D input", "4D input of shape [2, 3, 4, 5]");
        e = assertThrows(ShapeException.class, () -> new BatchNorm2d(3).forward(Ember.zeros(2, 3, 4)));
        assertMessage(e, "BatchNorm2d(3,", "expected 4D input", "3D input");
        assertThrows(DTypeException.class, () -> bn.forward(Ember.zeros(DType.INT64, 2, 3)));
        bn.eval();
        assertArrayEquals(new int[] {1, 3}, bn.forward(Ember.zeros(1, 3)).shape(), "batch 1 is fine in eval");
        EmberException f = assertThrows(EmberException.class, () -> Normalization.batchNorm(Ember.zeros(2, 3), null,
                null, null, null, false, 0.1, 1e-5));
        assertMessage(f, "running mean and variance must be given in evaluation mode");
        assertThrows(EmberException.class, () -> new BatchNorm1d(3, null));
        assertThrows(ShapeException.class, () -> new BatchNorm1d(0));
    }

    @Test
    void normalisationLayersPassGradcheckAndGradgradcheck() {
        Tensor x = Ember.randn(DType.FLOAT64, 4, 3).requiresGrad_();
        Tensor w = Ember.randn(DType.FLOAT64, 3).requiresGrad_();
        Tensor b = Ember.randn(DType.FLOAT64, 3).requiresGrad_();
        Function<Tensor[], Tensor[]> ln = t -> new Tensor[] {Normalization.layerNorm(t[0], new int[] {3}, t[1], t[2],
                1e-5)};
        Function<Tensor[], Tensor[]> bnTrain = t -> new Tensor[] {Normalization.batchNorm(t[0], null, null, t[1], t[2],
                true, 0.1, 1e-5)};
        Tensor rm = Ember.randn(DType.FLOAT64, 3);
        Tensor rv = Ember.rand(DType.FLOAT64, 3).add(0.5);
        Function<Tensor[], Tensor[]> bnEval = t -> new Tensor[] {Normalization.batchNorm(t[0], rm, rv, t[1], t[2],
                false, 0.1, 1e-5)};
        for (Function<Tensor[], Tensor[]> f : List.of(ln, bnTrain, bnEval)) {
            assertTrue(GradCheck.gradcheck(f, new Tensor[] {x, w, b}));
            assertTrue(GradCheck.gradgradcheck(f, new Tensor[] {x, w, b}));
        }
        Tensor table = Ember.randn(DType.FLOAT64, 5, 2).requiresGrad_();
        Tensor idx = Ember.fromArray(new long[] {0, 2, 2, 4}, 4);
        assertTrue(GradCheck.gradcheck(t -> Layers.embedding(idx, t), table));
        // the padding row (index 1, not looked up here) changes nothing; looked-up padding rows get no gradient by
        // design, so a finite-difference check through them would (rightly) fail
        assertTrue(GradCheck.gradcheck(t -> Layers.embedding(idx, t, 1), table));
    }
}
