package dev.ember;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Small assertions shared by the framework's tests. */
public final class Assertions2 {
    private Assertions2() {
    }

    /** The tensor's values equal expected within 1e-6 (float32 arithmetic). */
    public static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-6, () -> "values of " + t);
    }

    /** Throws the given type with a message that contains every fragment. */
    public static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
        return e;
    }
}
