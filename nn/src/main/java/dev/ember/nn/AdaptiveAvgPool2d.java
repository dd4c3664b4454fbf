package dev.ember.nn;

import dev.ember.DTypeException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Pooling;

import java.util.Arrays;

/**
 * 2-d adaptive average pooling (PyTorch's {@code nn.AdaptiveAvgPool2d}): [N, C, H, W] or unbatched [C, H, W] to a
 * fixed output size whatever the input's, each output cell averaging a window chosen so that the windows cover the
 * input evenly (cell i of n averages [floor(i H / n), ceil((i + 1) H / n))). Output size 1 is global average
 * pooling, the usual head of a CNN before its classifier.
 *
 * <pre>{@code
 * AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);                 // nn.AdaptiveAvgPool2d(1)
 * Tensor y = gap.forward(Ember.randn(4, 32, 7, 7));                 // [4, 32, 1, 1]
 * Tensor z = new AdaptiveAvgPool2d(2, 3).forward(Ember.randn(1, 3, 10, 9));   // [1, 3, 2, 3]
 * }</pre>
 */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    /** outputSize: one value (square) or {height, width}, each positive. */
    public AdaptiveAvgPool2d(int... outputSize) {
        if (outputSize == null || outputSize.length == 0 || outputSize.length > 2
                || Arrays.stream(outputSize).anyMatch(s -> s <= 0)) {
            throw new ShapeException("AdaptiveAvgPool2d: the output size must be one or two positive values, got "
                    + Arrays.toString(outputSize));
        }
        this.outputSize = outputSize.clone();
    }

    /** The output size {height, width}. */
    public int[] outputSize() {
        return outputSize.length == 1 ? new int[] {outputSize[0], outputSize[0]} : outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": expected a "
                    + "4-d input [batch, channels, height, width] or an unbatched 3-d input [channels, height, width]");
        }
        try {
            return Pooling.adaptiveAvgPool2d(input, outputSize);
        } catch (DTypeException e) {
            throw new DTypeException(this + ": " + e.getMessage(), e);
        } catch (ShapeException e) {
            throw new ShapeException(this + ": " + e.getMessage(), e);
        }
    }

    /** {@code output_size=1} or {@code output_size=(2, 3)}, as given. */
    @Override
    protected String extraRepr() {
        return "output_size=" + PoolLayer.format(outputSize);
    }
}
