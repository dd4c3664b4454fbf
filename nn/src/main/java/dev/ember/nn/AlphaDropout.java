package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * Alpha dropout (PyTorch's {@code nn.AlphaDropout}, default p = 0.5), the dropout for self-normalising networks
 * (SELU activations): during training, each element is set with probability p to SELU's negative saturation value,
 * then an affine map restores the input's mean and variance (formula in {@link Dropouts}); in evaluation mode the
 * input passes unchanged. The masks are PyTorch's for the same seed.
 *
 * <pre>{@code
 * Sequential net = Sequential.of(new Linear(64, 64), new AlphaDropout(0.1), new Linear(64, 10));
 * }</pre>
 */
public class AlphaDropout extends DropoutNd {
    public AlphaDropout() {
        this(0.5, false);
    }

    public AlphaDropout(double p) {
        this(p, false);
    }

    public AlphaDropout(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    Tensor drop(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.alphaDropout(input, p, training, inplace);
    }
}
