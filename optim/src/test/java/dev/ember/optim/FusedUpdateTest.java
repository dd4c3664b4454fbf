package dev.ember.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels against the same updates written as separate in-place ops (which OptimConformanceTest checks
 * against PyTorch, as it does the fused ones): both compute PyTorch's operations in PyTorch's order, so in float32
 * and float64 the parameters and the state must be equal bit for bit, for every option of every optimizer.
 */
class FusedUpdateTest {
    private static final int STEPS = 4;

    /** Runs STEPS steps of the optimizer from fixed parameters and gradients; returns the parameters and state. */
    private static List<double[]> run(Function<List<Tensor>, Optimizer> make, DType dtype, boolean fused) {
        Ember.manualSeed(7);
        List<Tensor> params = List.of(Ember.randn(33, 17).to(dtype).requiresGrad_(),
                Ember.randn(17).to(dtype).requiresGrad_());
        Optimizer opt = make.apply(params).setFused(fused);
        for (int s = 0; s < STEPS; s++) {
            for (Tensor p : params) {
                p.setGrad(Ember.randn(p.shape()).to(dtype));
            }
            opt.step();
        }
        List<double[]> out = new ArrayList<>();
        for (Tensor p : params) {
            out.add(p.toDoubleArray());
            for (Map.Entry<String, Object> e : opt.state(p).entrySet()) {
                if (e.getValue() instanceof Tensor t) {
                    out.add(t.toDoubleArray());
                }
            }
        }
        return out;
    }

    private static void assertSameBothWays(String what, Function<List<Tensor>, Optimizer> make) {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            List<double[]> fused = run(make, dtype, true);
            List<double[]> separate = run(make, dtype, false);
            assertEquals(separate.size(), fused.size(), what + ": state entries");
            for (int i = 0; i < fused.size(); i++) {
                assertArrayEquals(separate.get(i), fused.get(i), 0.0, what + " " + dtype + ": tensor " + i);
            }
        }
    }

    @Test
    void sgdFusedEqualsSeparateOps() {
        assertSameBothWays("plain", ps -> new SGD(ps, SGD.options().lr(0.1)));
        assertSameBothWays("momentum", ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9)));
        assertSameBothWays("dampening", ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).dampening(0.3)));
        assertSameBothWays("nesterov", ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.8).nesterov(true)));
        assertSameBothWays("weight decay, maximize", ps -> new SGD(ps, SGD.options().lr(0.02).momentum(0.5)
                .weightDecay(0.1).maximize(true)));
        assertSameBothWays("weight decay, no momentum", ps -> new SGD(ps, SGD.options().lr(0.02).weightDecay(0.1)));
    }

    @Test
    void adamAndAdamWFusedEqualSeparateOps() {
        assertSameBothWays("adam", ps -> new Adam(ps, Adam.options().lr(0.01)));
        assertSameBothWays("adam amsgrad, weight decay", ps -> new Adam(ps, Adam.options().lr(0.01).amsgrad(true)
                .weightDecay(0.05)));
        assertSameBothWays("adam maximize", ps -> new Adam(ps, Adam.options().lr(0.01).betas(0.8, 0.95).eps(1e-6)
                .maximize(true)));
        assertSameBothWays("adamw", ps -> new AdamW(ps, AdamW.options().lr(0.01).weightDecay(0.2)));
        assertSameBothWays("adamw amsgrad", ps -> new AdamW(ps, AdamW.options().lr(0.01).amsgrad(true)));
    }

    @Test
    void rmspropAndAdagradFusedEqualSeparateOps() {
        assertSameBothWays("rmsprop", ps -> new RMSprop(ps, RMSprop.options().lr(0.01)));
        assertSameBothWays("rmsprop centered, momentum", ps -> new RMSprop(ps, RMSprop.options().lr(0.01)
                .centered(true).momentum(0.9)));
        assertSameBothWays("rmsprop all", ps -> new RMSprop(ps, RMSprop.options().lr(0.005).alpha(0.9).eps(1e-6)
                .weightDecay(0.1).momentum(0.5).maximize(true)));
        assertSameBothWays("adagrad", ps -> new Adagrad(ps, Adagrad.options().lr(0.1)));
        assertSameBothWays("adagrad all", ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.1)
                .weightDecay(0.05).initialAccumulatorValue(0.1).eps(1e-8).maximize(true)));
    }

    @Test
    void aFusedStepBumpsTheVersionsSoThatStaleSavedTensorsAreCaught() {
        Tensor w = Ember.randn(4, 3).requiresGrad_();
        SGD opt = new SGD(List.of(w), SGD.options().lr(0.1).momentum(0.9));
        assertTrue(opt.isFused());
        Tensor loss = w.pow(2.0).sum();   // saves w for backward
        w.setGrad(Ember.onesLike(w));
        int before = w.version();
        opt.step();
        assertEquals(before + 1, w.version());
        AutogradException e = assertThrows(AutogradException.class, loss::backward);
        assertTrue(e.getMessage().contains("SGD.step()"), e.getMessage());
    }

    @Test
    void aParameterTheKernelsCannotTakeIsUpdatedBySeparateOps() {
        // a transposed leaf is not contiguous: the step falls back to the in-place ops and gives the same values
        Ember.manualSeed(3);
        Tensor base = Ember.randn(5, 4);
        Tensor g = Ember.randn(4, 5);
        Tensor transposed = base.t().detach().requiresGrad_();
        Tensor contiguous = base.t().contiguous().detach().requiresGrad_();
        assertFalse(transposed.isContiguous());
        for (Tensor p : List.of(transposed, contiguous)) {
            Adam opt = new Adam(List.of(p), Adam.options().lr(0.1));
            for (int s = 0; s < 3; s++) {
                p.setGrad(g.clone());
                opt.step();
            }
        }
        assertArrayEquals(contiguous.toDoubleArray(), transposed.toDoubleArray(), 0.0);
    }
}
