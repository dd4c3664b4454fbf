package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The public gradient checker: it passes correct derivatives, catches wrong ones (reverse mode, forward mode,
 * second order) with a report naming the input, the element, the output and both values, and rejects misuse.
 */
class GradCheckApiTest {

    private static Tensor leaf(int[] shape, double... v) {
        return Ember.fromArray(v, shape).requiresGrad_();
    }

    private static Tensor leaf(double... v) {
        return leaf(new int[] {v.length}, v);
    }

    /** exp with a deliberately wrong backward: the gradient reaching it is scaled by 1.01. */
    private static Tensor wrongExp(Tensor t) {
        Tensor y = t.exp();
        y.registerHook(g -> g.mul(1.01));
        return y;
    }

    /**
     * t * t with a backward whose value is right but whose own derivative is wrong: the hook multiplies the
     * gradient by t.detach() / t, which is 1 but has derivative -1/t, so the second derivative comes out 0, not 2.
     */
    private static Tensor wrongDoubleBackward(Tensor t) {
        Tensor y = t.mul(t);
        Tensor one = t.detach().div(t);
        y.registerHook(g -> g.mul(one));
        return y;
    }

    /** exp with a deliberately wrong forward-mode rule: the tangent is scaled by 1.01. */
    private static Tensor wrongExpJvp(Tensor t) {
        Tensor y = t.exp();
        Tensor tangent = ForwardAD.tangentOf(y);
        if (tangent != null) {
            ForwardAD.setTangent(y, tangent.mul(1.01));
        }
        return y;
    }

    @Test
    void correctDerivativesPass() {
        Tensor x = leaf(new int[] {2, 3}, 0.5, -1, 2, 0.3, -0.7, 1.1);
        Tensor w = leaf(new int[] {3, 2}, 0.2, -0.4, 1.3, 0.6, -0.9, 0.1);
        assertTrue(GradCheck.gradcheck(t -> t.exp().mul(t), x));
        assertTrue(GradCheck.gradgradcheck(t -> t.exp().mul(t), x));
        Function<Tensor[], Tensor[]> mlp = in -> new Tensor[] {in[0].matmul(in[1]).tanh(), in[0].sum().sigmoid()};
        GradCheckOptions both = GradCheckOptions.DEFAULT.checkForwardAd(true);
        assertTrue(GradCheck.gradcheck(mlp, new Tensor[] {x, w}, both));
        assertTrue(GradCheck.gradgradcheck(mlp, new Tensor[] {x, w}, null, both));
        // tighter than PyTorch's tolerances still passes (central differences in float64)
        assertTrue(GradCheck.gradcheck(mlp, new Tensor[] {x, w}, GradCheckOptions.DEFAULT.atol(1e-8).rtol(1e-6)));
        assertPassed(GradCheck.gradcheckReport(mlp, new Tensor[] {x, w}, both));
    }

    private static void assertPassed(GradCheck.Report r) {
        assertTrue(r.passed());
        assertEquals("gradcheck passed", r.message());
        assertEquals(List.of(), r.mismatches());
    }

