package dev.ember.optim;

import dev.ember.EmberException;

import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy (Smith and Topin; PyTorch 1.13's {@code OneCycleLR}): the learning rate rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of the steps, then anneals to
 * {@code maxLr / divFactor / finalDivFactor}; the momentum (SGD's and RMSprop's {@code momentum}, Adam's and AdamW's
 * {@code beta1}) moves the opposite way between {@code maxMomentum} and {@code baseMomentum}. Step it after every
 * batch, {@code totalSteps} times in all; it is not chainable.
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
 * OneCycleLR sched = new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1).epochs(10).stepsPerEpoch(batches));
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (int b = 0; b < batches; b++) {
 *         trainBatch(model, opt, b);
 *         sched.step();
 *     }
 * }
 * }</pre>
 *
 * <p>As in PyTorch, construction writes {@code initial_lr}, {@code max_lr} and {@code min_lr} (and, when cycling
 * momentum, {@code max_momentum}, {@code base_momentum} and the starting momentum) into every parameter group.
 */
public final class OneCycleLR extends LRScheduler {
    /**
     * How the learning rate moves inside a phase:
     * {@code OneCycleLR.options().annealStrategy(AnnealStrategy.LINEAR)}.
     */
    public enum AnnealStrategy {
        /** Cosine annealing (PyTorch's 'cos', the default). */
        COS,
        /** Linear annealing (PyTorch's 'linear'). */
        LINEAR
    }

    /**
     * OneCycleLR's options (PyTorch's defaults): maxLr and either totalSteps or epochs and stepsPerEpoch are required.
     *
     * <pre>{@code
     * OneCycleLR.options().maxLr(0.1).totalSteps(1000).pctStart(0.25).threePhase(true)
     * }</pre>
     */
    public static final class Options {
        private double[] maxLr;
        private Integer totalSteps;
        private Integer epochs;
        private Integer stepsPerEpoch;
        private double pctStart = 0.3;
        private AnnealStrategy annealStrategy = AnnealStrategy.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85};
        private double[] maxMomentum = {0.95};
        private double divFactor = 25.0;
        private double finalDivFactor = 1e4;
        private boolean threePhase;
        private int lastEpoch = -1;

        private Options() {
        }

        /** The peak learning rate: one value for every group, or one per group. */
        public Options maxLr(double... maxLr) {
            this.maxLr = maxLr.clone();
            return this;
        }

        /** The number of steps in the cycle (takes precedence over epochs and stepsPerEpoch). */
        public Options totalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /** With stepsPerEpoch, gives totalSteps = epochs * stepsPerEpoch. */
        public Options epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Options stepsPerEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /** The fraction of the cycle spent increasing the lr (default 0.3). */
        public Options pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** Cosine (default) or linear annealing. */
        public Options annealStrategy(AnnealStrategy strategy) {
            this.annealStrategy = strategy;
            return this;
        }

