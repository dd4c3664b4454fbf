package dev.ember.autograd;

import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GradModeTest {

    @Test
    void noGradStopsRecordingAndScopesNest() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor x = Ember.tensor(3.0, 4.0);
        try (var outer = Ember.noGrad()) {
            Tensor y = w.mul(x);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (var inner = Ember.enableGrad()) {
                assertTrue(w.mul(x).requiresGrad());
            }
            assertFalse(Ember.isGradEnabled());
        }
        assertTrue(Ember.isGradEnabled());
        assertTrue(w.mul(x).requiresGrad());
    }

    @Test
    void setGradEnabledWorksAsAScopeAndAsASetter() {
        try (var s = Ember.setGradEnabled(false)) {
            assertFalse(Ember.isGradEnabled());
        }
        assertTrue(Ember.isGradEnabled());
        var s = Ember.setGradEnabled(false);
        assertFalse(Ember.isGradEnabled());
        s.close();
        s.close();
        assertTrue(Ember.isGradEnabled());
    }

    @Test
    void lambdaFormsRunWithoutGrad() {
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        assertFalse(Ember.noGrad(() -> w.mul(2.0)).requiresGrad());
        AtomicBoolean seen = new AtomicBoolean(true);
        Ember.noGrad(() -> seen.set(Ember.isGradEnabled()));
        assertFalse(seen.get());
        assertTrue(Ember.isGradEnabled());
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        AtomicBoolean other = new AtomicBoolean(false);
        try (var s = Ember.noGrad()) {
            Thread t = new Thread(() -> other.set(Ember.isGradEnabled()));
            t.start();
            t.join();
        }
        assertTrue(other.get());
    }

    @Test
    void detachCutsTheGraphButSharesStorage() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = w.mul(Ember.tensor(3.0, 4.0));
        Tensor z = y.detach();
        assertTrue(z.isLeaf());
        assertFalse(z.requiresGrad());
        try (var g = Ember.noGrad()) {
            z.add_(1.0);
        }
        assertValues(y, 4, 9);
        assertTrue(y.version() == z.version() && y.version() == 1);
    }

    @Test
    void detachInPlaceMakesALeaf() {
        Tensor w = Ember.tensor(1.0).requiresGrad_();
        Tensor y = w.mul(2.0);
        y.detach_();
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
    }
}
