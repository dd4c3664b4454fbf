package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * Channel dropout (PyTorch's {@code nn.Dropout1d}, default p = 0.5): during training, each channel (a 1-d feature map,
 * a row of length L) of each sample of an input [N, C, L] or unbatched [C, L] is zeroed with probability p and the rest
 * are scaled by 1 / (1 - p); in evaluation mode the input passes unchanged. Neighbouring elements of a feature map are
 * strongly correlated, so dropping whole maps regularises where element-wise dropout would not. The masks are PyTorch's
 * for the same seed (see {@link Dropouts#dropout1d(Tensor, double, boolean, boolean)}).
 *
 * <pre>{@code
 * Dropout1d drop = new Dropout1d(0.2);        // nn.Dropout1d(0.2)
 * Tensor y = drop.forward(Ember.randn(8, 16, 100));
 * }</pre>
 */
public class Dropout1d extends DropoutNd {
    public Dropout1d() {
        this(0.5, false);
    }

    public Dropout1d(double p) {
        this(p, false);
    }

    public Dropout1d(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    Tensor drop(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.dropout1d(input, p, training, inplace);
    }
}
