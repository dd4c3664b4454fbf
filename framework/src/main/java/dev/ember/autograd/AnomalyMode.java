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

    /** Where Ember's own classes were loaded from: frames of classes from there are left out of call sites. */
    private static final java.security.CodeSource FRAMEWORK = AnomalyMode.class.getProtectionDomain().getCodeSource();

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** The current call stack, from the first frame outside Ember's framework, when anomaly mode is on; else null. */
    public static StackTraceElement[] siteIfEnabled() {
        if (!isEnabled()) {
            return null;
        }
        return WALKER.walk(frames -> frames
                .dropWhile(f -> isFramework(f.getDeclaringClass()))
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
    }

    private static boolean isFramework(Class<?> c) {
        java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs != null && FRAMEWORK != null && cs.getLocation() != null
                && cs.getLocation().equals(FRAMEWORK.getLocation());
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
