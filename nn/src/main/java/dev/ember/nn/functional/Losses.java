package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.Reduction;
import dev.ember.ops.LossOps;
import dev.ember.ops.Promotion;

import java.util.Arrays;

/**
 * The losses as functions (PyTorch's {@code torch.nn.functional} losses), with PyTorch 1.13's semantics and
 * defaults; the loss modules ({@code MSELoss}, {@code CrossEntropyLoss}, ...) call these.
 *
 * <pre>{@code
 * Tensor logits = Ember.randn(3, 4);                                 // [N, C]
 * Tensor labels = Ember.fromArray(new long[] {2, 0, 1}, 3);         // int64 class indices
 * Tensor loss = Losses.crossEntropy(logits, labels);                // F.cross_entropy(logits, labels)
 * Tensor smoothed = Losses.crossEntropy(logits, labels, null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.1);
 * Tensor mse = Losses.mseLoss(Ember.randn(5), Ember.zeros(5), Reduction.SUM);
 * }</pre>
 *
 * <p>The arguments follow PyTorch's functional signatures in order ({@code weight, ignoreIndex, reduction,
 * labelSmoothing}); the short overloads take PyTorch's defaults (no weight, ignoreIndex -100, mean, no smoothing;
 * beta and delta 1; logTarget false). The loss modules offer the same options by builder.
 *
 * <p>Semantics, and where Ember differs from PyTorch on purpose:
 * <ul>
 *   <li>The element-wise losses (MSE, L1, SmoothL1, Huber, BCE, BCEWithLogits, KLDiv) need an input and a target
 *       of the same shape, both floating point. PyTorch broadcasts MSE, L1, SmoothL1, Huber and KLDiv operands of
 *       different shapes (with a warning for some), which is nearly always a bug ({@code [N, 1]} against
 *       {@code [N]} becomes {@code [N, N]}); Ember raises a {@link ShapeException} naming both shapes instead.
 *       Operands of different floating-point dtypes are promoted.</li>
 *   <li>Class weights, {@code weight} and {@code posWeight} are constants: no gradient flows into them (PyTorch
 *       has none for nll_loss's and BCE's weights either). They are cast to the input's dtype.</li>
 *   <li>crossEntropy takes logits: log-softmax over the class dimension (dimension 1, or 0 for an unbatched
 *       {@code [C]} input) followed by the negative log-likelihood. A target of the input's shape holds class
 *       probabilities (floating point); any other target holds int64 class indices of the input's shape without
 *       its class dimension ({@code [N]}, {@code [N, d1, ...]}, or 0-d for a {@code [C]} input).</li>
 *   <li>With class weights, the mean over class-index targets is the weighted mean
 *       {@code sum(w[y_i] l_i) / sum(w[y_i])} over the targets that are not ignoreIndex (NaN if all are ignored,
 *       as in PyTorch); over probability targets it divides by the number of samples (N d1 ... dk) instead.</li>
 *   <li>Label smoothing is PyTorch 1.13's: for class indices,
 *       {@code (1 - s) nll + (s / C) smooth} where {@code smooth} is {@code -sum_c w_c log p_c} per sample (zero
 *       for ignored samples) reduced like nll; for probabilities, the target becomes {@code t (1 - s) + s / C}.</li>
 *   <li>binaryCrossEntropy clamps each log at -100 and uses PyTorch's gradient {@code (x - t) / max(x (1 - x),
 *       1e-12)}, so it stays finite where a probability is exactly 0 or 1.</li>
 *   <li>binaryCrossEntropyWithLogits is computed in PyTorch's stable form
 *       {@code (1 - t) x + (1 + (p - 1) t) (log(exp(-m) + exp(-x - m)) + m)}, m = max(-x, 0), p = posWeight
 *       (broadcast along the last dimension, one weight per class).</li>
 *   <li>klDiv takes log-probabilities as input, and probabilities as target (or log-probabilities with
 *       logTarget): {@code t (log t - x)} with {@code 0 log 0 = 0}, or {@code exp(t) (t - x)}. Its MEAN divides by
 *       the number of elements, as PyTorch's does; {@link Reduction#BATCH_MEAN} divides by the batch size and is
 *       the true KL divergence.</li>
 * </ul>
 *
 * <p>Errors name the loss: a target of the wrong dtype or shape, a class index out of range (with its value and
 * position), a probability outside [0, 1], bad weights, a labelSmoothing outside [0, 1], a negative beta or a
 * non-positive delta, and {@link Reduction#BATCH_MEAN} for any loss but KLDiv.
 */
