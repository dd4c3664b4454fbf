package dev.ember.nn;

import dev.ember.Ember;
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
 * {@code _reverse}), {@code weight_ih_lk [gates * hidden, in_k]}, {@code weight_hh_lk [gates * hidden, hidden]} and,
 * with bias, {@code bias_ih_lk}, {@code bias_hh_lk [gates * hidden]}, where in_0 is the input size and in_k for
 * k > 0 is directions * hidden. Every parameter starts uniform in ±1/√hidden, drawn from the global generator in
 * that order, as PyTorch does, so after the same {@code manualSeed} the weights are PyTorch's.
 *
 * <pre>{@code
 * RNNBase lstm = new LSTM(3, 4, RecurrentOptions.DEFAULT.numLayers(2).bidirectional(true));
 * lstm.namedParameters().keySet();   // [weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l0_reverse, ...]
 * lstm.flatWeights().size();         // 16
 * }</pre>
 *
 * <p>Not supported: LSTM projections ({@code proj_size}) and packed (variable-length) sequences.
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
            throw new dev.ember.EmberException(layer + ": options are null; pass RecurrentOptions.DEFAULT");
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
        for (int k = 0; k < options.numLayers(); k++) {
            int in = k == 0 ? inputSize : dirs * hiddenSize;
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
                weights.add(registerParameter("weight_ih" + suffix,
                        Ember.zeros(gates * hiddenSize, in).uniform_(-bound, bound)));
                weights.add(registerParameter("weight_hh" + suffix,
                        Ember.zeros(gates * hiddenSize, hiddenSize).uniform_(-bound, bound)));
                if (options.bias()) {
                    weights.add(registerParameter("bias_ih" + suffix,
                            Ember.zeros(gates * hiddenSize).uniform_(-bound, bound)));
                    weights.add(registerParameter("bias_hh" + suffix,
                            Ember.zeros(gates * hiddenSize).uniform_(-bound, bound)));
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

    /**
     * The parameters in PyTorch's order ({@code _flat_weights}): for each layer, for each direction,
     * weight_ih, weight_hh and, with bias, bias_ih, bias_hh; what the functional forms in
     * {@link dev.ember.nn.functional.Recurrent} take.
     */
    public List<Tensor> flatWeights() {
        return flatWeights;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
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
