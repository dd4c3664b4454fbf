package dev.ember;

/**
 * An element type that the op does not accept, or two that it cannot combine.
 *
 * <pre>{@code
 * try {
 *     Ember.ones(2, 3).matmul(Ember.ones(2, 3));
 * } catch (EmberException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class DTypeException extends EmberException {
    public DTypeException(String message) {
        super(message);
    }

    public DTypeException(String message, Throwable cause) {
        super(message, cause);
    }
}
