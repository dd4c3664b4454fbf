package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.GradCheck;
import dev.ember.autograd.GradCheckOptions;
import dev.ember.nn.functional.Losses;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The losses' API, errors and derivatives (first and second order, reverse and forward mode, by finite differences).
 * Their values and gradients against PyTorch are checked by the tests module's LossConformanceTest.
 */
class LossTest {
    private static final GradCheckOptions BOTH_MODES = GradCheckOptions.DEFAULT.checkForwardAd(true);

    private static Tensor labels(long... v) {
        return Ember.fromArray(v, v.length);
    }

    private static <T extends Throwable> String message(Class<T> type, Executable call) {
        return assertThrows(type, call).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected \"" + p + "\" in: " + message);
        }
    }

    // ---- modules ---------------------------------------------------------------------------------------------

    @Test
    void aLossNeedsATargetAndSaysSo() {
        Loss loss = new MSELoss();
        Tensor x = Ember.randn(3);
        assertContains(message(EmberException.class, () -> loss.forward(x)), "MSELoss", "forward(input, target)");
        assertContains(message(EmberException.class, () -> loss.apply(x)), "MSELoss", "forward(input, target)");
    }

    @Test
    void lossesPrintAsPyTorchAndCarryTheirWeightsAsBuffers() {
        Tensor w = Ember.tensor(1.0, 2.0, 0.5);
        CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(w).labelSmoothing(0.1).build();
        assertEquals("CrossEntropyLoss()", ce.toString());
        assertEquals(List.of("weight"), List.copyOf(ce.stateDict().keySet()));
        assertTrue(ce.parameters().isEmpty());
        assertSame(w, ce.weight());
        assertEquals(0.1, ce.labelSmoothing());
        assertEquals(-100, ce.ignoreIndex());
        assertEquals(Reduction.MEAN, ce.reduction());

        BCEWithLogitsLoss bce = BCEWithLogitsLoss.builder().posWeight(Ember.tensor(3.0, 1.0)).build();
        assertEquals(List.of("pos_weight"), List.copyOf(bce.stateDict().keySet()));
        assertTrue(new MSELoss().stateDict().isEmpty());
        assertEquals("MSELoss()", new MSELoss().toString());

        ce.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, ce.weight().dtype());
        ce.loadStateDict(Map.of("weight", Ember.tensor(DType.FLOAT64, 2.0, 2.0, 2.0)));
        assertArrayEquals(new double[] {2, 2, 2}, ce.weight().toDoubleArray());
    }

    @Test
    void gettersReportTheOptions() {
        assertEquals(0.5, new SmoothL1Loss(0.5).beta());
        assertEquals(2.0, new HuberLoss(Reduction.SUM, 2.0).delta());
        assertEquals(Reduction.SUM, new HuberLoss(Reduction.SUM, 2.0).reduction());
        assertTrue(new KLDivLoss(Reduction.BATCH_MEAN, true).logTarget());
        assertEquals(-1, NLLLoss.builder().ignoreIndex(-1).build().ignoreIndex());
        assertNull(new BCELoss().weight());
    }

    @Test
    void theModuleAndTheFunctionAgree() {
        Ember.manualSeed(3);
        Tensor logits = Ember.randn(DType.FLOAT64, 4, 3);
        Tensor y = labels(0, 2, 1, 2);
        Tensor w = Ember.tensor(DType.FLOAT64, 0.5, 1.0, 2.0);
        Tensor viaModule = CrossEntropyLoss.builder().weight(w).reduction(Reduction.SUM).build().forward(logits, y);
        Tensor viaFunction = Losses.crossEntropy(logits, y, w, Reduction.SUM);
        assertEquals(viaFunction.item(), viaModule.item(), 0.0);
    }

    @Test
    void crossEntropyIsLogSoftmaxThenNll() {
        Ember.manualSeed(4);
        Tensor logits = Ember.randn(DType.FLOAT64, 5, 4);
        Tensor y = labels(3, 0, 0, 2, 1);
        assertEquals(new NLLLoss().forward(logits.logSoftmax(1), y).item(), new CrossEntropyLoss().forward(logits, y)
                .item(), 1e-14);
        // by hand for sample 0: logsumexp(row) - row[label]
        Tensor lossNone = new CrossEntropyLoss(Reduction.NONE).forward(logits, y);
        double[] row = logits.get(0).toDoubleArray();
        double lse = Math.log(Math.exp(row[0]) + Math.exp(row[1]) + Math.exp(row[2]) + Math.exp(row[3]));
        assertEquals(lse - row[3], lossNone.toDoubleArray()[0], 1e-12);
    }

    @Test
    void huberWithDeltaOneIsSmoothL1WithBetaOne() {
        Ember.manualSeed(5);
        Tensor x = Ember.randn(DType.FLOAT64, 10).mul(2.0);
        Tensor y = Ember.randn(DType.FLOAT64, 10);
        assertTrue(new HuberLoss(Reduction.NONE, 1.0).forward(x, y).allclose(new SmoothL1Loss(Reduction.NONE, 1.0)
                .forward(x, y), 0, 1e-15));
        assertTrue(new SmoothL1Loss(Reduction.NONE, 0.0).forward(x, y).allclose(new L1Loss(Reduction.NONE)
                .forward(x, y), 0, 0));
    }

    @Test
    void float32InputsGiveFloat32LossesWhateverTheWeightsDType() {
        Tensor logits = Ember.randn(4, 3);
        Tensor w = Ember.tensor(DType.FLOAT64, 1.0, 2.0, 3.0);
        Tensor loss = CrossEntropyLoss.builder().weight(w).build().forward(logits, labels(0, 1, 2, 0));
        assertEquals(DType.FLOAT32, loss.dtype());
        Tensor p = Ember.rand(4, 3);
        Tensor bce = new BCELoss(Ember.tensor(DType.FLOAT64, 1.0, 2.0, 3.0), Reduction.MEAN).forward(p, p);
        assertEquals(DType.FLOAT32, bce.dtype());
        Tensor bcel = BCEWithLogitsLoss.builder().posWeight(Ember.tensor(DType.FLOAT64, 1.0, 2.0, 3.0)).build()
                .forward(p, p);
        assertEquals(DType.FLOAT32, bcel.dtype());
    }

    @Test
    void weightsAreConstants() {
        Tensor w = Ember.tensor(DType.FLOAT64, 1.0, 2.0).requiresGrad_();
        Tensor x = Ember.randn(DType.FLOAT64, 3, 2).requiresGrad_();
        CrossEntropyLoss.builder().weight(w).build().forward(x, labels(0, 1, 1)).backward();
        assertNull(w.grad());
        assertEquals(3, x.grad().size(0));
    }

    // ---- derivatives by finite differences ---------------------------------------------------------------------

    /** Checks first and second derivatives of loss(input, target) in both arguments, reverse and forward mode. */
    private static void gradcheckBoth(BinaryOperator<Tensor> loss, Tensor input, Tensor target) {
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {loss.apply(in[0], in[1])};
        Tensor[] inputs = {input.requiresGrad_(), target.requiresGrad_()};
        assertTrue(GradCheck.gradcheck(f, inputs, BOTH_MODES));
        assertTrue(GradCheck.gradgradcheck(f, inputs));
    }

    private static void gradcheckInput(Function<Tensor, Tensor> loss, Tensor input) {
        input.requiresGrad_();
        assertTrue(GradCheck.gradcheck(loss, input, BOTH_MODES));
        assertTrue(GradCheck.gradgradcheck(loss, input));
    }

    @Test
    void regressionLossesHaveCorrectFirstAndSecondDerivatives() {
        Ember.manualSeed(11);
        for (Reduction r : List.of(Reduction.NONE, Reduction.MEAN, Reduction.SUM)) {
            gradcheckBoth((x, t) -> Losses.mseLoss(x, t, r), Ember.randn(DType.FLOAT64, 3, 2),
                    Ember.randn(DType.FLOAT64, 3, 2));
            gradcheckBoth((x, t) -> Losses.l1Loss(x, t, r), Ember.randn(DType.FLOAT64, 3, 2),
                    Ember.randn(DType.FLOAT64, 3, 2));
            gradcheckBoth((x, t) -> Losses.smoothL1Loss(x, t, r, 0.7), Ember.randn(DType.FLOAT64, 3, 2),
                    Ember.randn(DType.FLOAT64, 3, 2));
            gradcheckBoth((x, t) -> Losses.huberLoss(x, t, r, 0.7), Ember.randn(DType.FLOAT64, 3, 2),
                    Ember.randn(DType.FLOAT64, 3, 2));
        }
    }

    @Test
    void crossEntropyHasCorrectFirstAndSecondDerivatives() {
        Ember.manualSeed(12);
        Tensor w = Ember.tensor(DType.FLOAT64, 0.5, 1.5, 1.0);
        Tensor y = labels(2, 0, -100, 1);
        for (Reduction r : List.of(Reduction.NONE, Reduction.MEAN, Reduction.SUM)) {
            gradcheckInput(x -> Losses.crossEntropy(x, y, w, -100, r, 0.2), Ember.randn(DType.FLOAT64, 4, 3));
            gradcheckInput(x -> Losses.nllLoss(x, y, w, -100, r), Ember.randn(DType.FLOAT64, 4, 3));
        }
        Tensor y3 = Ember.fromArray(new long[] {0, 2, 1, 1}, 2, 2);
        gradcheckInput(x -> Losses.crossEntropy(x, y3, w, -100, Reduction.MEAN, 0.1),
                Ember.randn(DType.FLOAT64, 2, 3, 2));
        Tensor probs = Ember.rand(DType.FLOAT64, 4, 3).softmax(1);
        gradcheckBoth((x, t) -> Losses.crossEntropy(x, t, w, -100, Reduction.MEAN, 0.1),
                Ember.randn(DType.FLOAT64, 4, 3), probs);
    }

    @Test
    void binaryLossesHaveCorrectFirstAndSecondDerivatives() {
        Ember.manualSeed(13);
        for (Reduction r : List.of(Reduction.NONE, Reduction.MEAN, Reduction.SUM)) {
            Tensor w = Ember.rand(DType.FLOAT64, 3).add(0.5);
            gradcheckBoth((x, t) -> Losses.binaryCrossEntropy(x, t, w, r),
                    Ember.rand(DType.FLOAT64, 2, 3).mul(0.9).add(0.05), Ember.rand(DType.FLOAT64, 2, 3));
            gradcheckBoth((x, t) -> Losses.binaryCrossEntropyWithLogits(x, t, w, w.add(1.0), r),
                    Ember.randn(DType.FLOAT64, 2, 3).mul(3.0), Ember.rand(DType.FLOAT64, 2, 3));
        }
    }

    @Test
    void klDivHasCorrectFirstAndSecondDerivatives() {
        Ember.manualSeed(14);
        for (Reduction r : List.of(Reduction.NONE, Reduction.MEAN, Reduction.SUM, Reduction.BATCH_MEAN)) {
            gradcheckBoth((x, t) -> Losses.klDiv(x, t, r, false), Ember.randn(DType.FLOAT64, 2, 3).logSoftmax(1)
                    .detach(), Ember.rand(DType.FLOAT64, 2, 3).add(0.1));
            gradcheckBoth((x, t) -> Losses.klDiv(x, t, r, true), Ember.randn(DType.FLOAT64, 2, 3).logSoftmax(1)
                    .detach(), Ember.randn(DType.FLOAT64, 2, 3));
        }
    }

    @Test
    void bceGradientIsFiniteWhereProbabilitiesAreExactlyZeroOrOne() {
        Tensor p = Ember.tensor(DType.FLOAT64, 0.0, 1.0, 0.0, 1.0).requiresGrad_();
        Tensor t = Ember.tensor(DType.FLOAT64, 0.0, 1.0, 1.0, 0.0);
        Tensor loss = new BCELoss(Reduction.SUM).forward(p, t);
        assertEquals(200.0, loss.item(), 1e-12);   // two logs clamped at -100
        loss.backward();
        double[] g = p.grad().toDoubleArray();
        assertEquals(0.0, g[0]);
        assertEquals(0.0, g[1]);
        assertEquals(-1.0 / (double) 1e-12f, g[2], 1.0);
        assertEquals(1.0 / (double) 1e-12f, g[3], 1.0);
    }

    @Test
    void bceWithLogitsIsStableForExtremeLogits() {
        Tensor z = Ember.tensor(DType.FLOAT64, -1000.0, 1000.0, 0.0);
        Tensor t = Ember.tensor(DType.FLOAT64, 1.0, 0.0, 1.0);
        double[] l = new BCEWithLogitsLoss(Reduction.NONE).forward(z, t).toDoubleArray();
        assertArrayEquals(new double[] {1000.0, 1000.0, Math.log(2)}, l, 1e-12);
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @Test
    void crossEntropyRejectsFloatClassLabelsNamingTheFix() {
        Tensor logits = Ember.randn(4, 3);
        String m = message(DTypeException.class, () -> new CrossEntropyLoss().forward(logits,
                Ember.tensor(0.0, 1.0, 2.0, 1.0)));
        assertContains(m, "CrossEntropyLoss", "int64", "float32", "[4]", "target.to(DType.INT64)", "[4, 3]");
    }

    @Test
    void crossEntropyRejectsIntegerProbabilities() {
        Tensor logits = Ember.randn(2, 3);
        String m = message(DTypeException.class, () -> new CrossEntropyLoss().forward(logits,
                Ember.fromArray(new long[] {1, 0, 0, 0, 1, 0}, 2, 3)));
        assertContains(m, "CrossEntropyLoss", "probabilities", "int64", "[2, 3]", "shape [2]");
    }

    @Test
    void crossEntropyNamesTheOutOfRangeLabelAndItsPosition() {
        Tensor logits = Ember.randn(4, 5);
        String m = message(EmberException.class, () -> new CrossEntropyLoss().forward(logits, labels(0, 4, 2, 7)));
        assertContains(m, "CrossEntropyLoss", "target[3] = 7", "5 classes", "[0, 5)", "ignoreIndex (-100)", "[4, 5]");
        String negative = message(EmberException.class, () -> new CrossEntropyLoss().forward(logits,
                labels(0, -1, 2, 3)));
        assertContains(negative, "target[1] = -1");
        Tensor logits4 = Ember.randn(2, 3, 2, 2);
        long[] v = new long[8];
        v[6] = 3;   // position [1, 1, 0]
        String k = message(EmberException.class, () -> new CrossEntropyLoss().forward(logits4,
                Ember.fromArray(v, 2, 2, 2)));
        assertContains(k, "target[1, 1, 0] = 3", "3 classes", "[2, 3, 2, 2]");
        String unbatched = message(EmberException.class, () -> new CrossEntropyLoss().forward(Ember.randn(3),
                Ember.fromArray(new long[] {5})));
        assertContains(unbatched, "target = 5", "3 classes");
    }

    @Test
    void aCustomIgnoreIndexIsAcceptedAndNamed() {
        Tensor logits = Ember.randn(DType.FLOAT64, 3, 4);
        CrossEntropyLoss ce = CrossEntropyLoss.builder().ignoreIndex(-1).build();
        Tensor loss = ce.forward(logits, labels(-1, 2, 3));
        assertEquals(new CrossEntropyLoss().forward(logits.slice(0, 1, 3), labels(2, 3)).item(), loss.item(), 1e-14);
        assertContains(message(EmberException.class, () -> ce.forward(logits, labels(-100, 2, 3))),
                "target[0] = -100", "ignoreIndex (-1)");
    }

    @Test
    void crossEntropyTargetShapeMismatchNamesBothShapes() {
        Tensor logits = Ember.randn(3, 4);
        String m = message(ShapeException.class, () -> new CrossEntropyLoss().forward(logits, labels(0, 1)));
        assertContains(m, "CrossEntropyLoss", "[3, 4]", "[3]", "[2]", "probabilities");
        String k = message(ShapeException.class, () -> new CrossEntropyLoss().forward(Ember.randn(2, 3, 4),
                Ember.fromArray(new long[6], 2, 3)));
        assertContains(k, "[2, 3, 4]", "[2, 4]", "[2, 3]");
        assertContains(message(ShapeException.class, () -> new CrossEntropyLoss().forward(Ember.scalar(1.0),
                Ember.fromArray(new long[] {0}))), "0-d", "class dimension");
    }

    @Test
    void classWeightsMustHaveOneEntryPerClass() {
        CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(Ember.tensor(1.0, 2.0)).build();
        String m = message(ShapeException.class, () -> ce.forward(Ember.randn(2, 3), labels(0, 1)));
        assertContains(m, "CrossEntropyLoss", "[3]", "[2]", "[2, 3]");
        assertContains(message(ShapeException.class, () -> NLLLoss.builder().weight(Ember.ones(2, 2)).build()),
                "NLLLoss", "1-d", "[2, 2]");
        assertContains(message(DTypeException.class, () -> CrossEntropyLoss.builder()
                .weight(Ember.fromArray(new long[] {1, 2}, 2)).build()), "floating point", "int64");
    }

    @Test
    void labelSmoothingMustBeAProbability() {
        assertContains(message(EmberException.class, () -> CrossEntropyLoss.builder().labelSmoothing(1.5).build()),
                "labelSmoothing", "1.5");
        assertContains(message(EmberException.class, () -> Losses.crossEntropy(Ember.randn(2, 3), labels(0, 1), null,
                -100, Reduction.MEAN, -0.1)), "labelSmoothing", "-0.1");
    }

    @Test
    void probabilityTargetsRefuseANonNegativeIgnoreIndex() {
        Tensor logits = Ember.randn(2, 3);
        CrossEntropyLoss ce = CrossEntropyLoss.builder().ignoreIndex(0).build();
        assertContains(message(EmberException.class, () -> ce.forward(logits, logits.softmax(1))), "ignoreIndex (0)",
                "probability");
    }

    @Test
    void nllLossErrorsNameNllLoss() {
        Tensor logp = Ember.randn(3, 4).logSoftmax(1);
        assertContains(message(EmberException.class, () -> new NLLLoss().forward(logp, labels(0, 4, 1))), "NLLLoss",
                "target[1] = 4");
        assertContains(message(DTypeException.class, () -> new NLLLoss().forward(logp, Ember.tensor(0, 1, 1))),
                "NLLLoss", "int64");
        assertContains(message(DTypeException.class, () -> new NLLLoss().forward(Ember.fromArray(new long[] {1, 2}, 1,
                2), labels(0))), "NLLLoss", "input", "floating point");
    }

    @Test
    void elementwiseLossesRefuseShapesThatWouldBroadcast() {
        Tensor prediction = Ember.randn(8, 1);
        Tensor target = Ember.randn(8);
        for (Loss loss : List.of(new MSELoss(), new L1Loss(), new SmoothL1Loss(), new HuberLoss(), new BCELoss(),
                new BCEWithLogitsLoss(), new KLDivLoss())) {
            String m = message(ShapeException.class, () -> loss.forward(prediction, target));
            assertContains(m, loss.getClass().getSimpleName() + ":", "[8, 1]", "[8]", "[8, 8]");
        }
        assertContains(message(ShapeException.class, () -> new MSELoss().forward(Ember.randn(2, 3), Ember.randn(4))),
                "[2, 3]", "[4]");
    }

    @Test
    void elementwiseLossesNeedFloatingPointOperands() {
        assertContains(message(DTypeException.class, () -> new MSELoss().forward(Ember.randn(3),
                Ember.fromArray(new long[] {1, 2, 3}, 3))), "MSELoss", "target", "int64");
        assertContains(message(DTypeException.class, () -> new L1Loss().forward(Ember.fromArray(new long[] {1}, 1),
                Ember.randn(1))), "L1Loss", "input", "int64");
    }

    @Test
    void bceNamesTheFirstValueThatIsNotAProbability() {
        Tensor p = Ember.tensor(0.2, 1.5, 0.3);
        assertContains(message(EmberException.class, () -> new BCELoss().forward(p, Ember.ones(3))), "BCELoss",
                "input[1] = 1.5", "[0, 1]", "BCEWithLogitsLoss");
        Tensor nan = Ember.tensor(0.2, 0.4, Double.NaN);
        assertContains(message(EmberException.class, () -> new BCELoss().forward(nan, Ember.ones(3))),
                "input[2] = NaN");
    }

    @Test
    void weightsThatDoNotBroadcastNameBothShapes() {
        BCEWithLogitsLoss loss = BCEWithLogitsLoss.builder().posWeight(Ember.ones(4)).build();
        assertContains(message(ShapeException.class, () -> loss.forward(Ember.randn(2, 3), Ember.rand(2, 3))),
                "BCEWithLogitsLoss", "posWeight", "[4]", "[2, 3]");
        BCELoss bce = new BCELoss(Ember.ones(2, 3, 1), Reduction.MEAN);
        assertContains(message(ShapeException.class, () -> bce.forward(Ember.rand(2, 3), Ember.rand(2, 3))),
                "BCELoss", "weight", "[2, 3, 1]", "[2, 3]");
    }

    @Test
    void betaAndDeltaAreChecked() {
        assertContains(message(EmberException.class, () -> new SmoothL1Loss(-0.5)), "SmoothL1Loss", "beta", "-0.5");
        assertContains(message(EmberException.class, () -> new HuberLoss(0.0)), "HuberLoss", "delta", "0.0");
        assertContains(message(EmberException.class, () -> Losses.huberLoss(Ember.randn(2), Ember.randn(2),
                Reduction.MEAN, -1.0)), "HuberLoss", "delta");
    }

    @Test
    void batchMeanIsOnlyForKlDiv() {
        assertContains(message(EmberException.class, () -> new MSELoss(Reduction.BATCH_MEAN)), "MSELoss",
                "BATCH_MEAN", "KLDivLoss");
        assertContains(message(EmberException.class, () -> CrossEntropyLoss.builder().reduction(Reduction.BATCH_MEAN)
                .build()), "CrossEntropyLoss", "BATCH_MEAN");
        assertContains(message(EmberException.class, () -> Losses.l1Loss(Ember.randn(2), Ember.randn(2),
                Reduction.BATCH_MEAN)), "L1Loss", "BATCH_MEAN");
        Tensor x = Ember.randn(DType.FLOAT64, 4, 3).logSoftmax(1);
        Tensor t = Ember.rand(DType.FLOAT64, 4, 3).softmax(1);
        assertEquals(new KLDivLoss(Reduction.SUM).forward(x, t).item() / 4,
                new KLDivLoss(Reduction.BATCH_MEAN).forward(x, t).item(), 1e-14);
        assertContains(message(EmberException.class, () -> new KLDivLoss(null)), "KLDivLoss", "reduction", "null");
    }

    @Test
    void aFailedCallRecordsNothing() {
        Tensor logits = Ember.randn(3, 4).requiresGrad_();
        assertThrows(EmberException.class, () -> new CrossEntropyLoss().forward(logits, labels(0, 9, 1)));
        Tensor ok = new CrossEntropyLoss().forward(logits, labels(0, 3, 1));
        ok.backward();
        assertArrayEquals(new int[] {3, 4}, logits.grad().shape());
    }
}
