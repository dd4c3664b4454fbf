package dev.ember.optim;

import dev.ember.EmberException;

import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch (PyTorch 1.13's {@code ExponentialLR}).
 * Closed form: {@code baseLr * gamma^epoch}.
 *
 * <pre>{@code
 * ExponentialLR sched = new ExponentialLR(opt, 0.95);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {
    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    /** Resumes at lastEpoch (the groups need {@code initial_lr}); -1 starts afresh. */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new EmberException("ExponentialLR: gamma must be a finite number > 0, got " + gamma);
        }
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
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
            lrs[i] = baseLrs[i] * Math.pow(gamma, lastEpoch);
        }
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        out.put("gamma", gamma);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        double g = r.number("gamma");
        return () -> gamma = g;
    }
}
