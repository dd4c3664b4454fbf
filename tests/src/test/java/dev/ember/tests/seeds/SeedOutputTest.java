package dev.ember.tests.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The respelling and comparison that the seed tests rely on. */
class SeedOutputTest {

    @Test
    void respellsPyTorchOutputAsEmberPrintsIt() {
        assertEquals("tensor(11., grad_fn=<SumBackward>)", SeedOutput.toEmber("tensor(11., grad_fn=<SumBackward0>)"));
        assertEquals("y.grad_fn: <MulBackward>", SeedOutput.toEmber("y.grad_fn: <MulBackward0 object at 0x7f83b88dd960>"));
        assertEquals("x: tensor([1.], requires_grad=true)", SeedOutput.toEmber("x: tensor([1.], requires_grad=True)"));
        assertEquals("Match: true / false / null", SeedOutput.toEmber("Match: True / False / None"));
        assertEquals("caught AutogradException: Trying", SeedOutput.toEmber("caught RuntimeError: Trying"));
        assertEquals("f.grad_fn: AddBackward <- AccumulateGrad", SeedOutput.toEmber("f.grad_fn: AddBackward0 <- AccumulateGrad"));
        assertEquals("Nonexistent Truer", SeedOutput.toEmber("Nonexistent Truer"));
    }

    @Test
    void comparesLinesExactlyAndEllipsisLinesAsPrefixes() {
        SeedOutput.assertPrintsLikePyTorch("a: True\ncaught RuntimeError: bad thing...\n", out -> {
            out.println("a: true");
            out.println("caught AutogradException: bad thing: and why");
        });
        assertThrows(AssertionError.class, () -> SeedOutput.assertPrintsLikePyTorch("tensor([1.])\n",
                out -> out.println("tensor([1.0])")));
        assertThrows(AssertionError.class, () -> SeedOutput.assertPrintsLikePyTorch("a\nb\n", out -> out.println("a")));
    }
}
