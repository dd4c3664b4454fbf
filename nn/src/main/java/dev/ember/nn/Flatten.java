package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * Merges dimensions startDim..endDim into one (PyTorch's {@code nn.Flatten}; defaults 1 and -1, so a batch
 * [N, C, H, W] becomes [N, C·H·W] and the batch dimension is kept).
 *
 * <pre>{@code
 * Module f = new Flatten();                       // Flatten(start_dim=1, end_dim=-1)
 * f.forward(Ember.zeros(64, 1, 28, 28)).shape();  // [64, 784]
 * }</pre>
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    public int startDim() {
        return startDim;
    }

    public int endDim() {
        return endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new EmberException(this + ": the input tensor is null");
        }
        try {
            return input.flatten(startDim, endDim);
        } catch (ShapeException e) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
