package dev.ember.autograd;

/**
 * Returned by hook registration; {@link #remove()} unregisters the hook (idempotent). Also usable with
 * try-with-resources.
 *
 * <pre>{@code
 * try (RemovableHandle h = v.registerHook(g -> g.mul(2))) {
 *     v.mul(3).sum().backward();
 * }
 * }</pre>
 */
public final class RemovableHandle implements AutoCloseable {
    private Runnable remover;

    RemovableHandle(Runnable remover) {
        this.remover = remover;
    }

    public void remove() {
        if (remover != null) {
            remover.run();
            remover = null;
        }
    }

    @Override
    public void close() {
        remove();
    }
}
