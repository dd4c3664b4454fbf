package dev.ember.cli;

import dev.ember.Tensor;
import dev.ember.nn.GRU;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.RecurrentOptions;

/**
 * A recurrent classifier of images: each image {@code [channels, height, width]} is read as a sequence of
 * {@code height} rows of {@code channels × width} features by a one-layer GRU, and a linear layer classifies the
 * final hidden state (the "row-by-row MNIST" of the RNN literature).
 *
 * <pre>{@code
 * RowRnn rnn = new RowRnn(28, 64, 10);
 * Tensor logits = rnn.forward(Ember.randn(32, 1, 28, 28));   // [32, 10]
 * }</pre>
 */
public final class RowRnn extends Module {
    private final GRU gru;
    private final Linear head;

    /** A GRU over rows of {@code rowFeatures} values with {@code hidden} units, and a head to {@code classes}. */
    public RowRnn(int rowFeatures, int hidden, int classes) {
        this.gru = registerModule("gru", new GRU(rowFeatures, hidden, RecurrentOptions.DEFAULT.batchFirst(true)));
        this.head = registerModule("head", new Linear(hidden, classes));
    }

    /** Logits {@code [batch, classes]} for images {@code [batch, channels, height, width]}. */
    @Override
    public Tensor forward(Tensor images) {
        int n = images.size(0);
        int rows = images.size(2);
        Tensor sequence = images.permute(0, 2, 1, 3).reshape(n, rows, images.size(1) * images.size(3));
        Tensor last = gru.forward(sequence, null).hidden().squeeze(0);   // [1, batch, hidden] -> [batch, hidden]
        return head.forward(last);
    }
}