public final class Losses {
    /** PyTorch's default ignore_index: class-index targets equal to it contribute nothing. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private Losses() {
    }

    // ---- regression losses ------------------------------------------------------------------------------------

    /** Mean squared error, {@code mean((x - y)^2)} (PyTorch's mse_loss). */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (x - y)^2}, reduced. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        checkElementwise("MSELoss", input, target, reduction);
        return reduce(input.sub(target).pow(2.0), reduction);
    }

    /** Mean absolute error, {@code mean(|x - y|)} (PyTorch's l1_loss). */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |x - y|}, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        checkElementwise("L1Loss", input, target, reduction);
        return reduce(input.sub(target).abs(), reduction);
    }

    /** Smooth L1 with beta 1, mean (PyTorch's smooth_l1_loss). */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /**
     * Smooth L1: {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}, with d = x - y;
     * beta 0 is the L1 loss. beta must be 0 or more.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        checkElementwise("SmoothL1Loss", input, target, reduction);
        if (!(beta >= 0)) {
            throw new EmberException("SmoothL1Loss: beta must be 0 or more (the width of the quadratic zone), got "
                    + beta + "; beta = 0 gives the L1 loss");
        }
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        if (beta == 0) {
            return reduce(a, reduction);
        }
        return reduce(Ember.where(a.lt(beta), d.pow(2.0).mul(0.5 / beta), a.sub(0.5 * beta)), reduction);
    }

    /** Huber loss with delta 1, mean (PyTorch's huber_loss). */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, Reduction.MEAN, 1.0);
    }

    /**
     * Huber: {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}, with d = x - y
     * (smooth L1 scaled by delta). delta must be positive.
     */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        checkElementwise("HuberLoss", input, target, reduction);
        if (!(delta > 0)) {
            throw new EmberException("HuberLoss: delta must be positive (the point where the loss turns from "
                    + "quadratic to linear), got " + delta);
        }
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        return reduce(Ember.where(a.lt(delta), d.pow(2.0).mul(0.5), a.sub(0.5 * delta).mul(delta)), reduction);
    }

    // ---- classification losses --------------------------------------------------------------------------------

    /** Cross-entropy of logits against int64 class indices or class probabilities, with PyTorch's defaults. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /** Cross-entropy with class weights (null for none) and a reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return crossEntropy(input, target, weight, DEFAULT_IGNORE_INDEX, reduction, 0.0);
    }

    /**
     * Cross-entropy of logits {@code input} ({@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]}) against
     * {@code target}: int64 class indices of shape {@code []}, {@code [N]} or {@code [N, d1, ...]}, or class
     * probabilities of the input's shape. PyTorch's cross_entropy: log-softmax over the class dimension, then the
     * negative log-likelihood, with optional class weights ({@code [C]}, or null), ignoreIndex (class-index targets
     * equal to it contribute nothing; must be negative for probability targets), a reduction, and label smoothing
     * in [0, 1].
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        String who = "CrossEntropyLoss";
        checkReduction(who, reduction);
        checkLabelSmoothing(labelSmoothing);
        checkClassInput(who, input, target);
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        Tensor w = classWeight(who, weight, input, classDim);
        if (Arrays.equals(input.shape(), target.shape())) {
            return probabilityCrossEntropy(input, target, w, ignoreIndex, reduction, labelSmoothing, classDim);
        }
        Labels labels = checkLabels(who, input, target, classDim, ignoreIndex, true);
        Tensor logp = input.logSoftmax(classDim);
        Picked nll = pick(logp, target, w, labels, classDim);
        Tensor loss = reduceNll(nll, reduction, labels);
        if (labelSmoothing == 0) {
            return loss;
        }
        Tensor smooth = (w == null ? logp : logp.mul(weightView(w, input.dim(), classDim))).sum(classDim, false).neg();
        if (labels.anyIgnored()) {
            smooth = Ember.where(nll.mask(), smooth, zero(smooth));
        }
        Tensor smoothed = reduceNll(new Picked(smooth, nll.mask(), nll.weights()), reduction, labels);
        return loss.mul(1 - labelSmoothing).add(smoothed.mul(labelSmoothing / classes));
    }

    private static Tensor probabilityCrossEntropy(Tensor input, Tensor target, Tensor w, long ignoreIndex,
                                                  Reduction reduction, double labelSmoothing, int classDim) {
        String who = "CrossEntropyLoss";
        if (!target.dtype().isFloatingPoint()) {
            throw new DTypeException(who + ": the target has the input's shape " + shape(input) + ", so it is read "
                    + "as class probabilities, which must be floating point, but its dtype is " + target.dtype()
                    + ". For class indices pass an int64 target of shape " + shape(withoutDim(input, classDim))
                    + "; for probabilities convert with target.to(DType." + input.dtype().name() + ")");
        }
        if (ignoreIndex >= 0) {
            throw new EmberException(who + ": ignoreIndex (" + ignoreIndex + ") is not supported with class-probability "
                    + "targets (the target has the input's shape " + shape(input) + "); leave it at its default ("
                    + DEFAULT_IGNORE_INDEX + "); a sample whose target row is all zeros adds nothing to the sum");
        }
        int classes = input.size(classDim);
        Tensor logp = input.logSoftmax(classDim);
        Tensor p = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        Tensor product = logp.mul(p);
        if (w != null) {
            product = product.mul(weightView(w, input.dim(), classDim));
        }
        return switch (reduction) {
            case NONE -> product.sum(classDim, false).neg();
            case SUM -> product.sum().neg();
            default -> product.sum().neg().div(classes == 0 ? 0.0 : (double) (input.numel() / classes));
        };
    }

    /** Negative log-likelihood of log-probabilities against int64 class indices, with PyTorch's defaults. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood (PyTorch's nll_loss): {@code -w[y] input[y]} per sample for log-probabilities
     * {@code input} ({@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]}) and int64 class indices {@code target}
     * of the input's shape without its class dimension; class weights (null for none), ignoreIndex, reduction as
     * for {@link #crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        String who = "NLLLoss";
        checkReduction(who, reduction);
        checkClassInput(who, input, target);
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor w = classWeight(who, weight, input, classDim);
        Labels labels = checkLabels(who, input, target, classDim, ignoreIndex, false);
        return reduceNll(pick(input, target, w, labels, classDim), reduction, labels);
    }

    /** Binary cross-entropy of probabilities, mean (PyTorch's binary_cross_entropy). */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy {@code -w (t log x + (1 - t) log(1 - x))} of probabilities x in [0, 1] (each log
     * clamped at -100, as PyTorch does), with an optional weight (null, or broadcastable to the input's shape).
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        String who = "BCELoss";
        checkElementwise(who, input, target, reduction);
        double[] x = input.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= 1)) {
                throw new EmberException(who + ": input" + position(input.shape(), i) + " = " + x[i] + " is not a "
                        + "probability: every element of the input (shape " + shape(input) + ") must be in [0, 1]. "
                        + "Pass probabilities (e.g. sigmoid outputs), or pass the logits to BCEWithLogitsLoss, which "
                        + "is also numerically more stable");
            }
        }
        Tensor loss = LossOps.binaryCrossEntropy(input, target);
        if (weight != null) {
            loss = loss.mul(elementWeight(who, "weight", weight, input, loss.dtype()));
        }
        return reduce(loss, reduction);
    }

    /** Binary cross-entropy of logits, mean (PyTorch's binary_cross_entropy_with_logits). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of logits x: {@code -w (p t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))} in PyTorch's
     * stable form, with an optional weight and positive-class weight p ({@code posWeight}, broadcastable to the
     * input's shape, typically one per class along the last dimension; null for none).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        String who = "BCEWithLogitsLoss";
        checkElementwise(who, input, target, reduction);
        DType type = Promotion.resultType(input, target);
        Tensor maxVal = input.neg().clampMin(0.0);
        Tensor logTerm = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log().add(maxVal);
        Tensor loss;
        if (posWeight != null) {
            Tensor p = elementWeight(who, "posWeight", posWeight, input, type);
            Tensor logWeight = p.sub(1.0).mul(target).add(1.0);
            loss = target.rsub(1.0).mul(input).add(logWeight.mul(logTerm));
        } else {
            loss = target.rsub(1.0).mul(input).add(logTerm);
        }
        if (weight != null) {
            loss = loss.mul(elementWeight(who, "weight", weight, input, type));
        }
        return reduce(loss, reduction);
    }

    /** KL divergence of log-probabilities against probabilities, mean over elements (PyTorch's kl_div). */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /**
     * KL divergence {@code t (log t - x)} (with {@code 0 log 0 = 0}) of log-probabilities x against probabilities
     * t, or {@code exp(t) (t - x)} when logTarget says t holds log-probabilities. {@link Reduction#BATCH_MEAN}
     * (sum / size of dimension 0) gives the true KL divergence; MEAN divides by the number of elements.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        String who = "KLDivLoss";
        if (reduction == null) {
            throw new EmberException(who + ": the reduction must not be null; pass Reduction.MEAN (the default), "
                    + "Reduction.BATCH_MEAN, Reduction.SUM or Reduction.NONE");
        }
        checkElementwise(who, input, target, Reduction.MEAN);
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            Tensor isZero = target.eq(0.0);
            Tensor safe = Ember.where(isZero, Ember.onesLike(target), target);
            Tensor xlogx = Ember.where(isZero, zero(target), target.mul(safe.log()));
            loss = xlogx.sub(target.mul(input));
        }
        if (reduction == Reduction.BATCH_MEAN) {
            Tensor sum = loss.sum();
            return input.dim() == 0 ? sum : sum.div(input.size(0));
        }
        return reduce(loss, reduction);
    }

    // ---- shared pieces ----------------------------------------------------------------------------------------

    /** The labels' bookkeeping from the range check: whether any equals ignoreIndex, and how many do not. */
    private record Labels(boolean anyIgnored, long valid, long ignoreIndex) {
    }

    /** Per-sample losses {@code -w[y] input[y]} (0 where ignored), the mask of kept samples, their weights. */
    private record Picked(Tensor loss, Tensor mask, Tensor weights) {
    }

    private static Picked pick(Tensor logp, Tensor target, Tensor w, Labels labels, int classDim) {
        Tensor mask = null;
        Tensor safe = target;
        if (labels.anyIgnored()) {
            mask = target.ne((double) labels.ignoreIndex());
            safe = Ember.where(mask, target, Ember.scalar(DType.INT64, 0));
        }
        Tensor loss = logp.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim).neg();
        Tensor weights = null;
        if (w != null) {
            weights = w.indexSelect(0, safe.reshape(-1)).reshape(target.shape());
            loss = loss.mul(weights);
        }
        if (mask != null) {
            loss = Ember.where(mask, loss, zero(loss));
            if (weights != null) {
                weights = Ember.where(mask, weights, zero(weights));
            }
        }
        return new Picked(loss, mask, weights);
    }

    /** PyTorch's nll reduction: the mean divides by the kept samples' total weight (their count if unweighted). */
    private static Tensor reduceNll(Picked p, Reduction reduction, Labels labels) {
        return switch (reduction) {
            case NONE -> p.loss();
            case SUM -> p.loss().sum();
            default -> p.weights() != null ? p.loss().sum().div(p.weights().sum())
                    : p.loss().sum().div((double) labels.valid());
        };
    }

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            default -> loss.mean();
        };
    }

    private static Tensor zero(Tensor like) {
        return Ember.scalar(like.dtype(), 0.0);
    }

    /** The class weights viewed as [1, C, 1, ...] to broadcast against the input (as they are for a [C] input). */
    private static Tensor weightView(Tensor w, int rank, int classDim) {
        if (rank <= 1) {
            return w;
        }
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[classDim] = w.numel();
        return w.reshape(s);
    }

    private static void checkReduction(String who, Reduction reduction) {
        if (reduction == null) {
            throw new EmberException(who + ": the reduction must not be null; pass Reduction.MEAN (the default), "
                    + "Reduction.SUM or Reduction.NONE");
        }
        if (reduction == Reduction.BATCH_MEAN) {
            throw new EmberException(who + ": Reduction.BATCH_MEAN is only defined for KLDivLoss; use "
                    + "Reduction.MEAN, Reduction.SUM or Reduction.NONE");
        }
    }

    private static void checkLabelSmoothing(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new EmberException("CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got "
                    + labelSmoothing);
        }
    }

    private static void checkNotNull(String who, Tensor input, Tensor target) {
        if (input == null || target == null) {
            throw new EmberException(who + ": the " + (input == null ? "input" : "target") + " is null");
        }
    }

    private static void checkElementwise(String who, Tensor input, Tensor target, Reduction reduction) {
        checkReduction(who, reduction);
        checkNotNull(who, input, target);
        requireFloat(who, "input", input);
        requireFloat(who, "target", target);
        if (!Arrays.equals(input.shape(), target.shape())) {
            int[] b = broadcast(input.shape(), target.shape());
            throw new ShapeException(who + ": the input of shape " + shape(input) + " and the target of shape "
                    + shape(target) + " differ; the loss compares them element by element, so their shapes must "
                    + "be equal" + (b == null ? "" : " (PyTorch would broadcast them to " + Arrays.toString(b)
                    + ", which is rarely what was meant)") + ". Reshape one of them, e.g. with squeeze, unsqueeze "
                    + "or reshape");
        }
    }

    private static void requireFloat(String who, String what, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new DTypeException(who + ": the " + what + " must be floating point, but is " + t.dtype()
                    + " (shape " + shape(t) + "); convert it with .to(DType.FLOAT32) or .to(DType.FLOAT64)");
        }
    }

    private static void checkClassInput(String who, Tensor input, Tensor target) {
        checkNotNull(who, input, target);
        requireFloat(who, "input", input);
        if (input.dim() == 0) {
            throw new ShapeException(who + ": the input must have a class dimension (shape [C], [N, C] or "
                    + "[N, C, d1, ...]), but it is 0-d");
        }
    }

    /** Checks class weights: null, or a floating-point [C] tensor; returns them as constants of the input's dtype. */
    private static Tensor classWeight(String who, Tensor weight, Tensor input, int classDim) {
        if (weight == null) {
            return null;
        }
        int classes = input.size(classDim);
        if (weight.dim() != 1 || weight.size(0) != classes) {
            throw new ShapeException(who + ": the class weights must have one entry per class, shape [" + classes
                    + "] (the size of dimension " + classDim + " of the input of shape " + shape(input) + "), but "
                    + "have shape " + shape(weight));
        }
        requireFloat(who, "weight", weight);
        return constant(weight, input.dtype());
    }

    /** Checks a weight that must broadcast to the input's shape without changing it; returns it as a constant. */
    private static Tensor elementWeight(String who, String what, Tensor weight, Tensor input, DType dtype) {
        requireFloat(who, what, weight);
        int[] b = broadcast(input.shape(), weight.shape());
        if (b == null || !Arrays.equals(b, input.shape())) {
            throw new ShapeException(who + ": " + what + " of shape " + shape(weight) + " does not broadcast to the "
                    + "input's shape " + shape(input) + " (sizes must match, or be 1, in every dimension counted "
                    + "from the right" + (what.equals("posWeight") ? "; posWeight usually has one entry per class, "
                    + "the input's last dimension" : "") + ")");
        }
        return constant(weight, dtype);
    }

    private static Tensor constant(Tensor t, DType dtype) {
        Tensor c = t.detach();
        return c.dtype() == dtype ? c : c.to(dtype);
    }

    /**
     * Checks class-index targets: int64, the input's shape without its class dimension, every value in
     * [0, C) or equal to ignoreIndex.
     */
    private static Labels checkLabels(String who, Tensor input, Tensor target, int classDim, long ignoreIndex,
                                      boolean probabilitiesAllowed) {
        int[] expected = withoutDim(input, classDim);
        String alternative = "class probabilities of the input's shape " + shape(input);
        if (target.dtype() != DType.INT64) {
            throw new DTypeException(who + ": class-index targets must be int64, but the target (shape "
                    + shape(target) + ") is " + target.dtype() + "; convert it with target.to(DType.INT64)"
                    + (probabilitiesAllowed && target.dtype().isFloatingPoint() ? ", or pass " + alternative : ""));
        }
        if (!Arrays.equals(expected, target.shape())) {
            throw new ShapeException(who + ": the input of shape " + shape(input) + " needs a target of shape "
                    + Arrays.toString(expected) + " (one class index per sample" + (input.dim() > 2 ? " and position"
                    : "") + ")" + (probabilitiesAllowed ? " or " + alternative : "") + ", but the target has shape "
                    + shape(target));
        }
        int classes = input.size(classDim);
        long[] v = target.toLongArray();
        long ignored = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == ignoreIndex) {
                ignored++;
            } else if (v[i] < 0 || v[i] >= classes) {
                throw new EmberException(who + ": target" + position(target.shape(), i) + " = " + v[i] + " is not a "
                        + "class index: the input of shape " + shape(input) + " has " + classes + " classes (dimension "
                        + classDim + "), so every label must be in [0, " + classes + ") or equal ignoreIndex ("
                        + ignoreIndex + ")");
            }
        }
        return new Labels(ignored > 0, v.length - ignored, ignoreIndex);
    }

    private static int[] withoutDim(Tensor input, int dim) {
        int[] s = input.shape();
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != dim) {
                out[j++] = s[i];
            }
        }
        return out;
    }

    /** "[i, j, ...]" for flat (row-major) index flat in a tensor of this shape; "" for a 0-d tensor. */
    private static String position(int[] shape, int flat) {
        if (shape.length == 0) {
            return "";
        }
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        return sb.append(']').toString();
    }

    private static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i < n - a.length ? 1 : a[i - (n - a.length)];
            int y = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (x != y && x != 1 && y != 1) {
                return null;
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    private static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    private static String shape(int[] s) {
        return Arrays.toString(s);
    }
}
