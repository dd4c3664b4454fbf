package dev.ember.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Stops training cleanly. Training asks {@link #stopRequested()} between batches, and writes each checkpoint
 * inside {@link #whileSaving}. On Ctrl-C (or SIGTERM) the JVM runs the hook that {@link #onShutdown} installs: it
 * asks training to stop, waits for a checkpoint being written to be complete, and keeps any further one from
 * starting, so the last completed checkpoint is always whole on the disk; then it prints how to resume.
 *
 * <pre>{@code
 * InterruptGuard guard = InterruptGuard.onShutdown(Duration.ofSeconds(30), System.err);
 * for (int epoch = 1; epoch <= epochs && !guard.stopRequested(); epoch++) {
 *     trainOneEpoch();                                  // asks guard.stopRequested() between batches
 *     int done = epoch;
 *     guard.whileSaving(() -> {
 *         saveCheckpoint(done);
 *         guard.setResumeHint("stopped after epoch " + done + "; continue with: ember train --resume " + dir);
 *     });
 * }
 * }</pre>
 */
public final class InterruptGuard {
    private final ReentrantLock saving = new ReentrantLock();
    private final BooleanSupplier trigger;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile String resumeHint;

    /** A guard that stops when {@link #requestStop()} is called. */
    public InterruptGuard() {
        this(() -> false);
    }

    /** A guard that also stops once {@code trigger} returns true (asked between batches). */
    public InterruptGuard(BooleanSupplier trigger) {
        this.trigger = trigger;
    }

    /**
     * A guard with a JVM shutdown hook: on Ctrl-C it requests a stop, waits up to {@code limit} for a checkpoint
     * being written, then holds the lock so that no other one starts before the JVM halts, and prints the resume
     * hint, if any, to {@code err}.
     */
    public static InterruptGuard onShutdown(Duration limit, PrintStream err) {
        InterruptGuard guard = new InterruptGuard();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            guard.requestStop();
            try {
                guard.saving.tryLock(limit.toMillis(), TimeUnit.MILLISECONDS);   // kept: the JVM is halting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            guard.reportStop(err);
        }, "ember-interrupt"));
        return guard;
    }

    /** Whether training should stop at the next batch. */
    public boolean stopRequested() {
        if (!stopRequested && trigger.getAsBoolean()) {
            stopRequested = true;
        }
        return stopRequested;
    }

    /** Asks training to stop at the next batch. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Runs the writing of a checkpoint so that an interruption waits for it to be complete. */
    public void whileSaving(Runnable save) {
        saving.lock();
        try {
            save.run();
        } finally {
            saving.unlock();
        }
    }

    /** What to print when training stops early: where the last checkpoint is and how to continue. */
    public void setResumeHint(String hint) {
        this.resumeHint = hint;
    }

    /** Prints the resume hint once (from whichever of the training thread and the shutdown hook comes first). */
    public void reportStop(PrintStream err) {
        String hint = resumeHint;
        if (hint != null && reported.compareAndSet(false, true)) {
            err.println(hint);
            err.flush();
        }
    }
}
