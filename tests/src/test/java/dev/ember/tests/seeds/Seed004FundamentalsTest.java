package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;

import dev.ember.examples.seeds.ComputingGradients;
import dev.ember.examples.seeds.ExplicitVjp;
import dev.ember.examples.seeds.GradientStorage;
import dev.ember.examples.seeds.ImplicitVjp;
import dev.ember.examples.seeds.LeafTensors;
import dev.ember.examples.seeds.NonLeafTensors;
import dev.ember.examples.seeds.RequiresGradPropagation;
import dev.ember.examples.seeds.RetainGrad;
import dev.ember.examples.seeds.TrainableParameters;

import org.junit.jupiter.api.Test;

/**
 * Seed 004, "Autograd Fundamentals". Each expected block is PyTorch 1.13's stdout for the program's Python twin
 * ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is respelled.
 */
class Seed004FundamentalsTest {

    /** "Leaf Tensors": the seed's True, None, True. */
    @Test
    void leafTensors() {
        assertPrintsLikePyTorch("""
                x.is_leaf: True
                x.grad_fn: None
                x.requires_grad: True
                """, LeafTensors::run);
    }

    /**
     * "Non-Leaf Tensors": the seed's comments show {@code <MulBackward0>} and {@code <PowBackward0>}; PyTorch
     * prints {@code <MulBackward0 object at 0x7f83b88dd960>} (an address that changes from run to run).
     */
    @Test
    void nonLeafTensors() {
        assertPrintsLikePyTorch("""
                y.is_leaf: False
                y.grad_fn: <MulBackward0 object at 0x7f83b88dd960>
                z.grad_fn: <PowBackward0 object at 0x7f83b88dd960>
                """, NonLeafTensors::run);
    }

    /** "The requires_grad Attribute": the seed's True. */
    @Test
    void requiresGradPropagates() {
        assertPrintsLikePyTorch("""
                c.requires_grad: True
                """, RequiresGradPropagation::run);
    }

    /**
     * "Example: Computing Gradients". The seed's Output block differs from PyTorch 1.13 in three places:
     * <ul>
     *   <li>{@code loss: tensor(7.2274, grad_fn=<SumBackward0>)}: an f-string formats a 0-d tensor through
     *       {@code item()}, so PyTorch prints the Python float {@code loss: 7.207892417907715} (its repr would be
     *       {@code tensor(7.2079, grad_fn=<SumBackward0>)}); and the value is 7.2079, not 7.2274
     *       (1.5410^2 + 0.2934^2 + 2.1788^2 = 7.2079);</li>
     *   <li>{@code x.grad: tensor([ 3.0820, -0.5868, -4.3576])}: PyTorch prints -0.5869 (x[1] = -0.29342890, and
     *       2 x[1] = -0.58685780);</li>
     *   <li>{@code Expected (2*x): ...}: the same -0.5868 for -0.5869.</li>
     * </ul>
     * x itself ({@code tensor([ 1.5410, -0.2934, -2.1788], requires_grad=True)}) and {@code Match: True} are right.
     */
    @Test
    void computingGradientsWithManualSeedZero() {
        assertPrintsLikePyTorch("""
                x: tensor([ 1.5410, -0.2934, -2.1788], requires_grad=True)
                loss: 7.207892417907715
                x.grad: tensor([ 3.0820, -0.5869, -4.3576])
                Expected (2*x): tensor([ 3.0820, -0.5869, -4.3576])
                Match: True
                """, ComputingGradients::run);
    }

    /**
     * "Gradient Storage Behavior": the seed's comment says x.grad is {@code tensor([4., 8., 12.])}; PyTorch prints
     * {@code tensor([ 8., 16., 24.])} (dz/dx = 8x; [4, 8, 12] is y's gradient). y.grad is None, as the seed says
     * (PyTorch also warns on stderr about reading a non-leaf's .grad).
     */
    @Test
    void onlyLeavesStoreGradients() {
        assertPrintsLikePyTorch("""
                x.grad: tensor([ 8., 16., 24.])
                y.grad: None
                """, GradientStorage::run);
    }

    /**
     * "Retaining Gradients for Non-Leaf Tensors": the seed's [8, 16, 24] and [4, 8, 12]; its comments write
     * {@code tensor([8., 16., 24.])} and {@code tensor([4., 8., 12.])}, where PyTorch pads every element to the
     * widest: {@code tensor([ 8., 16., 24.])}, {@code tensor([ 4.,  8., 12.])}.
     */
    @Test
    void retainGradStoresANonLeafsGradient() {
        assertPrintsLikePyTorch("""
                x.grad: tensor([ 8., 16., 24.])
                y.grad: tensor([ 4.,  8., 12.])
                """, RetainGrad::run);
    }

    /** "Implicit VJP for Scalar Outputs": the seed's {@code tensor([2., 4., 6.])}. */
    @Test
    void implicitVjpOfAScalar() {
        assertPrintsLikePyTorch("""
                x.grad: tensor([2., 4., 6.])
                """, ImplicitVjp::run);
    }

    /**
     * "Explicit VJP for Non-Scalar Outputs": the seed prints x.grad of an unseeded randn(3) (no value given); the
     * program seeds with 0, so x.grad = v * cos(x) can be compared.
     */
    @Test
    void explicitVjpOfSine() {
        assertPrintsLikePyTorch("""
                x: tensor([ 1.5410, -0.2934, -2.1788], requires_grad=True)
                x.grad: tensor([ 0.0030,  0.9573, -0.0057])
                v * cos(x): tensor([ 0.0030,  0.9573, -0.0057])
                """, ExplicitVjp::run);
    }

    /** "Common Patterns": the seed prints nothing; the program seeds with 0 and prints the flags and norms. */
    @Test
    void trainableParametersAndSafeGradNorm() {
        assertPrintsLikePyTorch("""
                w.requires_grad: True
                w.requires_grad: True
                w.is_leaf: True
                safe_grad_norm(w): 0.0000
                safe_grad_norm(w): 6.4445
                2 * w.norm(): 6.4445
                """, TrainableParameters::run);
    }
}
