package dev.ember.optim;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.kernels.OptimizerKernels;
import dev.ember.kernels.TensorData;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;

/**
 * The base of every optimizer (PyTorch's {@code torch.optim.Optimizer}): parameter groups with per-group options,
 * per-parameter state, {@link #zeroGrad()}, {@link #step()} (which runs without recording), and state dicts.
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     opt.zeroGrad();
 *     Tensor loss = model.forward(x).sub(y).pow(2).mean();
 *     loss.backward();
 *     opt.step();
 * }
 * }</pre>
 *
 * <h2>Parameters</h2>
 * Parameters are leaf tensors; each may appear once in one optimizer (a shared weight is one parameter). A non-leaf
 * or a repeated tensor is refused with an error that names its group and index. Parameters whose {@code grad()} is
 * null when {@link #step()} runs (frozen ones, or ones the loss does not reach) are skipped and get no state.
 *
 * <h2>State dicts</h2>
 * {@link #stateDict()} is a flat map, in the spirit of {@code Module.stateDict()}, whose values are tensors, numbers
 * and booleans only, so that a safetensors writer can store it (tensors as tensors, the rest in the header's
 * metadata). Parameters are numbered 0, 1, ... across the groups in order, as in PyTorch. The keys:
 * <ul>
 *   <li>{@code state.<i>.<name>}: parameter i's state, with PyTorch's names: a tensor of the parameter's shape
 *       ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}, {@code square_avg},
 *       {@code grad_avg}, {@code sum}) or the number of steps taken ({@code step}, a {@code Long});</li>
 *   <li>{@code param_groups.<g>.params}: an int64 tensor of the indices of group g's parameters;</li>
 *   <li>{@code param_groups.<g>.<option>}: group g's options ({@code Double} or {@code Boolean}) under PyTorch's
 *       names ({@code lr}, {@code weight_decay}, ...; Adam's {@code betas} pair as {@code beta1} and {@code beta2}),
 *       and schedulers' entries such as {@code initial_lr}.</li>
 * </ul>
 * Tensors in the map share storage with the optimizer's live state: save (or clone) them before the next step.
 * {@link #loadStateDict(Map)} checks the whole map against this optimizer (number and sizes of groups, every option
 * present and valid, state names known, state shapes equal to the parameters' shapes), lists every problem in one
 * error and then loads nothing; otherwise it copies the state (cast to each parameter's dtype) and the groups'
 * options, keeping this optimizer's parameters.
 *
 * <h2>Fused updates</h2>
 * The built-in optimizers update a parameter whose tensors allow it (contiguous float32 or float64 parameter,
 * gradient and state, outside a dual level) with one fused kernel ({@link OptimizerKernels}) that passes over its
 * memory once; otherwise with the same update written as separate in-place tensor ops, as PyTorch's single-tensor
 * implementation does. Both compute PyTorch's operations in PyTorch's order, so they agree to rounding;
 * {@link #setFused(boolean) setFused(false)} always takes the second way.
 *
 * <h2>Writing an optimizer</h2>
 * Subclasses pass their options (name, default, rule) and state names to the constructor and implement
 * {@link #stepGroup(ParamGroup)}, updating each parameter in place with tensor ops ({@code add_}, {@code mul_}, ...)
 * and keeping what they need in {@link #mutableState(Tensor)}.
 */
public abstract class Optimizer {
    /** Entries that learning-rate schedulers keep in parameter groups. */
    static final Set<String> SCHEDULER_KEYS = Set.of("initial_lr", "max_lr", "min_lr", "max_momentum",
            "base_momentum");

    /**
     * One option of an optimizer: its name (PyTorch's), its default ({@code null}: required), and for numbers the
     * rule a value must satisfy, described in words for error messages. Optimizers pass their list to the
     * constructor:
     *
     * <pre>{@code
     * static final List<Option> OPTIONS = List.of(
     *         Option.nonNegative("lr", null),                       // required
     *         Option.number("beta", 0.9, v -> v >= 0 && v < 1, "in [0, 1)"),
     *         Option.flag("maximize", false));
     * }</pre>
     *
     * @param key          the option's name, e.g. {@code weight_decay}
     * @param flag         true for a boolean option
     * @param defaultValue the default (a Double or Boolean), or null if the option must be given
     * @param rule         for numbers: which (finite) values are allowed
     * @param requirement  the rule in words, e.g. {@code ">= 0"}
     */
    public record Option(String key, boolean flag, Object defaultValue, DoublePredicate rule, String requirement) {
        /** A number option; {@code defaultValue} null makes it required. */
        public static Option number(String key, Double defaultValue, DoublePredicate rule, String requirement) {
            return new Option(key, false, defaultValue, rule, requirement);
        }

