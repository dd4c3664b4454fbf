package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.io.SafeTensors;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads a module's state dict (its parameters and buffers by dotted name) as a safetensors file, the
 * format PyTorch users share weights in: a model trained in Ember loads into the same architecture in PyTorch
 * ({@code model.load_state_dict(safetensors.torch.load_file(path))}), and weights saved from PyTorch
 * ({@code safetensors.torch.save_file(model.state_dict(), path)}) load here, as long as both sides name their
 * layers alike.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Linear model = new Linear(4, 2);
 * ModelFiles.save(model, Path.of("model.safetensors"));
 * Linear copy = new Linear(4, 2);
 * ModelFiles.load(copy, Path.of("model.safetensors"));   // copy now predicts exactly as model does
 * }</pre>
 *
 * <p>Saving is atomic (a crash leaves the previous file or the new one, never half of one) and writes the metadata
 * {@code format=pt}, which Hugging Face's loaders expect. Loading checks the file as {@link SafeTensors#read} does
 * (safe with untrusted files), then loads it with {@link Module#loadStateDict}: strict by default, so a missing,
 * unexpected or wrongly shaped tensor is an error listing every such key, and nothing is changed unless all
 * checks pass. Values are converted to each parameter's dtype, as PyTorch does.
 *
 * <p>Optimizer state goes in a file of its own beside the model, written with {@link dev.ember.io.StateTree}
 * (for example {@code model.safetensors} and {@code model.optim.safetensors}).
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** Writes the module's state dict to path, atomically, with the metadata {@code format=pt}. */
    public static void save(Module module, Path path) {
        save(module, path, Map.of());
    }

    /** Writes the module's state dict to path with {@code format=pt} and the given metadata strings. */
    public static void save(Module module, Path path, Map<String, String> metadata) {
        if (module == null) {
            throw new EmberException("ModelFiles.save: the module is null");
        }
        if (metadata == null) {
            throw new EmberException("ModelFiles.save: the metadata map is null; pass Map.of() for none");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        SafeTensors.save(module.stateDict(), path, meta);
    }

    /** Loads the state dict in path into the module, strictly: every key and shape must match. */
    public static void load(Module module, Path path) {
        load(module, path, true);
    }

    /**
     * Loads the state dict in path into the module. With strict, the file's keys must be exactly the module's
     * parameters and buffers; without, keys that only one side has are skipped. Shapes must always match.
     */
    public static void load(Module module, Path path, boolean strict) {
        if (module == null) {
            throw new EmberException("ModelFiles.load: the module is null");
        }
        Map<String, Tensor> state = SafeTensors.load(path);
        try {
            module.loadStateDict(state, strict);
        } catch (ShapeException e) {
            throw new ShapeException("ModelFiles.load: the safetensors file " + path + " does not fit "
                    + module.getClass().getSimpleName() + ". " + e.getMessage(), e);
        }
    }
}
