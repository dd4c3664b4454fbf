package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

class AnomalyModeTest {

    @Test
    void nanInBackwardNamesTheNodeAndItsForwardCallSite() {
        Tensor x = Ember.tensor(0.0, 1.0).requiresGrad_();
        try (var a = Ember.detectAnomaly()) {
            Tensor y = x.sqrt().sum();
            AutogradException e = assertThrowsWith(AutogradException.class, y::backward, "SqrtBackward",
                    "inf", "input 0", "was made here", "AnomalyModeTest.nanInBackwardNamesTheNodeAndItsForwardCallSite");
            assertFalse(e.getMessage().contains("dev.ember.ops."));
        }
    }

    @Test
    void withoutAnomalyModeNonFiniteGradientsPassSilentlyAsInPyTorch() {
        Tensor x = Ember.tensor(0.0, 1.0).requiresGrad_();
        x.sqrt().sum().backward();
        assertTrue(Double.isInfinite(x.grad().toDoubleArray()[0]));
        assertNull(x.sqrt().gradFn().creationSite());
    }

    @Test
    void versionErrorShowsWhereTheTensorWasModified() {
        try (var a = Ember.detectAnomaly()) {
            Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
            Tensor x = Ember.tensor(3.0, 4.0);
            Tensor y = w.mul(x).sum();
            modifyInPlace(x);
            assertThrowsWith(AutogradException.class, y::backward, "add_()", "The modification happened here",
                    "AnomalyModeTest.modifyInPlace", "MulBackward was created here",
                    "AnomalyModeTest.versionErrorShowsWhereTheTensorWasModified");
        }
        assertFalse(AnomalyMode.isEnabled());
    }

    private static void modifyInPlace(Tensor t) {
        t.add_(1.0);
    }
}
