package dev.ember;

/**
 * Misuse of autograd: backward without a graph, a freed or stale saved tensor, an in-place write that would corrupt a gradient, hooks on tensors that do not require grad.
 *
 * <pre>{@code
 * try {
 *     Ember.ones(2, 3).matmul(Ember.ones(2, 3));
 * } catch (EmberException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class AutogradException extends EmberException {
    public AutogradException(String message) {
        super(message);
    }

    public AutogradException(String message, Throwable cause) {
        super(message, cause);
    }
}
