package dev.ember.io;

import dev.ember.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors, in the header's order, and its {@code __metadata__} strings.
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.read(Path.of("model.safetensors"));
 * Tensor w = f.tensors().get("fc1.weight");
 * String format = f.metadata().get("format");   // "pt" for files written by Ember or PyTorch tools
 * }</pre>
 *
 * @param tensors  name to tensor, in the file's header order (unmodifiable; {@link SafeTensors#load} gives a
 *                 modifiable map)
 * @param metadata the {@code __metadata__} map, empty when the file has none (unmodifiable)
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public SafeTensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
