package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * A gated recurrent unit cell (PyTorch's {@code nn.GRUCell}), one time step with PyTorch's gate order r, z, n:
 * r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr), z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz),
 * n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)), h' = (1 - z) n + z h. Input {@code [batch, input]} or unbatched
 * {@code [input]}; state {@code [batch, hidden]} or {@code [hidden]}. Parameters and initialisation as in
 * {@link RNNCellBase}, with three gates stacked.
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(10, 20);
 * Tensor h = null;                                  // null: zeros
 * for (int t = 0; t < 6; t++) {
 *     h = cell.forward(Ember.randn(3, 10), h);      // [3, 20]
 * }
 * }</pre>
 */
public class GRUCell extends RNNCellBase {
    /** With biases. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super("GRUCell", inputSize, hiddenSize, bias, 3);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** The next hidden state; hx null means zeros. */
    public Tensor forward(Tensor input, Tensor hx) {
        return Recurrent.gruCell(this::toString, input, hx, weightIh(), weightHh(), biasIh(), biasHh());
    }
}
