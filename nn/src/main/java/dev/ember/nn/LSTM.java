package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Recurrent;

/**
 * A stacked long short-term memory layer over whole sequences (PyTorch's {@code nn.LSTM}), with PyTorch's gate order
 * i, f, g, o (see {@link LSTMCell}). Input {@code [seq, batch, input]} ({@code [batch, seq, input]} with batchFirst,
 * or unbatched {@code [seq, input]}); the optional initial state {@link LstmState} holds h0 and c0, each
 * {@code [layers * directions, batch, hidden]} (null: zeros). {@link #forward(Tensor, LstmState)} returns the output
 * sequence and the final states ({@link LstmOutput}); the Module's {@link #forward(Tensor)} returns the output
 * alone. Parameters and initialisation as in {@link RNNBase}.
 *
 * <p>With {@link RecurrentOptions#projSize()} &gt; 0 (PyTorch's {@code proj_size}), each layer projects its hidden
 * state, h_t = (o_t ⊙ tanh(c_t)) W_hrᵀ, so h (the output, h0 and h_n) has projSize features while c keeps hidden.
 * Batches of sequences of different lengths go in as a {@link PackedSequence}
 * ({@link #forward(PackedSequence, LstmState)}).
 *
 * <p>Truncated backpropagation through time: carry the state from chunk to chunk, detached, so each backward pass
 * stops at the chunk's start.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(1, 16, RecurrentOptions.DEFAULT.batchFirst(true));
 * Tensor series = Ember.randn(8, 60, 1);
 * LstmState state = null;
 * for (Tensor chunk : series.split(10, 1)) {          // each [8, 10, 1]
 *     LstmOutput out = lstm.forward(chunk, state);
 *     Tensor loss = out.output().pow(2).mean();       // the real loss here
 *     loss.backward();                                // ... and an optimizer step
 *     state = out.state().detach();
 * }
 * }</pre>
 */
public class LSTM extends RNNBase {
    /** One layer, PyTorch's defaults. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.DEFAULT);
    }

    public LSTM(int inputSize, int hiddenSize, RecurrentOptions options) {
        super("LSTM", inputSize, hiddenSize, options, 4);
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /** The output sequence and the final hidden and cell states of every layer; state null means zeros. */
    public LstmOutput forward(Tensor input, LstmState state) {
        return Recurrent.lstm(this::toString, input, state, flatWeights(), options(), isTraining());
    }

    /**
     * A packed batch of sequences of different lengths (see {@link PackedSequence}): the output packed alike, and
     * the final states of every layer, each sequence's after its own last step, in the batch's original order;
     * state (in that order too) null means zeros. batchFirst does not apply: the packing fixes the layout.
     */
    public PackedLstmOutput forward(PackedSequence input, LstmState state) {
        return Recurrent.lstm(this::toString, input, state, flatWeights(), options(), isTraining());
    }
}
