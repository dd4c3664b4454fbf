package dev.ember.nn;

/**
 * The nonlinearity of an Elman {@link RNN} or {@link RNNCell}: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), PyTorch's
 * {@code nonlinearity='tanh'} (the default) or {@code 'relu'}.
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(3, 4, true, RnnNonlinearity.RELU);   // PyTorch: nn.RNNCell(3, 4, nonlinearity='relu')
 * }</pre>
 */
public enum RnnNonlinearity {
    TANH,
    RELU;

    /** PyTorch's spelling: {@code tanh} or {@code relu}. */
    public String label() {
        return this == TANH ? "tanh" : "relu";
    }
}
