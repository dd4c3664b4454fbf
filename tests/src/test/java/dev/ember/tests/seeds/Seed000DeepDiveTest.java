package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.examples.seeds.ForwardModeJvp;
import dev.ember.examples.seeds.GradientHook;
import dev.ember.examples.seeds.HigherOrderDerivatives;
import dev.ember.examples.seeds.InPlaceVersionCounter;
import dev.ember.examples.seeds.MatrixVjp;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Seed 000, "Day 2: Autograd - Deep Dive". Each expected block is PyTorch 1.13's stdout for the program's Python
 * twin ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is respelled.
 */
class Seed000DeepDiveTest {

    /** Section 2: the seed says grad_1 = 3x^2 = 12 and grad_2 = 6x = 12 (in comments); PyTorch agrees. */
    @Test
    void higherOrderDerivatives() {
        assertPrintsLikePyTorch("""
                grad_1: tensor([12.], grad_fn=<MulBackward0>)
                grad_2: tensor([12.])
                """, HigherOrderDerivatives::run);
    }

    /**
     * Section 3: the seed's "Output: Gradient at v: tensor([2., 2.])" is what PyTorch prints. Its norm (2.83)
     * exceeds 1, so the hook clamps the gradient to [1, 1]; after the handle removes the hook, a second backward
     * neither logs nor clamps and adds [2, 2].
     */
    @Test
    void hookLogsAndClampsUntilRemoved() {
        assertPrintsLikePyTorch("""
                Gradient at v: tensor([2., 2.])
                v.grad: tensor([1., 1.])
                v.grad: tensor([3., 3.])
                """, GradientHook::run);
    }

    /**
     * Section 4: the seed quotes the error as "RuntimeError: one of the variables needed for gradient computation
     * has been modified by an inplace operation"; PyTorch goes on with ": [torch.FloatTensor [2]] is at version 1;
     * expected version 0 instead. Hint: ...", and Ember with its own explanation, checked below.
     */
    @Test
    void inPlaceWriteToASavedTensorIsCaughtAndExplained() {
        List<String> lines = assertPrintsLikePyTorch("""
                x._version: 0
                x._version: 1
                caught RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation...
                x._version: 0
                w.grad: tensor([3., 4.])
                """, InPlaceVersionCounter::run);
        String message = lines.get(2);
        assertTrue(message.contains("is at version 1; expected version 0"), message);
        assertTrue(message.contains("MulBackward"), "names the node that saved the tensor: " + message);
        assertTrue(message.contains("add_()"), "names the op that modified it: " + message);
    }

    /** Section 5: the JVP of x^2 at 1 in the direction 1 is 2x * 1 = 2. */
    @Test
    void forwardModeJvp() {
        assertPrintsLikePyTorch("""
                jvp: tensor(2.)
                """, ForwardModeJvp::run);
    }

    /**
     * Section 1, in prose: for y = Ax the Jacobian is A, and backward gives vᵀA without building it; ReLU's backward
     * multiplies by its local derivative, 0 or 1.
     */
    @Test
    void vectorJacobianProductOfAMatrixAndOfRelu() {
        assertPrintsLikePyTorch("""
                x.grad: tensor([1.5361, 1.3894])
                v^T A:  tensor([1.5361, 1.3894])
                z.grad: tensor([ 0.0000,  0.5000, -1.0000])
                """, MatrixVjp::run);
    }
}
