package dev.ember.optim;

import dev.ember.EmberException;

import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs (PyTorch 1.13's
 * {@code StepLR}): with base lr 0.05, stepSize 30 and gamma 0.1, epochs 0-29 use 0.05, 30-59 use 0.005, ...
 * Closed form: {@code baseLr * gamma^(epoch / stepSize)}.
 *
 * <pre>{@code
 * StepLR sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** Decays by 0.1 every stepSize epochs. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /** Resumes at lastEpoch (the groups need {@code initial_lr}); -1 starts afresh. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        check(stepSize, gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    private static void check(int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new EmberException("StepLR: stepSize must be a positive number of epochs, got " + stepSize);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new EmberException("StepLR: gamma must be a finite number > 0, got " + gamma);
        }
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * gamma;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        }
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        out.put("step_size", (long) stepSize);
        out.put("gamma", gamma);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        long size = r.whole("step_size", 1);
        double g = r.number("gamma");
        return () -> {
            stepSize = (int) size;
            gamma = g;
        };
    }
}
