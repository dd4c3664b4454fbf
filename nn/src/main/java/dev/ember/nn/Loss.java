package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;

/**
 * The base of every loss module. A loss compares an input with a target, so its computation is
 * {@link #forward(Tensor, Tensor)}; the one-argument {@link #forward(Tensor)} that every {@link Module} has (and
 * {@link #apply(Tensor)}, which calls it) fails with a message that says to pass the target.
 *
 * <pre>{@code
 * Loss criterion = new CrossEntropyLoss();
 * Tensor logits = Ember.randn(4, 3).requiresGrad_();
 * Tensor labels = Ember.fromArray(new long[] {0, 2, 1, 2}, 4);
 * Tensor loss = criterion.forward(logits, labels);   // PyTorch's criterion(logits, labels)
 * loss.backward();
 * }</pre>
 *
 * <p>Losses are modules so that they print in a model's tree and carry their class weights as buffers
 * ({@code weight}, {@code pos_weight}: in the state dict and converted by {@link #to}, as in PyTorch). They have no
 * parameters. Each loss's computation is in {@link dev.ember.nn.functional.Losses}, which is also the functional
 * form ({@code Losses.crossEntropy(input, target)}, PyTorch's {@code F.cross_entropy}).
 *
 * <p>Like PyTorch's, a loss module prints without its settings ({@code CrossEntropyLoss()}); read them with the
 * getters.
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    /** A loss that reduces as given ({@link Reduction#BATCH_MEAN} only for {@link KLDivLoss}). */
    protected Loss(Reduction reduction) {
        if (reduction == null) {
            throw new EmberException(getClass().getSimpleName() + ": the reduction must not be null; pass "
                    + "Reduction.MEAN (the default), Reduction.SUM or Reduction.NONE");
        }
        if (reduction == Reduction.BATCH_MEAN && !(this instanceof KLDivLoss)) {
            throw new EmberException(getClass().getSimpleName() + ": Reduction.BATCH_MEAN is only defined for "
                    + "KLDivLoss; use Reduction.MEAN, Reduction.SUM or Reduction.NONE");
        }
        this.reduction = reduction;
    }

    /** How this loss reduces the per-element losses. */
    public final Reduction reduction() {
        return reduction;
    }

    /** The loss of input against target, reduced as {@link #reduction()} says. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** Always fails: a loss needs a target; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public final Tensor forward(Tensor input) {
        throw new EmberException(getClass().getSimpleName() + " compares an input with a target, so forward(input) "
                + "has nothing to compare against: call forward(input, target)");
    }
}
