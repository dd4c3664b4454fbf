package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.examples.seeds.ChainRuleExample;
import dev.ember.examples.seeds.Checkpointing;
import dev.ember.examples.seeds.ForwardModeRules;
import dev.ember.examples.seeds.GradientAccumulation;
import dev.ember.examples.seeds.GraphStructure;
import dev.ember.examples.seeds.MixedPartials;
import dev.ember.examples.seeds.VanishingAndExplodingGradients;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)". The seed has worked examples
 * but no code; each expected block is PyTorch 1.13's stdout for the program's Python twin
 * ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is respelled.
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

    /**
     * "Forward Mode Differentiation", the seed's propagation rules for dual numbers (u, u̇): at u = 2, u̇ = 1,
     * v = 3, v̇ = 0.5, the sum's tangent is 1.5, the product's u̇v + uv̇ = 4, and sin's f'(u) u̇ = cos 2.
     */
    @Test
    void forwardModePropagationRules() {
        assertPrintsLikePyTorch("""
                sum: primal=5.0, tangent=1.5
                product: primal=6.0, tangent=4.0
                sin: primal=0.9092974066734314, tangent=-0.416146844625473, cos(u) * u'=-0.416146844625473
                """, ForwardModeRules::run);
    }

    /**
     * "Higher-Order Derivatives": first order, second order and mixed partial of the seed's own example
     * f = (x + y) sin(x) at x = 2, y = 3: d2f/dx2 = 2 cos 2 - 5 sin 2, both mixed partials cos 2.
     */
    @Test
    void secondOrderAndMixedPartialDerivatives() {
        assertPrintsLikePyTorch("""
                df/dx: -1.1714367866516113
                df/dy: 0.9092974066734314
                d2f/dx2: -5.378780364990234
                expected: -5.378780364990234
                d2f/dxdy: -0.416146844625473
                d2f/dydx: -0.416146844625473
                cos(x): -0.416146844625473
                """, MixedPartials::run);
    }

    /**
     * "Memory Optimization Strategies: Gradient Checkpointing". The bytes are those of the tensors saved for
     * backward (in PyTorch counted by a saved_tensors_hooks pack hook, in Ember by Checkpoint.heldBytes), and they
     * agree; the loss and the gradients do not change. The seed's claims, checked on the printed numbers: the
     * memory saved grows like √n (from 16 to 64 layers √n doubles, and so, within 10%, does the factor), and the
     * extra computation is less than one forward pass.
     */
    @Test
    void checkpointingSavesMemoryThatGrowsLikeSqrtNForLessThanOneExtraForwardPass() {
        List<String> lines = assertPrintsLikePyTorch("""
                16 layers, 4 segments: loss 0.020341 / 0.020341, same gradients: True
                  saved for backward: 2228224 bytes without checkpointing, 802816 with: 2.78 times less
                  layers run: 16 forward, 12 again in backward
                64 layers, 8 segments: loss 0.018315 / 0.018315, same gradients: True
                  saved for backward: 8716288 bytes without checkpointing, 1605632 with: 5.43 times less
                  layers run: 64 forward, 56 again in backward
                """, Checkpointing::run);
        double[] factor = new double[2];
        for (int i = 0; i < 2; i++) {
            Matcher bytes = Pattern.compile("saved for backward: (\\d+) bytes without checkpointing, (\\d+) with")
                    .matcher(lines.get(3 * i + 1));
            assertTrue(bytes.find(), lines.get(3 * i + 1));
            factor[i] = Double.parseDouble(bytes.group(1)) / Double.parseDouble(bytes.group(2));
            Matcher runs = Pattern.compile("layers run: (\\d+) forward, (\\d+) again").matcher(lines.get(3 * i + 2));
            assertTrue(runs.find(), lines.get(3 * i + 2));
            assertTrue(Integer.parseInt(runs.group(2)) < Integer.parseInt(runs.group(1)), lines.get(3 * i + 2));
        }
        assertTrue(factor[0] > 2, "16 layers: " + factor[0]);
        assertEquals(2.0, factor[1] / factor[0], 0.2, "the factor grows like sqrt(n): " + factor[1] + " / " + factor[0]);
    }

    /**
     * "Gradient Flow Analysis" (with seed 003, section 8): the gradient-flow report of four deep networks. Its
     * layout is Ember's; the twin prints the same table from PyTorch's gradients (in float64, as the report
     * computes), and every number agrees to the four digits shown, through eight layers. Sigmoid layers: the first
     * layer's gradient is flagged VANISHING; N(0, 1) weights: every layer EXPLODING; Kaiming's initialisation:
     * one order of magnitude throughout, but dead ReLU units; LeakyReLU: no problems.
     */
    @Test
    void vanishingExplodingAndDeadUnitsInTheGradientFlowReport() {
        assertPrintsLikePyTorch("""
                sigmoid, default init:
                Gradient flow: 9 parameters, 1 flagged (vanishing < 1e-07, exploding > 1e+03)
                parameter  shape     grad norm   mean |g|    max |g|    |g|/|w|  flags
                0.weight   [16, 16]  1.076e-08  4.026e-10  3.311e-09  4.531e-09  VANISHING
                2.weight   [16, 16]  2.395e-07  1.239e-08  4.059e-08  1.062e-07
                4.weight   [16, 16]  1.374e-06  6.969e-08  2.484e-07  5.614e-07
                6.weight   [16, 16]  1.033e-05  4.436e-07  2.346e-06  4.442e-06
                8.weight   [16, 16]  9.133e-05  4.278e-06  1.347e-05  4.059e-05
                10.weight  [16, 16]  5.930e-04  3.016e-05  7.589e-05  2.674e-04
                12.weight  [16, 16]  4.946e-03  2.522e-04  7.611e-04  2.234e-03
                14.weight  [16, 16]  3.447e-02  1.782e-03  4.710e-03  1.522e-02
                16.weight  [1, 16]   2.695e-01  6.673e-02  8.011e-02  5.191e-01
                relu, N(0, 1) init:
                Gradient flow: 9 parameters, 9 flagged (vanishing < 1e-07, exploding > 1e+03)
                parameter  shape     grad norm   mean |g|    max |g|    |g|/|w|  flags
                0.weight   [16, 16]  7.105e+06  3.204e+05  1.601e+06  4.489e+05  EXPLODING
                2.weight   [16, 16]  7.742e+06  3.076e+05  2.381e+06  4.664e+05  EXPLODING
                4.weight   [16, 16]  6.966e+06  2.373e+05  2.318e+06  4.470e+05  EXPLODING, DEAD UNITS 1/16 [10]
                6.weight   [16, 16]  8.975e+06  2.650e+05  3.155e+06  5.387e+05  EXPLODING, DEAD UNITS 1/16 [3]
                8.weight   [16, 16]  8.777e+06  2.440e+05  3.391e+06  5.593e+05  EXPLODING, DEAD UNITS 4/16 [1, 3, 12, 13]
                10.weight  [16, 16]  1.130e+07  2.547e+05  4.817e+06  6.879e+05  EXPLODING, DEAD UNITS 3/16 [1, 2, 5]
                12.weight  [16, 16]  6.139e+06  1.599e+05  2.867e+06  3.990e+05  EXPLODING, DEAD UNITS 1/16 [2]
                14.weight  [16, 16]  7.522e+06  2.275e+05  3.311e+06  4.583e+05  EXPLODING, DEAD UNITS 2/16 [6, 15]
                16.weight  [1, 16]   8.613e+06  1.506e+06  4.541e+06  2.684e+06  EXPLODING
                relu, Kaiming init:
                Gradient flow: 9 parameters, 5 flagged (vanishing < 1e-07, exploding > 1e+03)
                parameter  shape     grad norm   mean |g|    max |g|    |g|/|w|  flags
                0.weight   [16, 16]  4.744e-02  1.785e-03  1.627e-02  8.191e-03
                2.weight   [16, 16]  3.953e-02  1.397e-03  1.345e-02  7.505e-03
                4.weight   [16, 16]  2.929e-02  1.012e-03  1.421e-02  5.637e-03
                6.weight   [16, 16]  3.226e-02  1.157e-03  1.344e-02  5.850e-03  DEAD UNITS 1/16 [0]
                8.weight   [16, 16]  3.111e-02  9.179e-04  1.236e-02  5.916e-03  DEAD UNITS 3/16 [0, 6, 9]
                10.weight  [16, 16]  2.411e-02  6.069e-04  1.342e-02  3.929e-03  DEAD UNITS 1/16 [15]
                12.weight  [16, 16]  2.722e-02  6.841e-04  1.125e-02  4.937e-03  DEAD UNITS 5/16 [3, 7, 9, 10, 14]
                14.weight  [16, 16]  3.586e-02  7.964e-04  1.339e-02  6.256e-03  DEAD UNITS 8/16 [2, 3, 6, 7, 8, 10, 11, 12]
                16.weight  [1, 16]   2.624e-02  3.252e-03  2.143e-02  1.799e-02
                leaky relu, Kaiming init:
                Gradient flow: 9 parameters, no problems (vanishing < 1e-07, exploding > 1e+03)
                parameter  shape     grad norm   mean |g|    max |g|    |g|/|w|  flags
                0.weight   [16, 16]  1.138e+01  4.659e-01  3.705e+00  1.878e+00
                2.weight   [16, 16]  1.447e+01  5.678e-01  4.074e+00  2.494e+00
                4.weight   [16, 16]  2.329e+01  7.507e-01  1.176e+01  4.242e+00
                6.weight   [16, 16]  1.997e+01  4.753e-01  1.079e+01  3.457e+00
                8.weight   [16, 16]  1.870e+01  4.556e-01  7.913e+00  3.194e+00
                10.weight  [16, 16]  1.810e+01  5.137e-01  6.439e+00  3.270e+00
                12.weight  [16, 16]  2.070e+01  5.227e-01  9.575e+00  3.711e+00
                14.weight  [16, 16]  2.140e+01  4.657e-01  9.572e+00  3.669e+00
                16.weight  [1, 16]   1.562e+01  2.347e+00  9.946e+00  8.043e+00
                """, VanishingAndExplodingGradients::run);
    }
}
