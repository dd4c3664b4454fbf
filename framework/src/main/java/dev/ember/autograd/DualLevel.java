package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Tensor;

/**
 * A forward-mode AD scope (PyTorch's {@code torch.autograd.forward_ad.dual_level}): while it is open, tensors made
 * by {@link ForwardAD#makeDual} carry a tangent and every op computes its output's tangent (a Jacobian-vector
 * product) beside its value. Closing the level ends every tangent made in it. One level at a time, as in
 * PyTorch 1.13; open it with try-with-resources.
 *
 * <pre>{@code
 * try (DualLevel level = ForwardAD.dualLevel()) {
 *     Tensor x = level.makeDual(Ember.scalar(1.0), Ember.scalar(1.0));
 *     Tensor y = x.pow(2);
 *     System.out.println(level.unpackDual(y).tangent());   // tensor(2.)
 * }
 * }</pre>
 *
 * <p>After {@link #close()}, this object's {@link #makeDual} and {@link #unpackDual} fail with a message saying the
 * level was closed. Tensors made in it stay usable as ordinary tensors: their tangents are dead, so ops ignore
 * them and {@link ForwardAD#unpackDual} reports none (PyTorch's behaviour).
 */
public final class DualLevel implements AutoCloseable {
    private final long index;
    private volatile boolean open = true;

    DualLevel(long index) {
        this.index = index;
    }

    /** The level's number: 0 for the first level opened in this JVM, then 1, 2, ... (for messages). */
    public long index() {
        return index;
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return open;
    }

    /** {@link ForwardAD#makeDual} at this level; fails once the level is closed. */
    public Tensor makeDual(Tensor primal, Tensor tangent) {
        requireOpen("makeDual");
        return ForwardAD.makeDualAt(this, primal, tangent);
    }

    /** {@link ForwardAD#unpackDual} at this level; fails once the level is closed. */
    public Dual unpackDual(Tensor t) {
        requireOpen("unpackDual");
        return ForwardAD.unpackDualAt(this, t);
    }

    /** Ends the level and every tangent made in it. Closing twice is harmless. */
    @Override
    public void close() {
        if (open) {
            open = false;
            ForwardAD.closeLevel(this);
        }
    }

    private void requireOpen(String op) {
        if (!open) {
            throw new AutogradException(op + ": " + this + " was closed (its try-with-resources block ended), and "
                    + "tangents live only while their level is open. Open a new level with ForwardAD.dualLevel() "
                    + "and make the dual tensors again inside it");
        }
    }

    @Override
    public String toString() {
        return "dual level " + index;
    }
}