        /** A number option that must be at least 0. */
        public static Option nonNegative(String key, Double defaultValue) {
            return number(key, defaultValue, v -> v >= 0, ">= 0");
        }

        /** A boolean option. */
        public static Option flag(String key, boolean defaultValue) {
            return new Option(key, true, defaultValue, null, null);
        }
    }

    private final String name = getClass().getSimpleName();
    private final Map<String, Option> spec = new LinkedHashMap<>();
    private final Set<String> stateNames;
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private boolean fused = true;

    /**
     * An optimizer of one parameter group.
     *
     * @param options    this optimizer's options
     * @param stateNames every name its per-parameter state may use (checked when a state dict is loaded)
     * @param params     the parameters
     * @param defaults   the values set by the user; the rest take the options' defaults
     */
    protected Optimizer(List<Option> options, Set<String> stateNames, Iterable<Tensor> params,
                        OptimizerOptions<?> defaults) {
        this(options, stateNames, List.of(ParamGroup.of(requireParams(params))), defaults);
    }

    /** An optimizer of several parameter groups, each with its own overrides of {@code defaults}. */
    protected Optimizer(List<Option> options, Set<String> stateNames, List<ParamGroup> groups,
                        OptimizerOptions<?> defaults) {
        for (Option o : options) {
            spec.put(o.key(), o);
        }
        this.stateNames = Set.copyOf(stateNames);
        if (defaults == null) {
            throw new EmberException(name + ": the options are null; pass " + name + ".options()");
        }
        if (groups == null || groups.isEmpty()) {
            throw new EmberException(name + ": got no parameter groups; pass the parameters to optimize, e.g. "
                    + "model.parameters()");
        }
        for (Option o : options) {
            if (o.defaultValue() != null) {
                this.defaults.put(o.key(), o.defaultValue());
            }
        }
        for (Map.Entry<String, Object> e : defaults.values().entrySet()) {
            String problem = optionProblem(e.getKey(), e.getValue());
            if (problem != null || !spec.containsKey(e.getKey())) {
                throw new EmberException(name + ": " + (problem != null ? problem : "unknown option '" + e.getKey()
                        + "'") + " (in the options given to the constructor)");
            }
            this.defaults.put(e.getKey(), normalize(e.getValue()));
        }
        int total = 0;
        for (ParamGroup g : groups) {
            total += g == null ? 0 : g.params().size();
        }
        if (total == 0) {
            throw new EmberException(name + ": got an empty parameter list; pass the tensors to optimize, e.g. "
                    + "model.parameters() (does the model register its parameters?)");
        }
        try {
            for (ParamGroup g : groups) {
                addParamGroup(g);
            }
        } catch (RuntimeException e) {
            for (ParamGroup g : this.groups) {
                g.owner = null;          // the groups may be used again in a corrected call
            }
            throw e;
        }
    }

    private static Iterable<Tensor> requireParams(Iterable<Tensor> params) {
        if (params == null) {
            throw new EmberException("optimizer: the parameters are null; pass the tensors to optimize, e.g. "
                    + "model.parameters()");
        }
        return params;
    }

    // ---- parameter groups -------------------------------------------------------------------------------------

