package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.examples.seeds.BackwardTwice;
import dev.ember.examples.seeds.ForgettingToZeroGradients;
import dev.ember.examples.seeds.LossGradient;
import dev.ember.examples.seeds.ManualGradientCheck;
import dev.ember.examples.seeds.ManualGradientDescent;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)". Each expected block is PyTorch 1.13's stdout for the
 * program's Python twin ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is
 * respelled. Section 6 ({@code model.eval()}), section 8 ({@code clip_grad_norm_}) and Exercise 2 (torchviz)
 * come later.
 */
class Seed003AutogradTest {

    /** Sections 2 to 4: the seed prints {@code tensor([9.], grad_fn=<PowBackward0>)} and derives dL/dw = -12. */
    @Test
    void lossAndItsGradient() {
        assertPrintsLikePyTorch("""
                tensor([9.], grad_fn=<PowBackward0>)
                tensor([-12.])
                """, LossGradient::run);
    }

    /** Section 5: the seed prints no numbers, only that w converges to 2.5. */
    @Test
    void manualGradientDescentConvergesToTwoAndAHalf() {
        assertPrintsLikePyTorch("""
                Iter 1: w=4.0000, loss=225.0000
                Iter 2: w=2.8000, loss=9.0000
                Iter 3: w=2.5600, loss=0.3600
                Iter 4: w=2.5120, loss=0.0144
                Iter 5: w=2.5024, loss=0.0006
                Iter 6: w=2.5005, loss=0.0000
                Iter 7: w=2.5001, loss=0.0000
                Iter 8: w=2.5000, loss=0.0000
                Iter 9: w=2.5000, loss=0.0000
                Iter 10: w=2.5000, loss=0.0000
                Iter 11: w=2.5000, loss=0.0000
                Iter 12: w=2.5000, loss=0.0000
                Iter 13: w=2.5000, loss=0.0000
                Iter 14: w=2.5000, loss=0.0000
                Iter 15: w=2.5000, loss=0.0000
                Iter 16: w=2.5000, loss=0.0000
                Iter 17: w=2.5000, loss=0.0000
                Iter 18: w=2.5000, loss=0.0000
                Iter 19: w=2.5000, loss=0.0000
                Iter 20: w=2.5000, loss=0.0000
                """, ManualGradientDescent::run);
    }

    /**
     * Section 7, Mistake 1. The seed's sketch ({@code loss.backward()} on one loss, ten times) stops in PyTorch
     * at its second call with "Trying to backward through the graph a second time"; the program runs a forward
     * pass per epoch, so the gradients accumulate as the seed means.
     */
    @Test
    void forgettingToZeroGradientsAccumulatesThem() {
        assertPrintsLikePyTorch("""
                epoch 0: w.grad = tensor([-12.])
                epoch 1: w.grad = tensor([-24.])
                epoch 2: w.grad = tensor([-36.])
                epoch 0: w.grad = tensor([-12.])
                epoch 1: w.grad = tensor([-12.])
                epoch 2: w.grad = tensor([-12.])
                """, ForgettingToZeroGradients::run);
    }

    /**
     * Section 7, Mistake 2: the second backward fails ("ERROR! Graph was freed"); PyTorch's message goes on with
     * " (or directly access saved tensors after they have already been freed). ...", Ember's with its own.
     */
    @Test
    void backwardTwiceFailsUnlessTheGraphIsRetained() {
        List<String> lines = assertPrintsLikePyTorch("""
                w.grad: tensor([-12.])
                caught RuntimeError: Trying to backward through the graph a second time...
                w.grad: tensor([-24.])
                """, BackwardTwice::run);
        String message = lines.get(1);
        assertTrue(message.contains("PowBackward"), "names the node whose saved tensors were freed: " + message);
        assertTrue(message.contains("retainGraph"), "says how to fix it: " + message);
    }

    /** Section 9, Exercise 1: the seed's "Should be 12.0". */
    @Test
    void cubeHasGradientTwelveAtTwo() {
        assertPrintsLikePyTorch("""
                tensor([12.])
                """, ManualGradientCheck::run);
    }
}
