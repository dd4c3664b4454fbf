package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Layers;
import dev.ember.nn.init.Init;

import java.util.Arrays;

/**
 * y = x Wᵀ + b (PyTorch's {@code nn.Linear}): weight [out, in], bias [out]. Initialised as PyTorch does
 * ({@code kaimingUniform_(weight, √5)}, i.e. uniform in ±1/√in, then the bias uniform in ±1/√in), drawing from the
 * global generator in PyTorch's order, so after the same {@code manualSeed} the weights are PyTorch's. The forward
 * is one fused op ({@link Layers#linear}): a single GEMM onto the bias, recorded as one node whose backward writes
 * the weight's gradient in the weight's own layout.
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
        this.weight = registerParameter("weight", Ember.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Ember.zeros(outFeatures)) : null;
        initialise();
    }

    /**
     * Draws new initial values as PyTorch's {@code reset_parameters}: {@code kaimingUniform_(weight, √5)}, then the
     * bias uniform in ±1/√fanIn.
     */
    public void resetParameters() {
        initialise();
    }

    private void initialise() {
        Init.kaimingUniform_(weight, Math.sqrt(5));
        if (bias != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound);
        }
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
        return Layers.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
