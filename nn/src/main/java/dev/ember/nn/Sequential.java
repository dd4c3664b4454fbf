package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A chain of modules applied in order (PyTorch's {@code nn.Sequential}): the output of each is the input of the
 * next. Submodules are named "0", "1", ... (or given names), so parameters are {@code 0.weight}, {@code 2.bias}, as
 * in PyTorch's state dicts. Indexable (negative indices count from the end) and iterable.
 *
 * <pre>{@code
 * Sequential model = Sequential.of(new Linear(2, 16), new Tanh(), new Linear(16, 1));
 * Tensor y = model.forward(Ember.randn(8, 2));      // [8, 1]
 * Linear last = (Linear) model.get(-1);
 * System.out.println(model);
 * // Sequential(
 * //   (0): Linear(in_features=2, out_features=16, bias=True)
 * //   (1): Tanh()
 * //   (2): Linear(in_features=16, out_features=1, bias=True)
 * // )
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** The modules in order, named "0", "1", .... */
    public Sequential(Module... modules) {
        if (modules == null) {
            throw new EmberException("Sequential: the module array is null");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    /** The modules in the map's iteration order (use a LinkedHashMap), under its keys (PyTorch's OrderedDict form). */
    public Sequential(Map<String, ? extends Module> named) {
        if (named == null) {
            throw new EmberException("Sequential: the map of modules is null");
        }
        named.forEach(this::add);
    }

    /** {@code new Sequential(modules)}. */
    public static Sequential of(Module... modules) {
        return new Sequential(modules);
    }

    /** Appends a module named after its position (PyTorch's {@code append}); returns this. */
    public final Sequential add(Module module) {
        return add(String.valueOf(layers.size()), module);
    }

    /** Appends a module under a name (PyTorch's {@code add_module}); returns this. */
    public final Sequential add(String name, Module module) {
        if (module == null) {
            throw new EmberException("Sequential: module " + (name == null ? "" : "\"" + name + "\" ") + "at position "
                    + layers.size() + " is null");
        }
        registerModule(name, module);
        layers.add(module);
        names.add(name);
        return this;
    }

    /** The module at index (negative counts from the end: -1 is the last). */
    public Module get(int index) {
        return layers.get(checkIndex(index));
    }

    private int checkIndex(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new EmberException("Sequential: index " + index + " is out of range for " + layers.size()
                    + " module" + (layers.size() == 1 ? "" : "s") + " (valid: " + (layers.isEmpty() ? "none"
                    : "-" + layers.size() + " to " + (layers.size() - 1)) + ")");
        }
        return i;
    }

    /**
     * The modules from index {@code from} (inclusive) to {@code to} (exclusive) as a new Sequential that shares them
     * and keeps their names (PyTorch's {@code seq[from:to]}); bounds clamp like Python's slices, negative ones count
     * from the end.
     */
    public Sequential slice(int from, int to) {
        int n = layers.size();
        int a = Math.max(0, Math.min(n, from < 0 ? from + n : from));
        int b = Math.max(0, Math.min(n, to < 0 ? to + n : to));
        Sequential s = new Sequential();
        for (int i = a; i < b; i++) {
            s.add(names.get(i), layers.get(i));
        }
        return s;
    }

    /** The number of modules. */
    public int size() {
        return layers.size();
    }

    /** The modules in order (unmodifiable). */
    public List<Module> modules() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Iterator<Module> iterator() {
        return modules().iterator();
    }

    /** Applies every module in order; an empty Sequential returns its input. */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