    /**
     * Adds a group of parameters (PyTorch's {@code add_param_group}): options it does not set take this optimizer's
     * defaults. Refused, with nothing changed, if a parameter is not a leaf, repeats a parameter of this optimizer,
     * or an option is unknown, missing or invalid.
     */
    public final void addParamGroup(ParamGroup group) {
        int gi = groups.size();
        String where = name + " parameter group " + gi;
        if (group == null) {
            throw new EmberException(where + " is null");
        }
        if (group.owner != null) {
            throw new EmberException(where + ": this ParamGroup already belongs to " + (group.owner == this
                    ? "this optimizer" : "another optimizer (" + group.owner.name() + ")")
                    + "; make a new one with ParamGroup.of(...)");
        }
        Map<Tensor, String> seen = new IdentityHashMap<>();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Tensor> ps = groups.get(g).params();
            for (int j = 0; j < ps.size(); j++) {
                seen.put(ps.get(j), "parameter " + j + " of parameter group " + g + " (state-dict index " + index++
                        + ")");
            }
        }
        List<Tensor> params = group.params();
        for (int j = 0; j < params.size(); j++) {
            Tensor p = params.get(j);
            String which = "parameter " + j + " of parameter group " + gi + " (state-dict index " + index++ + ")";
            if (p == null) {
                throw new EmberException(name + ": " + which + " is null");
            }
            if (!p.isLeaf()) {
                throw new EmberException(name + ": " + which + ", of shape " + Arrays.toString(p.shape())
                        + ", is not a leaf tensor: it is the result of " + p.gradFn().name() + ". Optimizers update "
                        + "leaves in place; pass the leaf it was computed from, or make a new leaf with "
                        + "t.detach().requiresGrad_()");
            }
            String before = seen.put(p, which);
            if (before != null) {
                throw new EmberException(name + ": " + which + ", of shape " + Arrays.toString(p.shape())
                        + ", is the same tensor as " + before + "; each tensor may be optimized only once (a "
                        + "shared weight is one parameter: list it once)");
            }
        }
        Map<String, Object> merged = mergeOptions(group.optionsMap(), where);
        checkGroup(merged, where);
        group.optionsMap().clear();
        group.optionsMap().putAll(merged);
        group.owner = this;
        groups.add(group);
        for (Tensor p : params) {
            Map<String, Object> st = new LinkedHashMap<>();
            initState(group, p, st);
            if (!st.isEmpty()) {
                state.put(p, st);
            }
        }
    }

    /** The group's options completed with the defaults, checked; the spec's options first, then scheduler keys. */
    private Map<String, Object> mergeOptions(Map<String, Object> given, String where) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String problem = optionProblem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new EmberException(where + ": " + problem);
            }
        }
        for (Option o : spec.values()) {
            Object v = given.containsKey(o.key()) ? given.get(o.key()) : defaults.get(o.key());
            if (v == null) {
                throw new EmberException(where + " has no value for the required option '" + o.key() + "' and the "
                        + "optimizer has no default for it; set it, e.g. " + name + ".options()."
                        + camel(o.key()) + "(...)");
            }
            merged.put(o.key(), normalize(v));
        }
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!spec.containsKey(e.getKey())) {
                merged.put(e.getKey(), normalize(e.getValue()));
            }
        }
        return merged;
    }

    /** Checks one option's value; called by {@link ParamGroup#set} for groups of this optimizer. */
    void checkOption(String key, Object value, String where) {
        String problem = optionProblem(key, value);
        if (problem != null) {
            throw new EmberException(where + ": " + problem);
        }
    }

    /** What is wrong with this option's value, or null. */
    private String optionProblem(String key, Object value) {
        Option o = spec.get(key);
        if (o == null && !SCHEDULER_KEYS.contains(key)) {
            return "unknown option '" + key + "'; " + name + "'s options are " + spec.keySet()
                    + " (and schedulers' entries " + new TreeSet<>(SCHEDULER_KEYS) + ")";
        }
        if (o != null && o.flag()) {
            return value instanceof Boolean ? null : "option '" + key + "' must be a boolean, got " + value;
        }
        if (!(value instanceof Number n)) {
            return "option '" + key + "' must be a number, got " + value;
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            return "invalid " + key + " " + v + ": it must be a finite number";
        }
        if (o != null && !o.rule().test(v)) {
            return "invalid " + key + " " + format(v) + ": it must be " + o.requirement();
        }
        return null;
    }

    private static Object normalize(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : v;
    }

    private static String camel(String key) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    /**
     * Checks rules that involve several options of one group (e.g. SGD's Nesterov momentum needs momentum &gt; 0
     * and no dampening); throws an EmberException that starts with {@code where}. The default checks nothing.
     */
    protected void checkGroup(Map<String, Object> options, String where) {
    }

    /** Creates a parameter's state when its group is added (Adagrad's accumulators); the default creates none. */
    protected void initState(ParamGroup group, Tensor param, Map<String, Object> state) {
    }

    /** The state names a parameter of a group with these options must have once it has any state at all. */
    protected List<String> requiredState(Map<String, Object> options) {
        return List.of();
    }

    /** The parameter groups, in order (unmodifiable; each group's options can be changed). */
    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Every parameter, in order (group by group): the numbering of the state dict. */
    public final List<Tensor> params() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : groups) {
            all.addAll(g.params());
        }
        return all;
    }

    /** The optimizer-wide defaults (PyTorch's {@code defaults}), by PyTorch's names (unmodifiable). */
    public final Map<String, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** A parameter's state (unmodifiable; empty before its first step). */
    public final Map<String, Object> state(Tensor param) {
        Map<String, Object> st = state.get(param);
        return st == null ? Map.of() : Collections.unmodifiableMap(st);
    }

    /** A parameter's state for the optimizer to read and write; created empty on first use. */
    protected final Map<String, Object> mutableState(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** The optimizer's name for messages: its class's simple name. */
    public final String name() {
        return name;
    }

    /**
     * Whether {@link #step()} may update a parameter with one fused kernel (the default) or always runs the update
     * as separate in-place tensor ops. The results agree to rounding; the fused kernel reads and writes each
     * parameter's memory once instead of several times. Returns this optimizer.
     */
    public final Optimizer setFused(boolean fused) {
        this.fused = fused;
        return this;
    }

    /** See {@link #setFused(boolean)}. */
    public final boolean isFused() {
        return fused;
    }

    /**
     * True when a fused kernel may update these tensors (nulls are skipped): fused updates are on, no dual level is
     * open (a fused kernel does not carry tangents), and the tensors are contiguous, of one floating dtype and
     * shape, each in its own storage.
     */
    protected final boolean fusable(Tensor... tensors) {
        if (!fused || ForwardAD.isActive()) {
            return false;
        }
        TensorData[] data = new TensorData[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            data[i] = tensors[i] == null ? null : tensors[i].impl();
        }
        return OptimizerKernels.fusable(data);
    }

    /**
     * Records a fused kernel's write on each tensor's version counter (nulls are skipped), as the in-place ops it
     * replaces would have, so that a graph that saved a parameter before the step notices it changed.
     */
    protected final void written(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null) {
                t.impl().storage().bumpVersion(name + ".step");
            }
        }
    }

    // ---- steps ------------------------------------------------------------------------------------------------

    /**
     * Zeroes every parameter's gradient in place (PyTorch 1.13's default, {@code set_to_none=False}); a gradient
     * that is part of a graph (after backward with createGraph) is replaced by zeros that are not.
     */
    public final void zeroGrad() {
        zeroGrad(false);
    }

    /** With setToNone, drops the gradients instead (the next backward allocates them anew; step skips parameters
     * whose gradient is null). */
    public final void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                } else if (grad.requiresGrad()) {
                    p.setGrad(Ember.zerosLike(grad));
                } else {
                    try (var noGrad = Ember.noGrad()) {
                        grad.zero_();
                    }
                }
            }
        }
    }

    /** One optimization step: updates every parameter that has a gradient, in place, without recording. */
    public final void step() {
        try (var g = Ember.noGrad()) {
            for (ParamGroup group : groups) {
                stepGroup(group);
            }
        }
    }

    /**
     * Evaluates the closure with grad mode on (it usually zeroes the gradients, computes the loss and calls
     * backward), then steps; returns the closure's loss.
     */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = Ember.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates the parameters of one group that have a gradient ({@code p.grad() != null}), in place. Runs inside a
     * noGrad scope.
     */
    protected abstract void stepGroup(ParamGroup group);

    /** A state entry that is a tensor, or null. */
    protected static Tensor tensorState(Map<String, Object> state, String key) {
        return (Tensor) state.get(key);
    }

    /** Increments and returns the {@code step} count of a parameter's state. */
    protected static long nextStep(Map<String, Object> state) {
        Object s = state.get("step");
        long step = (s == null ? 0L : ((Number) s).longValue()) + 1;
        state.put("step", step);
        return step;
    }

    // ---- state dicts ------------------------------------------------------------------------------------------

    /** The optimizer's state and groups as a flat map of tensors, numbers and booleans (layout: see the class). */
    public final Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Tensor> all = params();
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> st = state.get(all.get(i));
            if (st != null) {
                for (Map.Entry<String, Object> e : st.entrySet()) {
                    out.put("state." + i + "." + e.getKey(), e.getValue() instanceof Tensor t ? t.detach()
                            : e.getValue());
                }
            }
        }
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            long[] ids = new long[group.params().size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = index++;
            }
            out.put("param_groups." + g + ".params", Ember.fromArray(ids, ids.length));
            for (Map.Entry<String, Object> e : group.options().entrySet()) {
                out.put("param_groups." + g + "." + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * Loads a state dict made by {@link #stateDict()} of an optimizer of the same kind over parameters of the same
     * shapes, grouped the same way. Every mismatch is listed in one EmberException, and then nothing is loaded.
     */
    public final void loadStateDict(Map<String, Object> stateDict) {
        if (stateDict == null) {
            throw new EmberException(name + ".loadStateDict: the state dict is null");
        }
        List<String> problems = new ArrayList<>();
        TreeMap<Integer, Map<String, Object>> savedGroups = new TreeMap<>();
        Map<Integer, Map<String, Object>> savedState = new TreeMap<>();
        for (Map.Entry<String, Object> e : stateDict.entrySet()) {
            String key = e.getKey();
            String[] parts = key == null ? new String[0] : key.split("\\.", 3);
            Integer n = parts.length == 3 ? parseIndex(parts[1]) : null;
            if (n != null && parts[0].equals("state")) {
                savedState.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
            } else if (n != null && parts[0].equals("param_groups")) {
                savedGroups.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
            } else {
                problems.add("unexpected key '" + key + "' (keys are state.<index>.<name> and "
                        + "param_groups.<group>.<option>)");
            }
        }
        if (savedGroups.size() != groups.size() || !savedGroups.isEmpty()
                && savedGroups.lastKey() != savedGroups.size() - 1) {
            problems.add("the state dict has " + savedGroups.size() + " parameter group(s) " + savedGroups.keySet()
                    + " but this optimizer has " + groups.size());
        }
        // saved index -> this optimizer's parameter, by position, as PyTorch maps them
        Map<Long, Tensor> idMap = new LinkedHashMap<>();
        Map<Tensor, Map<String, Object>> groupOf = new IdentityHashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Object> saved = savedGroups.get(g);
            ParamGroup group = groups.get(g);
            String where = "parameter group " + g;
            if (saved == null) {
                newOptions.add(null);
                continue;
            }
            long[] ids = null;
            Object p = saved.get("params");
            if (p instanceof Tensor t && t.dim() == 1 && !t.dtype().isFloatingPoint() && t.dtype() != DType.BOOL) {
                ids = t.toLongArray();
            } else if (p instanceof long[] a) {
                ids = a.clone();
            } else {
                problems.add(where + ": 'params' must be a 1-d int64 tensor of parameter indices, got "
                        + describe(p));
            }
            if (ids != null && ids.length != group.params().size()) {
                problems.add(where + " has " + ids.length + " parameter(s) in the state dict but "
                        + group.params().size() + " in this optimizer");
            } else if (ids != null) {
                for (int j = 0; j < ids.length; j++) {
                    idMap.put(ids[j], group.params().get(j));
                }
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (Option o : spec.values()) {
                if (!saved.containsKey(o.key())) {
                    missing.add(o.key());
                }
            }
            if (!missing.isEmpty()) {
                problems.add(where + " lacks option(s) " + missing + " (was the state dict made by another kind of "
                        + "optimizer?)");
            }
            boolean valid = missing.isEmpty();
            for (Map.Entry<String, Object> e : saved.entrySet()) {
                if (e.getKey().equals("params")) {
                    continue;
                }
                String problem = optionProblem(e.getKey(), e.getValue());
                if (problem != null) {
                    problems.add(where + ": " + problem);
                    valid = false;
                } else {
                    opts.put(e.getKey(), normalize(e.getValue()));
                }
            }
            if (valid) {
                Map<String, Object> ordered = new LinkedHashMap<>();
                for (String k : spec.keySet()) {
                    ordered.put(k, opts.get(k));
                }
                opts.forEach(ordered::putIfAbsent);
                try {
                    checkGroup(ordered, where);
                } catch (EmberException ex) {
                    problems.add(ex.getMessage());
                }
                opts = ordered;
            }
            newOptions.add(opts);
            for (Tensor t : group.params()) {
                groupOf.put(t, opts);
            }
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : savedState.entrySet()) {
            Tensor param = idMap.get((long) e.getKey());
            String where = "state of parameter " + e.getKey();
            if (param == null) {
                problems.add(where + ": no parameter has this index (the groups list " + idMap.size()
                        + " parameters)");
                continue;
            }
            Map<String, Object> st = new LinkedHashMap<>();
            for (Map.Entry<String, Object> s : e.getValue().entrySet()) {
                String k = s.getKey();
                Object v = s.getValue();
                if (!stateNames.contains(k)) {
                    problems.add(where + ": unknown state '" + k + "'; " + name + " keeps " + new TreeSet<>(stateNames)
                            + " (was the state dict made by another kind of optimizer?)");
                } else if (k.equals("step")) {
                    if (v instanceof Number num && num.doubleValue() >= 0
                            && num.doubleValue() == Math.rint(num.doubleValue())) {
                        st.put(k, num.longValue());
                    } else if (v instanceof Tensor t && t.numel() == 1 && t.item() >= 0) {
                        st.put(k, (long) t.item());
                    } else {
                        problems.add(where + ": 'step' must be a whole number >= 0, got " + describe(v));
                    }
                } else if (!(v instanceof Tensor t)) {
                    problems.add(where + ": '" + k + "' must be a tensor, got " + describe(v));
                } else if (!Arrays.equals(t.shape(), param.shape())) {
                    problems.add(where + ": '" + k + "' has shape " + Arrays.toString(t.shape())
                            + " but the parameter has shape " + Arrays.toString(param.shape()));
                } else if (!t.dtype().isFloatingPoint()) {
                    problems.add(where + ": '" + k + "' is " + t.dtype() + "; optimizer state is floating-point");
                } else {
                    st.put(k, t);
                }
            }
            Map<String, Object> opts = groupOf.get(param);
            if (opts != null && !st.isEmpty()) {
                List<String> lacking = new ArrayList<>();
                for (String k : requiredState(opts)) {
                    if (!e.getValue().containsKey(k)) {
                        lacking.add(k);
                    }
                }
                if (!lacking.isEmpty()) {
                    problems.add(where + " lacks " + lacking);
                }
            }
            newState.put(param, st);
        }
        if (!problems.isEmpty()) {
            throw new EmberException(name + ".loadStateDict: the state dict does not fit this optimizer ("
                    + groups.size() + " parameter group(s) of sizes " + groupSizes() + "):\n  - "
                    + String.join("\n  - ", problems) + "\nNothing was loaded.");
        }
        try (var g = Ember.noGrad()) {
            state.clear();
            for (Map.Entry<Tensor, Map<String, Object>> e : newState.entrySet()) {
                Map<String, Object> st = new LinkedHashMap<>();
                for (Map.Entry<String, Object> s : e.getValue().entrySet()) {
                    st.put(s.getKey(), s.getValue() instanceof Tensor t
                            ? t.detach().to(e.getKey().dtype()).clone() : s.getValue());
                }
                if (!st.isEmpty()) {
                    state.put(e.getKey(), st);
                }
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).optionsMap().clear();
            groups.get(g).optionsMap().putAll(newOptions.get(g));
        }
    }

    private List<Integer> groupSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (ParamGroup g : groups) {
            sizes.add(g.params().size());
        }
        return sizes;
    }

    private static Integer parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(s);
    }

    private static String describe(Object v) {
        if (v instanceof Tensor t) {
            return "a " + t.dtype() + " tensor of shape " + Arrays.toString(t.shape());
        }
        return v == null ? "nothing" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    // ---- printing ---------------------------------------------------------------------------------------------

    /** PyTorch's repr: the name, then each group's options sorted by name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int g = 0; g < groups.size(); g++) {
            sb.append("\nParameter Group ").append(g).append('\n');
            for (Map.Entry<String, Object> e : new TreeMap<>(groups.get(g).options()).entrySet()) {
                Object v = e.getValue();
                sb.append("    ").append(e.getKey()).append(": ")
                        .append(v instanceof Double d ? format(d) : v).append('\n');
            }
        }
        return sb.append(')').toString();
    }

    /** Python's repr of a float: 0.1, 1.0, 1e-08. */
    static String format(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v == 0 ? (1 / v < 0 ? "-0.0" : "0.0") : Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