    @Test
    void aWrongBackwardIsCaughtWithAReportNamingTheElement() {
        Tensor x = leaf(new int[] {2, 2}, 0.1, 0.2, 0.3, 0.4);
        GradCheckException e = assertThrows(GradCheckException.class, () -> GradCheck.gradcheck(
                GradCheckApiTest::wrongExp, x));
        GradCheck.Report r = e.report();
        assertFalse(r.passed());
        assertEquals("gradcheck", r.check());
        // only the diagonal of the 4x4 Jacobian is non-zero, so only it is off
        assertEquals(4, r.mismatches().size());
        GradCheck.Mismatch m = r.mismatches().get(1);
        assertEquals(GradCheck.Mode.REVERSE, m.mode());
        assertEquals(0, m.output());
        assertEquals("output 0", m.outputName());
        assertArrayEquals(new int[] {0, 1}, m.outputElement());
        assertEquals(0, m.input());
        assertEquals("input 0", m.inputName());
        assertArrayEquals(new int[] {0, 1}, m.inputElement());
        assertEquals(Math.exp(0.2), m.numeric(), 1e-8);
        assertEquals(1.01 * Math.exp(0.2), m.analytic(), 1e-12);
        String msg = e.getMessage();
        assertTrue(msg.startsWith("gradcheck failed: 4 Jacobian elements where the analytic derivative differs from "
                + "the numerical one by more than atol 1.0E-5 + rtol 0.001 * |numeric| (eps 1.0E-6):"), msg);
        assertTrue(msg.contains("Jacobian mismatch for output 0 (shape [2, 2]) with respect to input 0 (shape [2, 2]), "
                + "computed with reverse mode: 4 of 16 elements off"), msg);
        assertTrue(msg.contains("output 0 [0, 1], input 0 [0, 1]: numeric 1.2214027581"), msg);
        assertTrue(msg.contains(", analytic 1.233616785"), msg);
        // an AutogradException, as every misuse of autograd
        assertTrue(e instanceof AutogradException);
        // raiseException(false) returns false; the report is there without an exception
        assertFalse(GradCheck.gradcheck(GradCheckApiTest::wrongExp, x, GradCheckOptions.DEFAULT.raiseException(false)));
        assertEquals(msg, GradCheck.gradcheckReport(in -> new Tensor[] {wrongExp(in[0])}, new Tensor[] {x},
                GradCheckOptions.DEFAULT).message());
        // a looser tolerance lets it through: 1% off
        assertTrue(GradCheck.gradcheck(GradCheckApiTest::wrongExp, x, GradCheckOptions.DEFAULT.rtol(0.02)));
    }

