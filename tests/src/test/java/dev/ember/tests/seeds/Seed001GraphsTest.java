package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;

import dev.ember.examples.seeds.CustomFunction;
import dev.ember.examples.seeds.NoGradAndDetach;
import dev.ember.examples.seeds.RequiresGradAndGraph;

import org.junit.jupiter.api.Test;

/**
 * Seed 001, "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation". Each expected block is
 * PyTorch 1.13's stdout for the program's Python twin ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see
 * {@link SeedOutput} for how it is respelled.
 */
class Seed001GraphsTest {

    /**
     * Sections 3 and 4. The seed prints {@code tensor(11., grad_fn=<SumBackward0>)} (its comment on
     * {@code z = y.sum()} says AddBackward, but the node is SumBackward0) and gives w.grad as [3.0, 4.0], then
     * [6.0, 8.0] after a second {@code z.backward()}. Where the seed differs from PyTorch: a second plain
     * {@code z.backward()} raises "Trying to backward through the graph a second time" in PyTorch 1.13 (MulBackward0
     * saved x and the first call freed it), so the program passes {@code retain_graph=True} to the first call.
     */
    @Test
    void gradientsAccumulateOverTwoBackwardPasses() {
        assertPrintsLikePyTorch("""
                tensor(11., grad_fn=<SumBackward0>)
                tensor([3., 4.])
                tensor([6., 8.])
                tensor([0., 0.])
                """, RequiresGradAndGraph::run);
    }

    /** Section 5: the seed says y.requires_grad is False under no_grad and that z = y.detach() is a leaf. */
    @Test
    void noGradAndDetach() {
        assertPrintsLikePyTorch("""
                y.requires_grad: False
                y.grad_fn: None
                y: tensor([3., 8.], grad_fn=<MulBackward0>)
                z: tensor([3., 8.])
                z.is_leaf: True
                z.requires_grad: False
                """, NoGradAndDetach::run);
    }

    /** Section 6: MySquare at 3 gives 9 and the gradient 2 * 3 = 6. */
    @Test
    void customFunction() {
        assertPrintsLikePyTorch("""
                tensor(9., grad_fn=<MySquareBackward>)
                x.grad: tensor(6.)
                """, CustomFunction::run);
    }
}
