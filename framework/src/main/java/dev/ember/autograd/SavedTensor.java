package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.kernels.VersionCounter;

import java.util.Arrays;

/**
 * A tensor saved by a node for its backward formula, with the version its storage had when saved. Reading it
 * back checks that no in-place write happened since, and that a backward without retainGraph has not freed it.
 * Under {@link SavedTensorHooks} only the packed form is kept, and the tensor is unpacked when read.
 *
 * <pre>{@code
 * SavedTensor s = save(input);          // inside a Node subclass's constructor
 * Tensor x = s.get();                   // in backward(): checked
 * }</pre>
 */
public final class SavedTensor {
    private final Node owner;
    private final VersionCounter counter;
    private final int version;
    private final int[] shape;
    private final dev.ember.DType dtype;
    private Tensor value;
    private Object packed;
    private SavedTensorHooks.Unpack unpack;
    private final Node gradFn;
    private final int outputNr;
    private final Tensor leaf;
    private boolean released;

    SavedTensor(Tensor value, Node owner) {
        this.owner = owner;
        this.counter = value.impl().storage().versionCounter();
        this.version = counter.value();
        this.shape = value.impl().shape();
        this.dtype = value.dtype();
        SavedTensorHooks.Hooks hooks = SavedTensorHooks.current();
        if (hooks == null) {
            this.value = value;
            this.gradFn = null;
            this.outputNr = 0;
            this.leaf = null;
        } else {
            // keep the tensor's place in the graph, not its elements
            this.gradFn = value.gradFn();
            this.outputNr = value.outputNr();
            this.leaf = value.gradFn() == null && value.requiresGrad() ? value : null;
            this.unpack = hooks.unpack();
            try (var g = GradMode.scope(false)) {
                this.packed = hooks.pack().pack(value);
            }
        }
    }

    /** The saved tensor; fails if it was freed or modified in place since it was saved. */
    public Tensor get() {
        if (released) {
            throw new AutogradException("Trying to backward through the graph a second time: the tensors that "
                    + owner.name() + " saved for backward were freed when an earlier backward() or grad() passed "
                    + "through it. Pass retainGraph=true (GradOptions.retainGraph()) to the earlier call if you need "
                    + "to backward through the same graph again, or run the forward pass again.");
        }
        int now = counter.value();
        if (now != version) {
            String writer = counter.lastWriter();
            StackTraceElement[] site = counter.lastWriteSite();
            throw new AutogradException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: a " + dtype.label() + " tensor of shape " + Arrays.toString(shape)
                    + " that " + owner.name() + " saved is at version " + now + "; expected version " + version
                    + " instead. It was last modified by " + (writer == null ? "an in-place op" : writer + "()")
                    + ". Fix: use the out-of-place form (e.g. x = x.add(1) instead of x.add_(1)), or clone() the "
                    + "tensor before modifying it."
                    + (site != null ? "\nThe modification happened here:\n" + AnomalyMode.format(site)
                            : owner.creationSite() == null ? " Ember.detectAnomaly() shows where it was modified." : "")
                    + (owner.creationSite() != null ? "\n" + owner.name() + " was created here:\n"
                            + AnomalyMode.format(owner.creationSite()) : ""));
        }
        if (value != null) {
            return value;
        }
        Tensor t;
        try (var g = GradMode.scope(false)) {
            t = unpack.unpack(packed);
        }
        if (t == null || !Arrays.equals(t.impl().shape(), shape) || t.dtype() != dtype) {
            throw new AutogradException("a saved-tensor unpack hook returned " + (t == null ? "null"
                    : "a " + t.dtype() + " tensor of shape " + Arrays.toString(t.shape())) + " for a tensor that "
                    + owner.name() + " saved as " + dtype + " " + Arrays.toString(shape)
                    + ": unpack must restore the tensor's shape and dtype");
        }
        return Internal.restoreHistory(t, gradFn, outputNr, leaf);
    }

    /** The saved tensor's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public dev.ember.DType dtype() {
        return dtype;
    }

    /** True once a backward without retainGraph freed it. */
    public boolean isReleased() {
        return released;
    }

    /** The bytes of storage this saved tensor keeps alive (0 once freed, or when only a packed form is kept). */
    public long bytes() {
        return value == null ? 0 : (long) value.numel() * value.dtype().byteSize();
    }

    void release() {
        released = true;
        value = null;
        packed = null;
        unpack = null;
    }
}
