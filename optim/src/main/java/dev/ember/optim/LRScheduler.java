package dev.ember.optim;

import dev.ember.EmberException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of the epoch-driven learning-rate schedulers (PyTorch 1.13's {@code _LRScheduler}): each
 * {@link #step()} advances {@code lastEpoch} by one and sets every parameter group's learning rate. Call it after
 * {@code optimizer.step()}, once per epoch (or per batch for {@link OneCycleLR}).
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * StepLR sched = new StepLR(opt, 30, 0.1);       // lr 0.1 for epochs 0-29, 0.01 for 30-59, ...
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * }</pre>
 *
 * <h2>Semantics, as PyTorch's</h2>
 * <ul>
 *   <li>Construction with {@code lastEpoch = -1} (the default) stores each group's lr as {@code initial_lr} (unless
 *       the group has one already, e.g. from another scheduler), takes these as {@code baseLrs}, and performs an
 *       initial step to epoch 0. Construction with {@code lastEpoch >= 0} resumes a schedule: every group must have
 *       an {@code initial_lr} then.</li>
 *   <li>{@link #step()} uses the chainable form: the new lr is computed from the group's current lr, so several
 *       schedulers can act on one optimizer (e.g. a LinearLR warm-up and an ExponentialLR decay, stepped together),
 *       and changes made to the lr elsewhere carry on.</li>
 *   <li>{@link #step(int)} sets {@code lastEpoch} and uses the scheduler's closed form where it has one (PyTorch's
 *       deprecated {@code step(epoch)}).</li>
 * </ul>
 * The state dict (values: numbers, booleans and strings, so that it can be stored beside a model) holds the type,
 * {@code last_epoch}, {@code step_count}, {@code base_lrs.<g>}, {@code last_lr.<g>} and the scheduler's settings.
 *
 * <p>Writing a scheduler: extend this class, compute the new learning rates in {@link #computeLr()} (and
 * optionally {@link #closedFormLr()}), and call {@link #initialStep()} as the last statement of the constructor.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final double[] baseLrs;
    protected int lastEpoch;
    protected int stepCount;
    private double[] lastLr;

    /** Attaches to the optimizer; the subclass's constructor must end with {@link #initialStep()}. */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        String name = getClass().getSimpleName();
        if (optimizer == null) {
            throw new EmberException(name + ": the optimizer is null");
        }
        if (lastEpoch < -1) {
            throw new EmberException(name + ": lastEpoch must be -1 (start) or the index of the last epoch (>= 0), "
                    + "got " + lastEpoch);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (ParamGroup g : groups) {
                if (!g.has("initial_lr")) {
                    g.set("initial_lr", g.lr());
                }
            }
        } else {
            for (int i = 0; i < groups.size(); i++) {
                if (!groups.get(i).has("initial_lr")) {
                    throw new EmberException(name + ": resuming with lastEpoch=" + lastEpoch + " needs 'initial_lr' "
                            + "in parameter group " + i + " (it is there when the optimizer's state dict was saved "
                            + "with a scheduler attached; otherwise set it with group.set(\"initial_lr\", lr)), or "
                            + "start with lastEpoch=-1");
                }
            }
        }
        this.optimizer = optimizer;
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).getDouble("initial_lr");
        }
        this.lastEpoch = lastEpoch;
    }

    /** The constructor's initial step (to epoch lastEpoch + 1); subclasses call it last in their constructor. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch and sets the groups' learning rates (the chainable form). */
    public final void step() {
        advance(lastEpoch + 1, false);
    }

    /**
     * Jumps to {@code epoch} and sets the learning rates from the closed form where the scheduler has one
     * (PyTorch's deprecated {@code step(epoch)}; a following {@link #step()} chains on from there).
     */
    public final void step(int epoch) {
        if (epoch < 0) {
            throw new EmberException(getClass().getSimpleName() + ".step(epoch): the epoch must be >= 0, got " + epoch);
        }
        advance(epoch, true);
    }

    private void advance(int epoch, boolean closedForm) {
        int previousEpoch = lastEpoch;
        int previousCount = stepCount;
        stepCount++;
        lastEpoch = epoch;
        double[] lrs;
        try {
            lrs = closedForm ? closedFormLr() : computeLr();
        } catch (RuntimeException e) {
            lastEpoch = previousEpoch;
            stepCount = previousCount;
            throw e;
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        String problem = lrs.length != groups.size() ? "computed " + lrs.length + " learning rates for "
                + groups.size() + " parameter groups (were groups added after the scheduler was made?)" : null;
        for (int i = 0; problem == null && i < lrs.length; i++) {
            if (!(lrs[i] >= 0) || Double.isInfinite(lrs[i])) {
                problem = "computed the learning rate " + lrs[i] + " for parameter group " + i + " at epoch " + epoch
                        + "; learning rates must be finite and >= 0 (check the scheduler's settings)";
            }
        }
        if (problem != null) {
            lastEpoch = previousEpoch;
            stepCount = previousCount;
            throw new EmberException(getClass().getSimpleName() + ": " + problem);
        }
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).setLr(lrs[i]);
        }
        lastLr = lrs.clone();
    }

    /** The new learning rates at {@link #lastEpoch} (already advanced), from the groups' current ones. */
    protected abstract double[] computeLr();

    /** The learning rates at {@link #lastEpoch} as a function of the epoch alone; by default {@link #computeLr()}. */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** The learning rates the last step set, one per group (PyTorch's {@code get_last_lr()}). */
    public final double[] lastLr() {
        if (lastLr == null) {
            throw new EmberException(getClass().getSimpleName() + " has not stepped yet: its constructor must end "
                    + "with initialStep()");
        }
        return lastLr.clone();
    }

    /** The index of the last epoch (0 right after construction with the default lastEpoch -1). */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** The groups' initial learning rates, which the schedule is relative to. */
    public final double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The optimizer this scheduler drives. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** The current learning rate of group i. */
    protected final double lr(int group) {
        return optimizer.paramGroups().get(group).lr();
    }

    /** The current learning rates, one per group. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    // ---- state dicts ------------------------------------------------------------------------------------------

    /** The scheduler's state: type, counters, base and last learning rates, and its settings. */
    public final Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", getClass().getSimpleName());
        out.put("last_epoch", (long) lastEpoch);
        out.put("step_count", (long) stepCount);
        putArray(out, "base_lrs", baseLrs);
        if (lastLr != null) {
            putArray(out, "last_lr", lastLr);
        }
        saveSettings(out);
        return out;
    }

    /**
     * Restores a state dict from {@link #stateDict()} of a scheduler of the same type over as many parameter groups;
     * every problem is listed in one error, and then nothing is changed.
     */
    public final void loadStateDict(Map<String, Object> stateDict) {
        StateReader r = new StateReader(getClass().getSimpleName(), stateDict);
        r.expectType();
        int n = baseLrs.length;
        long epoch = r.whole("last_epoch", -1);
        long count = r.whole("step_count", 0);
        double[] base = r.array("base_lrs", n);
        double[] last = r.has("last_lr.0") ? r.array("last_lr", n) : null;
        Runnable settings = loadSettings(r);
        r.finish();
        lastEpoch = (int) epoch;
        stepCount = (int) count;
        System.arraycopy(base, 0, baseLrs, 0, n);
        lastLr = last;
        settings.run();
    }

    /** Adds the scheduler's settings (PyTorch's names) to its state dict; the default adds none. */
    protected void saveSettings(Map<String, Object> out) {
    }

    /**
     * Reads the scheduler's settings from a state dict: returns what applies them, which runs only once every key
     * has been checked. The default reads none.
     */
    protected Runnable loadSettings(StateReader reader) {
        return () -> { };
    }

    static void putArray(Map<String, Object> out, String key, double[] values) {
        for (int i = 0; i < values.length; i++) {
            out.put(key + "." + i, values[i]);
        }
    }

    /**
     * Reads a scheduler's state dict, collecting every problem (missing keys, wrong types, unexpected keys) so that
     * one error lists them all. Schedulers with settings read them in {@link #loadSettings}:
     *
     * <pre>{@code
     * protected Runnable loadSettings(StateReader r) {
     *     double g = r.number("gamma");           // a problem is recorded if it is missing or not a number
     *     return () -> gamma = g;                 // applied only if the whole state dict was valid
     * }
     * }</pre>
     */
    public static final class StateReader {
        private final String name;
        private final Map<String, Object> map;
        private final Map<String, Boolean> used = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        StateReader(String name, Map<String, Object> map) {
            if (map == null) {
                throw new EmberException(name + ".loadStateDict: the state dict is null");
            }
            this.name = name;
            this.map = map;
        }

        void expectType() {
            Object t = take("type");
            if (t != null && !name.equals(t)) {
                problems.add("it was saved by a " + t + ", not a " + name);
            }
        }

        boolean has(String key) {
            return map.containsKey(key);
        }

        private Object take(String key) {
            used.put(key, true);
            Object v = map.get(key);
            if (v == null) {
                problems.add("missing '" + key + "'");
            }
            return v;
        }

        /** A number. */
        public double number(String key) {
            Object v = take(key);
            if (v != null && !(v instanceof Number)) {
                problems.add("'" + key + "' must be a number, got " + v);
                return 0;
            }
            return v == null ? 0 : ((Number) v).doubleValue();
        }

        /** A whole number at least {@code min}. */
        public long whole(String key, long min) {
            double v = number(key);
            if (v != Math.rint(v) || v < min) {
                problems.add("'" + key + "' must be a whole number >= " + min + ", got " + v);
                return min;
            }
            return (long) v;
        }

        /** A boolean. */
        public boolean flag(String key) {
            Object v = take(key);
            if (v != null && !(v instanceof Boolean)) {
                problems.add("'" + key + "' must be a boolean, got " + v);
                return false;
            }
            return v != null && (Boolean) v;
        }

        /** A string. */
        public String string(String key) {
            Object v = take(key);
            if (v != null && !(v instanceof String)) {
                problems.add("'" + key + "' must be a string, got " + v);
                return null;
            }
            return (String) v;
        }

        /** {@code key.0}, ..., {@code key.<n-1>}: numbers. */
        public double[] array(String key, int n) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = number(key + "." + i);
            }
            if (map.containsKey(key + "." + n)) {
                problems.add("'" + key + "' has more than " + n + " entries (one per parameter group is expected)");
            }
            return out;
        }

        /** {@code key.0}, {@code key.1}, ... as whole numbers, as many as there are. */
        public int[] wholes(String key) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; map.containsKey(key + "." + i); i++) {
                out.add((int) whole(key + "." + i, Integer.MIN_VALUE));
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Records a problem found by the caller. */
        public void problem(String message) {
            problems.add(message);
        }

        void finish() {
            for (String k : map.keySet()) {
                if (!used.containsKey(k)) {
                    problems.add("unexpected key '" + k + "'");
                }
            }
            if (!problems.isEmpty()) {
                throw new EmberException(name + ".loadStateDict: the state dict does not fit this scheduler:\n  - "
                        + String.join("\n  - ", problems) + "\nNothing was loaded.");
            }
        }

        @Override
        public String toString() {
            return name + " state " + Arrays.toString(map.keySet().toArray());
        }
    }
}
