package dev.ember.nn;

import dev.ember.ShapeException;
import dev.ember.Tensor;

/**
 * Batch normalisation of [N, C, H, W] inputs over the batch and both spatial dimensions for each of C channels
 * (PyTorch's {@code nn.BatchNorm2d}); see {@link BatchNormBase} for training and evaluation.
 *
 * <pre>{@code
 * Sequential block = Sequential.of(new Conv2d(3, 16, 3), new BatchNorm2d(16), new ReLU());
 * Tensor y = new BatchNorm2d(16).forward(Ember.randn(8, 16, 10, 10));
 * }</pre>
 */
public class BatchNorm2d extends BatchNormBase {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, BatchNormOptions.DEFAULT);
    }

    public BatchNorm2d(int numFeatures, BatchNormOptions options) {
        super(numFeatures, options);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new ShapeException(this + ": expected 4D input ([N, C, H, W]), got " + input.dim()
                    + "D input of shape " + java.util.Arrays.toString(input.shape()));
        }
    }
}
