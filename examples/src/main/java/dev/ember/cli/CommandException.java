package dev.ember.cli;

/**
 * A failure of a command that the user can fix (a missing data set, an unwritable directory, a corrupt checkpoint,
 * options that do not fit together): the command prints its message on one line and exits with
 * {@link ExitCodes#FAILURE}, without a stack trace unless {@code --verbose} is given.
 *
 * <pre>{@code
 * throw new CommandException("--model cnn needs images; use --model mlp for spirals");
 * }</pre>
 */
public class CommandException extends RuntimeException {
    /** A failure with a one-line message that says what happened and how to fix it. */
    public CommandException(String message) {
        super(message);
    }

    /** A failure with a one-line message and the exception behind it (shown with {@code --verbose}). */
    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a message (Ember's messages may add lines of advice), or "" for null. */
    public static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}
