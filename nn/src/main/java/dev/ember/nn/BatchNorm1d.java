package dev.ember.nn;

import dev.ember.ShapeException;
import dev.ember.Tensor;

/**
 * Batch normalisation of [N, C] or [N, C, L] inputs over the batch (and length) for each of C channels (PyTorch's
 * {@code nn.BatchNorm1d}); see {@link BatchNormBase} for training and evaluation.
 *
 * <pre>{@code
 * Sequential mlp = Sequential.of(new Linear(20, 64), new BatchNorm1d(64), new ReLU(), new Linear(64, 2));
 * System.out.println(new BatchNorm1d(64));
 * // BatchNorm1d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * }</pre>
 */
public class BatchNorm1d extends BatchNormBase {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, BatchNormOptions.DEFAULT);
    }

    public BatchNorm1d(int numFeatures, BatchNormOptions options) {
        super(numFeatures, options);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new ShapeException(this + ": expected 2D or 3D input ([N, C] or [N, C, L]), got " + input.dim()
                    + "D input of shape " + java.util.Arrays.toString(input.shape()));
        }
    }
}
