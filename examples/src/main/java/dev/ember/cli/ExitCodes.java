package dev.ember.cli;

/**
 * The exit codes of the {@code ember} command.
 *
 * <pre>{@code
 * int code = EmberCli.run(Environment.system(), "train", "--epochs", "1");   // ExitCodes.OK on success
 * }</pre>
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The command failed (a missing data set, an unwritable directory, a corrupt file...). */
    public static final int FAILURE = 1;
    /** The command line was wrong (an unknown option, a bad value): nothing was done. */
    public static final int USAGE = 2;
    /** Training was interrupted; the last completed checkpoint is intact (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
