package dev.ember.autograd.graph;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link GraphExport#toDot(Tensor, DotOptions)} draws besides the ops: torchviz's {@code make_dot} keyword
 * arguments as a record.
 *
 * <ul>
 *   <li>{@code params}: names for tensors (parameters, inputs, the output), like {@code make_dot(params=...)}; a leaf
 *       found in it is labelled with its key, otherwise with {@link Tensor#name()}, otherwise by its shape alone.
 *       The map's iteration order does not affect the output; when one tensor has several keys, all are shown.</li>
 *   <li>{@code showSaved}: also draw, for each node, the tensors it saved for backward (shape and dtype, and
 *       "freed" once a backward without retainGraph released them), like {@code make_dot(show_saved=True)}.</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_();
 * Tensor b = Ember.tensor(0.5).requiresGrad_();
 * Tensor loss = w.mul(Ember.tensor(3.0, 4.0)).add(b).sum();
 * Map<String, Tensor> params = new LinkedHashMap<>();
 * params.put("w", w);
 * params.put("b", b);
 * String dot = GraphExport.toDot(loss, DotOptions.defaults().withParams(params).withShowSaved(true));
 * }</pre>
 *
 * @param params    names of tensors (never null; empty for none)
 * @param showSaved whether to draw each node's saved tensors
 */
public record DotOptions(Map<String, Tensor> params, boolean showSaved) {

    /** Copies params (keeping its order) and checks that no key or value is null. */
    public DotOptions {
        if (params == null) {
            params = Map.of();
        } else {
            Map<String, Tensor> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                if (e.getKey() == null) {
                    throw new EmberException("DotOptions: params contains a null name (for a tensor of shape "
                            + (e.getValue() == null ? "null" : java.util.Arrays.toString(e.getValue().shape()))
                            + "); every parameter needs a name");
                }
                if (e.getValue() == null) {
                    throw new EmberException("DotOptions: params maps \"" + e.getKey() + "\" to null; every name "
                            + "must map to a tensor (remove the entry, or pass the tensor it stands for)");
                }
                copy.put(e.getKey(), e.getValue());
            }
            params = Collections.unmodifiableMap(copy);
        }
    }

    /** No names besides {@link Tensor#name()}, no saved tensors: {@code make_dot(y)}. */
    public static DotOptions defaults() {
        return new DotOptions(Map.of(), false);
    }

    /** These options with the given names (like {@code make_dot(params=dict(model.named_parameters()))}). */
    public DotOptions withParams(Map<String, Tensor> names) {
        return new DotOptions(names, showSaved);
    }

    /** These options with saved tensors shown or not (like {@code make_dot(show_saved=True)}). */
    public DotOptions withShowSaved(boolean show) {
        return new DotOptions(params, show);
    }
}
