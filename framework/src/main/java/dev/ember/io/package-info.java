/**
 * Files: tensors in the safetensors format ({@link dev.ember.io.SafeTensors}), checked strictly so that untrusted
 * files are safe to open and written atomically so that a crash never leaves a half-written file, and nested state
 * such as an optimizer's ({@link dev.ember.io.StateTree}) in the same format.
 *
 * <pre>{@code
 * SafeTensors.save(Map.of("w", Ember.randn(2, 3)), Path.of("w.safetensors"));
 * Tensor w = SafeTensors.load(Path.of("w.safetensors")).get("w");
 * }</pre>
 */
package dev.ember.io;
