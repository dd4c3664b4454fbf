package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;

/**
 * y = x Wᵀ + b (PyTorch's {@code nn.Linear}): weight [out, in], bias [out]. Initialised as PyTorch does (weight and
 * bias uniform in ±1/√in), drawing from the global generator in PyTorch's order, so after the same
 * {@code manualSeed} the weights are PyTorch's.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Linear fc = new Linear(784, 128);
 * Tensor y = fc.forward(Ember.randn(64, 784));   // [64, 128]
 * }</pre>
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new ShapeException("Linear: in and out features must be positive, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = 1.0 / Math.sqrt(inFeatures);
        this.weight = registerParameter("weight", Ember.zeros(outFeatures, inFeatures).uniform_(-bound, bound));
        this.bias = bias ? registerParameter("bias", Ember.zeros(outFeatures).uniform_(-bound, bound)) : null;
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer made without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape())
                    + ": its last dimension must be " + inFeatures);
        }
        Tensor y = input.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
