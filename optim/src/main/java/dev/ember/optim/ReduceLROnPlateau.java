package dev.ember.optim;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rates when a metric has stopped improving (PyTorch 1.13's {@code ReduceLROnPlateau}): after
 * more than {@code patience} epochs without an improvement of the best value (beyond {@code threshold}), every
 * group's lr is multiplied by {@code factor} (not below its {@code minLr}; a change smaller than {@code eps} is
 * skipped), and then {@code cooldown} epochs pass before bad epochs are counted again.
 *
 * <pre>{@code
 * ReduceLROnPlateau sched = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(0.5).patience(3));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step(validationLoss(model));
 * }
 * }</pre>
 *
 * <p>An improvement, with best the best value so far: mode MIN and threshold mode REL: {@code a < best * (1 -
 * threshold)}; MIN and ABS: {@code a < best - threshold}; MAX and REL: {@code a > best * (1 + threshold)}; MAX and
 * ABS: {@code a > best + threshold}. A NaN metric is never an improvement.
 */
public final class ReduceLROnPlateau {
    /** Whether the metric should go down (a loss) or up (an accuracy): {@code options().mode(Mode.MAX)}. */
    public enum Mode {
        MIN, MAX
    }

    /**
     * Whether the threshold is relative to the best value or absolute:
     * {@code options().thresholdMode(ThresholdMode.ABS)}.
     */
    public enum ThresholdMode {
        REL, ABS
    }

    /**
     * The options, with PyTorch's defaults.
     *
     * <pre>{@code
     * ReduceLROnPlateau.options().mode(Mode.MAX).factor(0.5).patience(5).cooldown(2).minLr(1e-5)
     * }</pre>
     */
    public static final class Options {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double[] minLr = {0.0};
        private double eps = 1e-8;

        private Options() {
        }

        /** MIN (default) or MAX. */
        public Options mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** new lr = lr * factor, in [0, 1) (default 0.1). */
        public Options factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement that are tolerated before the lr is reduced (default 10). */
        public Options patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** How much better than the best a value must be to count (default 1e-4). */
        public Options threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** REL (default) or ABS. */
        public Options thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
        public Options cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The lowest lr: one value for every group, or one per group (default 0). */
        public Options minLr(double... minLr) {
            this.minLr = minLr.clone();
            return this;
        }

        /** Reductions smaller than this are skipped (default 1e-8). */
        public Options eps(double eps) {
            this.eps = eps;
            return this;
        }
    }

