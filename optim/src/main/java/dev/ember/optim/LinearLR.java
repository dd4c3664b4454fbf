package dev.ember.optim;

import dev.ember.EmberException;

import java.util.Map;

/**
 * Scales each group's learning rate by a factor that moves linearly from {@code startFactor} to {@code endFactor}
 * over {@code totalIters} epochs, then stays (PyTorch 1.13's {@code LinearLR}): the usual warm-up. Closed form:
 * {@code baseLr * (startFactor + (endFactor - startFactor) * min(totalIters, epoch) / totalIters)}.
 *
 * <pre>{@code
 * LinearLR warmup = new LinearLR(opt, 0.1, 1.0, 5);     // 10%, 28%, 46%, 64%, 82%, then 100% of the lr
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     warmup.step();
 * }
 * }</pre>
 *
 * <p>Both factors lie in [0, 1] as in PyTorch, and startFactor must be above 0 (PyTorch's chainable form divides
 * by it).
 */
public final class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** PyTorch's defaults: from 1/3 of the lr to all of it over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    /** Resumes at lastEpoch (the groups need {@code initial_lr}); -1 starts afresh. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new EmberException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new EmberException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        }
        if (totalIters <= 0) {
            throw new EmberException("LinearLR: totalIters must be a positive number of epochs, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = lrs[i] * startFactor;
            }
            return lrs;
        }
        if (lastEpoch > totalIters) {
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * (1. + (endFactor - startFactor)
                    / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch)
                    / totalIters);
        }
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        out.put("start_factor", startFactor);
        out.put("end_factor", endFactor);
        out.put("total_iters", (long) totalIters);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        double s = r.number("start_factor");
        double e = r.number("end_factor");
        long t = r.whole("total_iters", 1);
        return () -> {
            startFactor = s;
            endFactor = e;
            totalIters = (int) t;
        };
    }
}
