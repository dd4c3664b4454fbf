package dev.ember.ops;

import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;

import java.util.Arrays;

/**
 * Loss ops whose derivatives PyTorch defines by its own formula rather than by composing ops, so that a
 * composition of Ember's ops would give different (NaN) gradients at the edges. Each has its forward, its backward
 * node and its JVP side by side, as every op family does. The losses themselves (reductions, weights, checks with
 * the loss's name in every message) are in the nn module's {@code dev.ember.nn.functional.Losses}.
 *
 * <pre>{@code
 * Tensor probabilities = Ember.rand(5);
 * Tensor targets = Ember.rand(5);
 * Tensor perElement = LossOps.binaryCrossEntropy(probabilities, targets);   // unreduced, [5]
 * Tensor loss = perElement.mean();
 * }</pre>
 */
public final class LossOps {
    /**
     * PyTorch's EPSILON in binary_cross_entropy_backward, the floor of x (1 - x) in the gradient's denominator. It is
     * a float constant there, 1e-12 rounded to float32, which makes PyTorch's float64 gradient at x = 0, t = 1
     * exactly -1.0000000039958e12; Ember uses the same value.
     */
    static final double BCE_EPSILON = 1e-12f;

    private LossOps() {
    }

    /**
     * Unreduced binary cross-entropy, PyTorch's {@code binary_cross_entropy(x, t, reduction='none')}:
     * {@code (t - 1) max(log(1 - x), -100) - t max(log(x), -100)}, elementwise, for x and t of the same shape.
     * Gradients are PyTorch's formulas: {@code (x - t) / max(x (1 - x), 1e-12)} for x (finite where x is exactly 0
     * or 1, where the composition of log and clamp would give NaN), and {@code log(1 - x) - log(x)} for t. Values
     * of x outside [0, 1] give NaN; the loss checks them first.
     */
    public static Tensor binaryCrossEntropy(Tensor x, Tensor t) {
        Promotion.requireFloat("binaryCrossEntropy", x);
        Promotion.requireFloat("binaryCrossEntropy", t);
        if (!Arrays.equals(x.shape(), t.shape())) {
            throw new ShapeException("binaryCrossEntropy: input of shape " + Arrays.toString(x.shape())
                    + " and target of shape " + Arrays.toString(t.shape()) + " must have the same shape");
        }
        Tensor out;
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor logX = x.log().clampMin(-100.0);
            Tensor log1mX = x.rsub(1.0).log().clampMin(-100.0);
            out = Internal.wrap(t.sub(1.0).mul(log1mX).sub(t.mul(logX)).impl());
        }
        if (Internal.recording(x, t)) {
            Internal.attach(out, new BinaryCrossEntropyBackward(x, t), 0);
        }
        return ForwardAD.isActive() ? Jvp.binary(out, x, t, (tx, tt) -> BinaryCrossEntropyBackward.jvp(x, t, tx, tt))
                : out;
    }

    static final class BinaryCrossEntropyBackward extends Node {
        private final SavedTensor x;
        private final SavedTensor t;

        BinaryCrossEntropyBackward(Tensor x, Tensor t) {
            super(x, t);
            this.x = save(x);
            this.t = needsInputGrad(0) ? save(t) : null;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor xv = x.get();
            return new Tensor[] {
                needsInputGrad(0) ? g[0].mul(dInput(xv, t.get())) : null,
                needsInputGrad(1) ? g[0].mul(dTarget(xv)) : null};
        }

        /** d/dx = (x - t) / max(x (1 - x), 1e-12), PyTorch's binary_cross_entropy_backward. */
        static Tensor dInput(Tensor x, Tensor t) {
            return x.sub(t).div(x.rsub(1.0).mul(x).clampMin(BCE_EPSILON));
        }

        /** d/dt = log(1 - x) - log(x) = -logit(x), PyTorch's binary_cross_entropy_target_backward. */
        static Tensor dTarget(Tensor x) {
            return x.rsub(1.0).log().sub(x.log());
        }

        static Tensor jvp(Tensor x, Tensor t, Tensor tx, Tensor tt) {
            return Jvp.plus(tx == null ? null : tx.mul(dInput(x, t)), tt == null ? null : tt.mul(dTarget(x)));
        }
    }
}
