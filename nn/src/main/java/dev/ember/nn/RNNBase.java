package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sequence layers {@link RNN}, {@link LSTM} and {@link GRU} share (PyTorch's {@code nn.RNNBase}): sizes,
 * {@link RecurrentOptions}, and the parameters, registered in PyTorch's order under PyTorch's names so that state
 * dicts move between the two: for each layer k, for each direction (the reverse one with the suffix
 * {@code _reverse}), {@code weight_ih_lk [gates * hidden, in_k]}, {@code weight_hh_lk [gates * hidden, h]}, with
 * bias {@code bias_ih_lk}, {@code bias_hh_lk [gates * hidden]}, and for an LSTM with a projection
 * ({@link RecurrentOptions#projSize()} &gt; 0) {@code weight_hr_lk [projSize, hidden]}; h, the size of the hidden state
 * the layer outputs, is projSize with a projection and hidden otherwise, in_0 is the input size and in_k for k > 0
 * is directions * h. Every parameter starts uniform in ±1/√hidden, drawn from the global generator in that order, as
 * PyTorch does, so after the same {@code manualSeed} the weights are PyTorch's.
 *
 * <pre>{@code
 * RNNBase lstm = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true));
 * lstm.namedParameters().keySet();   // [weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l0_reverse, ...]
 * lstm.flatWeights().size();         // 16
 * }</pre>
 *
 * <p>Variable-length batches: pass a {@link PackedSequence} (see {@link dev.ember.nn.utils.PackedSequences}).
 */
public abstract class RNNBase extends Module {
    private static final Logger LOG = LoggerFactory.getLogger(RNNBase.class);

    private final int inputSize;
    private final int hiddenSize;
    private final RecurrentOptions options;
    private final List<Tensor> flatWeights;

    RNNBase(String layer, int inputSize, int hiddenSize, RecurrentOptions options, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new ShapeException(layer + ": input_size and hidden_size must be positive, got input_size="
                    + inputSize + ", hidden_size=" + hiddenSize);
        }
        if (options == null) {
            throw new EmberException(layer + ": options are null; pass RecurrentOptions.DEFAULT");
        }
        if (options.projSize() > 0 && gates != 4) {
            throw new EmberException(layer + ": projSize (PyTorch's proj_size) is only supported for LSTM, "
                    + "not RNN or GRU; use RecurrentOptions without projSize");
        }
        if (options.projSize() >= hiddenSize) {
            throw new EmberException(layer + ": projSize=" + options.projSize() + " has to be smaller than "
                    + "hidden_size=" + hiddenSize + " (the projection maps the hidden state to a smaller one)");
        }
        if (options.dropout() > 0 && options.numLayers() == 1) {
            LOG.warn("{}: dropout={} has no effect with num_layers=1: dropout is applied to the outputs of every "
                    + "layer but the last (PyTorch warns the same)", layer, options.dropout());
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        double bound = 1.0 / Math.sqrt(hiddenSize);
        List<Tensor> weights = new ArrayList<>();
        int dirs = options.numDirections();
        int proj = options.projSize();
        int out = proj > 0 ? proj : hiddenSize;
        for (int k = 0; k < options.numLayers(); k++) {
            int in = k == 0 ? inputSize : dirs * out;
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
                weights.add(registerParameter("weight_ih" + suffix,
                        Ember.zeros(gates * hiddenSize, in).uniform_(-bound, bound)));
                weights.add(registerParameter("weight_hh" + suffix,
                        Ember.zeros(gates * hiddenSize, out).uniform_(-bound, bound)));
                if (options.bias()) {
                    weights.add(registerParameter("bias_ih" + suffix,
                            Ember.zeros(gates * hiddenSize).uniform_(-bound, bound)));
                    weights.add(registerParameter("bias_hh" + suffix,
                            Ember.zeros(gates * hiddenSize).uniform_(-bound, bound)));
                }
                if (proj > 0) {
                    weights.add(registerParameter("weight_hr" + suffix,
                            Ember.zeros(proj, hiddenSize).uniform_(-bound, bound)));
                }
            }
        }
        this.flatWeights = Collections.unmodifiableList(weights);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return options.numLayers();
    }

    public RecurrentOptions options() {
        return options;
    }

    /** The size of the projected hidden state (LSTM with a projection), or 0 for none. */
    public int projSize() {
        return options.projSize();
    }

    /**
     * The parameters in PyTorch's order ({@code _flat_weights}): for each layer, for each direction,
     * weight_ih, weight_hh, with bias bias_ih, bias_hh, and with a projection weight_hr; what the functional forms in
     * {@link dev.ember.nn.functional.Recurrent} take.
     */
    public List<Tensor> flatWeights() {
        return flatWeights;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (options.projSize() != 0) {
            sb.append(", proj_size=").append(options.projSize());
        }
        if (options.numLayers() != 1) {
            sb.append(", num_layers=").append(options.numLayers());
        }
        if (!options.bias()) {
            sb.append(", bias=False");
        }
        if (options.batchFirst()) {
            sb.append(", batch_first=True");
        }
        if (options.dropout() != 0) {
            sb.append(", dropout=").append(options.dropout());
        }
        if (options.bidirectional()) {
            sb.append(", bidirectional=True");
        }
        return sb.toString();
    }
}
