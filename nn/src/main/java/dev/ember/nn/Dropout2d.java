package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * Channel dropout (PyTorch's {@code nn.Dropout2d}, default p = 0.5): during training, each channel (a 2-d feature map)
 * of each sample of an input [N, C, H, W] is zeroed with probability p and the rest are scaled by 1 / (1 - p); in
 * evaluation mode the input passes unchanged. Neighbouring elements of a feature map are strongly correlated, so
 * dropping whole maps regularises where element-wise dropout would not. A 3-d input is read as [N, C, L], as PyTorch
 * 1.13 reads it (with a warning): for an unbatched [C, H, W] input, unsqueeze(0) first. The masks are PyTorch's for the
 * same seed (see {@link Dropouts#dropout2d(Tensor, double, boolean, boolean)}).
 *
 * <pre>{@code
 * Dropout2d drop = new Dropout2d(0.2);        // nn.Dropout2d(0.2)
 * Tensor y = drop.forward(Ember.randn(8, 16, 12, 12));
 * }</pre>
 */
public class Dropout2d extends DropoutNd {
    public Dropout2d() {
        this(0.5, false);
    }

    public Dropout2d(double p) {
        this(p, false);
    }

    public Dropout2d(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    Tensor drop(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.dropout2d(input, p, training, inplace);
    }
}
