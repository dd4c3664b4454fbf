package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Normalization;
import dev.ember.nn.init.Init;

import java.util.Arrays;

/**
 * Layer normalisation over the trailing dimensions normalizedShape (PyTorch's {@code nn.LayerNorm}):
 * (x - mean) / √(var + eps) · weight + bias, with the mean and biased variance of each sample's last dimensions.
 * With elementwiseAffine (the default) weight starts at ones and bias at zeros, both of shape normalizedShape.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(16);                        // LayerNorm((16,), eps=1e-05, elementwise_affine=True)
 * Tensor y = ln.forward(Ember.randn(8, 10, 16));           // each [16] row: mean 0, variance about 1
 * LayerNorm plain = new LayerNorm(new int[] {10, 16}, 1e-6, false);
 * }</pre>
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;
    private final Tensor weight;
    private final Tensor bias;
    private final String description;

    /** eps 1e-5, with a learnable weight and bias. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0
                || Arrays.stream(normalizedShape).anyMatch(s -> s <= 0)) {
            throw new ShapeException("LayerNorm: normalizedShape must be one or more positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine ? Ember.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine ? Ember.zeros(normalizedShape) : null);
        this.description = toString();
    }

    /** Weight back to ones and bias to zeros (PyTorch's reset_parameters). */
    public void resetParameters() {
        if (elementwiseAffine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public double eps() {
        return eps;
    }

    public boolean elementwiseAffine() {
        return elementwiseAffine;
    }

    /** The weight, or null without elementwiseAffine. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, or null without elementwiseAffine. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.layerNorm(description, input, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return PyRepr.tuple(normalizedShape) + ", eps=" + PyRepr.number(eps) + ", elementwise_affine="
                + PyRepr.bool(elementwiseAffine);
    }
}
