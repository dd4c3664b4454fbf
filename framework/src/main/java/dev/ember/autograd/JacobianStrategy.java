package dev.ember.autograd;

/**
 * How {@link Functional} computes a Jacobian (PyTorch's {@code strategy="reverse-mode"} / {@code "forward-mode"}):
 * row by row with one vector-Jacobian product per output element, or column by column with one Jacobian-vector
 * product per input element. Reverse mode is cheaper when the function has fewer outputs than inputs (a loss of
 * many parameters), forward mode when it has more.
 *
 * <pre>{@code
 * Tensor j = Functional.jacobian(x -> x.exp(), x, FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE));
 * }</pre>
 *
 * <p>What each function does with it (unset: the function's default, marked *):
 * <table>
 *   <caption>strategies per function</caption>
 *   <tr><th>function</th><th>REVERSE_MODE</th><th>FORWARD_MODE</th></tr>
 *   <tr><td>jacobian</td><td>* one vjp per output element</td><td>one jvp per input element</td></tr>
 *   <tr><td>hessian</td><td>* reverse over reverse</td><td>forward over reverse (the outer Jacobian in forward
 *       mode)</td></tr>
 *   <tr><td>jvp</td><td>the double-backward trick (PyTorch 1.13's functional jvp)</td><td>* forward-mode AD</td></tr>
 *   <tr><td>hvp</td><td>* the double-backward trick (PyTorch 1.13)</td><td>forward over reverse: the jvp of the
 *       gradient</td></tr>
 *   <tr><td>vjp, vhp</td><td>* (reverse mode only)</td><td>rejected</td></tr>
 * </table>
 */
public enum JacobianStrategy {
    /** Reverse-mode AD: vector-Jacobian products, one backward pass per output element for a Jacobian. */
    REVERSE_MODE,
    /** Forward-mode AD ({@code ForwardAD}): Jacobian-vector products, one forward pass per input element. */
    FORWARD_MODE
}
