package dev.ember.examples.bench;

/**
 * One framework's side of a {@link Workload} in {@link Workloads}: a model, its data and its optimizer, ready to
 * take full training steps (zero_grad, forward, loss, backward, optimizer step).
 *
 * <pre>{@code
 * Trainer t = EmberTrainer.create(Workload.W1, false);
 * t.step();
 * double loss = t.lastLoss();
 * }</pre>
 */
interface Trainer {
    /** One full training step on the fixed batch. */
    void step();

    /** The loss computed by the last step (before its update), for checks and the report. */
    double lastLoss();
}
