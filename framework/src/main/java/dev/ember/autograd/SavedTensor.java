package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * A tensor saved by a node for its backward formula, with the version its storage had when saved. Reading it
 * back checks that no in-place write happened since, and that a backward without retainGraph has not freed it.
 *
 * <pre>{@code
 * SavedTensor s = save(input);          // inside a Node subclass's constructor
 * Tensor x = s.get();                   // in backward(): checked
 * }</pre>
 */
public final class SavedTensor {
    private final Node owner;
    private final int version;
    private Tensor value;
    private final int[] shape;
    private final String dtype;

    SavedTensor(Tensor value, Node owner) {
        this.value = value;
        this.owner = owner;
        this.version = value.impl().storage().version();
        this.shape = value.impl().shape();
        this.dtype = value.dtype().label();
    }

    /** The saved tensor; fails if it was freed or modified in place since it was saved. */
    public Tensor get() {
        if (value == null) {
            throw new AutogradException("Trying to backward through the graph a second time: the tensors that "
                    + owner.name() + " saved for backward were freed when an earlier backward() or grad() passed "
                    + "through it. Pass retainGraph=true (GradOptions.retainGraph()) to the earlier call if you need "
                    + "to backward through the same graph again, or run the forward pass again.");
        }
        int now = value.impl().storage().version();
        if (now != version) {
            String writer = value.impl().storage().lastWriter();
            throw new AutogradException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: a " + dtype + " tensor of shape " + Arrays.toString(shape)
                    + " that " + owner.name() + " saved is at version " + now + "; expected version " + version
                    + " instead. It was last modified by " + (writer == null ? "an in-place op" : writer + "()")
                    + ". Fix: use the out-of-place form (e.g. x = x.add(1) instead of x.add_(1)), or clone() the "
                    + "tensor before modifying it.");
        }
        return value;
    }

    /** The bytes of storage this saved tensor refers to (0 once freed). */
    public long bytes() {
        return value == null ? 0 : (long) value.numel() * value.dtype().byteSize();
    }

    void release() {
        value = null;
    }
}
