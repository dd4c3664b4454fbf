package dev.ember.nn.functional;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.nn.GeluApproximation;
import dev.ember.ops.InPlace;
import dev.ember.ops.Pointwise;

/**
 * The functional forms of the activation layers (PyTorch's {@code F.relu}, {@code F.leaky_relu}, {@code F.elu},
 * {@code F.gelu}, {@code F.silu}, {@code torch.sigmoid}, {@code torch.tanh}, {@code F.softmax},
 * {@code F.log_softmax}). ReLU, sigmoid, tanh and the softmaxes are the Tensor ops of the same names; GELU, SiLU,
 * LeakyReLU and ELU are ops of their own (one kernel pass, one node: {@code GeluBackward}, {@code SiluBackward},
 * {@code LeakyReluBackward}, {@code EluBackward}), with PyTorch's derivative formulas, written with Tensor ops so
 * that they differentiate again, and their forward-mode rules.
 *
 * <pre>{@code
 * Tensor x = Ember.randn(4, 3).requiresGrad_();
 * Tensor y = Activations.gelu(x);                         // F.gelu(x)
 * Tensor z = Activations.leakyRelu(x, 0.2);               // F.leaky_relu(x, 0.2)
 * Tensor p = Activations.softmax(x, 1);                   // F.softmax(x, dim=1)
 * }</pre>
 *
 * <p>The in-place variants ({@code inplace = true}) overwrite the input, as PyTorch's do, and are recorded like
 * Ember's other in-place ops (a leaf that requires grad cannot be modified outside a noGrad scope).
 */
public final class Activations {
    private Activations() {
    }

    /** max(x, 0). */
    public static Tensor relu(Tensor input) {
        return relu(input, false);
    }

    /** max(x, 0), in place when {@code inplace}. */
    public static Tensor relu(Tensor input, boolean inplace) {
        requireInput("relu", input);
        return inplace ? input.relu_() : input.relu();
    }

    /** {@code leakyRelu(input, 0.01)}. */
    public static Tensor leakyRelu(Tensor input) {
        return leakyRelu(input, 0.01, false);
    }

    /** x where x &gt; 0, else negativeSlope · x. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        return leakyRelu(input, negativeSlope, false);
    }

    public static Tensor leakyRelu(Tensor input, double negativeSlope, boolean inplace) {
        requireInput("leakyRelu", input);
        return inplace ? InPlace.apply("leakyRelu_", input, new Tensor[0], t -> Pointwise.leakyRelu(t, negativeSlope))
                : Pointwise.leakyRelu(input, negativeSlope);
    }

    /** {@code elu(input, 1.0)}. */
    public static Tensor elu(Tensor input) {
        return elu(input, 1.0, false);
    }

    /** x where x &gt; 0, else alpha (e^x - 1). */
    public static Tensor elu(Tensor input, double alpha) {
        return elu(input, alpha, false);
    }

    public static Tensor elu(Tensor input, double alpha, boolean inplace) {
        requireInput("elu", input);
        return inplace ? InPlace.apply("elu_", input, new Tensor[0], t -> Pointwise.elu(t, alpha))
                : Pointwise.elu(input, alpha);
    }

    /** The exact GELU, x Φ(x) (PyTorch's default). */
    public static Tensor gelu(Tensor input) {
        return gelu(input, GeluApproximation.NONE);
    }

    /** GELU, exact or with the tanh approximation. */
    public static Tensor gelu(Tensor input, GeluApproximation approximate) {
        requireInput("gelu", input);
        if (approximate == null) {
            throw new EmberException("gelu: approximate must be GeluApproximation.NONE or TANH, not null");
        }
        return Pointwise.gelu(input, approximate == GeluApproximation.TANH);
    }

    /** SiLU (swish): x σ(x). */
    public static Tensor silu(Tensor input) {
        return silu(input, false);
    }

    public static Tensor silu(Tensor input, boolean inplace) {
        requireInput("silu", input);
        return inplace ? InPlace.apply("silu_", input, new Tensor[0], Pointwise::silu) : Pointwise.silu(input);
    }

    /** The logistic sigmoid 1 / (1 + e^-x). */
    public static Tensor sigmoid(Tensor input) {
        requireInput("sigmoid", input);
        return input.sigmoid();
    }

    public static Tensor tanh(Tensor input) {
        requireInput("tanh", input);
        return input.tanh();
    }

    /** exp(x) / sum(exp(x)) along dim. */
    public static Tensor softmax(Tensor input, int dim) {
        requireInput("softmax", input);
        return input.softmax(dim);
    }

    /** log(softmax(x)) along dim, computed stably. */
    public static Tensor logSoftmax(Tensor input, int dim) {
        requireInput("logSoftmax", input);
        return input.logSoftmax(dim);
    }

    static void requireInput(String op, Tensor input) {
        if (input == null) {
            throw new EmberException(op + ": the input tensor is null");
        }
    }
}
