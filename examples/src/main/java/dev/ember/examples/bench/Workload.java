package dev.ember.examples.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One of PEERS.md's standard workloads: a multi-layer perceptron (Linear layers with one activation between them),
 * a batch size, a loss, and SGD with lr 0.01 and momentum 0.9. {@link Workloads} runs each with Ember and with DL4J.
 *
 * <pre>{@code
 * Workload w = Workload.byName("W2");
 * w.flopsPerStep();   // 6 × 64 × (784·128 + 128·10) = 39,026,688
 * }</pre>
 *
 * @param name      W1, W2 or W3
 * @param widths    layer widths from input to output: Linear(widths[i], widths[i+1]) for each i
 * @param batch     rows per step
 * @param tanh      tanh between the layers when true, ReLU when false
 * @param crossEntropy cross-entropy from logits over integer class targets when true, MSE against real targets
 *                  when false
 * @param stresses  what PEERS.md says the workload stresses
 */
record Workload(String name, int[] widths, int batch, boolean tanh, boolean crossEntropy, String stresses) {
    static final double LR = 0.01;
    static final double MOMENTUM = 0.9;

    static final Workload W1 = new Workload("W1", new int[] {2, 16, 16, 1}, 8, true, false,
            "per-op overhead of the tape and the kernels");
    static final Workload W2 = new Workload("W2", new int[] {784, 128, 10}, 64, false, true,
            "a typical small network (MNIST-shaped)");
    static final Workload W3 = new Workload("W3", new int[] {1024, 2048, 2048, 10}, 256, false, true,
            "GEMM throughput");

    static final List<Workload> ALL = List.of(W1, W2, W3);

    static Workload byName(String name) {
        for (Workload w : ALL) {
            if (w.name.equalsIgnoreCase(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "': use W1, W2 or W3");
    }

    int inputs() {
        return widths[0];
    }

    int outputs() {
        return widths[widths.length - 1];
    }

    /** FLOPs of one training step as PEERS.md counts them: 6 × batch × Σ in×out (forward 2, backward 4). */
    double flopsPerStep() {
        double macs = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            macs += (double) widths[i] * widths[i + 1];
        }
        return 6.0 * batch * macs;
    }

    /** E.g. "Linear 2→16, tanh, Linear 16→16, tanh, Linear 16→1; batch 8; MSE". */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < widths.length; i++) {
            if (i > 0) {
                sb.append(", ").append(tanh ? "tanh" : "ReLU").append(", ");
            }
            sb.append("Linear ").append(widths[i]).append('→').append(widths[i + 1]);
        }
        return String.format(Locale.ROOT, "%s; batch %d; %s", sb, batch,
                crossEntropy ? "cross-entropy from logits" : "MSE");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload w && w.name.equals(name) && Arrays.equals(w.widths, widths) && w.batch == batch
                && w.tanh == tanh && w.crossEntropy == crossEntropy;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(widths);
    }

    @Override
    public String toString() {
        return name + " (" + describe() + ")";
    }
}
