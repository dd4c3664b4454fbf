package dev.ember.cli;

import java.nio.file.Path;

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

    /**
     * Why reading a safetensors file failed: the first line of Ember's message without the file's name, which the
     * caller's message gives ({@code "safetensors file x.safetensors: the file is truncated"} becomes
     * {@code "the file is truncated"}).
     */
    public static String reason(String message, Path file) {
        String line = firstLine(message);
        String prefix = "safetensors file " + file + ": ";
        return line.startsWith(prefix) ? line.substring(prefix.length()) : line;
    }
}
