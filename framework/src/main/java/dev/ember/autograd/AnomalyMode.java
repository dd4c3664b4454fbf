package dev.ember.autograd;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Anomaly detection (PyTorch's {@code detect_anomaly}), per thread: while a scope is open, every node remembers
 * where the forward call that created it was made, every in-place write remembers where it happened, and backward
 * checks each gradient it computes. A NaN or infinity produced in backward then fails with the node's name and
 * its forward call site; a version error also shows where the tensor was modified. It slows everything down:
 * use it to debug, not to train.
 *
 * <pre>{@code
 * try (var a = Ember.detectAnomaly()) {
 *     Tensor loss = x.sqrt().sum();     // sqrt's gradient at 0 is infinite
 *     loss.backward();                  // AutogradException: SqrtBackward returned ... inf ... created at ...
 * }
 * }</pre>
 */
public final class AnomalyMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[1]);

    private AnomalyMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns anomaly detection on for this thread until the scope closes. */
    public static Scope scope() {
        boolean[] cell = ENABLED.get();
        Scope s = new Scope(cell, cell[0]);
        cell[0] = true;
        return s;
    }

    /** The current call stack, without Ember's own frames, when anomaly mode is on; else null. */
    public static StackTraceElement[] siteIfEnabled() {
        if (!isEnabled()) {
            return null;
        }
        StackTraceElement[] all = new Throwable().getStackTrace();
        int i = 0;
        while (i < all.length && all[i].getClassName().startsWith("dev.ember.")
                && !all[i].getClassName().startsWith("dev.ember.examples")) {
            i++;
        }
        return Arrays.copyOfRange(all, Math.min(i, all.length), all.length);
    }

    /** A few lines of a recorded call site, for error messages. */
    static String format(StackTraceElement[] site) {
        if (site == null || site.length == 0) {
            return "  (unknown)";
        }
        return Arrays.stream(site).limit(8).map(e -> "  at " + e).collect(Collectors.joining("\n"));
    }

    /** Restores the previous anomaly mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            cell[0] = previous;
        }
    }
}
