package dev.ember;

/**
 * The root of Ember's unchecked exceptions: every misuse of the API raises one, whose message says what went wrong, where (the op, the shapes, the tensor) and how to fix it.
 *
 * <pre>{@code
 * try {
 *     Ember.ones(2, 3).matmul(Ember.ones(2, 3));
 * } catch (EmberException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class EmberException extends RuntimeException {
    public EmberException(String message) {
        super(message);
    }

    public EmberException(String message, Throwable cause) {
        super(message, cause);
    }
}
