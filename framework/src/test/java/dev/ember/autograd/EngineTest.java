package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {

    @Test
    void sumOfProductGivesTheOtherFactorAndAccumulates() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);
        Tensor z = w.mul(x).sum();
        assertEquals("tensor(11., grad_fn=<SumBackward>)", z.toString());
        z.backward(GradOptions.retainGraph());
        assertValues(w.grad(), 3, 4);
        z.backward();
        assertValues(w.grad(), 6, 8);
        assertNull(x.grad());
    }

    @Test
    void gradientsOfEveryPathAreSummed() {
        Tensor x = Ember.tensor(5.0).requiresGrad_();
        Tensor y = x.add(2.0);
        Tensor z = x.mul(3.0);
        y.add(z).sum().backward();
        assertValues(x.grad(), 4);
    }

    @Test
    void eachNodeRunsOnceAfterAllItsConsumers() {
        // a diamond: b feeds c and d, which both feed e; b's node must run once, with the summed gradient
        Tensor a = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor b = a.mul(2.0);
        List<double[]> seenAtB = new ArrayList<>();
        b.registerHook(g -> {
            seenAtB.add(g.toDoubleArray());
            return null;
        });
        Tensor c = b.mul(3.0);
        Tensor d = b.exp().mul(0.0).add(b);
        c.add(d).sum().backward();
        assertEquals(1, seenAtB.size());
        assertTrue(Arrays.equals(new double[] {4, 4}, seenAtB.get(0)));
        assertValues(a.grad(), 8, 8);
    }

    @Test
    void backwardFromSeveralRoots() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        Tensor z = y.mul(y);
        Autograd.backward(List.of(y.sum(), z.sum()), null, GradOptions.DEFAULT, null);
        // d/dx (sum 2x + sum 4x^2) = 2 + 8x
        assertValues(x.grad(), 10, 18);
    }

    @Test
    void rootsThatDependOnEachOtherStillRunEachNodeOnce() {
        Tensor x = Ember.tensor(3.0).requiresGrad_();
        Tensor y = x.mul(x);
        Tensor z = y.mul(2.0);
        Autograd.backward(List.of(y, z), List.of(Ember.tensor(1.0), Ember.tensor(1.0)), GradOptions.DEFAULT, null);
        assertValues(x.grad(), 18); // (1 + 2) * 2x
    }

    @Test
    void vectorJacobianProductOfSin() {
        Ember.manualSeed(0);
        Tensor x = Ember.randn(3).requiresGrad_();
        Tensor y = x.sin();
        Tensor v = Ember.tensor(0.1, 1.0, 0.01);
        y.backward(v);
        double[] xs = x.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        double[] vs = {0.1, 1.0, 0.01};
        for (int i = 0; i < 3; i++) {
            assertEquals(vs[i] * Math.cos(xs[i]), g[i], 1e-6);
        }
        assertEquals("tensor([ 0.0030,  0.9573, -0.0057])", x.grad().toString());
    }

    @Test
    void nonScalarRootWithoutGradientIsRefused() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        assertThrowsWith(AutogradException.class, y::backward,
                "grad can be implicitly created only for scalar outputs", "[2]", "y.backward(Ember.onesLike(y))");
        assertNull(x.grad());
    }

    @Test
    void gradientOfTheWrongShapeOrDtypeIsRefused() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        assertThrowsWith(AutogradException.class, () -> y.backward(Ember.ones(3)), "Mismatch in shape", "[3]", "[2]");
        assertThrowsWith(AutogradException.class, () -> y.backward(Ember.ones(dev.ember.DType.FLOAT64, 2)),
                "Mismatch in dtype", "float64", "float32");
    }

    @Test
    void backwardOnATensorWithoutHistoryIsRefused() {
        Tensor x = Ember.tensor(1.0, 2.0);
        assertThrowsWith(AutogradException.class, () -> x.sum().backward(), "does not require grad",
                "requiresGrad_()");
    }

    @Test
    void secondBackwardThroughFreedSavedTensorsFailsClearly() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor loss = w.mul(w).sum();
        loss.backward();
        assertTrue(loss.gradFn().isReleased());
        AutogradException e = assertThrowsWith(AutogradException.class, loss::backward,
                "backward through the graph a second time", "MulBackward", "retainGraph");
        assertFalse(e.getMessage().isBlank());
        assertValues(w.grad(), 2, 4);
    }

    @Test
    void graphsThatSaveNothingCanBeTraversedTwice() {
        Tensor a = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor s = a.add(a).sum();
        s.backward();
        s.backward();
        assertValues(a.grad(), 4, 4);
    }

    @Test
    void retainGraphKeepsSavedTensors() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor loss = w.mul(w).sum();
        loss.backward(GradOptions.retainGraph());
        assertTrue(loss.gradFn().nextFunctions().get(0).node().savedBytes() > 0);
        loss.backward();
        assertValues(w.grad(), 4, 8);
        assertEquals(0, loss.gradFn().nextFunctions().get(0).node().savedBytes());
    }

    @Test
    void gradReturnsGradientsWithoutTouchingDotGrad() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor w = Ember.tensor(3.0, 4.0).requiresGrad_();
        Tensor y = x.mul(w).sum();
        Tensor[] g = Autograd.grad(List.of(y), List.of(x, w), null, GradOptions.DEFAULT);
        assertValues(g[0], 3, 4);
        assertValues(g[1], 1, 2);
        assertNull(x.grad());
        assertNull(w.grad());
    }

    @Test
    void gradOfAnUnusedInputFailsUnlessAllowed() {
        Tensor x = Ember.tensor(1.0).requiresGrad_();
        Tensor unused = Ember.tensor(1.0).requiresGrad_();
        Tensor y = x.mul(2.0).sum();
        assertThrowsWith(AutogradException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, GradOptions.retainGraph()),
                "input 1", "was not used", "allowUnused");
        Tensor[] g = Autograd.grad(List.of(y), List.of(x, unused), null, GradOptions.allowUnused());
        assertValues(g[0], 2);
        assertNull(g[1]);
    }

    @Test
    void gradWithRespectToAnInputThatDoesNotRequireGradIsRefused() {
        Tensor x = Ember.tensor(1.0).requiresGrad_();
        Tensor c = Ember.tensor(1.0);
        Tensor y = x.mul(c).sum();
        assertThrowsWith(AutogradException.class, () -> Autograd.grad(y, x, c), "input 1", "does not require grad");
    }

    @Test
    void gradWithRespectToANonLeafCapturesItsGradient() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        Tensor z = y.mul(y).sum();
        assertValues(Autograd.grad(z, y)[0], 4, 8);
        assertNull(x.grad());
    }

    @Test
    void secondDerivativeWithCreateGraph() {
        Tensor x = Ember.tensor(2.0).requiresGrad_();
        Tensor y = x.pow(3);
        Tensor g1 = Autograd.grad(y, x, GradOptions.createGraph())[0];
        assertValues(g1, 12);
        assertTrue(g1.requiresGrad());
        Tensor g2 = Autograd.grad(g1, x)[0];
        assertValues(g2, 12);
        Tensor x3 = Ember.tensor(2.0).requiresGrad_();
        Tensor d1 = Autograd.grad(x3.pow(3), x3, GradOptions.createGraph())[0];
        Tensor d2 = Autograd.grad(d1, x3, GradOptions.createGraph())[0];
        Tensor d3 = Autograd.grad(d2, x3)[0];
        assertValues(d3, 6);
    }

    @Test
    void backwardWithCreateGraphLeavesADifferentiableGrad() {
        Tensor x = Ember.tensor(3.0).requiresGrad_();
        x.pow(2).sum().backward(GradOptions.createGraph());
        assertValues(x.grad(), 6);
        assertTrue(x.grad().requiresGrad());
        Tensor g2 = Autograd.grad(x.grad(), x)[0];
        assertValues(g2, 2);
    }

    @Test
    void backwardWithInputsAccumulatesOnlyIntoThem() {
        Tensor a = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor b = Ember.tensor(3.0, 4.0).requiresGrad_();
        Tensor q = a.mul(b);
        Tensor s = q.mul(q).sum();
        s.backward(null, GradOptions.retainGraph(), a);
        assertValues(a.grad(), 18, 64); // 2 q b
        assertNull(b.grad());
        s.backward(null, GradOptions.DEFAULT, q);
        assertValues(q.grad(), 6, 16);
        assertNull(b.grad());
    }

    @Test
    void retainedGradientsOfNonLeavesAccumulateAcrossBackwards() {
        Tensor p = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor q = p.mul(2.0);
        q.retainGrad();
        assertTrue(q.retainsGrad());
        Tensor s = q.mul(q).sum();
        s.backward(GradOptions.retainGraph());
        assertValues(q.grad(), 4, 8);
        s.backward();
        assertValues(q.grad(), 8, 16);
    }

    @Test
    void nonLeafGradientsAreNotKeptUnlessAsked() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        y.mul(y).sum().backward();
        assertValues(x.grad(), 8, 16, 24);
        assertNull(y.grad());
        assertFalse(y.retainsGrad());
    }

    @Test
    void leafAccumulationCopiesTheFirstGradient() {
        // add's backward hands the same gradient to both inputs: the leaves must not share one tensor
        Tensor a = Ember.tensor(1.0).requiresGrad_();
        Tensor b = Ember.tensor(2.0).requiresGrad_();
        a.add(b).sum().backward();
        a.grad().zero_();
        assertValues(b.grad(), 1);
    }

    @Test
    void userGradientIsNotAliasedByDotGrad() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor v = Ember.tensor(1.0, 1.0);
        x.backward(v);
        x.grad().mul_(5.0);
        assertValues(v, 1, 1);
        assertValues(x.grad(), 5, 5);
    }

    @Test
    void theEngineRunsTheMostRecentlyCreatedReadyNodeFirst() {
        Tensor x = Ember.tensor(1.0).requiresGrad_();
        List<String> order = new ArrayList<>();
        Tensor a = x.mul(2.0);
        a.registerHook(g -> {
            order.add("a");
            return null;
        });
        Tensor b = x.mul(3.0);
        b.registerHook(g -> {
            order.add("b");
            return null;
        });
        a.add(b).sum().backward();
        assertEquals(List.of("b", "a"), order);
    }

    @Test
    void nextFunctionsLinkToInputNodes() {
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        Tensor c = Ember.tensor(2.0);
        Tensor y = w.mul(c);
        assertEquals("MulBackward", y.gradFn().name());
        List<Edge> next = y.gradFn().nextFunctions();
        assertEquals(2, next.size());
        assertTrue(next.get(0).node() instanceof AccumulateGrad);
        assertSame(w, ((AccumulateGrad) next.get(0).node()).variable());
        assertNull(next.get(1));
    }

    @Test
    void multiOutputNodesGetZerosForOutputsWithoutGradient() {
        Tensor x = Ember.tensor(1.0, 2.0, 3.0, 4.0).requiresGrad_();
        List<Tensor> parts = x.split(2, 0);
        assertSame(parts.get(0).gradFn(), parts.get(1).gradFn());
        parts.get(1).mul(3.0).sum().backward();
        assertValues(x.grad(), 0, 0, 3, 3);
    }
}
