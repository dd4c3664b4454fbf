package dev.ember.nn;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The base of every layer and model (PyTorch's {@code nn.Module}): it registers parameters, buffers (state that is
 * saved but not trained, such as BatchNorm's running mean) and submodules, in order, and gives named traversal,
 * train/eval mode, gradient zeroing, dtype conversion, a readable tree and state dictionaries.
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(2, 16));
 *     final Linear fc2 = registerModule("fc2", new Linear(16, 1));
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(fc1.forward(x).tanh());
 *     }
 * }
 * Module m = new TwoLayer();
 * m.namedParameters().keySet();   // [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
 * }</pre>
 *
 * <p>A module is a {@code UnaryOperator<Tensor>}: {@code module.apply(x)} is {@code forward(x)}, so modules can be
 * passed wherever a function of one tensor is expected (checkpointSequential, for example).
 */
public abstract class Module implements UnaryOperator<Tensor> {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor input);

    /** {@code forward(input)}. */
    @Override
    public Tensor apply(Tensor input) {
        return forward(input);
    }

    // ---- registration -----------------------------------------------------------------------------------------

    /** Registers a parameter (made a leaf that requires grad if it is not one) and returns it. */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        checkName(name);
        Tensor p = parameter == null ? null : parameter.isLeaf() && parameter.requiresGrad() ? parameter
                : Parameter.of(parameter);
        parameters.put(name, p);
        return p;
    }

    /** Registers a buffer: state saved in the state dict and converted with the module, but not trained. */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a submodule and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        modules.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new EmberException(getClass().getSimpleName() + ": \"" + name + "\" is not a valid name for a "
                    + "parameter, buffer or submodule; names are non-empty and contain no dot");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name)) {
            throw new EmberException(getClass().getSimpleName() + ": \"" + name + "\" is already registered");
        }
    }

    /** Replaces a registered buffer's tensor (e.g. a running statistic recomputed out of place). */
    protected final void setBuffer(String name, Tensor buffer) {
        if (!buffers.containsKey(name)) {
            throw new EmberException(getClass().getSimpleName() + " has no buffer \"" + name + "\"");
        }
        buffers.put(name, buffer);
    }

    /** A registered buffer by name. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    // ---- traversal --------------------------------------------------------------------------------------------

    /** Every parameter of this module and its submodules, by dotted name ({@code fc1.weight}), in order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return Collections.unmodifiableMap(out);
    }

    /** The parameters, each once (a parameter shared by two submodules appears once), in order. */
    public final List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (out.stream().noneMatch(p -> p == t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every buffer of this module and its submodules, by dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            if (e.getValue() != null) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, params);
        }
    }

    /** The direct submodules, by name, in order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(modules);
    }

    /** This module ("") and every submodule below it, by dotted name, depth first. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", out);
        return Collections.unmodifiableMap(out);
    }

    private void walk(String name, Map<String, Module> out) {
        out.put(name, this);
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            e.getValue().walk(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), out);
        }
    }

    // ---- modes, gradients, dtype ------------------------------------------------------------------------------

    /** Training mode (the default): Dropout drops, BatchNorm uses and updates batch statistics. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        training = mode;
        for (Module m : modules.values()) {
            m.train(mode);
        }
        return this;
    }

    /** Evaluation mode: {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient in place (PyTorch 1.13's default). */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Zeroes gradients, or with setToNone drops them (cheaper; the next backward allocates them anew). */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
            if (p.grad() == null) {
                continue;
            }
            if (setToNone) {
                p.setGrad(null);
            } else {
                Tensor g = p.grad();
                if (g.requiresGrad()) {
                    p.setGrad(Ember.zerosLike(g));
                } else {
                    g.zero_();
                }
            }
        }
    }

    /** Converts every floating-point parameter and buffer (and gradient) to dtype, in place; returns this. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new EmberException(getClass().getSimpleName() + ".to(" + dtype + "): modules can only be "
                    + "converted to a floating-point dtype");
        }
        for (Tensor t : parametersAndBuffers()) {
            if (t.dtype().isFloatingPoint() && t.dtype() != dtype) {
                Internal.replaceData(t, Kernels.contiguousCopy(t.impl(), dtype));
            }
        }
        return this;
    }

    private List<Tensor> parametersAndBuffers() {
        List<Tensor> all = new ArrayList<>(namedParameters().values());
        all.addAll(namedBuffers().values());
        return all;
    }

    // ---- state dicts ------------------------------------------------------------------------------------------

    /** Parameters and buffers by dotted name, detached (sharing storage with the module). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> out.put(k, v.detach()));
        namedBuffers().forEach((k, v) -> out.put(k, v.detach()));
        return out;
    }

    /** {@code loadStateDict(state, true)}. */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies values into the parameters and buffers (in place, without recording). Every key of the state must
     * match a parameter or buffer with the same shape; with strict, every parameter and buffer must be present too.
     * All problems are listed in one error, and nothing is copied unless all checks pass.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>(namedParameters());
        own.putAll(namedBuffers());
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor mine = own.get(e.getKey());
            if (mine == null) {
                unexpected.add(e.getKey());
            } else if (!Arrays.equals(mine.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint " + Arrays.toString(e.getValue().shape()) + ", model "
                        + Arrays.toString(mine.shape()));
            }
        }
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state dict for " + getClass().getSimpleName()
                    + ":");
            if (strict && !missing.isEmpty()) {
                sb.append("\n  missing keys: ").append(String.join(", ", missing));
            }
            if (strict && !unexpected.isEmpty()) {
                sb.append("\n  unexpected keys: ").append(String.join(", ", unexpected));
            }
            if (!mismatched.isEmpty()) {
                sb.append("\n  size mismatch: ").append(String.join("; ", mismatched));
            }
            sb.append("\nNothing was loaded. Pass strict=false to load the matching keys only.");
            throw new ShapeException(sb.toString());
        }
        try (var g = Ember.noGrad()) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                Tensor mine = own.get(e.getKey());
                if (mine != null) {
                    mine.copy_(e.getValue());
                }
            }
        }
    }

    // ---- printing ---------------------------------------------------------------------------------------------

    /** This module's own settings for its line in the tree, e.g. {@code in_features=2, out_features=16}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch's module tree: {@code Sequential(\n  (0): Linear(in_features=2, out_features=16, bias=True)\n)}. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (modules.isEmpty()) {
            return name + "(" + extraRepr() + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra);
        }
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String child = e.getValue().toString().replace("\n", "\n  ");
            sb.append("\n  (").append(e.getKey()).append("): ").append(child);
        }
        return sb.append("\n)").toString();
    }
}
