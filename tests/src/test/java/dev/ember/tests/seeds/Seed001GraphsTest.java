package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.examples.seeds.CustomFunction;
import dev.ember.examples.seeds.NoGradAndDetach;
import dev.ember.examples.seeds.RequiresGradAndGraph;
import dev.ember.examples.seeds.TruncatedBptt;

import java.util.List;

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

    /**
     * Section 5, "detach() ... Useful for Truncated Backpropagation through Time (TBPTT) in RNNs": the seed names
     * the technique without code. With the hidden state detached at each chunk, the RNN learns the sine wave (the
     * same losses as PyTorch to four decimals, after 80 SGD steps); without it, the second chunk's backward runs
     * into the first chunk's freed graph. PyTorch's message goes on with " (or directly access saved tensors ...",
     * Ember's names the node whose saved tensors were freed.
     */
    @Test
    void truncatedBackpropagationThroughTimeDetachesTheHiddenState() {
        List<String> lines = assertPrintsLikePyTorch("""
                epoch 1: loss=0.5261
                epoch 2: loss=0.1001
                epoch 4: loss=0.0336
                epoch 6: loss=0.0140
                epoch 8: loss=0.0048
                epoch 10: loss=0.0023
                step 16: caught RuntimeError: Trying to backward through the graph a second time...
                """, TruncatedBptt::run);
        String message = lines.get(lines.size() - 1);
        assertTrue(message.contains("retainGraph"), "says how to keep the graph: " + message);
    }
}
