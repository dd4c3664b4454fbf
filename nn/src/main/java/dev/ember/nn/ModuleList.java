package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A list of submodules that are registered (their parameters are the model's, they follow train/eval and dtype
 * conversion, they appear in the state dict as {@code 0.weight}, ...), but that are not applied in any fixed order
 * (PyTorch's {@code nn.ModuleList}): the owning module's forward decides how to use them.
 *
 * <pre>{@code
 * final class Deep extends Module {
 *     final ModuleList blocks = registerModule("blocks", new ModuleList());
 *     Deep(int depth) {
 *         for (int i = 0; i < depth; i++) {
 *             blocks.add(new Linear(16, 16));
 *         }
 *     }
 *     public Tensor forward(Tensor x) {
 *         for (Module b : blocks) {
 *             x = b.forward(x).relu();
 *         }
 *         return x;
 *     }
 * }
 * }</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> items = new ArrayList<>();

    public ModuleList(Module... modules) {
        if (modules == null) {
            throw new EmberException("ModuleList: the module array is null");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList(Iterable<? extends Module> modules) {
        extend(modules);
    }

    /** {@code new ModuleList(modules)}. */
    public static ModuleList of(Module... modules) {
        return new ModuleList(modules);
    }

    /** Appends a module, named after its position (PyTorch's {@code append}); returns this. */
    public final ModuleList add(Module module) {
        if (module == null) {
            throw new EmberException("ModuleList: the module at position " + items.size() + " is null");
        }
        registerModule(String.valueOf(items.size()), module);
        items.add(module);
        return this;
    }

    /** Appends every module (PyTorch's {@code extend}); returns this. */
    public final ModuleList extend(Iterable<? extends Module> modules) {
        if (modules == null) {
            throw new EmberException("ModuleList: the modules to add are null");
        }
        for (Module m : modules) {
            add(m);
        }
        return this;
    }

    /** The module at index (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + items.size() : index;
        if (i < 0 || i >= items.size()) {
            throw new EmberException("ModuleList: index " + index + " is out of range for " + items.size()
                    + " module" + (items.size() == 1 ? "" : "s"));
        }
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    /** The modules in order (unmodifiable). */
    public List<Module> modules() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<Module> iterator() {
        return modules().iterator();
    }

    /** Always fails: a ModuleList only holds modules; the module that owns it applies them. */
    @Override
    public Tensor forward(Tensor input) {
        throw new EmberException("ModuleList has no forward: it only holds its " + items.size() + " modules. Iterate "
                + "over it in the owning module's forward (for (Module m : list) x = m.forward(x);), or use "
                + "Sequential to apply modules in order");
    }
}
