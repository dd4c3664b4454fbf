package dev.ember;

/**
 * Operand shapes that do not fit the op: broadcasting, matmul, reshape, dimension indices.
 *
 * <pre>{@code
 * try {
 *     Ember.ones(2, 3).matmul(Ember.ones(2, 3));
 * } catch (EmberException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class ShapeException extends EmberException {
    public ShapeException(String message) {
        super(message);
    }

    public ShapeException(String message, Throwable cause) {
        super(message, cause);
    }
}