    /** New options at PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    private final Optimizer optimizer;
    private Mode mode;
    private double factor;
    private int patience;
    private double threshold;
    private ThresholdMode thresholdMode;
    private int cooldown;
    private double[] minLrs;
    private double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** With PyTorch's defaults (mode MIN, factor 0.1, patience 10). */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, options());
    }

    public ReduceLROnPlateau(Optimizer optimizer, Options o) {
        if (optimizer == null) {
            throw new EmberException("ReduceLROnPlateau: the optimizer is null");
        }
        if (o == null) {
            throw new EmberException("ReduceLROnPlateau: the options are null; pass ReduceLROnPlateau.options()");
        }
        if (!(o.factor >= 0 && o.factor < 1)) {
            throw new EmberException("ReduceLROnPlateau: factor must be in [0, 1) (new lr = lr * factor), got "
                    + o.factor);
        }
        if (o.patience < 0 || o.cooldown < 0) {
            throw new EmberException("ReduceLROnPlateau: patience and cooldown are numbers of epochs >= 0, got "
                    + o.patience + " and " + o.cooldown);
        }
        if (!(o.threshold >= 0) || Double.isInfinite(o.threshold) || !(o.eps >= 0) || Double.isInfinite(o.eps)) {
            throw new EmberException("ReduceLROnPlateau: threshold and eps must be finite numbers >= 0, got "
                    + o.threshold + " and " + o.eps);
        }
        if (o.mode == null || o.thresholdMode == null) {
            throw new EmberException("ReduceLROnPlateau: mode and thresholdMode must not be null");
        }
        int groups = optimizer.paramGroups().size();
        double[] mins;
        if (o.minLr.length == 1) {
            mins = new double[groups];
            Arrays.fill(mins, o.minLr[0]);
        } else if (o.minLr.length == groups) {
            mins = o.minLr.clone();
        } else {
            throw new EmberException("ReduceLROnPlateau: expected 1 or " + groups + " minLr values (one per "
                    + "parameter group), got " + o.minLr.length);
        }
        for (double m : mins) {
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new EmberException("ReduceLROnPlateau: minLr must be a finite learning rate >= 0, got " + m);
            }
        }
        this.optimizer = optimizer;
        this.mode = o.mode;
        this.factor = o.factor;
        this.patience = o.patience;
        this.threshold = o.threshold;
        this.thresholdMode = o.thresholdMode;
        this.cooldown = o.cooldown;
        this.minLrs = mins;
        this.eps = o.eps;
        this.lastEpoch = 0;
        reset();
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    /** Records this epoch's metric (a one-element tensor) and reduces the lr if it has stopped improving. */
    public void step(Tensor metric) {
        if (metric == null) {
            throw new EmberException("ReduceLROnPlateau.step: the metric is null");
        }
        step(metric.item());
    }

    /** Records this epoch's metric and reduces the lr if it has stopped improving. */
    public void step(double metric) {
        lastEpoch = lastEpoch + 1;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (inCooldown()) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double oldLr = groups.get(i).lr();
            double newLr = Math.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) {
                groups.get(i).setLr(newLr);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN && thresholdMode == ThresholdMode.REL) {
            return a < best * (1. - threshold);
        } else if (mode == Mode.MIN) {
            return a < best - threshold;
        } else if (thresholdMode == ThresholdMode.REL) {
            return a > best * (threshold + 1.);
        }
        return a > best + threshold;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    /** True while epochs are not counted after a reduction. */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /** The learning rates after the last step (before the first step: the current ones). */
    public double[] lastLr() {
        return lastLr == null ? currentLrs() : lastLr.clone();
    }

    /** The best metric so far (infinity of the wrong sign before the first step). */
    public double best() {
        return best;
    }

    /** Epochs without improvement since the last improvement or reduction. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** The number of steps taken. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer this scheduler drives. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The state and settings: numbers, strings ({@code mode}, {@code threshold_mode}) and per-group lists. */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "ReduceLROnPlateau");
        out.put("mode", mode == Mode.MIN ? "min" : "max");
        out.put("factor", factor);
        out.put("patience", (long) patience);
        out.put("threshold", threshold);
        out.put("threshold_mode", thresholdMode == ThresholdMode.REL ? "rel" : "abs");
        out.put("cooldown", (long) cooldown);
        LRScheduler.putArray(out, "min_lrs", minLrs);
        out.put("eps", eps);
        out.put("best", best);
        out.put("num_bad_epochs", (long) numBadEpochs);
        out.put("cooldown_counter", (long) cooldownCounter);
        out.put("last_epoch", (long) lastEpoch);
        if (lastLr != null) {
            LRScheduler.putArray(out, "last_lr", lastLr);
        }
        return out;
    }

    /** Restores a state dict from {@link #stateDict()}; every problem is listed in one error, then nothing changes. */
    public void loadStateDict(Map<String, Object> stateDict) {
        LRScheduler.StateReader r = new LRScheduler.StateReader("ReduceLROnPlateau", stateDict);
        r.expectType();
        int n = minLrs.length;
        String m = r.string("mode");
        String tm = r.string("threshold_mode");
        if (m != null && !m.equals("min") && !m.equals("max")) {
            r.problem("'mode' must be 'min' or 'max', got '" + m + "'");
        }
        if (tm != null && !tm.equals("rel") && !tm.equals("abs")) {
            r.problem("'threshold_mode' must be 'rel' or 'abs', got '" + tm + "'");
        }
        double f = r.number("factor");
        long p = r.whole("patience", 0);
        double t = r.number("threshold");
        long c = r.whole("cooldown", 0);
        double[] mins = r.array("min_lrs", n);
        double e = r.number("eps");
        double b = r.number("best");
        long bad = r.whole("num_bad_epochs", 0);
        long counter = r.whole("cooldown_counter", 0);
        long epoch = r.whole("last_epoch", 0);
        double[] last = r.has("last_lr.0") ? r.array("last_lr", n) : null;
        r.finish();
        mode = "max".equals(m) ? Mode.MAX : Mode.MIN;
        thresholdMode = "abs".equals(tm) ? ThresholdMode.ABS : ThresholdMode.REL;
        factor = f;
        patience = (int) p;
        threshold = t;
        cooldown = (int) c;
        minLrs = mins;
        eps = e;
        best = b;
        numBadEpochs = (int) bad;
        cooldownCounter = (int) counter;
        lastEpoch = (int) epoch;
        lastLr = last;
    }
}
