package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A value of a closed set that the command line and the run's configuration spell in lower case
 * ({@code fashion-mnist}, {@code adamw}): implemented by the enums of the command's options, whose {@code toString}
 * returns {@link #cliName()} so that messages and help texts spell them so too.
 *
 * <pre>{@code
 * DatasetKind d = Choice.parse(DatasetKind.class, "fashion-mnist");   // DatasetKind.FASHION_MNIST
 * String all = Choice.names(DatasetKind.class);                        // "digits, fashion-mnist, mnist, spirals"
 * }</pre>
 */
public interface Choice {
    /**
     * How the command line and config.json spell this value: the enum constant's name in lower case with hyphens
     * ({@code FASHION_MNIST} is {@code fashion-mnist}).
     */
    @JsonValue
    default String cliName() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value of {@code type} spelled {@code name} (case-insensitive). */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.cliName().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not one of " + names(type));
    }

    /** Every value's name, comma-separated, in declaration order. */
    static <E extends Enum<E> & Choice> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::cliName).collect(Collectors.joining(", "));
    }
}
