package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The functional API's semantics (PyTorch 1.13's torch.autograd.functional, checked against PyTorch where stated),
 * its strategies, and every error path. Values against PyTorch fixtures are in the tests module
 * (FunctionalConformanceTest).
 */
class FunctionalTest {
    private static final double TOL = 1e-12;

    private static Tensor f64(double... v) {
        return Ember.fromArray(v, v.length);
    }

    private static Tensor f64(int[] shape, double... v) {
        return Ember.fromArray(v, shape);
    }

    private static void assertClose(Tensor actual, double... expected) {
        assertEquals(DType.FLOAT64, actual.dtype(), "dtype of " + actual);
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-9, () -> "values of " + actual);
    }

    private static void assertSameValues(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 1e-9, () -> expected + " vs " + actual);
    }

    // ---- values -----------------------------------------------------------------------------------------------

    @Test
    void singleTensorFormsGiveTheTextbookDerivatives() {
        Tensor x = f64(1, 2, 3);
        Tensor j = Functional.jacobian(Tensor::exp, x);
        assertArrayEquals(new int[] {3, 3}, j.shape());
        double e1 = Math.exp(1);
        double e2 = Math.exp(2);
        double e3 = Math.exp(3);
        assertClose(j, e1, 0, 0, 0, e2, 0, 0, 0, e3);

        Tensor h = Functional.hessian(t -> t.pow(3).sum(), x);
        assertClose(h, 6, 0, 0, 0, 12, 0, 0, 0, 18);

        Functional.Result hvp = Functional.hvp(t -> t.pow(3).sum(), x, f64(1, 0, -1));
        assertClose(hvp.output(), 36);
        assertClose(hvp.product(), 6, 0, -18);
        Functional.Result vhp = Functional.vhp(t -> t.pow(3).sum(), x, f64(1, 0, -1));
        assertClose(vhp.product(), 6, 0, -18);

        Functional.Result vjp = Functional.vjp(Tensor::exp, x, f64(1, 2, 3));
        assertClose(vjp.output(), e1, e2, e3);
        assertClose(vjp.product(), e1, 2 * e2, 3 * e3);
        Functional.Result jvp = Functional.jvp(Tensor::exp, x, f64(1, 2, 3));
        assertClose(jvp.output(), e1, e2, e3);
        assertClose(jvp.product(), e1, 2 * e2, 3 * e3);
    }

    @Test
    void severalInputsAndOutputs() {
        // PyTorch's documentation example: adder(x, y) = 2x + 3y
        Tensor x = f64(0.5, -1);
        Tensor y = f64(2, 0.25);
        Function<Tensor[], Tensor[]> adder = in -> new Tensor[] {in[0].mul(2.0).add(in[1].mul(3.0))};
        Tensor[][] j = Functional.jacobian(adder, new Tensor[] {x, y});
        assertEquals(1, j.length);
        assertEquals(2, j[0].length);
        assertClose(j[0][0], 2, 0, 0, 2);
        assertClose(j[0][1], 3, 0, 0, 3);
        Functional.Result vjp = Functional.vjp(adder, new Tensor[] {x, y}, new Tensor[] {f64(1, 1)});
        assertClose(vjp.outputs()[0], 7, -1.25);
        assertClose(vjp.products()[0], 2, 2);
        assertClose(vjp.products()[1], 3, 3);
        Functional.Result jvp = Functional.jvp(adder, new Tensor[] {x, y}, new Tensor[] {f64(1, 1), f64(1, 1)});
        assertClose(jvp.product(), 5, 5);

        // two outputs of two inputs: [output][input], each of shape out ++ in
        Function<Tensor[], Tensor[]> two = in -> new Tensor[] {in[0].mul(in[1]), in[0].sum()};
        Tensor[][] jj = Functional.jacobian(two, new Tensor[] {x, y});
        assertArrayEquals(new int[] {2, 2}, jj[0][0].shape());
        assertArrayEquals(new int[] {2}, jj[1][0].shape());
        assertClose(jj[0][0], 2, 0, 0, 0.25);
        assertClose(jj[0][1], 0.5, 0, 0, -1);
        assertClose(jj[1][0], 1, 1);
        assertClose(jj[1][1], 0, 0);

        // a scalar function of two inputs: Hessian blocks [input][input]
        Function<Tensor[], Tensor> g = in -> in[0].pow(2).mul(in[1]).sum();
        Tensor[][] h = Functional.hessian(g, new Tensor[] {x, y});
        assertClose(h[0][0], 4, 0, 0, 0.5);
        assertClose(h[0][1], 1, 0, 0, -2);
        assertClose(h[1][0], 1, 0, 0, -2);
        assertClose(h[1][1], 0, 0, 0, 0);
    }

    @Test
    void hessianVectorProductsEqualTheHessianTimesTheVector() {
        // an MLP-like loss of three parameter tensors
        Tensor xData = f64(new int[] {4, 3}, 0.1, -0.4, 0.9, 1.2, 0.3, -0.7, -1.1, 0.5, 0.2, 0.6, -0.2, -0.8);
        Tensor target = f64(new int[] {4, 2}, 0.5, -0.5, 1, 0, -1, 0.25, 0.3, 0.7);
        Function<Tensor[], Tensor> loss = p -> xData.matmul(p[0]).add(p[1]).tanh().matmul(p[2]).sub(target).pow(2.0)
                .mean();
        Tensor w1 = f64(new int[] {3, 5}, 0.2, -0.1, 0.4, 0.3, -0.6, 0.5, 0.1, -0.3, 0.8, 0.2, -0.2, 0.7, 0.05,
                -0.4, 0.6);
        Tensor b1 = f64(0.1, -0.2, 0.05, 0.3, -0.1);
        Tensor w2 = f64(new int[] {5, 2}, 0.3, -0.5, 0.2, 0.4, -0.6, 0.1, 0.7, -0.2, 0.05, 0.9);
        Tensor[] params = {w1, b1, w2};
        Tensor[] v = {f64(new int[] {3, 5}, 1, 0, -1, 0.5, 0.2, -0.3, 0.4, 0.1, 0, 0.9, -0.7, 0.3, 0.2, 0.6, -0.1),
                f64(0.3, -0.2, 0.5, 0.1, -0.4), f64(new int[] {5, 2}, 0.2, 0.1, -0.3, 0.7, 0.5, -0.6, 0.4, 0, 0.8, -0.9)};
        Tensor[][] h = Functional.hessian(loss, params);
        Tensor[] expected = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            // (H v)_i = sum_j H[i][j] (flattened) @ v_j
            Tensor acc = null;
            for (int j = 0; j < 3; j++) {
                Tensor block = h[i][j].reshape(params[i].numel(), params[j].numel());
                Tensor term = block.matmul(v[j].reshape(-1));
                acc = acc == null ? term : acc.add(term);
            }
            expected[i] = acc.reshape(params[i].shape());
        }
        Functional.Result hvp = Functional.hvp(loss, params, v);
        Functional.Result vhp = Functional.vhp(loss, params, v);
        Functional.Result fwd = Functional.hvp(loss, params, v, FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE));
        for (int i = 0; i < 3; i++) {
            assertSameValues(expected[i], hvp.products()[i]);
            assertSameValues(expected[i], vhp.products()[i]);
            assertSameValues(expected[i], fwd.products()[i]);
        }
        assertEquals(loss.apply(params).item(), hvp.output().item(), TOL);
        assertEquals(loss.apply(params).item(), fwd.output().item(), TOL);
        // and the Hessian is symmetric: H[i][j] is H[j][i] transposed
        Tensor h01 = h[0][1].reshape(15, 5);
        Tensor h10 = h[1][0].reshape(5, 15);
        assertSameValues(h01, h10.t());
    }

    @Test
    void forwardAndReverseStrategiesAgree() {
        Tensor a = f64(new int[] {2, 3}, 0.3, -0.2, 0.9, 1.1, -0.5, 0.4);
        Tensor b = f64(0.7, -1.2, 0.25);
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {in[0].mul(in[1]).sin(), in[0].sum(0, false).add(in[1].tanh()),
                in[0].pow(2.0).sum().mul(in[1].exp().mean())};
        FunctionalOptions fwd = FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE);
        Tensor[][] jr = Functional.jacobian(f, new Tensor[] {a, b});
        Tensor[][] jf = Functional.jacobian(f, new Tensor[] {a, b}, fwd);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertSameValues(jr[i][j], jf[i][j]);
            }
        }
        Function<Tensor[], Tensor> g = in -> in[0].sin().mul(in[1]).sum().add(in[0].pow(2.0).sum().mul(in[1].exp().sum()));
        Tensor[][] hr = Functional.hessian(g, new Tensor[] {a, b});
        Tensor[][] hf = Functional.hessian(g, new Tensor[] {a, b}, fwd);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertSameValues(hr[i][j], hf[i][j]);
            }
        }
        Tensor[] v = {f64(new int[] {2, 3}, 1, 2, 3, -1, 0.5, 0), f64(0.1, 0.2, -0.3)};
        Functional.Result jf1 = Functional.jvp(f, new Tensor[] {a, b}, v);
        Functional.Result jr1 = Functional.jvp(f, new Tensor[] {a, b}, v,
                FunctionalOptions.strategy(JacobianStrategy.REVERSE_MODE));
        for (int i = 0; i < 3; i++) {
            assertSameValues(jr1.products()[i], jf1.products()[i]);
            assertSameValues(jr1.outputs()[i], jf1.outputs()[i]);
        }
    }

    @Test
    void zeroDimensionalAndEmptyTensors() {
        Tensor s = Ember.scalar(DType.FLOAT64, 2.0);
        Tensor j = Functional.jacobian(t -> t.pow(3.0), s);
        assertArrayEquals(new int[] {}, j.shape());
        assertClose(j, 12);
        assertClose(Functional.hessian(t -> t.pow(3.0), s), 12);
        // v may be omitted for a one-element input (jvp, hvp, vhp) or output (vjp): it is then 1
        assertClose(Functional.vjp(t -> t.pow(3.0), s, null).product(), 12);
        assertClose(Functional.jvp(t -> t.pow(3.0), s, null).product(), 12);
        assertClose(Functional.hvp(t -> t.pow(3.0), s, null).product(), 12);
        assertClose(Functional.vhp(t -> t.pow(3.0), s, null).product(), 12);
        assertClose(Functional.vjp(t -> t.pow(2.0).sum(), f64(1, 2), null).product(), 2, 4);
        // empty: PyTorch fails ("stack expects a non-empty TensorList"); Ember returns the empty Jacobian
        Tensor empty = Ember.zeros(DType.FLOAT64, 0);
        assertArrayEquals(new int[] {0, 0}, Functional.jacobian(t -> t.mul(2.0), empty).shape());
        assertArrayEquals(new int[] {0, 0}, Functional.jacobian(t -> t.mul(2.0), empty,
                FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE)).shape());
        Tensor[][] mixed = Functional.jacobian(in -> new Tensor[] {in[1].mul(in[0].sum())}, new Tensor[] {empty,
                f64(1, 2, 3)});
        assertArrayEquals(new int[] {3, 0}, mixed[0][0].shape());
        assertClose(mixed[0][1], 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void jacobianDtypeIsTheInputsInReverseModeAndTheOutputsInForwardMode() {
        Tensor x = f64(1, 2);
        Tensor r = Functional.jacobian(t -> t.to(DType.FLOAT32).mul(2.0), x);
        assertEquals(DType.FLOAT64, r.dtype());
        Tensor f = Functional.jacobian(t -> t.to(DType.FLOAT32).mul(2.0), x,
                FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new double[] {2, 0, 0, 2}, f.toDoubleArray(), 1e-6);
    }

    // ---- inputs that require grad, grad mode, createGraph -----------------------------------------------------

    @Test
    void resultsAreDetachedAndInputsUntouchedWithoutCreateGraph() {
        Tensor x = f64(1, 2).requiresGrad_();
        int version = x.version();
        Functional.Result r = Functional.vjp(t -> t.pow(2.0), x, f64(1, 1));
        assertFalse(r.output().requiresGrad());
        assertFalse(r.product().requiresGrad());
        assertFalse(Functional.jacobian(t -> t.pow(2.0), x).requiresGrad());
        assertFalse(Functional.hessian(t -> t.pow(3.0).sum(), x).requiresGrad());
        assertFalse(Functional.hvp(t -> t.pow(3.0).sum(), x, f64(1, 1)).product().requiresGrad());
        assertFalse(Functional.jvp(t -> t.pow(3.0), x, f64(1, 1)).product().requiresGrad());
        assertNull(x.grad());
        assertEquals(version, x.version());
        assertTrue(x.isLeaf());
    }

    @Test
    void inputsNeedNotRequireGradAndTheFunctionRunsWithGradModeOn() {
        try (GradMode.Scope s = GradMode.scope(false)) {
            assertClose(Functional.jacobian(t -> t.pow(2.0), f64(1, 2)), 2, 0, 0, 4);
            assertClose(Functional.hessian(t -> t.pow(3.0).sum(), f64(1, 2)), 6, 0, 0, 12);
            assertClose(Functional.hvp(t -> t.pow(3.0).sum(), f64(1, 2), f64(1, 1)).product(), 6, 12);
            assertFalse(GradMode.isEnabled());
        }
    }

    @Test
    void createGraphConnectsTheResultToTheCallersGraph() {
        // hvp of sum(x^4) is 12 x^2 v; its gradient with respect to x is 24 x v (a third derivative)
        Tensor x = f64(1, 2).requiresGrad_();
        Tensor v = f64(0.5, -1);
        Functional.Result r = Functional.hvp(t -> t.pow(4.0).sum(), x, v, FunctionalOptions.createGraph());
        assertTrue(r.product().requiresGrad());
        assertTrue(r.output().requiresGrad());
        assertClose(r.product(), 6, -48);
        assertClose(Autograd.grad(r.product().sum(), x)[0], 12, -48);
        Functional.Result r2 = Functional.vhp(t -> t.pow(4.0).sum(), x, v, FunctionalOptions.createGraph());
        assertClose(Autograd.grad(r2.product().sum(), x)[0], 12, -48);
        Functional.Result r3 = Functional.hvp(t -> t.pow(4.0).sum(), x, v, FunctionalOptions.createGraph()
                .withStrategy(JacobianStrategy.FORWARD_MODE));
        assertClose(Autograd.grad(r3.product().sum(), x)[0], 12, -48);
        // the output is connected too: d f / dx = 4 x^3
        assertClose(Autograd.grad(r.output(), x)[0], 4, 32);

        // the Jacobian of x^3, differentiated again: d/dx sum(diag(3 x^2)) = 6x
        for (JacobianStrategy s : JacobianStrategy.values()) {
            Tensor j = Functional.jacobian(t -> t.pow(3.0), x, FunctionalOptions.createGraph().withStrategy(s));
            assertTrue(j.requiresGrad(), s.name());
            assertClose(Autograd.grad(j.sum(), x)[0], 6, 12);
            Tensor h = Functional.hessian(t -> t.pow(4.0).sum(), x, FunctionalOptions.createGraph().withStrategy(s));
            assertClose(Autograd.grad(h.sum(), x)[0], 24, 48);
            Functional.Result jv = Functional.jvp(t -> t.pow(3.0), x, v, FunctionalOptions.createGraph().withStrategy(s));
            assertClose(Autograd.grad(jv.product().sum(), x)[0], 3, -12);
        }
    }

    @Test
    void createGraphAlsoDifferentiatesThroughV() {
        // vjp = v * 2x: d(sum)/dv = 2x
        Tensor x = f64(1, 3);
        Tensor v = f64(1, 1).requiresGrad_();
        Functional.Result r = Functional.vjp(t -> t.pow(2.0), x, v, FunctionalOptions.createGraph());
        assertClose(Autograd.grad(r.product().sum(), v)[0], 2, 6);
        Functional.Result j = Functional.jvp(t -> t.pow(2.0), x, v, FunctionalOptions.createGraph());
        assertClose(Autograd.grad(j.product().sum(), v)[0], 2, 6);
        // without createGraph, v's graph is not followed
        assertFalse(Functional.vjp(t -> t.pow(2.0), x, v).product().requiresGrad());
    }

    @Test
    void anIndependentInputGetsZerosWithoutStrict() {
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {in[0].mul(2.0)};
        Tensor[] xy = {f64(1, 2), f64(3, 4)};
        Functional.Result r = Functional.vjp(f, xy, new Tensor[] {f64(1, 1)});
        assertClose(r.products()[1], 0, 0);
        for (JacobianStrategy s : JacobianStrategy.values()) {
            assertClose(Functional.jacobian(f, xy, FunctionalOptions.strategy(s))[0][1], 0, 0, 0, 0);
        }
        // an output that does not require grad: zeros (PyTorch's non-strict behaviour)
        Tensor ones = Ember.ones(DType.FLOAT64, 2);
        assertClose(Functional.vjp(t -> ones, f64(1, 2), f64(1, 1)).product(), 0, 0);
        assertClose(Functional.jvp(t -> ones, f64(1, 2), f64(1, 1)).product(), 0, 0);
        assertClose(Functional.jacobian(t -> ones, f64(1, 2)), 0, 0, 0, 0);
        assertClose(Functional.hessian(t -> t.mul(2.0).sum(), f64(1, 2)), 0, 0, 0, 0);
        assertClose(Functional.hvp(t -> t.mul(2.0).sum(), f64(1, 2), f64(1, 1)).product(), 0, 0);
        assertClose(Functional.vhp(t -> t.mul(2.0).sum(), f64(1, 2), f64(1, 1)).product(), 0, 0);
    }

    @Test
    void theIdentityFunction() {
        assertClose(Functional.jacobian(t -> t, f64(1, 2)), 1, 0, 0, 1);
        assertClose(Functional.vjp(t -> t, f64(1, 2), f64(3, 4)).product(), 3, 4);
        assertClose(Functional.jvp(t -> t, f64(1, 2), f64(3, 4)).product(), 3, 4);
    }

    // ---- strict -----------------------------------------------------------------------------------------------

    @Test
    void strictFailsWhenAnOutputDoesNotRequireGrad() {
        Tensor ones = Ember.ones(DType.FLOAT64, 2);
        FunctionalOptions strict = FunctionalOptions.strict();
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(t -> ones, f64(1, 2), f64(1, 1), strict),
                "Functional.vjp (strict): output 0 of the function does not require grad", "strict(false)");
        assertThrowsWith(AutogradException.class, () -> Functional.jvp(t -> ones, f64(1, 2), f64(1, 1), strict),
                "Functional.jvp (strict): output 0 of the function does not require grad");
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(t -> ones, f64(1, 2), strict),
                "Functional.jacobian (strict): output 0 of the function does not require grad");
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(t -> ones, f64(1, 2),
                strict.withStrategy(JacobianStrategy.FORWARD_MODE)),
                "Functional.jacobian (strict): output 0 of the function does not depend on any input");
        Tensor one = Ember.scalar(DType.FLOAT64, 1);
        assertThrowsWith(AutogradException.class, () -> Functional.hessian(t -> one, f64(1, 2), strict),
                "Functional.hessian (strict): output 0 of the function does not require grad");
        assertThrowsWith(AutogradException.class, () -> Functional.hvp(t -> one, f64(1, 2), f64(1, 1), strict),
                "Functional.hvp (strict): output 0");
        assertThrowsWith(AutogradException.class, () -> Functional.vhp(t -> one, f64(1, 2), f64(1, 1), strict),
                "Functional.vhp (strict): output 0");
    }

    @Test
    void strictFailsWhenTheOutputsAreIndependentOfAnInput() {
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {in[0].mul(2.0)};
        Tensor[] xy = {f64(1, 2), f64(3, 4)};
        FunctionalOptions strict = FunctionalOptions.strict();
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(f, xy, new Tensor[] {f64(1, 1)}, strict),
                "Functional.vjp (strict): the outputs of the function are independent of input 1 (shape [2])");
        assertThrowsWith(AutogradException.class, () -> Functional.jvp(f, xy, new Tensor[] {f64(1, 1), f64(1, 1)},
                strict), "Functional.jvp (strict): the outputs of the function are independent of input 1");
        assertThrowsWith(AutogradException.class, () -> Functional.jvp(f, xy, new Tensor[] {f64(1, 1), f64(1, 1)},
                strict.withStrategy(JacobianStrategy.REVERSE_MODE)), "independent of input 1");
        // PyTorch says "Output 0 ... is independent of input 1" here
        for (JacobianStrategy s : JacobianStrategy.values()) {
            assertThrowsWith(AutogradException.class, () -> Functional.jacobian(f, xy, strict.withStrategy(s)),
                    "Functional.jacobian (strict): output 0 of the function is independent of input 1 (shape [2])");
        }
        // a linear function is fine in strict mode without createGraph ...
        assertClose(Functional.jacobian(t -> t.mul(2.0), f64(1, 2), strict), 2, 0, 0, 2);
        assertClose(Functional.vjp(t -> t.mul(2.0), f64(1, 2), f64(1, 1), strict).product(), 2, 2);
        assertClose(Functional.jvp(t -> t.mul(2.0), f64(1, 2), f64(1, 1), strict).product(), 2, 2);
        // ... but not with it: its Jacobian cannot depend on the inputs (PyTorch names the output's index as the
        // input's here; Ember names the block)
        FunctionalOptions both = strict.createGraph(true);
        for (JacobianStrategy s : JacobianStrategy.values()) {
            assertThrowsWith(AutogradException.class, () -> Functional.jacobian(t -> t.mul(2.0), f64(1, 2),
                    both.withStrategy(s)), "the Jacobian of output 0 with respect to input 0 does not depend on the "
                    + "inputs", "createGraph");
            assertThrowsWith(AutogradException.class, () -> Functional.jvp(t -> t.mul(2.0), f64(1, 2), f64(1, 1),
                    both.withStrategy(s)), "does not depend on the inputs", "createGraph");
        }
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(t -> t.mul(2.0), f64(1, 2), f64(1, 1), both),
                "Functional.vjp (strict): the result for input 0 does not depend on the inputs", "linear");
        // a quadratic function is fine, with and without createGraph (the gradient depends on the input)
        assertClose(Functional.jacobian(t -> t.pow(2.0), f64(1, 2), both), 2, 0, 0, 4);
    }

    @Test
    void strictSecondOrderChecks() {
        FunctionalOptions strict = FunctionalOptions.strict();
        // linear: the gradient is constant
        for (String api : new String[] {"hessian", "hvp", "vhp"}) {
            assertThrowsWith(AutogradException.class, () -> second(api, t -> t.mul(2.0).sum(), strict),
                    "Functional." + api + " (strict): while computing the Hessian, found that the gradient with "
                            + "respect to input 0 (shape [2]) is independent of the inputs (the function is linear in it)");
        }
        // independent of input 1
        Function<Tensor[], Tensor> f = in -> in[0].pow(3.0).sum();
        Tensor[] xy = {f64(1, 2), f64(3, 4)};
        assertThrowsWith(AutogradException.class, () -> Functional.hessian(f, xy, strict),
                "the gradient with respect to input 1 (shape [2]) is independent of the inputs (the function is "
                        + "independent of that input)");
        assertThrowsWith(AutogradException.class, () -> Functional.hvp(f, xy, new Tensor[] {f64(1, 1), f64(1, 1)},
                strict), "input 1");
        // separable: PyTorch's hessian fails on the zero off-diagonal block (hvp and vhp do not)
        Function<Tensor[], Tensor> sep = in -> in[0].pow(2.0).sum().add(in[1].pow(3.0).sum());
        for (JacobianStrategy s : JacobianStrategy.values()) {
            assertThrowsWith(AutogradException.class, () -> Functional.hessian(sep, xy, strict.withStrategy(s)),
                    "Functional.hessian (strict): the gradient with respect to input 0 is independent of input 1 "
                            + "(shape [2]) (the Hessian block [0][1] is structurally zero)");
        }
        Tensor[] ones = {f64(1, 1), f64(1, 1)};
        assertClose(Functional.hvp(sep, xy, ones, strict).products()[1], 18, 24);
        assertClose(Functional.vhp(sep, xy, ones, strict).products()[1], 18, 24);
        // quadratic with createGraph: the Hessian is constant. Whether the graph shows it is structural, as in
        // PyTorch: x*x's double backward does not reach x, x.pow(2)'s does (through 2 * x^1)
        FunctionalOptions both = strict.createGraph(true);
        assertThrowsWith(AutogradException.class, () -> Functional.vhp(t -> t.mul(t).sum(), f64(1, 2), f64(1, 1),
                both), "Functional.vhp (strict): the result for input 0 does not depend on the inputs (the function's "
                + "Hessian is constant: it is quadratic)", "createGraph");
        assertThrowsWith(AutogradException.class, () -> Functional.hvp(t -> t.mul(t).sum(), f64(1, 2), f64(1, 1),
                both), "Functional.hvp (strict): the result for input 0 does not depend on the inputs");
        assertThrowsWith(AutogradException.class, () -> Functional.hessian(t -> t.mul(t).sum(), f64(1, 2), both),
                "Functional.hessian (strict): the Hessian block [0][0] does not depend on the inputs (the function is "
                        + "quadratic)");
        assertClose(Functional.vhp(t -> t.pow(2.0).sum(), f64(1, 2), f64(1, 1), both).product(), 2, 2);
        // cubic is fine with createGraph
        assertClose(Functional.hvp(t -> t.pow(3.0).sum(), f64(1, 2), f64(1, 1), strict.createGraph(true)).product(),
                6, 12);
    }

    private static Object second(String api, Function<Tensor, Tensor> f, FunctionalOptions o) {
        return switch (api) {
            case "hessian" -> Functional.hessian(f, f64(1, 2), o);
            case "hvp" -> Functional.hvp(f, f64(1, 2), f64(1, 1), o);
            default -> Functional.vhp(f, f64(1, 2), f64(1, 1), o);
        };
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    @Test
    void badInputs() {
        Function<Tensor[], Tensor[]> id = in -> in;
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(id, new Tensor[0]),
                "Functional.jacobian: no inputs");
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(id, (Tensor[]) null),
                "Functional.jacobian: no inputs");
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(id, new Tensor[] {f64(1), null}, null),
                "Functional.vjp: input 1 is null");
        assertThrowsWith(DTypeException.class, () -> Functional.jacobian(t -> t, Ember.arange(3)),
                "Functional.jacobian: input 0 (shape [3]) is int64", "only floating-point tensors",
                ".to(DType.FLOAT64)");
        assertThrowsWith(AutogradException.class, () -> Functional.hessian((Function<Tensor, Tensor>) null, f64(1)),
                "Functional.hessian: the function is null");
    }

    @Test
    void badFunctions() {
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(in -> null, new Tensor[] {f64(1)}),
                "Functional.jacobian: the function returned null");
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(in -> new Tensor[0], new Tensor[] {f64(1)}),
                "the function returned no tensors");
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(in -> new Tensor[] {in[0], null},
                new Tensor[] {f64(1)}, null), "Functional.vjp: output 1 of the function is null");
        // hessian, hvp and vhp need one scalar
        assertThrowsWith(ShapeException.class, () -> Functional.hessian(t -> t.pow(2.0), f64(1, 2)),
                "Functional.hessian: the function must return a tensor with a single element", "shape [2]", ".sum()");
        assertThrowsWith(ShapeException.class, () -> Functional.hvp(t -> t.pow(2.0), f64(1, 2), f64(1, 1)),
                "Functional.hvp: the function must return a tensor with a single element");
        assertThrowsWith(ShapeException.class, () -> Functional.vhp(t -> t.pow(2.0), f64(1, 2), f64(1, 1)),
                "Functional.vhp: the function must return a tensor with a single element");
        assertThrowsWith(AutogradException.class, () -> Functional.hvp(t -> null, f64(1, 2), f64(1, 1)),
                "Functional.hvp: the function returned null");
        // wrong arity: the function reads an input it was not given
        assertThrowsWith(AutogradException.class, () -> Functional.jacobian(in -> new Tensor[] {in[0].mul(in[1])},
                new Tensor[] {f64(1)}), "Functional.jacobian: the function was given 1 input but read past them "
                + "(Index 1 out of bounds for length 1): pass one tensor per input the function uses");
        assertThrowsWith(AutogradException.class, () -> Functional.hessian(in -> in[2].sum(),
                new Tensor[] {f64(1), f64(2)}), "Functional.hessian: the function was given 2 inputs but read past them");
        // an exception of the function itself passes through unchanged
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Functional.jacobian(t -> {
                    throw boom;
                }, f64(1))));
    }

    @Test
    void badVectors() {
        Function<Tensor[], Tensor[]> two = in -> new Tensor[] {in[0].mul(2.0), in[0].mul(3.0)};
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(two, new Tensor[] {f64(1, 2)},
                new Tensor[] {f64(1, 1)}), "Functional.vjp: v has 1 tensor but the function has 2 outputs",
                "one tensor per output");
        assertThrowsWith(AutogradException.class, () -> Functional.jvp(in -> in, new Tensor[] {f64(1), f64(2)},
                new Tensor[] {f64(1)}), "Functional.jvp: v has 1 tensor but the function has 2 inputs");
        assertThrowsWith(ShapeException.class, () -> Functional.vjp(t -> t.mul(2.0), f64(1, 2), f64(1, 1, 1)),
                "Functional.vjp: v[0] has shape [3] but output 0 has shape [2]");
        assertThrowsWith(ShapeException.class, () -> Functional.hvp(t -> t.pow(3.0).sum(), f64(1, 2), f64(1)),
                "Functional.hvp: v[0] has shape [1] but input 0 has shape [2]");
        assertThrowsWith(DTypeException.class, () -> Functional.vhp(t -> t.pow(3.0).sum(), f64(1, 2),
                Ember.ones(DType.FLOAT32, 2)), "Functional.vhp: v[0] is float32 but input 0 is float64",
                ".to(DType.FLOAT64)");
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(two, new Tensor[] {f64(1, 2)},
                new Tensor[] {f64(1, 1), null}), "Functional.vjp: v[1] is null");
        // v may only be omitted for a single one-element tensor
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(t -> t.mul(2.0), f64(1, 2), null),
                "Functional.vjp: the vector v can only be omitted (null) when the function has a single output with a "
                        + "single element, but it has one output of shape [2]");
        assertThrowsWith(AutogradException.class, () -> Functional.jvp(t -> t.sum(), f64(1, 2), null),
                "Functional.jvp: the vector v can only be omitted", "one input of shape [2]");
        assertThrowsWith(AutogradException.class, () -> Functional.hvp(in -> in[0].sum(), new Tensor[] {f64(1),
                f64(2)}, null), "Functional.hvp: the vector v can only be omitted", "but it has 2 inputs");
    }

    @Test
    void strategiesThatDoNotApply() {
        FunctionalOptions fwd = FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE);
        assertThrowsWith(AutogradException.class, () -> Functional.vjp(t -> t, f64(1), null, fwd),
                "Functional.vjp does not take strategy FORWARD_MODE", "use jvp");
        assertThrowsWith(AutogradException.class, () -> Functional.vhp(t -> t.pow(2.0).sum(), f64(1), null, fwd),
                "Functional.vhp does not take strategy FORWARD_MODE", "use hvp");
    }

    @Test
    void forwardModeInsideAnOpenDualLevelFails() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            FunctionalOptions fwd = FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE);
            assertThrowsWith(AutogradException.class, () -> Functional.jvp(t -> t, f64(1), null),
                    "Functional.jvp in forward mode opens its own dual level, but dual level", "does not nest");
            assertThrowsWith(AutogradException.class, () -> Functional.jacobian(t -> t, f64(1), fwd),
                    "Functional.jacobian in forward mode opens its own dual level");
            // reverse mode works there
            assertClose(Functional.jacobian(t -> t.mul(2.0), f64(1)), 2);
            assertTrue(level.isOpen());
        }
    }

    @Test
    void resultAccessors() {
        Functional.Result r = Functional.vjp(in -> new Tensor[] {in[0].mul(in[1])}, new Tensor[] {f64(2), f64(3)},
                new Tensor[] {f64(1)});
        assertClose(r.output(), 6);
        assertThrowsWith(AutogradException.class, r::product, "this result has 2 products, not one",
                "products()[i]");
        assertTrue(r.toString().startsWith("Result[outputs="));
        assertEquals("FunctionalOptions[createGraph=true, strict=false, strategy=FORWARD_MODE]",
                FunctionalOptions.createGraph().withStrategy(JacobianStrategy.FORWARD_MODE).toString());
        assertEquals(JacobianStrategy.REVERSE_MODE, FunctionalOptions.DEFAULT.strategyOr(JacobianStrategy.REVERSE_MODE));
        assertNull(FunctionalOptions.DEFAULT.strategyOrNull());
    }
}
