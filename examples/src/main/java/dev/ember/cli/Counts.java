package dev.ember.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The check of the count options of the commands ({@code --epochs}, {@code --batch-size}, {@code --samples}...):
 * a count given on the command line must be at least 1, or it is a usage error that names the option and the value.
 *
 * <pre>{@code
 * int batch = Counts.atLeastOne(spec.commandLine(), "--batch-size", batchSize);
 * // ember train: --batch-size must be at least 1, got 0 (see 'ember train --help')
 * }</pre>
 */
public final class Counts {
    private Counts() {
    }

    /**
     * The value, if it is null (not given) or at least 1.
     *
     * @throws ParameterException naming the option and the value otherwise
     */
    public static Integer atLeastOne(CommandLine commandLine, String option, Integer value) {
        if (value != null && value < 1) {
            throw new ParameterException(commandLine, option + " must be at least 1, got " + value);
        }
        return value;
    }
}
