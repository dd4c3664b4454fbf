package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropout in its forms (PyTorch's {@code F.dropout}, {@code F.dropout1d}, {@code F.dropout2d}, {@code F.dropout3d}
 * and {@code F.alpha_dropout}): in training, elements (or whole channels) are zeroed with probability p and the
 * survivors scaled so that the expected value is unchanged; otherwise the input is returned as it is.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor y = Dropouts.dropout(Ember.ones(8), 0.5, true);    // the same mask as F.dropout after torch.manual_seed(0)
 * Tensor z = Dropouts.dropout2d(Ember.ones(4, 3, 5, 5), 0.5, true);   // whole 5x5 maps zeroed: [4, 3] draws
 * }</pre>
 *
 * <p>The masks are PyTorch 1.13's on the CPU, draw for draw: PyTorch makes
 * {@code noise = empty(shape).bernoulli_(1 - p)}, whose CPU kernel (in builds without MKL, such as Debian's) takes one
 * 53-bit uniform double u per element of the noise, in row-major order, from the global generator and keeps the
 * element where u &lt; 1 - p; it then divides the noise by 1 - p in the input's dtype and multiplies. Ember draws the
 * same doubles ({@code Ember.rand(FLOAT64, shape)}), compares the same way and does the same float operations, so
 * after the same {@code manualSeed} the result is bit for bit PyTorch's and the generator is left in the same state.
 * (PyTorch builds with MKL, e.g. the pip wheels for x86, draw Bernoulli masks with MKL's own stream instead; their
 * masks differ from these and from Debian's.) p = 0 and p = 1 draw nothing, as in PyTorch. The result's grad_fn is
 * {@code MulBackward} ({@code AddBackward} for alpha dropout), as PyTorch's.
 *
 * <p>Channel dropout (PyTorch's {@code feature_dropout}) draws one value per (sample, channel), noise shape
 * [N, C, 1, ...], and zeroes whole feature maps. Its input ranks follow PyTorch 1.13: dropout1d takes [N, C, L] or
 * unbatched [C, L] and refuses other ranks; dropout2d takes [N, C, H, W] and, as PyTorch does (with a warning),
 * reads a 3-d input as [N, C, L], not as an unbatched [C, H, W]; dropout3d takes [N, C, D, H, W] or unbatched
 * [C, D, H, W]. Other ranks are deprecated in PyTorch for dropout2d and dropout3d: they work as PyTorch's do, with a
 * warning logged once.
 *
 * <p>Alpha dropout (for SELU networks) sets dropped elements to SELU's negative saturation value and applies the
 * affine map that keeps mean and variance: with α' = 1.7580993408473766, a = 1 / √((α'² p + 1)(1 - p)),
 * y = x·(a·m) + (m - 1)·α'·a + α'·a·p, m the keep mask; computed in PyTorch's order of float operations.
 */
public final class Dropouts {
    private static final Logger LOG = LoggerFactory.getLogger(Dropouts.class);
    /** SELU's α·λ: the value alpha dropout drops to is its negative. */
    private static final double ALPHA = 1.7580993408473766;
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

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
        return apply("dropout", input, p, training, inplace, 0, false);
    }

    /** Channel dropout of [N, C, L] or unbatched [C, L] in training (PyTorch's {@code F.dropout1d} default). */
    public static Tensor dropout1d(Tensor input, double p) {
        return dropout1d(input, p, true, false);
    }

    /**
     * Channel dropout of [N, C, L] or unbatched [C, L]: each channel of each sample zeroed with probability p, the
     * rest scaled by 1 / (1 - p); other ranks are an error, as in PyTorch.
     */
    public static Tensor dropout1d(Tensor input, double p, boolean training, boolean inplace) {
        check("dropout1d", input, p);
        if (input.dim() != 2 && input.dim() != 3) {
            throw new ShapeException("dropout1d: expected a 2-d [channels, length] or 3-d [batch, channels, length] "
                    + "input, but got shape " + Arrays.toString(input.shape()) + "; dropout1d drops whole channels "
                    + "of inputs with one spatial dimension (use dropout for element-wise dropout)");
        }
        return apply("dropout1d", input, p, training, inplace, input.dim() == 3 ? 2 : 1, false);
    }

    /** Channel dropout of [N, C, H, W] in training (PyTorch's {@code F.dropout2d} default). */
    public static Tensor dropout2d(Tensor input, double p) {
        return dropout2d(input, p, true, false);
    }

    /**
     * Channel dropout of [N, C, H, W]: each channel of each sample zeroed with probability p, the rest scaled by
     * 1 / (1 - p). As in PyTorch 1.13, a 3-d input is read as [N, C, L] (warned once: use dropout1d for that, or
     * unsqueeze(0) an unbatched [C, H, W]); other ranks of at least 2 drop along the first two dimensions (deprecated
     * in PyTorch, warned once).
     */
    public static Tensor dropout2d(Tensor input, double p, boolean training, boolean inplace) {
        check("dropout2d", input, p);
        if (input.dim() == 3) {
            warnOnce("dropout2d 3-d", "dropout2d: received a 3-d input " + Arrays.toString(input.shape())
                    + " and, as PyTorch 1.13 does, reads it as [batch, channels, length] (channel-wise 1-d dropout): "
                    + "use dropout1d for that, or unsqueeze(0) an unbatched [channels, height, width] input");
        } else if (input.dim() != 4) {
            warnOnce("dropout2d " + input.dim() + "-d", deprecatedRank("dropout2d", input, "3-d or 4-d"));
        }
        return apply("dropout2d", input, p, training, inplace, 2, false);
    }

    /** Channel dropout of [N, C, D, H, W] or unbatched [C, D, H, W] in training ({@code F.dropout3d}'s default). */
    public static Tensor dropout3d(Tensor input, double p) {
        return dropout3d(input, p, true, false);
    }

    /**
     * Channel dropout of [N, C, D, H, W] or unbatched [C, D, H, W]: each channel (a 3-d feature map) of each sample
     * zeroed with probability p, the rest scaled by 1 / (1 - p). Other ranks are read as unbatched, with one draw per
     * entry of the first dimension (deprecated in PyTorch, warned once).
     */
    public static Tensor dropout3d(Tensor input, double p, boolean training, boolean inplace) {
        check("dropout3d", input, p);
        if (input.dim() != 4 && input.dim() != 5) {
            warnOnce("dropout3d " + input.dim() + "-d", deprecatedRank("dropout3d", input, "4-d or 5-d"));
        }
        return apply("dropout3d", input, p, training, inplace, input.dim() == 5 ? 2 : 1, false);
    }

    /**
     * Alpha dropout with probability p when {@code training} (PyTorch's {@code F.alpha_dropout}, whose default is
     * not training: pass true): keeps a SELU network's activations at mean 0 and variance 1.
     */
    public static Tensor alphaDropout(Tensor input, double p, boolean training) {
        return alphaDropout(input, p, training, false);
    }

    /** Alpha dropout, writing into the input when {@code inplace} (and returning it). */
    public static Tensor alphaDropout(Tensor input, double p, boolean training, boolean inplace) {
        return apply("alphaDropout", input, p, training, inplace, 0, true);
    }

    /**
     * PyTorch's {@code _dropout_impl}: {@code kept} leading dimensions of the noise follow the input's (0: one draw
     * per element; 1 or 2: one per entry of the first one or two dimensions, broadcast over the rest).
     */
    private static Tensor apply(String where, Tensor input, double p, boolean training, boolean inplace, int kept,
                                boolean alpha) {
        check(where, input, p);
        if (p == 0 || !training || input.numel() == 0) {
            return input;
        }
        if (!input.dtype().isFloatingPoint()) {
            throw new DTypeException(where + ": expects a floating-point tensor but got " + input.dtype() + " (shape "
                    + Arrays.toString(input.shape()) + "); convert it first with .to(DType.FLOAT32)");
        }
        if (p == 1) {
            Tensor zero = Ember.scalar(input.dtype(), 0.0);
            return inplace ? input.mul_(zero) : input.mul(zero);
        }
        if (input.dim() < kept) {
            throw new ShapeException(where + ": channel dropout needs at least " + (kept == 2
                    ? "2 dimensions [batch, channels, ...]" : "1 dimension [channels, ...]") + ", got shape "
                    + Arrays.toString(input.shape()));
        }
        int[] noiseShape = input.shape();
        if (kept > 0) {
            Arrays.fill(noiseShape, kept, noiseShape.length, 1);
        }
        double keep = 1 - p;
        Tensor mask = Ember.rand(DType.FLOAT64, noiseShape).lt(keep).to(input.dtype());
        if (!alpha) {
            Tensor noise = mask.div(keep);
            return inplace ? input.mul_(noise) : input.mul(noise);
        }
        double a = 1.0 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
        Tensor b = mask.add(-1.0).mul(ALPHA * a).add(ALPHA * a * p);
        Tensor noise = mask.mul(a);
        return inplace ? input.mul_(noise).add_(b) : input.mul(noise).add(b);
    }

    private static String deprecatedRank(String where, Tensor input, String ranks) {
        return where + ": received a " + input.dim() + "-d input " + Arrays.toString(input.shape()) + "; " + where
                + " is meant for " + ranks + " inputs (channels of feature maps), and PyTorch deprecates other ranks: "
                + "use dropout for element-wise dropout";
    }

    /** Logs the message the first time {@code key} is seen (as Python shows a warning once per place). */
    private static void warnOnce(String key, String message) {
        if (WARNED.add(key)) {
            LOG.warn(message);
        }
    }

    private static void check(String where, Tensor input, double p) {
        Activations.requireInput(where, input);
        checkProbability(where, p);
    }

    /** Throws unless 0 &lt;= p &lt;= 1 (PyTorch's check, with the same wording). */
    public static void checkProbability(String where, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new EmberException(where + ": dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
