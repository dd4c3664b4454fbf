package dev.ember.optim;

import dev.ember.EmberException;

import java.util.Arrays;
import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} at each milestone epoch (PyTorch 1.13's
 * {@code MultiStepLR}); a milestone listed twice multiplies by {@code gamma^2}. Closed form:
 * {@code baseLr * gamma^(number of milestones <= epoch)}.
 *
 * <pre>{@code
 * MultiStepLR sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);   // x0.1 at epoch 30, again at 80
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
public final class MultiStepLR extends LRScheduler {
    private int[] milestones;
    private double gamma;

    /** Decays by 0.1 at each milestone. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    /** Resumes at lastEpoch (the groups need {@code initial_lr}); -1 starts afresh. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.milestones = check(milestones, gamma);
        this.gamma = gamma;
        initialStep();
    }

    private static int[] check(int[] milestones, double gamma) {
        if (milestones == null) {
            throw new EmberException("MultiStepLR: the milestones are null; pass the epochs at which to decay");
        }
        for (int m : milestones) {
            if (m < 0) {
                throw new EmberException("MultiStepLR: milestones are epochs >= 0, got " + m + " in "
                        + Arrays.toString(milestones));
            }
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new EmberException("MultiStepLR: gamma must be a finite number > 0, got " + gamma);
        }
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** How many milestones equal the epoch (PyTorch counts repeated milestones). */
    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) {
            c += m == epoch ? 1 : 0;
        }
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int c = count(lastEpoch);
        if (c == 0) {
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * Math.pow(gamma, c);
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) {
            passed += m <= lastEpoch ? 1 : 0;
        }
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * Math.pow(gamma, passed);
        }
        return lrs;
    }

    /** The milestones, sorted. */
    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        for (int i = 0; i < milestones.length; i++) {
            out.put("milestones." + i, (long) milestones[i]);
        }
        out.put("gamma", gamma);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        int[] ms = r.wholes("milestones");
        double g = r.number("gamma");
        return () -> {
            milestones = ms.clone();
            Arrays.sort(milestones);
            gamma = g;
        };
    }
}
