package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * Channel dropout (PyTorch's {@code nn.Dropout3d}, default p = 0.5): during training, each channel (a 3-d feature map)
 * of each sample of an input [N, C, D, H, W] or unbatched [C, D, H, W] is zeroed with probability p and the rest are
 * scaled by 1 / (1 - p); in evaluation mode the input passes unchanged. Neighbouring elements of a feature map are
 * strongly correlated, so dropping whole maps regularises where element-wise dropout would not. The masks are PyTorch's
 * for the same seed (see {@link Dropouts#dropout3d(Tensor, double, boolean, boolean)}).
 *
 * <pre>{@code
 * Dropout3d drop = new Dropout3d(0.2);        // nn.Dropout3d(0.2)
 * Tensor y = drop.forward(Ember.randn(2, 4, 3, 6, 6));
 * }</pre>
 */
public class Dropout3d extends DropoutNd {
    public Dropout3d() {
        this(0.5, false);
    }

    public Dropout3d(double p) {
        this(p, false);
    }

    public Dropout3d(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    Tensor drop(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.dropout3d(input, p, training, inplace);
    }
}
