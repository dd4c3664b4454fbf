package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.Linear;
import dev.ember.nn.Loss;
import dev.ember.nn.MSELoss;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.Tanh;
import dev.ember.optim.SGD;

import java.util.ArrayList;
import java.util.List;

/**
 * Ember's side of a {@link Workload}, written as a user writes it: a {@link Sequential} of {@link Linear} layers
 * with {@link Tanh} or {@link ReLU} between them, {@link MSELoss} or {@link CrossEntropyLoss}, and {@link SGD} with
 * momentum.
 *
 * <p>The model and the data come from {@code Ember.manualSeed(0)} in PyTorch's order (the layers, then the
 * inputs, then the targets), so the PyTorch twin ({@code workloads_pytorch.py}) starts from the same weights and
 * data and its first loss equals this one.
 *
 * <pre>{@code
 * EmberTrainer t = EmberTrainer.create(Workload.W2, false);
 * for (int i = 0; i < 10; i++) {
 *     t.step();
 * }
 * System.out.println(t.lastLoss());
 * }</pre>
 */
final class EmberTrainer implements Trainer {
    private final Workload workload;
    private final Sequential model;
    private final List<Linear> layers = new ArrayList<>();
    private final SGD optimizer;
    private final Loss criterion;
    private final Tensor x;
    private final Tensor y;          // [batch, out] real targets (MSE) or [batch] int64 class indices (cross-entropy)
    private Tensor loss;

    private EmberTrainer(Workload workload, boolean nesterov) {
        this.workload = workload;
        Ember.manualSeed(0);
        int[] widths = workload.widths();
        model = new Sequential();                           // Linear, activation, Linear, ..., Linear
        for (int i = 0; i + 1 < widths.length; i++) {
            if (i > 0) {
                model.add(workload.tanh() ? new Tanh() : new ReLU());
            }
            Linear layer = new Linear(widths[i], widths[i + 1]);
            layers.add(layer);
            model.add(layer);
        }
        optimizer = new SGD(model.parameters(),
                SGD.options().lr(Workload.LR).momentum(Workload.MOMENTUM).nesterov(nesterov));
        criterion = workload.crossEntropy() ? new CrossEntropyLoss() : new MSELoss();
        x = Ember.randn(workload.batch(), workload.inputs());
        y = workload.crossEntropy() ? Ember.randint(0, workload.outputs(), workload.batch())
                : Ember.randn(workload.batch(), workload.outputs());
    }

    /**
     * The workload's model, data and optimizer from seed 0. With nesterov, the update is PyTorch's
     * {@code SGD(nesterov=True)} (used only to check DL4J's updater); otherwise PyTorch's default momentum.
     */
    static EmberTrainer create(Workload workload, boolean nesterov) {
        return new EmberTrainer(workload, nesterov);
    }

    @Override
    public void step() {
        optimizer.zeroGrad();                               // PyTorch 1.13's default: zero in place
        loss = criterion.forward(model.forward(x), y);
        loss.backward();
        optimizer.step();
        Timer.sink = loss;
    }

    @Override
    public double lastLoss() {
        return loss.item();
    }

    /** What the Ember side is made of, for the report. */
    static String describe() {
        return "nn.Sequential(Linear, Tanh|ReLU, ..., Linear), nn.MSELoss | nn.CrossEntropyLoss, "
                + "optim.SGD(lr 0.01, momentum 0.9); one step = zeroGrad, forward, loss, backward, step";
    }

    List<Linear> layers() {
        return layers;
    }

    Tensor input() {
        return x;
    }

    /** MSE targets [batch, out]; null for cross-entropy. */
    Tensor realTargets() {
        return workload.crossEntropy() ? null : y;
    }

    /** Class indices [batch]; null for MSE. */
    Tensor classTargets() {
        return workload.crossEntropy() ? y : null;
    }
}
