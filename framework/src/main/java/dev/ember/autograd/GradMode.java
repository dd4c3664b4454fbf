package dev.ember.autograd;

/**
 * Whether operations are recorded on the tape, per thread (PyTorch's grad mode). Open a scope with
 * {@code Ember.noGrad()}, {@code Ember.enableGrad()} or {@code Ember.setGradEnabled(b)}; closing it restores the
 * previous mode, so scopes nest.
 *
 * <pre>{@code
 * try (GradMode.Scope s = GradMode.scope(false)) {
 *     assert !GradMode.isEnabled();
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when operations on tensors that require grad are recorded (the default). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the mode for this thread and returns a scope that restores the previous mode when closed. */
    public static Scope scope(boolean enabled) {
        boolean[] cell = ENABLED.get();
        Scope s = new Scope(cell, cell[0]);
        cell[0] = enabled;
        return s;
    }

    /** The restoring half of a grad-mode change; close it (try-with-resources) to restore the previous mode. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        /** The mode that was in force before this scope opened. */
        public boolean previous() {
            return previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cell[0] = previous;
            }
        }
    }
}
