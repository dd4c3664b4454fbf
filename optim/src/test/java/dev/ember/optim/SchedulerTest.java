package dev.ember.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SchedulerTest {
    private static SGD sgd(double... lrs) {
        List<ParamGroup> groups = new java.util.ArrayList<>();
        for (double lr : lrs) {
            groups.add(ParamGroup.of(List.of(Ember.zeros(DType.FLOAT64, 2).requiresGrad_()), SGD.options().lr(lr)));
        }
        return new SGD(groups, SGD.options().lr(1.0).momentum(0.9));
    }

    private static String message(Executable e) {
        return assertThrows(EmberException.class, e).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected «" + p + "» in: " + message);
        }
    }

    private static double[] run(LRScheduler s, int steps) {
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            s.step();
            out[i] = s.lastLr()[0];
        }
        return out;
    }

    @Test
    void stepLRDecaysEveryStepSizeEpochs() {
        SGD opt = sgd(0.1, 1.0);
        StepLR s = new StepLR(opt, 2, 0.5);
        assertEquals(0, s.lastEpoch());
        assertArrayEquals(new double[] {0.1, 1.0}, s.lastLr());
        assertEquals(0.1, opt.paramGroups().get(0).getDouble("initial_lr"));
        assertArrayEquals(new double[] {0.1, 0.05, 0.05, 0.025, 0.025}, run(s, 5), 1e-15);
        assertEquals(0.25, opt.paramGroups().get(1).lr(), 1e-15);
        s.step(8);                                  // closed form: 0.1 * 0.5^4
        assertArrayEquals(new double[] {0.00625, 0.0625}, s.lastLr(), 1e-15);
        assertEquals(8, s.lastEpoch());
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        MultiStepLR s = new MultiStepLR(sgd(1.0), new int[] {3, 1, 3}, 0.1);
        assertArrayEquals(new int[] {1, 3, 3}, s.milestones());
        assertArrayEquals(new double[] {0.1, 0.1, 0.001, 0.001}, run(s, 4), 1e-15);
        s.step(2);
        assertEquals(0.1, s.lastLr()[0], 1e-15);
    }

    @Test
    void schedulersChainOnOneOptimizer() {
        SGD opt = sgd(1.0);
        LinearLR warmup = new LinearLR(opt, 0.5, 1.0, 2);
        ExponentialLR decay = new ExponentialLR(opt, 0.5);
        assertEquals(0.5, opt.paramGroups().get(0).lr(), 1e-15);
        assertArrayEquals(new double[] {1.0}, warmup.baseLrs(), "both see the initial lr");
        assertArrayEquals(new double[] {1.0}, decay.baseLrs(), "both see the initial lr");
        double[] lrs = new double[3];
        for (int i = 0; i < 3; i++) {
            warmup.step();
            decay.step();
            lrs[i] = opt.paramGroups().get(0).lr();
        }
        // warm-up factors 0.75, 1.0, 1.0 (relative: x1.5, x4/3, x1) times decay 0.5, 0.25, 0.125
        assertArrayEquals(new double[] {0.375, 0.25, 0.125}, lrs, 1e-15);
    }

    @Test
    void cosineAnnealingFollowsTheCosine() {
        CosineAnnealingLR s = new CosineAnnealingLR(sgd(1.0), 4, 0.0);
        double[] lrs = run(s, 8);
        for (int e = 1; e <= 8; e++) {
            assertEquals((1 + Math.cos(Math.PI * e / 4)) / 2, lrs[e - 1], 1e-12, "epoch " + e);
        }
    }

    @Test
    void lambdaLRScalesTheBaseLr() {
        SGD opt = sgd(0.2, 0.4);
        LambdaLR s = new LambdaLR(opt, List.of(e -> 1.0 / (e + 1), e -> e));
        assertArrayEquals(new double[] {0.2, 0.0}, s.lastLr(), 1e-15);
        s.step();
        assertArrayEquals(new double[] {0.1, 0.4}, s.lastLr(), 1e-15);
        assertContains(message(() -> new LambdaLR(opt, List.of(e -> 1.0))), "expected 2 lr lambda(s)");
    }

    @Test
    void resumingNeedsInitialLr() {
        SGD opt = sgd(0.1);
        assertContains(message(() -> new StepLR(opt, 3, 0.1, 5)), "StepLR: resuming with lastEpoch=5",
                "'initial_lr' in parameter group 0");
        opt.paramGroups().get(0).set("initial_lr", 0.4);
        StepLR s = new StepLR(opt, 3, 0.5, 5);
        assertEquals(6, s.lastEpoch());
        assertArrayEquals(new double[] {0.4}, s.baseLrs());
        assertEquals(0.05, s.lastLr()[0], 1e-15, "at epoch 6 StepLR's chainable form multiplies the current lr");
    }

    @Test
    void badSchedulerArgumentsAreRefused() {
        SGD opt = sgd(0.1);
        assertContains(message(() -> new StepLR(opt, 0)), "StepLR: stepSize must be a positive number");
        assertContains(message(() -> new StepLR(opt, 3, -0.5)), "gamma must be a finite number > 0, got -0.5");
        assertContains(message(() -> new MultiStepLR(opt, new int[] {2, -1})), "milestones are epochs >= 0");
        assertContains(message(() -> new ExponentialLR(opt, Double.NaN)), "ExponentialLR: gamma");
        assertContains(message(() -> new CosineAnnealingLR(opt, 0)), "tMax must be a positive");
        assertContains(message(() -> new CosineAnnealingLR(opt, 10, -1)), "etaMin must be a finite learning rate");
        assertContains(message(() -> new LinearLR(opt, 0.0, 1.0, 5)), "startFactor must be in (0, 1]");
        assertContains(message(() -> new LinearLR(opt, 0.5, 1.5, 5)), "endFactor must be in [0, 1]");
        assertContains(message(() -> new LinearLR(opt, 0.5, 1.0, 0)), "totalIters must be a positive");
        assertContains(message(() -> new StepLR(null, 3)), "the optimizer is null");
        assertContains(message(() -> new StepLR(opt, 3, 0.5, -2)), "lastEpoch must be -1");
        StepLR s = new StepLR(opt, 3);
        assertContains(message(() -> s.step(-1)), "the epoch must be >= 0");
    }

    @Test
    void oneCycleSetsTheGroupsAndCyclesMomentum() {
        SGD opt = sgd(0.1);
        OneCycleLR s = new OneCycleLR(opt, OneCycleLR.options().maxLr(1.0).totalSteps(10));
        ParamGroup g = opt.paramGroups().get(0);
        assertEquals(0.04, g.getDouble("initial_lr"), 1e-15);
        assertEquals(1.0, g.getDouble("max_lr"));
        assertEquals(4e-6, g.getDouble("min_lr"), 1e-18);
        assertEquals(0.95, g.getDouble("momentum"));
        assertEquals(0.04, g.lr(), 1e-15);
        for (int i = 0; i < 2; i++) {
            s.step();
        }
        // step 2 is the end of the warm-up (pctStart 0.3 of 10 steps: phase end 2.0): the peak
        assertEquals(1.0, g.lr(), 1e-15);
        assertEquals(0.85, g.getDouble("momentum"), 1e-15);
        for (int i = 0; i < 7; i++) {
            s.step();
        }
        assertEquals(9, s.lastEpoch());
        assertEquals(4e-6, g.lr(), 1e-15, "the last step of the cycle reaches the minimum");
        assertEquals(0.95, g.getDouble("momentum"), 1e-15);
        s.step();                                   // PyTorch allows one step more (extrapolating the phase)
        double lr = g.lr();
        String m = message(s::step);
        assertContains(m, "OneCycleLR: tried to step 12 times; the schedule has totalSteps=10");
        assertEquals(10, s.lastEpoch(), "a refused step changes nothing");
        assertEquals(lr, g.lr());
    }

    @Test
    void oneCycleUsesBeta1ForAdam() {
        Adam adam = new Adam(List.of(Ember.zeros(DType.FLOAT64, 2).requiresGrad_()));
        new OneCycleLR(adam, OneCycleLR.options().maxLr(0.01).totalSteps(5).maxMomentum(0.9).baseMomentum(0.8));
        assertEquals(0.9, adam.paramGroups().get(0).getDouble("beta1"));
        assertFalse(adam.paramGroups().get(0).has("momentum"));
    }

    @Test
    void badOneCycleArgumentsAreRefused() {
        SGD opt = sgd(0.1, 0.2);
        assertContains(message(() -> new OneCycleLR(opt, OneCycleLR.options().totalSteps(5))), "maxLr is required");
        assertContains(message(() -> new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1))),
                "set totalSteps, or epochs and stepsPerEpoch");
        assertContains(message(() -> new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1).totalSteps(0))),
                "positive totalSteps");
        assertContains(message(() -> new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1, 0.2, 0.3).totalSteps(5))),
                "expected 1 or 2 values for maxLr");
        assertContains(message(() -> new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1).totalSteps(5)
                .pctStart(1.5))), "pctStart must be between 0 and 1");
        Adagrad adagrad = new Adagrad(List.of(Ember.zeros(DType.FLOAT64, 2).requiresGrad_()));
        assertContains(message(() -> new OneCycleLR(adagrad, OneCycleLR.options().maxLr(0.1).totalSteps(5))),
                "Adagrad has no momentum to cycle", "cycleMomentum(false)");
        assertFalse(adagrad.paramGroups().get(0).has("max_lr"), "a refused scheduler leaves the groups alone");
        Adam adam = new Adam(List.of(Ember.zeros(DType.FLOAT64, 2).requiresGrad_()));
        assertContains(message(() -> new OneCycleLR(adam, OneCycleLR.options().maxLr(0.1).totalSteps(5)
                .maxMomentum(1.0))), "momenta must be in [0, 1)", "beta1");
    }

    @Test
    void reduceLROnPlateauWaitsForPatience() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(1).factor(0.5)
                .minLr(0.3));
        double[] metrics = {1.0, 1.0, 1.0, 0.5, 0.6, 0.7, 0.8, 0.9};
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.step(Ember.scalar(DType.FLOAT64, metrics[i]));
            lrs[i] = s.lastLr()[0];
        }
        assertArrayEquals(new double[] {1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3}, lrs, 1e-15);
        assertEquals(0.5, s.best());
        assertEquals(8, s.lastEpoch());
    }

    @Test
    void badPlateauArgumentsAreRefused() {
        SGD opt = sgd(0.1, 0.2);
        assertContains(message(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(1.0))),
                "factor must be in [0, 1)");
        assertContains(message(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(-1))),
                "patience and cooldown");
        assertContains(message(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().minLr(0.1, 0.2, 0.3))),
                "expected 1 or 2 minLr values");
        assertContains(message(() -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().threshold(-1))),
                "threshold and eps");
    }

    // ---- state dicts ------------------------------------------------------------------------------------------

    @Test
    void schedulerStateDictRoundTrip() {
        SGD opt = sgd(0.1);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 6, 0.01);
        run(s, 3);
        Map<String, Object> sd = s.stateDict();
        assertEquals("CosineAnnealingLR", sd.get("type"));
        assertEquals(3L, sd.get("last_epoch"));
        assertEquals(4L, sd.get("step_count"));
        assertEquals(0.1, sd.get("base_lrs.0"));
        assertEquals(6L, sd.get("T_max"));
        Map<String, Object> optState = opt.stateDict();
        double[] expected = run(s, 4);

        SGD opt2 = sgd(0.5);
        CosineAnnealingLR s2 = new CosineAnnealingLR(opt2, 2, 0.0);
        opt2.loadStateDict(optState);
        s2.loadStateDict(sd);
        assertArrayEquals(expected, run(s2, 4), 0.0);
    }

    @Test
    void plateauStateDictRoundTrip() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(0)
                .mode(ReduceLROnPlateau.Mode.MAX));
        s.step(0.5);
        s.step(0.4);
        Map<String, Object> sd = s.stateDict();
        assertEquals("max", sd.get("mode"));
        assertEquals(0.5, sd.get("best"));
        ReduceLROnPlateau s2 = new ReduceLROnPlateau(sgd(1.0));
        s2.loadStateDict(sd);
        assertEquals(sd, s2.stateDict());
    }

    @Test
    void aMismatchedSchedulerStateDictListsEveryProblem() {
        SGD opt = sgd(0.1);
        Map<String, Object> step = new StepLR(opt, 3).stateDict();
        ExponentialLR exp = new ExponentialLR(sgd(0.2), 0.9);
        String m = message(() -> exp.loadStateDict(step));
        assertContains(m, "ExponentialLR.loadStateDict", "saved by a StepLR, not a ExponentialLR",
                "unexpected key 'step_size'", "Nothing was loaded");
        assertEquals(0, exp.lastEpoch());

        Map<String, Object> damaged = new LinkedHashMap<>(new StepLR(sgd(0.1, 0.2), 3).stateDict());
        damaged.remove("gamma");
        damaged.put("last_epoch", "three");
        StepLR one = new StepLR(opt, 3);
        assertContains(message(() -> one.loadStateDict(damaged)), "missing 'gamma'",
                "'last_epoch' must be a number", "'base_lrs' has more than 1 entries");
    }
}
