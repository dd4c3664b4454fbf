package dev.ember.optim;

import dev.ember.EmberException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's learning rate to its base lr times a function of the epoch (PyTorch 1.13's {@code LambdaLR}):
 * any schedule written as a lambda. The functions are not part of the state dict.
 *
 * <pre>{@code
 * LambdaLR warmup = new LambdaLR(opt, epoch -> Math.min(1.0, (epoch + 1) / 5.0));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(model, opt);
 *     warmup.step();
 * }
 * }</pre>
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, lrLambda, -1);
    }

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, repeat(optimizer, lrLambda), lastEpoch);
    }

    /** One function per group, in order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        this(optimizer, lrLambdas, -1);
    }

    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer, lastEpoch);
        int groups = optimizer.paramGroups().size();
        boolean hasNull = lrLambdas != null && lrLambdas.stream().anyMatch(java.util.Objects::isNull);
        if (lrLambdas == null || lrLambdas.size() != groups || hasNull) {
            throw new EmberException("LambdaLR: expected " + groups + " lr lambda(s), one per parameter group, got "
                    + (lrLambdas == null ? "none" : lrLambdas.size() + (hasNull ? " with a null" : "")));
        }
        this.lambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    private static List<IntToDoubleFunction> repeat(Optimizer optimizer, IntToDoubleFunction f) {
        if (f == null) {
            throw new EmberException("LambdaLR: the lr lambda is null");
        }
        List<IntToDoubleFunction> out = new ArrayList<>();
        for (int i = 0; optimizer != null && i < optimizer.paramGroups().size(); i++) {
            out.add(f);
        }
        return out;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * lambdas.get(i).applyAsDouble(lastEpoch);
        }
        return lrs;
    }
}
