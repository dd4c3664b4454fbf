package dev.ember.nn.utils;

import dev.ember.EmberException;
import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parameters as one flat vector and back (PyTorch's {@code torch.nn.utils.parameters_to_vector} and
 * {@code vector_to_parameters}), e.g. for second-order methods, evolution strategies or line searches.
 *
 * <pre>{@code
 * Tensor flat = ConvertParameters.parametersToVector(model.parameters());   // [total number of elements]
 * ConvertParameters.vectorToParameters(flat.mul(0.5), model.parameters());   // the parameters now hold half
 * }</pre>
 */
public final class ConvertParameters {
    private ConvertParameters() {
    }

    /**
     * The parameters' elements concatenated in order (each flattened row-major). Differentiable: the result is
     * recorded (each parameter viewed as a vector, then {@code cat}), so gradients flow back to the parameters.
     */
    public static Tensor parametersToVector(Iterable<Tensor> parameters) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : list("parametersToVector", parameters)) {
            flat.add(p.reshape(-1));
        }
        if (flat.isEmpty()) {
            throw new EmberException("parametersToVector: there are no parameters to concatenate");
        }
        return Ember.cat(flat, 0);
    }

    /**
     * Gives each parameter, in order, the next numel elements of vec, as PyTorch does ({@code param.data = ...}):
     * the parameters stay the same tensor objects (leaves that require grad, with their gradients), and their
     * elements become views of vec's storage (so writing to vec afterwards changes them, and an optimizer's
     * in-place step changes vec), in vec's dtype. Not recorded. vec must be 1-d with exactly as many elements as
     * the parameters together (PyTorch only fails when it has too few); nothing is changed when it is not.
     */
    public static void vectorToParameters(Tensor vec, Iterable<Tensor> parameters) {
        if (vec == null) {
            throw new EmberException("vectorToParameters: the vector is null");
        }
        if (vec.dim() != 1) {
            throw new ShapeException("vectorToParameters: expects a 1-d vector, got shape "
                    + Arrays.toString(vec.shape()) + "; flatten it first (vec.flatten())");
        }
        List<Tensor> params = list("vectorToParameters", parameters);
        long total = 0;
        for (Tensor p : params) {
            total += p.numel();
        }
        if (total != vec.numel()) {
            throw new ShapeException("vectorToParameters: the vector has " + vec.numel() + " elements but the "
                    + params.size() + " parameters have " + total + " together; they must be equal");
        }
        Tensor source = vec.detach();
        int pointer = 0;
        for (Tensor p : params) {
            int n = p.numel();
            Internal.replaceData(p, source.narrow(0, pointer, n).view(p.shape()).impl());
            pointer += n;
        }
    }

    private static List<Tensor> list(String op, Iterable<Tensor> parameters) {
        if (parameters == null) {
            throw new EmberException(op + ": the parameters are null; pass e.g. model.parameters()");
        }
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p == null) {
                throw new EmberException(op + ": parameter " + out.size() + " is null");
            }
            out.add(p);
        }
        return out;
    }
}
