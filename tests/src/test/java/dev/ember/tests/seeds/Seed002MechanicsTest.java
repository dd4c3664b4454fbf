package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;

import dev.ember.examples.seeds.ChainRuleExample;
import dev.ember.examples.seeds.GradientAccumulation;
import dev.ember.examples.seeds.GraphStructure;

import org.junit.jupiter.api.Test;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)". The seed has worked examples
 * but no code; each expected block is PyTorch 1.13's stdout for the program's Python twin
 * ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is respelled. Gradient
 * checkpointing comes later.
 */
class Seed002MechanicsTest {

    /** "Mathematical Example": the seed's z = 5, L = 25, dL/dz = 10, dL/dx = 10, dL/dy = 10. */
    @Test
    void chainRuleByHand() {
        assertPrintsLikePyTorch("""
                z: tensor(5., grad_fn=<AddBackward0>)
                L: tensor(25., grad_fn=<PowBackward0>)
                dL/dz: tensor(10.)
                dL/dx: tensor(10.)
                dL/dy: tensor(10.)
                """, ChainRuleExample::run);
    }

    /** "Gradient Accumulation": the seed's dL/dx = 1 + 3 = 4. */
    @Test
    void gradientsOfTwoPathsSum() {
        assertPrintsLikePyTorch("""
                x.grad: tensor(4.)
                """, GradientAccumulation::run);
    }

    /**
     * "Computational Graph Representation": f = (x + y) * sin(x) has the seed's graph (a product of a sum and a
     * sine, x feeding both); at x = 2, y = 3: df/dx = sin 2 + 5 cos 2 = -1.1714, df/dy = sin 2 = 0.9093.
     */
    @Test
    void graphOfTheSeedsExample() {
        assertPrintsLikePyTorch("""
                f: tensor(4.5465, grad_fn=<MulBackward0>)
                f.grad_fn: MulBackward0
                  AddBackward0 <- AccumulateGrad, AccumulateGrad
                  SinBackward0 <- AccumulateGrad
                x.grad: tensor(-1.1714)
                y.grad: tensor(0.9093)
                """, GraphStructure::run);
    }
}
