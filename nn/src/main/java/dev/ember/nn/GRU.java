package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * A stacked gated recurrent unit layer over whole sequences (PyTorch's {@code nn.GRU}), with PyTorch's gate
 * order r, z, n and n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)) (see {@link GRUCell}). Input
 * {@code [seq, batch, input]} ({@code [batch, seq, input]} with batchFirst, or unbatched {@code [seq, input]}); the optional initial state
 * {@code h0 [layers * directions, batch, hidden]} (null: zeros). {@link #forward(Tensor, Tensor)} returns the output
 * sequence and the final state ({@link RnnOutput}); the Module's {@link #forward(Tensor)} returns the output alone.
 * Parameters and initialisation as in {@link RNNBase}.
 *
 * <pre>{@code
 * GRU gru = new GRU(10, 20, RecurrentOptions.DEFAULT.bidirectional(true));
 * RnnOutput out = gru.forward(Ember.randn(5, 3, 10), null);
 * out.output().shape();    // [5, 3, 40]: both directions' features
 * out.hidden().shape();    // [2, 3, 20]
 * }</pre>
 */
public class GRU extends RNNBase {
    /** One layer, PyTorch's defaults. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.DEFAULT);
    }

    public GRU(int inputSize, int hiddenSize, RecurrentOptions options) {
        super("GRU", inputSize, hiddenSize, options, 3);
    }

    /** The output sequence, from a zero initial state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /** The output sequence and the final hidden state of every layer; h0 null means zeros. */
    public RnnOutput forward(Tensor input, Tensor h0) {
        return Recurrent.gru(this::toString, input, h0, flatWeights(), options(), isTraining());
    }

    /**
     * A packed batch of sequences of different lengths (see {@link PackedSequence}): the output packed alike, and
     * the final hidden state of every layer, each sequence's after its own last step, in the batch's original order;
     * h0 (in that order too) null means zeros. batchFirst does not apply: the packing fixes the layout.
     */
    public PackedRnnOutput forward(PackedSequence input, Tensor h0) {
        return Recurrent.gru(this::toString, input, h0, flatWeights(), options(), isTraining());
    }
}
