package dev.ember.autograd;

/**
 * A link from a node to the node that receives the gradient of one of its inputs: {@code node} and which of its
 * outputs the input was ({@code inputNr}, PyTorch's naming).
 *
 * <pre>{@code
 * Tensor y = x.mul(2);
 * Edge e = y.gradFn().nextFunctions().get(0);   // to x's AccumulateGrad
 * }</pre>
 */
public record Edge(Node node, int inputNr) {
}
