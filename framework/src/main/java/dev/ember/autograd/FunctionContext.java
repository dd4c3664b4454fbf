package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a custom {@link Function}'s forward tells its backward (PyTorch's {@code ctx}): the tensors saved for
 * backward (version-checked when read), which inputs need gradients, which outputs are not differentiable, which
 * inputs forward modified in place, and whether missing output gradients are passed as zeros or as null.
 *
 * <pre>{@code
 * protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
 *     ctx.saveForBackward(in[0]);
 *     return new Tensor[] {in[0].pow(2)};
 * }
 * protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
 *     Tensor x = ctx.savedTensors()[0];
 *     return new Tensor[] {g[0].mul(x.mul(2))};
 * }
 * }</pre>
 */
public final class FunctionContext {
    private final String function;
    private final boolean[] needsInputGrad;
    private List<Tensor> toSave = List.of();
    private List<SavedTensor> saved;
    private final Set<Tensor> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Tensor> nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean materializeGrads = true;
    private final Map<String, Object> values = new java.util.HashMap<>();
    private boolean inForward = true;

    FunctionContext(String function, boolean[] needsInputGrad) {
        this.function = function;
        this.needsInputGrad = needsInputGrad;
    }

    /** Saves tensors (inputs or outputs of forward) for backward; call once, in forward. */
    public void saveForBackward(Tensor... tensors) {
        requireForward("saveForBackward");
        toSave = new ArrayList<>(List.of(tensors));
    }

    /** The tensors saved in forward, in order; fails if one was modified in place since, or freed by a backward. */
    public Tensor[] savedTensors() {
        if (saved == null) {
            // nothing was recorded (no input needs a gradient): forward-mode rules still see what forward saved
            return toSave.toArray(new Tensor[0]);
        }
        Tensor[] out = new Tensor[saved.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = saved.get(i) == null ? null : saved.get(i).get();
        }
        return out;
    }

    /** True if input i needs a gradient (skip computing the others: return null for them). */
    public boolean needsInputGrad(int i) {
        if (i < 0 || i >= needsInputGrad.length) {
            throw new AutogradException(function + ": needsInputGrad(" + i + ") is out of range; the function has "
                    + needsInputGrad.length + " tensor input" + (needsInputGrad.length == 1 ? "" : "s"));
        }
        return needsInputGrad[i];
    }

    /** Declares that forward modified these inputs in place (and returns them as outputs). */
    public void markDirty(Tensor... tensors) {
        requireForward("markDirty");
        dirty.addAll(List.of(tensors));
    }

    /** Declares outputs that are not differentiable (indices, masks): they will not require grad. */
    public void markNonDifferentiable(Tensor... tensors) {
        requireForward("markNonDifferentiable");
        nonDifferentiable.addAll(List.of(tensors));
    }

    /**
     * Whether output gradients that nothing produced are passed to backward as zeros (true, the default) or as
     * null (false: cheaper when backward can handle a missing gradient).
     */
    public void setMaterializeGrads(boolean value) {
        materializeGrads = value;
    }

    /** Keeps a non-tensor value (a shape, a flag) for backward: PyTorch's {@code ctx.anything = value}. */
    public void put(String key, Object value) {
        values.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (!values.containsKey(key)) {
            throw new AutogradException(function + ": nothing was put in the context under \"" + key
                    + "\"; forward must call ctx.put(\"" + key + "\", value)");
        }
        return (T) values.get(key);
    }

    private void requireForward(String what) {
        if (!inForward) {
            throw new AutogradException(function + ": " + what + "() can only be called in forward");
        }
    }

    // ---- used by Function --------------------------------------------------------------------------------------

    List<Tensor> toSave() {
        return toSave;
    }

    void endForward(List<SavedTensor> savedTensors) {
        this.saved = savedTensors;
        this.inForward = false;
    }

    boolean isDirty(Tensor t) {
        return dirty.contains(t);
    }

    boolean isNonDifferentiable(Tensor t) {
        return nonDifferentiable.contains(t);
    }

    Set<Tensor> dirtyTensors() {
        return dirty;
    }

    boolean materializeGrads() {
        return materializeGrads;
    }
}
