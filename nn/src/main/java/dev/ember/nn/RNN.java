package dev.ember.nn;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * A stacked Elman RNN over whole sequences (PyTorch's {@code nn.RNN}): at every step of every layer,
 * h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh) (or relu). Input {@code [seq, batch, input]}
 * ({@code [batch, seq, input]} with batchFirst, or unbatched {@code [seq, input]}); the optional initial state
 * {@code h0 [layers * directions, batch, hidden]} (null: zeros). {@link #forward(Tensor, Tensor)} returns the output
 * sequence and the final state ({@link RnnOutput}); the Module's {@link #forward(Tensor)} returns the output alone.
 * Parameters and initialisation as in {@link RNNBase}.
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * RNN rnn = new RNN(10, 20, RnnNonlinearity.TANH, RecurrentOptions.DEFAULT.numLayers(2).batchFirst(true));
 * RnnOutput out = rnn.forward(Ember.randn(3, 5, 10), null);  // batch 3, 5 steps
 * out.output().shape();                                      // [3, 5, 20]
 * out.hidden().shape();                                      // [2, 3, 20]
 * }</pre>
 */
public class RNN extends RNNBase {
    private final RnnNonlinearity nonlinearity;

    /** One layer, tanh, PyTorch's defaults. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RnnNonlinearity.TANH, RecurrentOptions.DEFAULT);
    }

    /** Tanh, with the given options. */
    public RNN(int inputSize, int hiddenSize, RecurrentOptions options) {
        this(inputSize, hiddenSize, RnnNonlinearity.TANH, options);
    }

    public RNN(int inputSize, int hiddenSize, RnnNonlinearity nonlinearity, RecurrentOptions options) {
        super("RNN", inputSize, hiddenSize, options, 1);
        if (nonlinearity == null) {
            throw new EmberException("RNN: the nonlinearity must be RnnNonlinearity.TANH or RELU, not null");
        }
        this.nonlinearity = nonlinearity;
    }

    public RnnNonlinearity nonlinearity() {
        return nonlinearity;
    }

    /** The output sequence, from a zero initial state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /** The output sequence and the final hidden state of every layer; h0 null means zeros. */
    public RnnOutput forward(Tensor input, Tensor h0) {
        return Recurrent.rnn(this::toString, input, h0, flatWeights(), nonlinearity, options(), isTraining());
    }

    /**
     * A packed batch of sequences of different lengths (see {@link PackedSequence}): the output packed alike, and
     * the final hidden state of every layer, each sequence's after its own last step, in the batch's original order;
     * h0 (in that order too) null means zeros. batchFirst does not apply: the packing fixes the layout.
     */
    public PackedRnnOutput forward(PackedSequence input, Tensor h0) {
        return Recurrent.rnn(this::toString, input, h0, flatWeights(), nonlinearity, options(), isTraining());
    }
}
