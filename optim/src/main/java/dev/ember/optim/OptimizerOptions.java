package dev.ember.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of an optimizer, set through a fluent builder: PyTorch's keyword arguments in Java. Each optimizer has
 * its own subclass ({@link SGD.Options}, {@link Adam.Options}, ...) made by a static {@code options()} method; an
 * options object holds only the values that were set explicitly, so it serves both as an optimizer's defaults (what
 * is not set takes PyTorch's default) and as the overrides of one parameter group (what is not set takes the
 * optimizer's default).
 *
 * <pre>{@code
 * SGD sgd = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
 * Adam adam = new Adam(List.of(
 *         ParamGroup.of(model.fc1.parameters()),
 *         ParamGroup.of(model.fc2.parameters(), Adam.options().lr(1e-4))),   // this group's own lr
 *     Adam.options().lr(1e-3).betas(0.9, 0.99));
 * }</pre>
 *
 * <p>Values are checked when the optimizer is made (or the group added), so that every problem names the parameter
 * group it is in. The keys are PyTorch's names ({@code lr}, {@code weight_decay}, ...; Adam's {@code betas} pair is
 * split into {@code beta1} and {@code beta2}): they are the keys of {@link ParamGroup#options()} and of the
 * optimizer's state dict.
 *
 * @param <O> the concrete options type, so that the setters chain
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    private final Map<String, Object> values = new LinkedHashMap<>();

    protected OptimizerOptions() {
    }

    /** The learning rate (every optimizer has one; it must be at least 0). */
    public final O lr(double lr) {
        return put("lr", lr);
    }

    /** Sets the option {@code key} (PyTorch's name) to a number or a boolean and returns this. */
    protected final O put(String key, Object value) {
        values.put(key, value);
        @SuppressWarnings("unchecked")
        O self = (O) this;
        return self;
    }

    /** The values set so far, by PyTorch's names, in the order they were set. */
    public final Map<String, Object> values() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String toString() {
        return getClass().getName().replace(getClass().getPackageName() + ".", "").replace('$', '.') + values;
    }
}
