package dev.ember.cli;

import dev.ember.optim.CosineAnnealingLR;
import dev.ember.optim.LRScheduler;
import dev.ember.optim.OneCycleLR;
import dev.ember.optim.Optimizer;
import dev.ember.optim.StepLR;

/**
 * The learning-rate schedules of {@code ember train --schedule}, planned over a number of epochs.
 *
 * <pre>{@code
 * LRScheduler s = ScheduleKind.COSINE.build(optimizer, 20, loader.size());   // stepped once per epoch
 * }</pre>
 */
public enum ScheduleKind implements Choice {
    /** A constant learning rate. */
    NONE,
    /** StepLR: the rate falls tenfold after each third of the epochs. */
    STEP,
    /** CosineAnnealingLR: from the rate down to 0 along a half cosine over the epochs, stepped once per epoch. */
    COSINE,
    /** OneCycleLR: up to the rate over the first 30% of the batches, then down, stepped after every batch. */
    ONECYCLE;

    @Override
    public String toString() {
        return cliName();
    }

    /** Whether the scheduler steps after every batch (otherwise after every epoch). */
    public boolean perBatch() {
        return this == ONECYCLE;
    }

    /** The last epoch the schedule is defined for when planned over {@code epochs}, or MAX_VALUE if none. */
    public int lastEpoch(int epochs) {
        return this == ONECYCLE ? epochs : Integer.MAX_VALUE;
    }

    /** The scheduler attached to the optimizer (setting its rate for the first step), or null for {@code none}. */
    public LRScheduler build(Optimizer optimizer, int epochs, int batchesPerEpoch) {
        return switch (this) {
            case NONE -> null;
            case STEP -> new StepLR(optimizer, Math.max(1, epochs / 3), 0.1);
            case COSINE -> new CosineAnnealingLR(optimizer, epochs);
            case ONECYCLE -> new OneCycleLR(optimizer, OneCycleLR.options().maxLr(optimizer.paramGroups().get(0).lr())
                    .epochs(epochs).stepsPerEpoch(batchesPerEpoch));
        };
    }
}
