package dev.ember.optim;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parameter group: some parameters and the options they are trained with (PyTorch's {@code param_groups}
 * entries). Make one with {@link #of(Iterable, OptimizerOptions)} to give part of a model its own options; once it is
 * in an optimizer it holds every option (its own, and the optimizer's defaults for the rest), and schedulers change
 * its learning rate through {@link #setLr(double)}.
 *
 * <pre>{@code
 * SGD sgd = new SGD(List.of(
 *         ParamGroup.of(backbone.parameters()),                              // the defaults below
 *         ParamGroup.of(head.parameters(), SGD.options().lr(0.1))),          // lr 0.1, momentum 0.9
 *     SGD.options().lr(0.01).momentum(0.9));
 * ParamGroup head = sgd.paramGroups().get(1);
 * head.setLr(head.lr() / 2);
 * double m = head.getDouble("momentum");                                     // 0.9
 * }</pre>
 *
 * <p>Option values are numbers (stored as {@code Double}) or booleans, under PyTorch's names; schedulers add their
 * own entries ({@code initial_lr}, and for OneCycleLR {@code max_lr}, {@code min_lr}, {@code max_momentum},
 * {@code base_momentum}). Setting an option of the optimizer checks its value as the optimizer's constructor does.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();
    Optimizer owner;

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    /** A group of these parameters with the optimizer's default options. */
    public static ParamGroup of(Iterable<Tensor> params) {
        if (params == null) {
            throw new EmberException("ParamGroup.of: the parameters are null; pass a list of tensors such as "
                    + "model.parameters()");
        }
        List<Tensor> list = new ArrayList<>();
        params.forEach(list::add);
        return new ParamGroup(Collections.unmodifiableList(list));
    }

    /** A group of these parameters with the optimizer's default options. */
    public static ParamGroup of(Tensor... params) {
        return of(Arrays.asList(params));
    }

    /** A group of these parameters whose options override the optimizer's defaults where they are set. */
    public static ParamGroup of(Iterable<Tensor> params, OptimizerOptions<?> overrides) {
        ParamGroup g = of(params);
        if (overrides != null) {
            g.options.putAll(overrides.values());
        }
        return g;
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate (checked: it must be a number at least 0); returns this. */
    public ParamGroup setLr(double lr) {
        return set("lr", lr);
    }

    /** True if the group has an option (or scheduler entry) of this name. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** The value of an option: a Double or a Boolean. */
    public Object get(String key) {
        Object v = options.get(key);
        if (v == null) {
            throw new EmberException(where() + " has no option '" + key + "'; it has " + options.keySet());
        }
        return v;
    }

    /** The value of a numeric option. */
    public double getDouble(String key) {
        Object v = get(key);
        if (!(v instanceof Number n)) {
            throw new EmberException(where() + ": option '" + key + "' is " + v + ", not a number");
        }
        return n.doubleValue();
    }

    /** The value of a boolean option. */
    public boolean getBoolean(String key) {
        Object v = get(key);
        if (!(v instanceof Boolean b)) {
            throw new EmberException(where() + ": option '" + key + "' is " + v + ", not a boolean");
        }
        return b;
    }

    /** Sets a numeric option (checked against the optimizer's rules once the group is in one); returns this. */
    public ParamGroup set(String key, double value) {
        return setValue(key, value);
    }

    /** Sets a boolean option; returns this. */
    public ParamGroup set(String key, boolean value) {
        return setValue(key, value);
    }

    private ParamGroup setValue(String key, Object value) {
        if (key == null || key.isEmpty() || key.contains(".")) {
            throw new EmberException("ParamGroup.set: option names are non-empty and contain no '.', got '" + key
                    + "'");
        }
        if (owner != null) {
            owner.checkOption(key, value, where());
        }
        options.put(key, value);
        return this;
    }

    /** Every option and scheduler entry, by PyTorch's names (an unmodifiable view). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** The mutable map, for the optimizer. */
    Map<String, Object> optionsMap() {
        return options;
    }

    private String where() {
        return owner == null ? "ParamGroup" : owner.name() + " parameter group " + owner.paramGroups().indexOf(this);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " parameters, " + options + ")";
    }
}
