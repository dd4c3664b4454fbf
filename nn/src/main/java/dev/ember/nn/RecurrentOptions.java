package dev.ember.nn;

import dev.ember.EmberException;

/**
 * The options of the sequence layers {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's keyword arguments of
 * {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU}) as an immutable value: start from {@link #DEFAULT} and chain.
 *
 * <pre>{@code
 * RecurrentOptions o = RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true).dropout(0.2);
 * LSTM lstm = new LSTM(10, 20, o);     // PyTorch: nn.LSTM(10, 20, num_layers=2, batch_first=True, dropout=0.2)
 * LSTM projected = new LSTM(10, 20, RecurrentOptions.DEFAULT.projSize(5));   // h of size 5, c of size 20
 * }</pre>
 *
 * @param numLayers     stacked layers (PyTorch's {@code num_layers}, default 1); layer k > 0 reads layer k-1's output
 * @param bias          whether the layers have the biases {@code bias_ih_l*} and {@code bias_hh_l*} (default true)
 * @param batchFirst    input and output are {@code [batch, seq, feature]} instead of {@code [seq, batch, feature]}
 *                      (default false); the hidden state keeps {@code [layers * directions, batch, hidden]} either way
 * @param dropout       probability of zeroing each output of every layer but the last, in training mode only
 *                      (default 0)
 * @param bidirectional whether each layer also runs over the reversed sequence (parameters {@code *_reverse}); the
 *                      output then holds both directions' features side by side (default false)
 * @param projSize      LSTM only: if positive, each layer's hidden state is projected to this size by a weight
 *                      {@code weight_hr_lk [projSize, hidden]} (PyTorch's {@code proj_size}); 0 (default) for none
 */
public record RecurrentOptions(int numLayers, boolean bias, boolean batchFirst, double dropout,
                               boolean bidirectional, int projSize) {
    /** PyTorch's defaults: one layer, biases, sequence first, no dropout, one direction, no projection. */
    public static final RecurrentOptions DEFAULT = new RecurrentOptions(1, true, false, 0.0, false, 0);

    public RecurrentOptions {
        if (numLayers < 1) {
            throw new EmberException("RecurrentOptions: numLayers must be at least 1, got " + numLayers);
        }
        if (!(dropout >= 0.0 && dropout <= 1.0)) {
            throw new EmberException("RecurrentOptions: dropout must be a probability in [0, 1] (of an element "
                    + "being zeroed), got " + dropout);
        }
        if (projSize < 0) {
            throw new EmberException("RecurrentOptions: projSize must be positive, or 0 to disable projections, got "
                    + projSize);
        }
    }

    public RecurrentOptions numLayers(int v) {
        return new RecurrentOptions(v, bias, batchFirst, dropout, bidirectional, projSize);
    }

    public RecurrentOptions bias(boolean v) {
        return new RecurrentOptions(numLayers, v, batchFirst, dropout, bidirectional, projSize);
    }

    public RecurrentOptions batchFirst(boolean v) {
        return new RecurrentOptions(numLayers, bias, v, dropout, bidirectional, projSize);
    }

    public RecurrentOptions dropout(double v) {
        return new RecurrentOptions(numLayers, bias, batchFirst, v, bidirectional, projSize);
    }

    public RecurrentOptions bidirectional(boolean v) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, v, projSize);
    }

    /** LSTM only: the size of the projected hidden state (0: no projection). */
    public RecurrentOptions projSize(int v) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, v);
    }

    /** 2 if bidirectional, else 1. */
    public int numDirections() {
        return bidirectional ? 2 : 1;
    }
}
