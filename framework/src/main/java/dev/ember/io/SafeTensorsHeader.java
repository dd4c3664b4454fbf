package dev.ember.io;

import dev.ember.DType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a safetensors file's header says, checked but without reading any tensor data: each tensor's name, dtype,
 * shape and byte range, in the header's order, and the {@code __metadata__} strings. Useful to look into a file
 * whose tensors Ember cannot hold (float16, bfloat16, int32, ...) or that is too large to load.
 *
 * <pre>{@code
 * SafeTensorsHeader h = SafeTensors.readHeader(Path.of("model.safetensors"));
 * for (SafeTensorsHeader.Entry e : h.entries()) {
 *     System.out.println(e.name() + " " + e.dtype() + " " + e.shape());
 * }
 * }</pre>
 *
 * @param entries  the tensors in header order
 * @param metadata the {@code __metadata__} map (empty when the file has none), in file order
 * @param headerLength the JSON header's length in bytes (after the 8-byte length prefix)
 */
public record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata, long headerLength) {
    public SafeTensorsHeader {
        entries = List.copyOf(entries);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /**
     * One tensor of the header.
     *
     * <pre>{@code
     * SafeTensorsHeader.Entry e = SafeTensors.readHeader(path).entries().get(0);
     * long bytes = e.end() - e.begin();   // numel times the dtype's size
     * }</pre>
     *
     * @param name  the tensor's name (for a state dict, the dotted parameter name)
     * @param dtype the format's dtype name: {@code F32}, {@code F64}, {@code I64}, {@code BOOL}, {@code F16}, ...
     * @param shape the dimensions (empty for a 0-d tensor)
     * @param begin the start of its bytes, relative to the start of the data section
     * @param end   one past its last byte, relative to the start of the data section
     */
    public record Entry(String name, String dtype, List<Long> shape, long begin, long end) {
        public Entry {
            shape = List.copyOf(shape);
        }

        /** The Ember dtype this entry loads as, or empty when Ember cannot hold the format's dtype. */
        public Optional<DType> emberDType() {
            return Optional.ofNullable(SafeTensors.emberDType(dtype));
        }

        /** The number of elements: the product of the shape (1 for a 0-d tensor). */
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;   // checked against overflow when the header was read
            }
            return n;
        }
    }
}
