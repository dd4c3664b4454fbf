package dev.ember.optim;

import dev.ember.EmberException;

import java.util.Map;

/**
 * Cosine annealing from each group's base lr down to {@code etaMin} over {@code tMax} epochs, and back up over the
 * next tMax (PyTorch 1.13's {@code CosineAnnealingLR}, the SGDR schedule without restarts). Closed form:
 * {@code etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}; {@link #step()} uses PyTorch's recursive
 * form, so changes made to the lr elsewhere carry on.
 *
 * <pre>{@code
 * CosineAnnealingLR sched = new CosineAnnealingLR(opt, 100, 1e-5);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** Anneals to 0 over tMax epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /** Resumes at lastEpoch (the groups need {@code initial_lr}); -1 starts afresh. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) {
            throw new EmberException("CosineAnnealingLR: tMax must be a positive number of epochs, got " + tMax);
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new EmberException("CosineAnnealingLR: etaMin must be a finite learning rate >= 0, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            if (stepCount == 1 && lastEpoch > 0) {
                lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
            } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
                lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lrs[i] - etaMin) + etaMin;
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        out.put("T_max", (long) tMax);
        out.put("eta_min", etaMin);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        long t = r.whole("T_max", 1);
        double e = r.number("eta_min");
        return () -> {
            tMax = (int) t;
            etaMin = e;
        };
    }
}
