package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;

/**
 * Dropout (PyTorch's {@code F.dropout}): in training, each element is zeroed with probability p and the survivors
 * are scaled by 1 / (1 - p), so the expected value is unchanged; otherwise the input is returned as it is.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor y = Dropouts.dropout(Ember.ones(8), 0.5, true);    // the same mask as F.dropout after torch.manual_seed(0)
 * }</pre>
 *
 * <p>The mask is PyTorch 1.13's on the CPU, draw for draw: PyTorch makes {@code noise = empty_like(x).bernoulli_(1 - p)},
 * whose CPU kernel (in builds without MKL, such as Debian's) takes one 53-bit uniform double u per element, in
 * row-major order, from the global generator and keeps the element where u &lt; 1 - p; it then divides the noise
 * by 1 - p in the input's dtype and multiplies. Ember draws the same doubles ({@code Ember.rand(FLOAT64, shape)}),
 * compares the same way and does the same two float operations, so after the same {@code manualSeed} the result is
 * bit for bit PyTorch's and the generator is left in the same state. (PyTorch builds with MKL, e.g. the pip wheels
 * for x86, draw Bernoulli masks with MKL's own stream instead; their masks differ from these and from Debian's.)
 * p = 0 and p = 1 draw nothing, as in PyTorch. The result's grad_fn is {@code MulBackward}, as PyTorch's.
 */
public final class Dropouts {
    private Dropouts() {
    }

    /** {@code dropout(input, p, true)}: PyTorch's {@code F.dropout} default is training. */
    public static Tensor dropout(Tensor input, double p) {
        return dropout(input, p, true, false);
    }

    /** Dropout with probability p when {@code training}; the input itself otherwise. */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return dropout(input, p, training, false);
    }

    /** Dropout, writing into the input when {@code inplace} (and returning it). */
    public static Tensor dropout(Tensor input, double p, boolean training, boolean inplace) {
        Activations.requireInput("dropout", input);
        checkProbability("dropout", p);
        if (p == 0 || !training || input.numel() == 0) {
            return input;
        }
        if (!input.dtype().isFloatingPoint()) {
            throw new dev.ember.DTypeException("dropout: expects a floating-point tensor but got " + input.dtype()
                    + " (shape " + java.util.Arrays.toString(input.shape()) + "); convert it first with "
                    + ".to(DType.FLOAT32)");
        }
        Tensor noise;
        if (p == 1) {
            noise = Ember.scalar(input.dtype(), 0.0);
        } else {
            double keep = 1 - p;
            noise = Ember.rand(DType.FLOAT64, input.shape()).lt(keep).to(input.dtype()).div(keep);
        }
        return inplace ? input.mul_(noise) : input.mul(noise);
    }

    /** Throws unless 0 &lt;= p &lt;= 1 (PyTorch's check, with the same wording). */
    public static void checkProbability(String where, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new EmberException(where + ": dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
