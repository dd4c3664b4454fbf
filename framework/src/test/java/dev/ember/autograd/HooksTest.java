package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HooksTest {

    @Test
    void seedHookLogsAndClampsInsideTheGraph() {
        Tensor v = Ember.tensor(1.0, 2.0).requiresGrad_();
        List<String> log = new ArrayList<>();
        RemovableHandle handle = v.registerHook(grad -> {
            log.add("Gradient at v: " + grad);
            return grad.norm().item() > 1.0 ? grad.clamp(-1, 1) : null;
        });
        Tensor y = v.mul(2.0);
        y.sum().backward();
        assertEquals(List.of("Gradient at v: tensor([2., 2.])"), log);
        assertValues(v.grad(), 1, 1);
        handle.remove();
        handle.remove();
        v.mul(2.0).sum().backward();
        assertEquals(1, log.size());
        assertValues(v.grad(), 3, 3);
    }

    @Test
    void hooksRunInRegistrationOrderAndRetainedGradSeesTheFinalGradient() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        List<String> order = new ArrayList<>();
        y.registerHook(g -> {
            order.add("h1 " + g);
            return g.mul(10.0);
        });
        y.retainGrad();
        y.registerHook(g -> {
            order.add("h2 " + g);
            return null;
        });
        y.sum().backward();
        assertEquals(List.of("h1 tensor([1., 1.])", "h2 tensor([10., 10.])"), order);
        assertValues(y.grad(), 10, 10);
        assertValues(x.grad(), 20, 20);
    }

    @Test
    void leafHooksRunBeforeAccumulationAndPostAccumulateHooksAfter() {
        Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
        List<String> order = new ArrayList<>();
        w.registerHook(g -> {
            order.add("pre grad=" + w.grad());
            return g.mul(2.0);
        });
        w.registerPostAccumulateGradHook(leaf -> order.add("post grad=" + leaf.grad()));
        w.mul(3.0).sum().backward();
        assertEquals(List.of("pre grad=null", "post grad=tensor([6., 6.])"), order);
    }

    @Test
    void gradCapturesBeforeTheTargetsHooksAsPyTorch113Does() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        y.registerHook(g -> g.mul(100.0));
        assertValues(Autograd.grad(List.of(y.mul(3.0).sum()), List.of(y), null, GradOptions.retainGraph())[0], 3, 3);
        Tensor leaf = Ember.tensor(1.0, 2.0).requiresGrad_();
        leaf.registerHook(g -> g.mul(100.0));
        assertValues(Autograd.grad(leaf.mul(3.0).sum(), leaf)[0], 3, 3);
        // hooks still apply to gradients that flow on through the tensor
        Tensor x2 = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y2 = x2.mul(2.0);
        y2.registerHook(g -> g.mul(100.0));
        assertValues(Autograd.grad(y2.mul(3.0).sum(), x2)[0], 600, 600);
    }

    @Test
    void hookReturningAWrongShapeIsRefused() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor y = x.mul(2.0);
        y.registerHook(g -> Ember.ones(3));
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "hook", "MulBackward", "[3]", "[2]");
    }

    @Test
    void hooksOnTensorsWithoutGradAreRefused() {
        Tensor x = Ember.tensor(1.0, 2.0);
        assertThrowsWith(AutogradException.class, () -> x.registerHook(g -> g),
                "cannot register a hook on a tensor that does not require grad", "[2]");
        Tensor y = Ember.tensor(1.0).requiresGrad_().mul(2.0);
        assertThrowsWith(AutogradException.class, () -> y.registerPostAccumulateGradHook(t -> { }), "leaf",
                "MulBackward");
    }

    @Test
    void handleWorksWithTryWithResources() {
        Tensor v = Ember.tensor(1.0).requiresGrad_();
        try (RemovableHandle h = v.registerHook(g -> g.mul(5.0))) {
            v.mul(1.0).sum().backward();
        }
        v.mul(1.0).sum().backward();
        assertValues(v.grad(), 6);
    }
}