    /** A custom Function computing x^2 with a backward that is off by 1%: 2.02 x instead of 2 x. */
    static final class WrongSquare extends dev.ember.autograd.Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[0]);
            return new Tensor[] {inputs[0].mul(inputs[0])};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
            return new Tensor[] {gradOutputs[0].mul(ctx.savedTensors()[0]).mul(2.02)};
        }
    }

    /** The same, right: its backward is written with Tensor ops, so it differentiates again (gradgradcheck). */
    static final class Square extends dev.ember.autograd.Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[0]);
            return new Tensor[] {inputs[0].mul(inputs[0])};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
            return new Tensor[] {gradOutputs[0].mul(ctx.savedTensors()[0]).mul(2.0)};
        }
    }

    @Test
    void aWrongCustomFunctionBackwardIsCaught() {
        Tensor x = leaf(new int[] {2, 2}, 0.5, -1, 1.5, 2);
        assertTrue(GradCheck.gradcheck(t -> new Square().apply(t), x));
        assertTrue(GradCheck.gradgradcheck(t -> new Square().apply(t), x));
        GradCheckException e = assertThrows(GradCheckException.class, () -> GradCheck.gradcheck(
                t -> new WrongSquare().apply(t), x));
        assertEquals(4, e.report().mismatches().size());
        GradCheck.Mismatch m = e.report().mismatches().get(3);
        assertArrayEquals(new int[] {1, 1}, m.inputElement());
        assertArrayEquals(new int[] {1, 1}, m.outputElement());
        assertEquals(4.0, m.numeric(), 1e-6);
        assertEquals(4.04, m.analytic(), 1e-12);
        assertTrue(e.getMessage().contains("output 0 [1, 1], input 0 [1, 1]: numeric 4.0"), e.getMessage());
    }

    @Test
    void theReportNamesTheInputWhoseGradientIsWrong() {
        Tensor a = leaf(1.5, -0.5, 2);
        Tensor b = leaf(0.25, 0.75, -1);
        Function<Tensor[], Tensor[]> f = in -> {
            Tensor bb = in[1].mul(1.0);
            bb.registerHook(g -> g.mul(1.01));   // corrupts only b's gradient
            return new Tensor[] {in[0].mul(bb), in[0].sum()};
        };
        GradCheck.Report r = GradCheck.gradcheckReport(f, new Tensor[] {a, b}, GradCheckOptions.DEFAULT);
        assertEquals(3, r.mismatches().size());
        for (GradCheck.Mismatch m : r.mismatches()) {
            assertEquals(1, m.input());
            assertEquals(0, m.output());
            assertArrayEquals(m.outputElement(), m.inputElement());
        }
        assertTrue(r.message().contains("with respect to input 1 (shape [3])"), r.message());
        assertFalse(r.message().contains("input 0 ("), r.message());
    }

    @Test
    void aWrongForwardModeRuleIsCaughtWhenForwardModeIsChecked() {
        Tensor x = leaf(0.1, 0.2, 0.3);
        // reverse mode is right
        assertTrue(GradCheck.gradcheck(GradCheckApiTest::wrongExpJvp, x));
        GradCheckException e = assertThrows(GradCheckException.class, () -> GradCheck.gradcheck(
                GradCheckApiTest::wrongExpJvp, x, GradCheckOptions.DEFAULT.checkForwardAd(true)));
        assertEquals(3, e.report().mismatches().size());
        GradCheck.Mismatch m = e.report().mismatches().get(2);
        assertEquals(GradCheck.Mode.FORWARD, m.mode());
        assertArrayEquals(new int[] {2}, m.inputElement());
        assertEquals(1.01 * Math.exp(0.3), m.analytic(), 1e-12);
        assertTrue(e.getMessage().contains("computed with forward mode: 3 of 9 elements off"), e.getMessage());
        assertTrue(e.getMessage().contains("forward mode)"), e.getMessage());
        // forward mode only
        assertThrows(GradCheckException.class, () -> GradCheck.gradcheck(GradCheckApiTest::wrongExpJvp, x,
                GradCheckOptions.DEFAULT.checkForwardAd(true).checkBackwardAd(false)));
        // a wrong backward is not seen by forward mode alone
        assertTrue(GradCheck.gradcheck(GradCheckApiTest::wrongExp, x,
                GradCheckOptions.DEFAULT.checkForwardAd(true).checkBackwardAd(false)));
    }

    @Test
    void aWrongDoubleBackwardIsCaughtByGradgradcheckOnly() {
        Tensor x = leaf(0.5, -1.5, 2);
        assertTrue(GradCheck.gradcheck(GradCheckApiTest::wrongDoubleBackward, x));
        GradCheckException e = assertThrows(GradCheckException.class, () -> GradCheck.gradgradcheck(
                GradCheckApiTest::wrongDoubleBackward, x));
        GradCheck.Report r = e.report();
        assertEquals("gradgradcheck", r.check());
        // the gradient of x is 2 x u (u the grad_output): d/dx is wrong (0 instead of 2u), d/du is right (2x)
        assertEquals(3, r.mismatches().size());
        for (GradCheck.Mismatch m : r.mismatches()) {
            assertEquals("the gradient of input 0", m.outputName());
            assertEquals("input 0", m.inputName());
            assertEquals(0.0, m.analytic(), 1e-12);
            assertArrayEquals(m.outputElement(), m.inputElement());
        }
        assertTrue(r.message().startsWith("gradgradcheck failed: 3 Jacobian elements"), r.message());
        assertTrue(r.message().contains("Jacobian mismatch for the gradient of input 0 (shape [3]) with respect to "
                + "input 0 (shape [3])"), r.message());
        // with given grad_outputs the numeric value is 2 u
        Tensor u = leaf(1, 2, 3);
        GradCheck.Report r2 = GradCheck.gradgradcheckReport(in -> new Tensor[] {wrongDoubleBackward(in[0])},
                new Tensor[] {x}, new Tensor[] {u}, GradCheckOptions.DEFAULT);
        assertEquals(2.0, r2.mismatches().get(0).numeric(), 1e-6);
        assertEquals(6.0, r2.mismatches().get(2).numeric(), 1e-6);
        assertFalse(GradCheck.gradgradcheck(in -> new Tensor[] {wrongDoubleBackward(in[0])}, new Tensor[] {x},
                new Tensor[] {u}, GradCheckOptions.DEFAULT.raiseException(false)));
        // grad_outputs that do not require grad are constants: only the inputs are checked against
        assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {in[0].exp()}, new Tensor[] {x},
                new Tensor[] {u.detach()}, GradCheckOptions.DEFAULT));
    }

    @Test
    void anOutputThatDoesNotRequireGradButDependsOnTheInputIsCaught() {
        // PyTorch's gradcheck ignores the detached output as long as another output requires grad
        Tensor x = leaf(0.5, 1.5);
        GradCheck.Report r = GradCheck.gradcheckReport(in -> new Tensor[] {in[0].exp(), in[0].mul(2.0).detach()},
                new Tensor[] {x}, GradCheckOptions.DEFAULT);
        assertEquals(2, r.mismatches().size());
        assertEquals(1, r.mismatches().get(0).output());
        assertEquals(2.0, r.mismatches().get(0).numeric(), 1e-8);
        assertTrue(r.message().contains("output 1 (shape [2], does not require grad, so its analytic derivative is 0)"),
                r.message());
        // a constant float output and integer outputs are fine
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].exp(), Ember.ones(DType.FLOAT64, 2),
                in[0].max(0, false).indices()}, new Tensor[] {x}));
    }

    @Test
    void inputsThatDoNotRequireGradAndNonFloatInputsPassThrough() {
        Tensor x = leaf(new int[] {2, 3}, 0.5, -1, 2, 0.3, -0.7, 1.1);
        Tensor idx = Ember.fromArray(new long[] {2, 0}, 2, 1);
        Tensor constant = Ember.fromArray(new double[] {1, 2, 3}, 3);
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].gather(1, in[1]).mul(in[2].sum())},
                new Tensor[] {x, idx, constant}));
        assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {in[0].gather(1, in[1]).pow(2.0).mul(in[2].sum())},
                new Tensor[] {x, idx, constant}));
    }

    @Test
    void inputsAreNotModifiedAndTheSameTensorTwiceIsPerturbedInBothPlaces() {
        Tensor x = leaf(0.5, -1, 2);
        int version = x.version();
        double[] before = x.toDoubleArray();
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].mul(in[1])}, new Tensor[] {x, x}));
        assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {in[0].mul(in[1])}, new Tensor[] {x, x}));
        assertEquals(version, x.version());
        assertArrayEquals(before, x.toDoubleArray());
        assertNull(x.grad());
        // non-contiguous inputs are passed as they are to the analytic pass
        Tensor t = leaf(new int[] {3, 2}, 1, 2, 3, 4, 5, 6).t();
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].mul(in[0]).sum(1, false)}, new Tensor[] {t}));
    }

    @Test
    void maxElementsChecksARandomSubJacobian() {
        Tensor a = Ember.randn(DType.FLOAT64, 40, 40).requiresGrad_();
        Tensor b = Ember.randn(DType.FLOAT64, 40, 40).requiresGrad_();
        GradCheckOptions sampled = GradCheckOptions.DEFAULT.maxElements(10);
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].matmul(in[1])}, new Tensor[] {a, b}, sampled));
        GradCheck.Report r = GradCheck.gradcheckReport(in -> {
            Tensor y = in[0].matmul(in[1]);
            y.registerHook(g -> g.mul(1.01));
            return new Tensor[] {y};
        }, new Tensor[] {a, b}, sampled);
        assertFalse(r.passed());
        assertTrue(r.message().contains("of 100 elements checked off"), r.message());
        // the same seed picks the same elements
        GradCheck.Report again = GradCheck.gradcheckReport(in -> {
            Tensor y = in[0].matmul(in[1]);
            y.registerHook(g -> g.mul(1.01));
            return new Tensor[] {y};
        }, new Tensor[] {a, b}, sampled);
        assertEquals(r.message(), again.message());
    }

    @Test
    void zeroDimensionalAndEmptyInputs() {
        assertTrue(GradCheck.gradcheck(t -> t.pow(3.0), Ember.scalar(DType.FLOAT64, 1.5).requiresGrad_()));
        assertTrue(GradCheck.gradgradcheck(t -> t.pow(3.0), Ember.scalar(DType.FLOAT64, 1.5).requiresGrad_()));
        assertTrue(GradCheck.gradcheck(t -> t.mul(2.0), Ember.zeros(DType.FLOAT64, 0).requiresGrad_()));
    }

    @Test
    void lowPrecisionInputsAreAnErrorUnlessAllowed() {
        Tensor x32 = Ember.tensor(0.5, 1.0, 1.5).requiresGrad_();
        assertThrowsWith(DTypeException.class, () -> GradCheck.gradcheck(Tensor::exp, x32),
                "gradcheck: input 0 requires grad and is float32 (shape [3]), not float64",
                "rounding noise", ".to(DType.FLOAT64)", "allowLowPrecision(true)");
        // PyTorch's behaviour on request: a warning, then the check (here with a step and tolerances for float32)
        assertTrue(GradCheck.gradcheck(Tensor::exp, x32, GradCheckOptions.DEFAULT.allowLowPrecision(true).eps(1e-2)
                .atol(1e-3).rtol(1e-3)));
        // and with PyTorch's defaults it fails, as in PyTorch
        assertFalse(GradCheck.gradcheck(Tensor::exp, x32, GradCheckOptions.DEFAULT.allowLowPrecision(true)
                .raiseException(false)));
        // float32 inputs that do not require grad are fine
        Tensor x = leaf(0.5, 1.0, 1.5);
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {in[0].mul(in[1].to(DType.FLOAT64))},
                new Tensor[] {x, Ember.tensor(1, 2, 3)}));
        // grad_outputs too
        assertThrowsWith(DTypeException.class, () -> GradCheck.gradgradcheck(in -> new Tensor[] {in[0].to(
                DType.FLOAT32)}, new Tensor[] {x}, new Tensor[] {Ember.tensor(1, 1, 1).requiresGrad_()},
                GradCheckOptions.DEFAULT), "gradgradcheck: grad_output 0 requires grad and is float32");
    }

    @Test
    void misuse() {
        Tensor x = leaf(1, 2);
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(Tensor::exp,
                Ember.fromArray(new double[] {1, 2}, 2)), "gradcheck: no input requires grad (inputs: float64[2])",
                "requiresGrad_()");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradgradcheck(in -> in,
                new Tensor[] {Ember.arange(2)}), "gradgradcheck: no input requires grad (inputs: int64[2])");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> in, new Tensor[0]),
                "gradcheck: no inputs");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> in, new Tensor[] {x, null}),
                "gradcheck: input 1 is null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck((Function<Tensor, Tensor>) null, x),
                "gradcheck: the function is null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> in, new Tensor[] {x}, null),
                "gradcheck: the options are null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(t -> null, x),
                "gradcheck: output 0 of the function is null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> null, new Tensor[] {x}),
                "gradcheck: the function returned null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(Tensor::exp, x,
                GradCheckOptions.DEFAULT.checkBackwardAd(false)), "both checkBackwardAd and checkForwardAd are off");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> new Tensor[] {in[0].mul(in[1])},
                new Tensor[] {x}), "gradcheck: the function was given 1 input but read past them");
        // the number of outputs must not depend on the values
        Tensor y = leaf(0.5);
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(in -> in[0].item() > 0.5
                ? new Tensor[] {in[0], in[0]} : new Tensor[] {in[0]}, new Tensor[] {y}),
                "gradcheck: the function returned 2 outputs when input 0 was perturbed, but 1 at the original point");
        // a function whose output shape depends on the values cannot be finite-differenced
        Tensor one = leaf(new int[] {1}, 1.0);
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(t -> t.sum().item() > 1.0 ? t.mul(2.0)
                : t.expand(2), one), "gradcheck: output 0 is float64[2] at the original point but float64[1] when "
                + "element [0] of input 0 was perturbed by 1.0E-6");
        // gradgradcheck: grad_outputs must match the outputs that require grad
        Function<Tensor[], Tensor[]> two = in -> new Tensor[] {in[0].exp(), in[0].detach(), in[0].sin()};
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradgradcheck(two, new Tensor[] {x},
                new Tensor[] {leaf(1, 1)}, GradCheckOptions.DEFAULT), "gradgradcheck: got 1 grad_outputs but the "
                + "function has 2 outputs that require grad [0, 2]", "or null for random ones");
        assertThrowsWith(ShapeException.class, () -> GradCheck.gradgradcheck(two, new Tensor[] {x},
                new Tensor[] {leaf(1, 1), leaf(1, 1, 1)}, GradCheckOptions.DEFAULT),
                "gradgradcheck: grad_output 1 has shape [3] but output 2 has shape [2]");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradgradcheck(two, new Tensor[] {x},
                new Tensor[] {leaf(1, 1), null}, GradCheckOptions.DEFAULT), "gradgradcheck: grad_output 1 is null");
        assertThrowsWith(AutogradException.class, () -> GradCheck.gradgradcheck(t -> t.detach(), x),
                "gradgradcheck: no output of the function requires grad");
        // inside an open dual level, forward mode cannot be checked
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertThrowsWith(AutogradException.class, () -> GradCheck.gradcheck(Tensor::exp, x,
                    GradCheckOptions.DEFAULT.checkForwardAd(true)), "gradcheck with checkForwardAd opens its own dual "
                    + "level, but dual level", "does not nest");
            assertTrue(level.isOpen());
        }
    }

    @Test
    void badOptions() {
        assertThrowsWith(AutogradException.class, () -> GradCheckOptions.DEFAULT.eps(0), "eps(0.0)", "positive");
        assertThrowsWith(AutogradException.class, () -> GradCheckOptions.DEFAULT.eps(Double.NaN), "eps(NaN)");
        assertThrowsWith(AutogradException.class, () -> GradCheckOptions.DEFAULT.atol(-1), "atol(-1.0)", ">= 0");
        assertThrowsWith(AutogradException.class, () -> GradCheckOptions.DEFAULT.rtol(Double.POSITIVE_INFINITY),
                "rtol(Infinity)");
        assertThrowsWith(AutogradException.class, () -> GradCheckOptions.DEFAULT.maxElements(0), "maxElements(0)");
        GradCheckOptions d = GradCheckOptions.DEFAULT;
        assertEquals(1e-6, d.eps());
        assertEquals(1e-5, d.atol());
        assertEquals(1e-3, d.rtol());
        assertTrue(d.raisesException());
        assertTrue(d.checksBackwardAd());
        assertFalse(d.checksForwardAd());
        assertEquals("GradCheckOptions[eps=1.0E-6, atol=1.0E-5, rtol=0.001, raiseException=true, checkBackwardAd=true, "
                + "checkForwardAd=false, maxElements=all, seed=0, allowLowPrecision=false]", d.toString());
    }

    @Test
    void runsInsideNoGrad() {
        try (GradMode.Scope s = GradMode.scope(false)) {
            assertTrue(GradCheck.gradcheck(Tensor::exp, leaf(0.5, 1.5)));
            assertTrue(GradCheck.gradgradcheck(Tensor::exp, leaf(0.5, 1.5)));
            assertFalse(GradMode.isEnabled());
        }
    }

    @Test
    void nanOnBothSidesMatches() {
        // sqrt at a negative point: the value and both derivatives are NaN
        assertTrue(GradCheck.gradcheck(Tensor::sqrt, leaf(-1.0)));
        // with a second element, the cross terms disagree (numeric NaN - NaN, analytic 0 * NaN), as in PyTorch
        assertFalse(GradCheck.gradcheck(Tensor::sqrt, leaf(-1.0, 4.0), GradCheckOptions.DEFAULT.raiseException(false)));
    }

    @Test
    void theGlobalRandomStreamIsNotMoved() {
        Ember.manualSeed(7);
        double expected = Ember.rand(DType.FLOAT64, 1).item();
        Ember.manualSeed(7);
        GradCheck.gradgradcheck(Tensor::exp, leaf(0.5, 1.5));
        assertEquals(expected, Ember.rand(DType.FLOAT64, 1).item());
    }
}
