package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward-mode AD: the dual-level API, PyTorch 1.13's rules (one level, tangents die with their level, views and
 * in-place ops), every error with its message, forward-over-reverse, the custom-Function hooks and printing. The
 * JVP of every op is checked against PyTorch and finite differences in the tests module (JvpConformanceTest,
 * JvpCheckTest).
 */
class ForwardModeTest {

    @AfterEach
    void noLevelLeftOpen() {
        assertFalse(ForwardAD.isActive(), "a test left a dual level open");
    }

    private static Tensor f64(double... v) {
        return Ember.tensor(DType.FLOAT64, v);
    }

    // ---- the seed's example and the basic API ----------------------------------------------------------------

    @Test
    void seedExample() {
        Tensor x = Ember.scalar(1.0);
        Tensor tangent = Ember.scalar(1.0);
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor dualX = ForwardAD.makeDual(x, tangent);
            Tensor y = dualX.pow(2);
            Dual d = ForwardAD.unpackDual(y);
            assertEquals("tensor(1.)", d.primal().toString());
            assertEquals("tensor(2.)", d.tangent().toString());   // 2x * 1 = 2
        }
    }

    @Test
    void dualSharesThePrimalsStorageAndKeepsTheTangent() {
        Tensor x = f64(1, 2);
        Tensor v = f64(3, 4);
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor d = ForwardAD.makeDual(x, v);
            assertNotSame(x, d);
            assertSame(x.impl().storage(), d.impl().storage(), "a view of the primal");
            assertNull(ForwardAD.tangentOf(x), "the primal itself gets no tangent (PyTorch)");
            assertSame(v, ForwardAD.tangentOf(d), "the tangent is kept as given");
            Dual u = ForwardAD.unpackDual(d);
            assertSame(v, u.tangent());
            assertNull(ForwardAD.tangentOf(u.primal()), "unpackDual's primal carries no tangent");
            assertNull(ForwardAD.tangentOf(u.primal().get(0)), "nor do its views");
            assertSame(d.impl().storage(), u.primal().impl().storage());
            x.add_(1.0);
            assertValues(d, 2, 3);   // the dual sees in-place writes to its primal: same storage
            Dual none = ForwardAD.unpackDual(x);
            assertSame(x, none.primal());
            assertNull(none.tangent());
        }
    }

    @Test
    void levelObjectMethodsAndIdentity() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertSame(level, ForwardAD.currentLevel());
            assertTrue(level.isOpen());
            Tensor d = level.makeDual(f64(2), f64(1));
            assertValues(level.unpackDual(d.exp()).tangent(), Math.exp(2));
            assertTrue(level.toString().startsWith("dual level "));
        }
        assertNull(ForwardAD.currentLevel());
    }

    @Test
    void aDualOfARequiresGradPrimalIsRecordedAsAView() {
        Tensor x = f64(1, 2).requiresGrad_();
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor d = ForwardAD.makeDual(x, f64(1, 1));
            assertEquals("ViewBackward", d.gradFn().name());
            Dual u = ForwardAD.unpackDual(d);
            assertEquals("AliasBackward", u.primal().gradFn().name());
            d.mul(d).sum().backward();
            assertValues(x.grad(), 2, 4);
        }
    }

    // ---- PyTorch's rules ---------------------------------------------------------------------------------------

    @Test
    void oneLevelAtATime() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertThrowsWith(AutogradException.class, ForwardAD::dualLevel,
                    "nested forward mode AD is not supported", level.toString(), "close it first");
            assertTrue(level.isOpen(), "the failed call leaves the open level alone");
        }
        try (DualLevel again = ForwardAD.dualLevel()) {
            assertTrue(again.isOpen(), "a new level after the first closed");
        }
    }

    @Test
    void tangentsDieWithTheirLevel() {
        Tensor y;
        Tensor d;
        DualLevel closed;
        try (DualLevel level = ForwardAD.dualLevel()) {
            d = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            y = d.mul(3.0);
            closed = level;
        }
        assertFalse(closed.isOpen());
        // stale tensors: ordinary tensors without tangents (PyTorch)
        assertNull(ForwardAD.unpackDual(y).tangent());
        assertSame(y, ForwardAD.unpackDual(y).primal());
        assertNull(ForwardAD.tangentOf(d));
        assertValues(y.add(1.0), 4, 7);
        assertEquals("tensor([3., 6.], dtype=float64)", y.toString());
        // the level object refuses to be used again
        assertThrowsWith(AutogradException.class, () -> closed.makeDual(f64(1), f64(1)), "makeDual",
                closed.toString(), "was closed", "ForwardAD.dualLevel()");
        assertThrowsWith(AutogradException.class, () -> closed.unpackDual(y), "unpackDual", "was closed");
        closed.close();   // closing twice is harmless
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertNull(ForwardAD.unpackDual(y).tangent(), "a closed level's tangent is not revived by a new level");
            assertNull(Internal.rawTangent(y), "and reading it let it go");
            Tensor again = ForwardAD.makeDual(d, f64(5, 5));   // stale duals can be made dual again (PyTorch)
            assertValues(ForwardAD.unpackDual(again.mul(2.0)).tangent(), 10, 10);
            assertThrowsWith(AutogradException.class, () -> closed.unpackDual(y), "was closed");
        }
    }

    @Test
    void forwardModeIgnoresGradMode() {
        try (DualLevel level = ForwardAD.dualLevel(); var g = Ember.noGrad()) {
            Tensor d = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            assertValues(ForwardAD.unpackDual(d.mul(2.0)).tangent(), 2, 2);
        }
    }

    @Test
    void outsideALevelNothingIsTouched() {
        assertFalse(ForwardAD.isActive());
        Tensor a = f64(1, 2);
        Tensor b = a.mul(a).sum();
        assertNull(Internal.rawTangent(b));
        assertNull(Internal.rawTangentLevel(b));
        assertNull(ForwardAD.tangentOf(b));
        assertSame(a, ForwardAD.unpackDual(a).primal());
        assertNull(ForwardAD.unpackDual(a).tangent());
    }

    @Test
    void integerAndBoolResultsAndDetachCarryNoTangent() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor d = ForwardAD.makeDual(f64(1, 5, 2), f64(1, 1, 1));
            assertNull(ForwardAD.tangentOf(d.argmax(0, false)));
            assertNull(ForwardAD.tangentOf(d.gt(1.5)));
            assertNull(ForwardAD.tangentOf(d.isnan()));
            assertNull(ForwardAD.tangentOf(d.to(DType.INT64)));
            assertNull(ForwardAD.tangentOf(d.detach()));
            Tensor f = ForwardAD.tangentOf(d.to(DType.FLOAT32));
            assertEquals(DType.FLOAT32, f.dtype());
            Tensor mixed = ForwardAD.tangentOf(ForwardAD.makeDual(Ember.tensor(1, 2), Ember.tensor(1, 1))
                    .mul(d.slice(0, 1, 2)));
            assertEquals(DType.FLOAT64, mixed.dtype(), "a tangent has its result's dtype");
            assertValues(mixed, 6, 7);   // 1*5 + 1*1, 1*5 + 2*1
        }
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @Test
    void makeDualErrors() {
        assertThrowsWith(AutogradException.class, () -> ForwardAD.makeDual(f64(1), f64(1)), "makeDual",
                "no dual level is open", "ForwardAD.dualLevel()");
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertThrowsWith(ShapeException.class, () -> ForwardAD.makeDual(f64(1, 2), f64(1, 2, 3)), "makeDual",
                    "[3]", "[2]", "exactly its primal's shape");
            assertThrowsWith(ShapeException.class, () -> ForwardAD.makeDual(Ember.ones(DType.FLOAT64, 2, 3),
                    f64(1, 2, 3)), "[3]", "[2, 3]", "not broadcast");
            assertThrowsWith(DTypeException.class, () -> ForwardAD.makeDual(Ember.tensor(1, 2), f64(1, 2)),
                    "makeDual", "float64", "float32", "tangent.to(DType.FLOAT32)");
            assertThrowsWith(DTypeException.class, () -> ForwardAD.makeDual(Ember.tensor(DType.INT64, 1, 2),
                    f64(1, 2)), "makeDual", "primal must be floating point", "int64", ".to(DType.FLOAT32)");
            assertThrowsWith(DTypeException.class, () -> ForwardAD.makeDual(f64(1, 2),
                    Ember.tensor(DType.INT64, 1, 2)), "tangent must be floating point", "int64");
            assertThrowsWith(AutogradException.class, () -> ForwardAD.makeDual(f64(1), null), "tangent is null");
            Tensor d = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            assertThrowsWith(AutogradException.class, () -> ForwardAD.makeDual(d, f64(3, 3)),
                    "already carries a tangent", level.toString(), "unpackDual(t).primal()");
            assertThrowsWith(AutogradException.class, () -> ForwardAD.makeDual(d.mul(2.0).get(0),
                    Ember.scalar(DType.FLOAT64, 1)),
                    "already carries a tangent");
            assertThrowsWith(AutogradException.class, () -> ForwardAD.makeDual(f64(1, 2), d),
                    "tangent", "itself carries a tangent");
            Tensor p = ForwardAD.unpackDual(d).primal();
            assertValues(ForwardAD.unpackDual(ForwardAD.makeDual(p, f64(2, 2)).mul(p)).tangent(), 2, 4);
        }
    }

    @Test
    void setTangentErrors() {
        Tensor out = f64(1, 2);
        assertThrowsWith(AutogradException.class, () -> ForwardAD.setTangent(out, f64(1, 1)), "setTangent",
                "no dual level is open");
        try (DualLevel level = ForwardAD.dualLevel()) {
            assertThrowsWith(ShapeException.class, () -> ForwardAD.setTangent(out, f64(1)), "setTangent", "[1]",
                    "[2]");
            assertThrowsWith(DTypeException.class, () -> ForwardAD.setTangent(out, Ember.tensor(1, 1)), "setTangent",
                    "float32", "float64");
            assertThrowsWith(DTypeException.class, () -> ForwardAD.setTangent(Ember.tensor(DType.INT64, 1, 2),
                    f64(1, 1)), "setTangent", "int64", "floating-point");
            Tensor d = ForwardAD.makeDual(f64(0, 0), f64(1, 1));
            assertThrowsWith(AutogradException.class, () -> ForwardAD.setTangent(out, d), "itself carries a tangent");
            assertNull(ForwardAD.tangentOf(out), "failed calls set nothing");
        }
    }

    /** What a custom Function's forward-mode support does: read the inputs' tangents, set the outputs'. */
    @Test
    void customFunctionHooks() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(f64(1, 2, 3), f64(1, 0, 2));
            Tensor tx = ForwardAD.tangentOf(x);
            Tensor out;
            try (ForwardAD.Suspension s = ForwardAD.suspend()) {
                assertTrue(ForwardAD.isSuspended());
                out = x.mul(x);   // the "forward", computed without tangents
                assertNull(ForwardAD.tangentOf(out));
                try (ForwardAD.Suspension inner = ForwardAD.suspend()) {
                    assertNull(ForwardAD.tangentOf(x.exp()), "suspension nests");
                }
                assertTrue(ForwardAD.isSuspended());
            }
            assertFalse(ForwardAD.isSuspended());
            ForwardAD.setTangent(out, tx.mul(ForwardAD.unpackDual(x).primal()).mul(2.0));   // the "jvp"
            assertValues(ForwardAD.unpackDual(out.add(1.0)).tangent(), 2, 0, 12);
            ForwardAD.setTangent(out, null);
            assertNull(ForwardAD.tangentOf(out));
            Tensor self = f64(4, 5);
            ForwardAD.setTangent(self, self);
            assertNotSame(self.impl().storage(), ForwardAD.tangentOf(self).impl().storage(),
                    "a tangent sharing the tensor's storage is copied");
        }
        assertFalse(ForwardAD.isSuspended());
        try (ForwardAD.Suspension s = ForwardAD.suspend()) {
            assertFalse(ForwardAD.isSuspended(), "without an open level suspension costs (and does) nothing");
        }
    }

    // ---- layout, views and in-place ops -------------------------------------------------------------------------

    @Test
    void aTangentIsLaidOutLikeItsPrimal() {
        Tensor primal = Ember.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).t();   // strides [1, 3]
        Tensor tangent = Ember.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);      // contiguous
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor d = ForwardAD.makeDual(primal, tangent);
            Tensor t = ForwardAD.tangentOf(d);
            assertArrayEquals(primal.impl().strides(), t.impl().strides());
            assertArrayEquals(tangent.toDoubleArray(), t.toDoubleArray());
            // d.t() is contiguous: it can be viewed, and so can its tangent (equal strides)
            assertValues(ForwardAD.tangentOf(d.t().view(6)), 1, 3, 5, 2, 4, 6);
            Tensor same = f64(1, 2);
            Tensor s = ForwardAD.makeDual(same, same);
            assertNotSame(same.impl().storage(), ForwardAD.tangentOf(s).impl().storage(),
                    "a tangent that is the primal is copied, so in-place ops cannot write one through the other");
            s.mul_(2.0);
            assertValues(same, 2, 4);
            assertValues(ForwardAD.tangentOf(s), 2, 4);
        }
    }

    @Test
    void viewsCarryViewsOfTheTangent() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor m = ForwardAD.makeDual(Ember.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                    Ember.fromArray(new double[] {10, 20, 30, 40, 50, 60}, 2, 3));
            Tensor row = m.get(1);
            Tensor col = m.t().select(0, 2);
            Tensor tm = ForwardAD.tangentOf(m);
            assertSame(tm.impl().storage(), ForwardAD.tangentOf(row).impl().storage());
            assertValues(ForwardAD.tangentOf(row), 40, 50, 60);
            assertValues(ForwardAD.tangentOf(col), 30, 60);
            List<Tensor> parts = m.split(2, 1);
            assertValues(ForwardAD.tangentOf(parts.get(1)), 30, 60);
            m.mul_(2.0);   // the tangent is updated in place: every view sees it
            assertSame(tm, ForwardAD.tangentOf(m));
            assertValues(ForwardAD.tangentOf(row), 80, 100, 120);
            assertValues(ForwardAD.tangentOf(col), 60, 120);
            assertValues(ForwardAD.tangentOf(parts.get(0)), 20, 40, 80, 100);
        }
    }

    /** PyTorch's examples: in-place ops update tangents; writing a dual value into a view gives its base one. */
    @Test
    void inPlaceOpsUpdateTangents() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor a = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            Tensor ta = ForwardAD.tangentOf(a);
            int version = ta.version();
            a.mul_(3.0);
            assertSame(ta, ForwardAD.tangentOf(a), "updated in place");
            assertTrue(ta.version() > version, "the tangent's version counter records the write");
            assertValues(ta, 3, 3);

            Tensor b = f64(1, 2);
            b.mul_(a);   // b had no tangent: it gets one
            assertValues(b, 3, 12);
            assertValues(ForwardAD.tangentOf(b), 3, 6);

            Tensor base = ForwardAD.makeDual(Ember.zeros(DType.FLOAT64, 2, 2), Ember.zeros(DType.FLOAT64, 2, 2));
            base.get(0).add_(a);
            assertValues(ForwardAD.tangentOf(base), 3, 3, 0, 0);

            Tensor plain = Ember.zeros(DType.FLOAT64, 2, 2);
            Tensor view = plain.get(0);
            view.copy_(a);   // a view of a tensor without a tangent: the base gets one, zero elsewhere
            assertValues(ForwardAD.tangentOf(plain), 3, 3, 0, 0);
            assertValues(ForwardAD.tangentOf(view), 3, 3);

            Tensor c = Ember.zeros(DType.FLOAT64, 2, 2);
            Tensor old = c.get(1);   // a view made before its base got a tangent
            c.copy_(ForwardAD.makeDual(Ember.ones(DType.FLOAT64, 2, 2), Ember.full(DType.FLOAT64, new int[] {2, 2}, 7)));
            assertValues(ForwardAD.tangentOf(old), 7, 7);

            Tensor e = ForwardAD.makeDual(Ember.zeros(DType.FLOAT64, 2, 2), Ember.ones(DType.FLOAT64, 2, 2));
            e.get(0).copy_(f64(5, 6));   // a value without a tangent: that part's tangent becomes 0
            assertValues(ForwardAD.tangentOf(e), 0, 0, 1, 1);
            e.fill_(1.0);
            assertValues(ForwardAD.tangentOf(e), 0, 0, 0, 0);
            Tensor r = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            Ember.manualSeed(0);
            r.normal_(0, 1);
            assertValues(ForwardAD.tangentOf(r), 0, 0);
        }
    }

    @Test
    void aFailedInPlaceOpChangesNeitherValuesNorTangent() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor a = ForwardAD.makeDual(f64(1, 2), f64(1, 1));
            Tensor other = ForwardAD.makeDual(f64(1, 2, 3), f64(1, 1, 1));
            assertThrowsWith(ShapeException.class, () -> a.add_(other), "add");
            assertValues(a, 1, 2);
            assertValues(ForwardAD.tangentOf(a), 1, 1);
            // PyTorch's error for a tangent that is a leaf requiring grad, written in place with grad mode on
            Tensor t = f64(1, 1).requiresGrad_();
            Tensor d = ForwardAD.makeDual(f64(3, 4), t);
            assertThrowsWith(AutogradException.class, () -> d.mul_(2.0), "leaf tensor that requires grad");
            assertValues(d, 3, 4);
            assertValues(t, 1, 1);
        }
    }

    // ---- forward-over-reverse ------------------------------------------------------------------------------------

    /** A tangent that requires grad gives a JVP that can be differentiated (PyTorch's example: z = d * d). */
    @Test
    void jvpsAreDifferentiable() {
        Tensor tl = f64(1, 1).requiresGrad_();
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor d = ForwardAD.makeDual(f64(3, 4), tl);
            Tensor zt = ForwardAD.unpackDual(d.mul(d)).tangent();
            assertEquals("AddBackward", zt.gradFn().name());
            zt.sum().backward();
            assertValues(tl.grad(), 6, 8);
        }
    }

    /** The Hessian-vector product by forward-over-reverse equals the one by double backward. */
    @Test
    void hessianVectorProductForwardOverReverse() {
        Tensor x0 = f64(0.5, -1.0, 2.0);
        Tensor v = f64(1.0, 0.5, -2.0);
        java.util.function.UnaryOperator<Tensor> f = x -> x.pow(3.0).sum().add(x.sin().mul(x.get(0)).sum());
        Tensor hvp;
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(x0.detach().requiresGrad_(), v);
            Tensor g = Autograd.grad(List.of(f.apply(x)), List.of(x), null, GradOptions.DEFAULT)[0];
            hvp = ForwardAD.unpackDual(g).tangent();
            assertNotNull(hvp, "the gradient carries a tangent: the backward formulas are ops too");
        }
        Tensor x = x0.detach().requiresGrad_();
        Tensor g = Autograd.grad(List.of(f.apply(x)), List.of(x), null, GradOptions.createGraph())[0];
        Tensor expected = Autograd.grad(List.of(g.mul(v).sum()), List.of(x), null, GradOptions.DEFAULT)[0];
        assertArrayEquals(expected.toDoubleArray(), hvp.toDoubleArray(), 1e-12);
    }

    // ---- printing ----------------------------------------------------------------------------------------------

    @Test
    void dualTensorsPrintTheirTangent() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor y = ForwardAD.makeDual(Ember.scalar(1.0), Ember.scalar(1.0)).pow(2);
            assertEquals("tensor(1., tangent=2.0)", y.toString());
            // PyTorch prints a 0-d tangent as the Python float of its value (float32 1e-5 is 9.999999747378752e-06)
            assertEquals("tensor(1., tangent=9.999999747378752e-06)",
                    ForwardAD.makeDual(Ember.scalar(1.0), Ember.scalar(1e-5)).toString());
            assertEquals("tensor(3., tangent=123456792.0)",
                    ForwardAD.makeDual(Ember.scalar(3.0), Ember.scalar(123456789.0)).toString());
            assertEquals("tensor(1., dtype=float64, tangent=1e-05)",
                    ForwardAD.makeDual(Ember.scalar(DType.FLOAT64, 1.0), Ember.scalar(DType.FLOAT64, 1e-5)).toString());
            Tensor m = ForwardAD.makeDual(Ember.tensor(new double[][] {{1, 5, 2}, {7, 3, 4}}),
                    Ember.tensor(new double[][] {{10, 20, 30}, {40, 50, 60}}));
            assertEquals("tensor([[1., 5., 2.],\n        [7., 3., 4.]],\n       tangent=tensor([[10., 20., 30.],\n"
                    + "        [40., 50., 60.]]))", m.toString());
            assertEquals("tensor([2., 4.], tangent=tensor([2., 2.]))",
                    ForwardAD.makeDual(Ember.tensor(1, 2), Ember.tensor(1, 1)).mul(2.0).toString());
        }
    }
}
