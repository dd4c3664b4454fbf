package dev.ember.nn.utils;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping (PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}): rescales or
 * clamps the {@code .grad} of parameters in place, between {@code backward()} and the optimizer's step.
 *
 * <pre>{@code
 * loss.backward();
 * Tensor total = ClipGrad.clipGradNorm_(model.parameters(), 1.0);   // the norm before clipping
 * ClipGrad.clipGradValue_(model.parameters(), 0.5);                  // every gradient element into [-0.5, 0.5]
 * optimizer.step();
 * }</pre>
 *
 * <p>Parameters without a gradient are skipped. The updates are not recorded (PyTorch writes into
 * {@code p.grad.detach()}).
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@code clipGradNorm_(parameters, maxNorm, 2.0, false)}. */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /** {@code clipGradNorm_(parameters, maxNorm, normType, false)}. */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm is at most maxNorm, and returns the total norm before
     * scaling (a 0-d tensor; {@code tensor(0.)} when no parameter has a gradient). The total norm is the p-norm of
     * the vector of the gradients' p-norms, i.e. of all gradient elements as one vector; for p =
     * {@code Double.POSITIVE_INFINITY}, the largest absolute element. The gradients are multiplied by
     * min(1, maxNorm / (total + 1e-6)), PyTorch's formula (computed as PyTorch computes it,
     * {@code (1 / (total + 1e-6)) * maxNorm}, so the result is PyTorch's bit for bit given the same total).
     *
     * @param errorIfNonfinite throw if the total norm is NaN or infinite (the gradients are then left as they are)
     */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType,
                                       boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new EmberException("clipGradNorm_: maxNorm must be a non-negative number, got " + maxNorm);
        }
        if (Double.isNaN(normType)) {
            throw new EmberException("clipGradNorm_: normType must be a number (e.g. 2.0, 1.0 or "
                    + "Double.POSITIVE_INFINITY), got NaN");
        }
        List<Tensor> grads = grads("clipGradNorm_", parameters);
        if (grads.isEmpty()) {
            return Ember.scalar(0.0);
        }
        try (var g = Ember.noGrad()) {
            boolean mixed = grads.stream().map(Tensor::dtype).distinct().count() > 1;
            List<Tensor> norms = new ArrayList<>();
            for (Tensor gr : grads) {
                Tensor n = normType == Double.POSITIVE_INFINITY ? gr.detach().abs().max() : gr.detach().norm(normType);
                norms.add(mixed ? n.to(DType.FLOAT64) : n);
            }
            Tensor total;
            if (normType == Double.POSITIVE_INFINITY) {
                total = norms.size() == 1 ? norms.get(0) : Ember.stack(norms, 0).max();
            } else {
                total = Ember.stack(norms, 0).norm(normType);
            }
            if (errorIfNonfinite && !Double.isFinite(total.item())) {
                throw new EmberException("clipGradNorm_: the total norm of order " + normType + " of the gradients is "
                        + "non-finite (" + total.item() + "), so it cannot be clipped. To ignore this and scale the "
                        + "gradients anyway (they will then become NaN), pass errorIfNonfinite = false");
            }
            Tensor coef = Ember.scalar(total.dtype(), 1.0).div(total.add(1e-6)).mul(maxNorm).clampMax(1.0);
            for (Tensor gr : grads) {
                gr.detach().mul_(coef.to(gr.dtype()));
            }
            return total;
        }
    }

    /** Clamps every gradient element into [-clipValue, clipValue] in place. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new EmberException("clipGradValue_: clipValue must be a non-negative number, got " + clipValue
                    + " (gradients are clamped into [-clipValue, clipValue])");
        }
        List<Tensor> grads = grads("clipGradValue_", parameters);
        try (var g = Ember.noGrad()) {
            for (Tensor gr : grads) {
                gr.detach().clamp_(-clipValue, clipValue);
            }
        }
    }

    private static List<Tensor> grads(String op, Iterable<Tensor> parameters) {
        if (parameters == null) {
            throw new EmberException(op + ": the parameters are null; pass e.g. model.parameters()");
        }
        List<Tensor> grads = new ArrayList<>();
        int i = 0;
        for (Tensor p : parameters) {
            if (p == null) {
                throw new EmberException(op + ": parameter " + i + " is null");
            }
            if (p.grad() != null) {
                grads.add(p.grad());
            }
            i++;
        }
        return grads;
    }
}