        /** Whether to cycle the momentum inversely to the lr (default true; needs an optimizer with momentum). */
        public Options cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The momentum at the lr's peak (default 0.85): one value, or one per group. */
        public Options baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum.clone();
            return this;
        }

        /** The momentum at the start and end (default 0.95): one value, or one per group. */
        public Options maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum.clone();
            return this;
        }

        /** initial lr = maxLr / divFactor (default 25). */
        public Options divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** minimum lr = initial lr / finalDivFactor (default 1e4). */
        public Options finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Three phases (up, down to the initial lr, then down to the minimum) instead of two (default false). */
        public Options threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /** The index of the last batch, to resume (default -1: start). */
        public Options lastEpoch(int lastEpoch) {
            this.lastEpoch = lastEpoch;
            return this;
        }
    }

    /** New options: set maxLr, and totalSteps or epochs and stepsPerEpoch. */
    public static Options options() {
        return new Options();
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
    }

    private int totalSteps;
    private double pctStart;
    private boolean threePhase;
    private AnnealStrategy anneal;
    private boolean cycleMomentum;
    private boolean useBeta1;
    private List<Phase> phases;

    public OneCycleLR(Optimizer optimizer, Options options) {
        super(prepare(optimizer, options), options.lastEpoch);
        this.totalSteps = totalSteps(options);
        this.pctStart = options.pctStart;
        this.threePhase = options.threePhase;
        this.anneal = options.annealStrategy;
        this.cycleMomentum = options.cycleMomentum;
        this.useBeta1 = optimizer.defaults().containsKey("beta1");
        this.phases = phases(totalSteps, pctStart, threePhase);
        initialStep();
    }

    private static int totalSteps(Options o) {
        if (o.totalSteps != null) {
            if (o.totalSteps <= 0) {
                throw new EmberException("OneCycleLR: expected a positive totalSteps, got " + o.totalSteps);
            }
            return o.totalSteps;
        }
        if (o.epochs == null || o.stepsPerEpoch == null) {
            throw new EmberException("OneCycleLR: set totalSteps, or epochs and stepsPerEpoch: "
                    + "OneCycleLR.options().maxLr(0.1).totalSteps(1000)");
        }
        if (o.epochs <= 0 || o.stepsPerEpoch <= 0) {
            throw new EmberException("OneCycleLR: expected positive epochs and stepsPerEpoch, got " + o.epochs
                    + " and " + o.stepsPerEpoch);
        }
        return Math.multiplyExact(o.epochs, o.stepsPerEpoch);
    }

    private static List<Phase> phases(int total, double pctStart, boolean threePhase) {
        if (threePhase) {
            return List.of(
                    new Phase(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        }
        return List.of(
                new Phase(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    /** Checks everything, then writes the schedule's entries into the groups (before the base constructor). */
    private static Optimizer prepare(Optimizer optimizer, Options o) {
        if (optimizer == null) {
            throw new EmberException("OneCycleLR: the optimizer is null");
        }
        if (o == null) {
            throw new EmberException("OneCycleLR: the options are null; pass OneCycleLR.options().maxLr(...)...");
        }
        if (o.maxLr == null) {
            throw new EmberException("OneCycleLR: maxLr is required: OneCycleLR.options().maxLr(0.1)");
        }
        totalSteps(o);
        if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
            throw new EmberException("OneCycleLR: pctStart must be between 0 and 1, got " + o.pctStart);
        }
        if (o.annealStrategy == null) {
            throw new EmberException("OneCycleLR: annealStrategy is null; use AnnealStrategy.COS or LINEAR");
        }
        if (!(o.divFactor > 0) || !(o.finalDivFactor > 0) || Double.isInfinite(o.divFactor)
                || Double.isInfinite(o.finalDivFactor)) {
            throw new EmberException("OneCycleLR: divFactor and finalDivFactor must be finite numbers > 0, got "
                    + o.divFactor + " and " + o.finalDivFactor);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("maxLr", o.maxLr, groups.size());
        for (double v : maxLrs) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new EmberException("OneCycleLR: maxLr must be a finite learning rate >= 0, got " + v);
            }
        }
        boolean beta1 = optimizer.defaults().containsKey("beta1");
        double[] maxMomenta = null;
        double[] baseMomenta = null;
        if (o.cycleMomentum) {
            if (!beta1 && !optimizer.defaults().containsKey("momentum")) {
                throw new EmberException("OneCycleLR: " + optimizer.name() + " has no momentum to cycle; use an "
                        + "optimizer with momentum or betas (SGD, RMSprop, Adam, AdamW), or cycleMomentum(false)");
            }
            maxMomenta = perGroup("maxMomentum", o.maxMomentum, groups.size());
            baseMomenta = perGroup("baseMomentum", o.baseMomentum, groups.size());
            for (double[] ms : new double[][] {maxMomenta, baseMomenta}) {
                for (double m : ms) {
                    if (!(m >= 0) || (beta1 ? m >= 1 : Double.isInfinite(m))) {
                        throw new EmberException("OneCycleLR: momenta must be " + (beta1 ? "in [0, 1) (they become "
                                + optimizer.name() + "'s beta1)" : "finite and >= 0") + ", got " + m);
                    }
                }
            }
        }
        if (o.lastEpoch != -1) {
            for (int i = 0; i < groups.size(); i++) {
                for (String k : o.cycleMomentum ? List.of("initial_lr", "max_lr", "min_lr", "max_momentum",
                        "base_momentum") : List.of("initial_lr", "max_lr", "min_lr")) {
                    if (!groups.get(i).has(k)) {
                        throw new EmberException("OneCycleLR: resuming with lastEpoch=" + o.lastEpoch + " needs '" + k
                                + "' in parameter group " + i + " (load the optimizer's state dict first), or start "
                                + "with lastEpoch=-1");
                    }
                }
            }
            return optimizer;
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initial = maxLrs[i] / o.divFactor;
            g.set("initial_lr", initial);
            g.set("max_lr", maxLrs[i]);
            g.set("min_lr", initial / o.finalDivFactor);
            if (o.cycleMomentum) {
                g.set(beta1 ? "beta1" : "momentum", maxMomenta[i]);
                g.set("max_momentum", maxMomenta[i]);
                g.set("base_momentum", baseMomenta[i]);
            }
        }
        return optimizer;
    }

    private static double[] perGroup(String name, double[] values, int groups) {
        if (values.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups) {
            throw new EmberException("OneCycleLR: expected 1 or " + groups + " values for " + name
                    + " (one per parameter group), got " + values.length);
        }
        return values.clone();
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == AnnealStrategy.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new EmberException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the schedule has "
                    + "totalSteps=" + totalSteps + " (count the scheduler's initial step: step() may be called "
                    + "totalSteps times)");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < lrs.length; gi++) {
            ParamGroup g = groups.get(gi);
            double start = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                double end = phase.endStep();
                if (stepNum <= end || i == phases.size() - 1) {
                    double pct = (stepNum - start) / (end - start);
                    lrs[gi] = anneal(g.getDouble(phase.startLr()), g.getDouble(phase.endLr()), pct);
                    if (cycleMomentum) {
                        double m = anneal(g.getDouble(phase.startMomentum()), g.getDouble(phase.endMomentum()), pct);
                        g.set(useBeta1 ? "beta1" : "momentum", m);
                    }
                    break;
                }
                start = phase.endStep();
            }
        }
        return lrs;
    }

    /** The number of steps in the cycle. */
    public int totalSteps() {
        return totalSteps;
    }

    @Override
    protected void saveSettings(Map<String, Object> out) {
        out.put("total_steps", (long) totalSteps);
        out.put("pct_start", pctStart);
        out.put("three_phase", threePhase);
        out.put("anneal_strategy", anneal == AnnealStrategy.COS ? "cos" : "linear");
        out.put("cycle_momentum", cycleMomentum);
        out.put("use_beta1", useBeta1);
    }

    @Override
    protected Runnable loadSettings(StateReader r) {
        long total = r.whole("total_steps", 1);
        double pct = r.number("pct_start");
        boolean three = r.flag("three_phase");
        String strategy = r.string("anneal_strategy");
        if (strategy != null && !strategy.equals("cos") && !strategy.equals("linear")) {
            r.problem("'anneal_strategy' must be 'cos' or 'linear', got '" + strategy + "'");
        }
        boolean cycle = r.flag("cycle_momentum");
        boolean beta1 = r.flag("use_beta1");
        return () -> {
            totalSteps = (int) total;
            pctStart = pct;
            threePhase = three;
            anneal = "linear".equals(strategy) ? AnnealStrategy.LINEAR : AnnealStrategy.COS;
            cycleMomentum = cycle;
            useBeta1 = beta1;
            phases = phases(totalSteps, pctStart, threePhase);
        };
    }
}
