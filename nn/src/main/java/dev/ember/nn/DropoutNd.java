package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * What the dropout layers share (PyTorch's {@code _DropoutNd}): the probability p of dropping, whether to write into
 * the input, the train/eval switch (in evaluation mode, {@link #eval()}, they return the input unchanged) and
 * PyTorch's printed form {@code p=0.5, inplace=False}. The masks come from the global generator as PyTorch's on the
 * CPU, so after the same {@code manualSeed} they are PyTorch's (see {@link Dropouts}).
 *
 * <pre>{@code
 * DropoutNd d = new Dropout2d(0.25);
 * d.p();          // 0.25
 * d.eval();       // now the identity
 * }</pre>
 */
public abstract class DropoutNd extends Module {
    private final double p;
    private final boolean inplace;

    DropoutNd(double p, boolean inplace) {
        Dropouts.checkProbability(getClass().getSimpleName(), p);
        this.p = p;
        this.inplace = inplace;
    }

    /** The probability of dropping an element (or a channel). */
    public double p() {
        return p;
    }

    public boolean inplace() {
        return inplace;
    }

    /** The functional form this layer applies. */
    abstract Tensor drop(Tensor input, double p, boolean training, boolean inplace);

    @Override
    public Tensor forward(Tensor input) {
        return drop(input, p, isTraining(), inplace);
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.number(p) + ", inplace=" + PyRepr.bool(inplace);
    }
}
