package dev.ember.cli;

import dev.ember.Tensor;
import dev.ember.optim.Adagrad;
import dev.ember.optim.Adam;
import dev.ember.optim.AdamW;
import dev.ember.optim.Optimizer;
import dev.ember.optim.RMSprop;

import java.util.List;

/**
 * The optimizers {@code ember train --optimizer} offers, with PyTorch's defaults for everything but the learning
 * rate (SGD adds momentum 0.9).
 *
 * <pre>{@code
 * Optimizer opt = OptimizerKind.ADAM.build(model.parameters(), OptimizerKind.ADAM.defaultLr());
 * }</pre>
 */
public enum OptimizerKind implements Choice {
    /** SGD with momentum 0.9. */
    SGD(0.05),
    /** Adam. */
    ADAM(1e-3),
    /** AdamW (weight decay 0.01). */
    ADAMW(1e-3),
    /** RMSprop. */
    RMSPROP(1e-3),
    /** Adagrad. */
    ADAGRAD(1e-2);

    private static final double SGD_MOMENTUM = 0.9;

    private final double defaultLr;

    OptimizerKind(double defaultLr) {
        this.defaultLr = defaultLr;
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** The learning rate when {@code --lr} is not given. */
    public double defaultLr() {
        return defaultLr;
    }

    /** A new optimizer over the parameters with the given learning rate. */
    public Optimizer build(List<Tensor> params, double lr) {
        return switch (this) {
            case SGD -> new dev.ember.optim.SGD(params,
                    dev.ember.optim.SGD.options().lr(lr).momentum(SGD_MOMENTUM));
            case ADAM -> new Adam(params, Adam.options().lr(lr));
            case ADAMW -> new AdamW(params, AdamW.options().lr(lr));
            case RMSPROP -> new RMSprop(params, RMSprop.options().lr(lr));
            case ADAGRAD -> new Adagrad(params, Adagrad.options().lr(lr));
        };
    }
}
