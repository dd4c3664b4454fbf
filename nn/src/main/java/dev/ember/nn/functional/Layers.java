package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ops.LinearAlgebra;

import java.util.Arrays;

/**
 * The functional forms of the basic layers: {@code linear} (PyTorch's {@code F.linear}), {@code embedding}
 * ({@code F.embedding}) and {@code flatten} ({@code torch.flatten}).
 *
 * <pre>{@code
 * Tensor w = Ember.randn(128, 784), b = Ember.zeros(128);
 * Tensor y = Layers.linear(Ember.randn(64, 784), w, b);                    // x wᵀ + b: [64, 128]
 * Tensor table = Ember.randn(10, 4);
 * Tensor e = Layers.embedding(Ember.fromArray(new long[] {1, 0, 3}, 3), table, 0);   // rows 1, 0, 3: [3, 4]
 * Tensor f = Layers.flatten(Ember.zeros(8, 3, 5, 5), 1, -1);              // [8, 75]
 * }</pre>
 */
public final class Layers {
    private Layers() {
    }

    /**
     * x wᵀ + b: input [*, in], weight [out, in], bias [out] or null. One fused op ({@link LinearAlgebra#linear}): a
     * single GEMM with the bias as its C operand, and a backward that writes the weight's gradient in the weight's
     * own [out, in] layout.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        Activations.requireInput("linear", input);
        return LinearAlgebra.linear(input, weight, bias);
    }

    /** {@code torch.flatten(input, startDim, endDim)}. */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        Activations.requireInput("flatten", input);
        return input.flatten(startDim, endDim);
    }

    /** The rows of weight [num, dim] at the int64 indices: output shape indices.shape + [dim]. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return embedding("embedding", input, weight, null);
    }

    /**
     * As {@link #embedding(Tensor, Tensor)}, but the rows looked up for {@code paddingIdx} (negative counts from the
     * end) get no gradient, so training never changes that row (PyTorch's {@code padding_idx}); its value is still
     * returned as it is.
     */
    public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
        return embedding("embedding", input, weight, paddingIdx);
    }

    /** embedding with errors that name {@code where} (a layer's description); paddingIdx may be null. */
    public static Tensor embedding(String where, Tensor input, Tensor weight, Integer paddingIdx) {
        Activations.requireInput(where, input);
        if (weight == null || weight.dim() != 2) {
            throw new ShapeException(where + ": the weight must be a matrix [numEmbeddings, embeddingDim], got "
                    + (weight == null ? "null" : "shape " + Arrays.toString(weight.shape())));
        }
        int num = weight.size(0);
        if (input.dtype() != DType.INT64) {
            throw new DTypeException(where + ": expected indices of dtype int64 but got " + input.dtype() + " (shape "
                    + Arrays.toString(input.shape()) + "); convert them with .to(DType.INT64)");
        }
        Integer pad = paddingIdx;
        if (pad != null) {
            if (pad < -num || pad >= num) {
                throw new ShapeException(where + ": paddingIdx " + pad + " must be within the " + num
                        + " embeddings ([" + (-num) + ", " + (num - 1) + "])");
            }
            pad = pad < 0 ? pad + num : pad;
        }
        Tensor flat = input.reshape(-1);
        long[] idx = flat.toLongArray();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= num) {
                throw new ShapeException(where + ": index " + idx[i] + " (at position " + i + " of the flattened "
                        + "input of shape " + Arrays.toString(input.shape()) + ") is out of range for " + num
                        + " embeddings; indices must be in [0, " + num + ")");
            }
        }
        Tensor rows = weight.indexSelect(0, flat);
        if (pad != null && rows.requiresGrad()) {
            Tensor isPad = flat.eq(Ember.scalar(DType.INT64, pad)).unsqueeze(1);
            rows = Ember.where(isPad, rows.detach(), rows);
        }
        int[] shape = Arrays.copyOf(input.shape(), input.dim() + 1);
        shape[input.dim()] = weight.size(1);
        return rows.view(shape);
    }
}
