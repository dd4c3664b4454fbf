package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The reverse-mode API: {@code backward} accumulates gradients into leaves' {@code .grad}; {@code grad} returns
 * them without touching {@code .grad} (PyTorch's {@code torch.autograd.backward} and {@code torch.autograd.grad}).
 *
 * <pre>{@code
 * Tensor x = Ember.tensor(2.0).requiresGrad_();
 * Tensor y = x.pow(3);
 * Tensor g1 = Autograd.grad(y, x, GradOptions.createGraph())[0];   // 3x^2 = 12, itself differentiable
 * Tensor g2 = Autograd.grad(g1, x)[0];                             // 6x = 12
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** Backward from one or several roots; gradients may be null for scalar roots (then 1). */
    public static void backward(List<Tensor> roots, List<Tensor> gradients, GradOptions options, List<Tensor> inputs) {
        Edge[] rootEdges = rootEdges(roots, "backward");
        Tensor[] grads = rootGradients(roots, gradients);
        Edge[] targets = null;
        Tensor[] targetTensors = null;
        if (inputs != null && !inputs.isEmpty()) {
            targetTensors = inputs.toArray(new Tensor[0]);
            targets = targetEdges(targetTensors, "backward(inputs)");
        } else if (inputs != null) {
            throw new AutogradException("backward(inputs) got an empty list of inputs: pass at least one tensor, or "
                    + "call backward without inputs to accumulate into every leaf");
        }
        Engine.run(rootEdges, grads, targets, targetTensors, options.keepsGraph(), options.createsGraph(), true);
    }

    /** The gradients of the outputs with respect to each input, without touching any {@code .grad}. */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, GradOptions options) {
        if (inputs.isEmpty()) {
            throw new AutogradException("grad() got no inputs: pass the tensors to differentiate with respect to");
        }
        Edge[] rootEdges = rootEdges(outputs, "grad");
        Tensor[] grads = rootGradients(outputs, gradOutputs);
        Tensor[] in = inputs.toArray(new Tensor[0]);
        Edge[] targets = targetEdges(in, "grad");
        Tensor[] result = Engine.run(rootEdges, grads, targets, in, options.keepsGraph(), options.createsGraph(), false);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !options.allowsUnused()) {
                throw new AutogradException("grad(): input " + i + " (shape " + Arrays.toString(in[i].shape())
                        + ") was not used in computing the outputs, so it has no gradient. If that is expected, pass "
                        + "GradOptions.allowUnused() to get null for it.");
            }
        }
        return result;
    }

    /** {@code grad(List.of(output), List.of(inputs), null, options)}. */
    public static Tensor[] grad(Tensor output, Tensor input, GradOptions options) {
        return grad(List.of(output), List.of(input), null, options);
    }

    /** The gradient of a scalar output with respect to each input, with the default options. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(List.of(output), List.of(inputs), null, GradOptions.DEFAULT);
    }

    private static Edge[] rootEdges(List<Tensor> roots, String what) {
        if (roots.isEmpty()) {
            throw new AutogradException(what + "() got no tensors to differentiate");
        }
        Edge[] edges = new Edge[roots.size()];
        for (int i = 0; i < edges.length; i++) {
            Tensor t = roots.get(i);
            edges[i] = Node.gradientEdge(t);
            if (edges[i] == null) {
                throw new AutogradException(what + "(): tensor " + i + " (shape " + Arrays.toString(t.shape())
                        + ") does not require grad and has no grad_fn, so there is nothing to differentiate. Make "
                        + "sure a leaf it depends on has requiresGrad_() set and that it was not computed under noGrad()"
                        + " or from a detach()ed tensor.");
            }
        }
        return edges;
    }

    private static Tensor[] rootGradients(List<Tensor> roots, List<Tensor> gradients) {
        if (gradients != null && gradients.size() != roots.size()) {
            throw new AutogradException("got " + gradients.size() + " gradients for " + roots.size()
                    + " tensors: pass one gradient (or null, for a scalar) per tensor");
        }
        Tensor[] out = new Tensor[roots.size()];
        for (int i = 0; i < out.length; i++) {
            Tensor r = roots.get(i);
            Tensor g = gradients == null ? null : gradients.get(i);
            if (g == null) {
                if (r.numel() != 1) {
                    throw new AutogradException("grad can be implicitly created only for scalar outputs, but tensor "
                            + i + " has shape " + Arrays.toString(r.shape()) + ". Pass the gradient of the loss with "
                            + "respect to it (the vector of the vector-Jacobian product), e.g. y.backward(Ember.onesLike(y)),"
                            + " or reduce it to a scalar first (y.sum().backward()).");
                }
                out[i] = Tensor.onesLike(r);
            } else {
                if (!Arrays.equals(g.impl().shape(), r.impl().shape())) {
                    throw new AutogradException("Mismatch in shape: the gradient for tensor " + i + " has shape "
                            + Arrays.toString(g.shape()) + " but the tensor has shape " + Arrays.toString(r.shape())
                            + ": the gradient must have the shape of the tensor it is the gradient of");
                }
                if (g.dtype() != r.dtype()) {
                    throw new AutogradException("Mismatch in dtype: the gradient for tensor " + i + " is " + g.dtype()
                            + " but the tensor is " + r.dtype() + ": convert it with .to(" + r.dtype().name() + ")");
                }
                out[i] = g;
            }
        }
        return out;
    }

    private static Edge[] targetEdges(Tensor[] inputs, String what) {
        Edge[] edges = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            edges[i] = Node.gradientEdge(inputs[i]);
            if (edges[i] == null) {
                throw new AutogradException(what + ": input " + i + " (shape " + Arrays.toString(inputs[i].shape())
                        + ") does not require grad, so no gradient can be computed for it: call requiresGrad_() on it "
                        + "before the forward pass");
            }
        }
        return edges;
    }

    // ---- hooks and retained gradients, used by Tensor --------------------------------------------------------

    /** Registers a gradient hook on a tensor that requires grad (leaf: on its accumulator; else on its grad_fn). */
    public static RemovableHandle registerHook(Tensor t, TensorHook hook) {
        Edge e = Node.gradientEdge(t);
        return e.node().addTensorHook(e.inputNr(), hook);
    }

    /** Registers a hook that runs after a leaf's .grad was updated. */
    public static RemovableHandle registerPostAccumulateGradHook(Tensor leaf, PostAccumulateGradHook hook) {
        return ((AccumulateGrad) Node.gradientEdge(leaf).node()).addPostHook(hook);
    }

    /** Makes backward store the gradient of a non-leaf tensor in its .grad. */
    public static void retainGrad(Tensor t) {
        t.gradFn().retainGrad(t.outputNr(), t);
    }

    /** True if retainGrad was called on this non-leaf tensor (and it has not been rebased since). */
    public static boolean retainsGrad(Tensor t) {
        Node fn = t.gradFn();
        return fn != null && fn.retainedTensor(t.outputNr()) == t;
    }

    /** Moves hooks and retained-grad registration from a tensor's old grad_fn to its new one (in-place ops). */
    public static void moveOutputState(Node from, int fromOutput, Node to, int toOutput) {
        from.moveOutputStateTo(fromOutput, to, toOutput);
    }
}
