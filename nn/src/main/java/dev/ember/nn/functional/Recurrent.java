package dev.ember.nn.functional;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.LstmOutput;
import dev.ember.nn.LstmState;
import dev.ember.nn.PackedLstmOutput;
import dev.ember.nn.PackedRnnOutput;
import dev.ember.nn.PackedSequence;
import dev.ember.nn.RecurrentOptions;
import dev.ember.nn.RnnNonlinearity;
import dev.ember.nn.RnnOutput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The functional forms of the recurrent layers: one step of an Elman RNN, LSTM or GRU cell, and whole sequences
 * through stacked (and optionally bidirectional) layers, with PyTorch's formulas and gate order and the weights
 * passed in explicitly. Everything is composed of Tensor ops (matmul, add, sigmoid, tanh, narrow, select, stack,
 * cat), so reverse mode, higher-order gradients and forward mode all work through them.
 *
 * <pre>{@code
 * int in = 3, hidden = 4;
 * Tensor wIh = Ember.randn(4 * hidden, in), wHh = Ember.randn(4 * hidden, hidden);
 * Tensor bIh = Ember.zeros(4 * hidden), bHh = Ember.zeros(4 * hidden);
 * LstmState s = Recurrent.lstmCell(Ember.randn(2, in), null, wIh, wHh, bIh, bHh);   // s.hidden(): [2, 4]
 * LstmOutput seq = Recurrent.lstm(Ember.randn(5, 2, in), null, List.of(wIh, wHh, bIh, bHh),
 *         RecurrentOptions.DEFAULT, true);                                          // seq.output(): [5, 2, 4]
 * }</pre>
 *
 * <p>Formulas (PyTorch's; x the input, h the hidden state, σ the logistic sigmoid; weights are stored
 * {@code [gates * hidden, ...]} with the gates stacked in this order):
 * <ul>
 *   <li>RNN: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu;</li>
 *   <li>LSTM, gates i, f, g, o: i = σ(.), f = σ(.), g = tanh(.), o = σ(.) of the matching slice of
 *       x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = f c + i g; h' = o tanh(c'), or with a projection (projSize &gt; 0)
 *       h' = (o tanh(c')) W_hrᵀ;</li>
 *   <li>GRU, gates r, z, n: r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr), z likewise,
 *       n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)); h' = (1 - z) n + z h.</li>
 * </ul>
 *
 * <p>Sequence functions take the weights as one flat list in PyTorch's order (its {@code _flat_weights}): for each
 * layer, for each direction (forward, then reverse): {@code weight_ih, weight_hh} and, with bias,
 * {@code bias_ih, bias_hh} and, for an LSTM with a projection, {@code weight_hr}. Shapes: input
 * {@code [seq, batch, input]} ({@code [batch, seq, input]} with batchFirst) or unbatched {@code [seq, input]}; states
 * {@code [layers * directions, batch, hidden]} (unbatched {@code [layers * directions, hidden]}; with a projection, h
 * has projSize features). A null state means zeros. Dropout between layers (training only) is
 * {@link Dropouts#dropout}, drawn in PyTorch's order, so after the same seed the masks are PyTorch's.
 *
 * <p>The sequence functions also take a {@link PackedSequence} (a batch of different lengths, PyTorch's packed
 * path): time step t then runs only the batchSizes[t] sequences still going, each sequence's final state is the one
 * after its own last step, and the states are given and returned in the batch's original order. A padded batch runs
 * through the same code, with every batch size equal.
 *
 * <p>The overloads taking a {@code Supplier<String> where} are for layers: errors then name the caller (the layer's
 * description) instead of the function.
 */
public final class Recurrent {
    private Recurrent() {
    }

    /** The recurrent kinds and how many gate blocks their weights stack. */
    private enum Kind {
        RNN_TANH(1, "rnn"), RNN_RELU(1, "rnn"), LSTM(4, "lstm"), GRU(3, "gru");

        final int gates;
        final String label;

        Kind(int gates, String label) {
            this.gates = gates;
            this.label = label;
        }

        static Kind of(RnnNonlinearity nonlinearity) {
            if (nonlinearity == null) {
                throw new EmberException("rnn: the nonlinearity must be RnnNonlinearity.TANH or RELU, not null");
            }
            return nonlinearity == RnnNonlinearity.TANH ? RNN_TANH : RNN_RELU;
        }
    }

    // ---- cells ------------------------------------------------------------------------------------------------

    /** One step of an Elman RNN cell with tanh (PyTorch's {@code rnn_tanh_cell}); hx null means zeros. */
    public static Tensor rnnTanhCell(Tensor input, Tensor hx, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return rnnCell(() -> "rnnTanhCell", RnnNonlinearity.TANH, input, hx, wIh, wHh, bIh, bHh);
    }

    /** One step of an Elman RNN cell with relu (PyTorch's {@code rnn_relu_cell}); hx null means zeros. */
    public static Tensor rnnReluCell(Tensor input, Tensor hx, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return rnnCell(() -> "rnnReluCell", RnnNonlinearity.RELU, input, hx, wIh, wHh, bIh, bHh);
    }

    /**
     * One step of an Elman RNN cell: input {@code [batch, in]} or unbatched {@code [in]}, hx {@code [batch, hidden]}
     * or {@code [hidden]} (null: zeros), wIh {@code [hidden, in]}, wHh {@code [hidden, hidden]}, biases
     * {@code [hidden]} or both null. Errors name {@code where.get()}.
     */
    public static Tensor rnnCell(Supplier<String> where, RnnNonlinearity nonlinearity, Tensor input, Tensor hx,
                                 Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return cell(where, Kind.of(nonlinearity), input, hx, null, wIh, wHh, bIh, bHh)[0];
    }

    /** One step of an LSTM cell (PyTorch's {@code lstm_cell}); state null means zeros. */
    public static LstmState lstmCell(Tensor input, LstmState state, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return lstmCell(() -> "lstmCell", input, state, wIh, wHh, bIh, bHh);
    }

    /**
     * One step of an LSTM cell: input {@code [batch, in]} or {@code [in]}, state {@code (h, c)} each
     * {@code [batch, hidden]} or {@code [hidden]} (null: zeros), wIh {@code [4 hidden, in]}, wHh
     * {@code [4 hidden, hidden]}, biases {@code [4 hidden]} or both null. Errors name {@code where.get()}.
     */
    public static LstmState lstmCell(Supplier<String> where, Tensor input, LstmState state, Tensor wIh, Tensor wHh,
                                     Tensor bIh, Tensor bHh) {
        Tensor[] hc = cell(where, Kind.LSTM, input, state == null ? null : state.hidden(),
                state == null ? null : state.cell(), wIh, wHh, bIh, bHh);
        return new LstmState(hc[0], hc[1]);
    }

    /** One step of a GRU cell (PyTorch's {@code gru_cell}); hx null means zeros. */
    public static Tensor gruCell(Tensor input, Tensor hx, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return gruCell(() -> "gruCell", input, hx, wIh, wHh, bIh, bHh);
    }

    /**
     * One step of a GRU cell: input {@code [batch, in]} or {@code [in]}, hx {@code [batch, hidden]} or
     * {@code [hidden]} (null: zeros), wIh {@code [3 hidden, in]}, wHh {@code [3 hidden, hidden]}, biases
     * {@code [3 hidden]} or both null. Errors name {@code where.get()}.
     */
    public static Tensor gruCell(Supplier<String> where, Tensor input, Tensor hx, Tensor wIh, Tensor wHh, Tensor bIh,
                                 Tensor bHh) {
        return cell(where, Kind.GRU, input, hx, null, wIh, wHh, bIh, bHh)[0];
    }

    private static Tensor[] cell(Supplier<String> where, Kind kind, Tensor input, Tensor hx, Tensor cx, Tensor wIh,
                                 Tensor wHh, Tensor bIh, Tensor bHh) {
        int[] sizes = checkCellWeights(where, kind, wIh, wHh, bIh, bHh);
        int inputSize = sizes[0];
        int hidden = sizes[1];
        DType dtype = wIh.dtype();
        if (input == null) {
            throw new EmberException(where.get() + ": the input is null");
        }
        if (input.dim() != 1 && input.dim() != 2) {
            throw new ShapeException(where.get() + " got input of shape " + s(input) + ": expected a 2-D tensor "
                    + "[batch, " + inputSize + "] or an unbatched 1-D tensor [" + inputSize + "], but it is "
                    + input.dim() + "-D; a sequence layer (RNN, LSTM, GRU) takes whole sequences");
        }
        if (input.size(-1) != inputSize) {
            throw new ShapeException(where.get() + " got input of shape " + s(input) + ": its last dimension must be "
                    + "input_size=" + inputSize);
        }
        checkDType(where, "input", input, dtype);
        boolean batched = input.dim() == 2;
        int batch = batched ? input.size(0) : 1;
        int[] stateShape = batched ? new int[] {batch, hidden} : new int[] {hidden};
        String[] stateNames = kind == Kind.LSTM ? new String[] {"hidden state h", "cell state c"} : new String[] {"hx"};
        Tensor[] states = kind == Kind.LSTM ? new Tensor[] {hx, cx} : new Tensor[] {hx};
        for (int k = 0; k < states.length; k++) {
            Tensor st = states[k];
            if (st == null) {
                states[k] = Ember.zeros(dtype, batch, hidden);   // unbatched: a batch of one, squeezed at the end
                continue;
            }
            if (!Arrays.equals(st.shape(), stateShape)) {
                throw new ShapeException(where.get() + " got input of shape " + s(input) + " and " + stateNames[k]
                        + " of shape " + s(st) + ": expected the state to be " + Arrays.toString(stateShape)
                        + (batched ? " ([batch, hidden_size], with the input's batch size)"
                        : " (an unbatched input takes an unbatched state [hidden_size])")
                        + "; pass no state for zeros");
            }
            checkDType(where, stateNames[k], st, dtype);
            states[k] = batched ? st : st.unsqueeze(0);
        }
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor gi = x.matmul(wIh.t());
        if (bIh != null) {
            gi = gi.add(bIh);
        }
        Tensor[] out = step(kind, gi, states[0], kind == Kind.LSTM ? states[1] : null, wHh.t(), bHh, null, hidden);
        if (!batched) {
            for (int k = 0; k < out.length; k++) {
                if (out[k] != null) {
                    out[k] = out[k].squeeze(0);
                }
            }
        }
        return out;
    }

    /**
     * One time step: gi is x W_ihᵀ + b_ih (for RNN and LSTM possibly with b_hh already added, then bHh is null),
     * h and c the state [batch, h] and [batch, hidden], whhT W_hhᵀ, whrT the LSTM's projection W_hrᵀ or null.
     * Returns {h', c'} (c' null except for LSTM).
     */
    private static Tensor[] step(Kind kind, Tensor gi, Tensor h, Tensor c, Tensor whhT, Tensor bHh, Tensor whrT,
                                 int hidden) {
        Tensor gh = h.matmul(whhT);
        if (bHh != null) {
            gh = gh.add(bHh);
        }
        switch (kind) {
            case RNN_TANH:
                return new Tensor[] {gi.add(gh).tanh(), null};
            case RNN_RELU:
                return new Tensor[] {gi.add(gh).relu(), null};
            case LSTM: {
                Tensor gates = gi.add(gh);
                Tensor i = gates.narrow(1, 0, hidden).sigmoid();
                Tensor f = gates.narrow(1, hidden, hidden).sigmoid();
                Tensor g = gates.narrow(1, 2 * hidden, hidden).tanh();
                Tensor o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
                Tensor c2 = f.mul(c).add(i.mul(g));
                Tensor h2 = o.mul(c2.tanh());
                return new Tensor[] {whrT == null ? h2 : h2.matmul(whrT), c2};
            }
            case GRU: {
                Tensor r = gi.narrow(1, 0, hidden).add(gh.narrow(1, 0, hidden)).sigmoid();
                Tensor z = gi.narrow(1, hidden, hidden).add(gh.narrow(1, hidden, hidden)).sigmoid();
                Tensor n = gi.narrow(1, 2 * hidden, hidden).add(r.mul(gh.narrow(1, 2 * hidden, hidden))).tanh();
                return new Tensor[] {n.add(z.mul(h.sub(n))), null};
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    // ---- sequences --------------------------------------------------------------------------------------------

    /** An Elman RNN over a sequence (PyTorch's {@code _VF.rnn_tanh}/{@code rnn_relu}); h0 null means zeros. */
    public static RnnOutput rnn(Tensor input, Tensor h0, List<Tensor> weights, RnnNonlinearity nonlinearity,
                                RecurrentOptions options, boolean training) {
        return rnn(() -> "rnn", input, h0, weights, nonlinearity, options, training);
    }

    /** {@link #rnn(Tensor, Tensor, List, RnnNonlinearity, RecurrentOptions, boolean)} with errors naming where. */
    public static RnnOutput rnn(Supplier<String> where, Tensor input, Tensor h0, List<Tensor> weights,
                                RnnNonlinearity nonlinearity, RecurrentOptions options, boolean training) {
        Tensor[] r = sequence(where, Kind.of(nonlinearity), input, h0, null, weights, options, training);
        return new RnnOutput(r[0], r[1]);
    }

    /** An Elman RNN over a packed batch of sequences; h0 (in the batch's original order) null means zeros. */
    public static PackedRnnOutput rnn(PackedSequence input, Tensor h0, List<Tensor> weights,
                                      RnnNonlinearity nonlinearity, RecurrentOptions options, boolean training) {
        return rnn(() -> "rnn", input, h0, weights, nonlinearity, options, training);
    }

    /** {@link #rnn(PackedSequence, Tensor, List, RnnNonlinearity, RecurrentOptions, boolean)} naming where. */
    public static PackedRnnOutput rnn(Supplier<String> where, PackedSequence input, Tensor h0, List<Tensor> weights,
                                      RnnNonlinearity nonlinearity, RecurrentOptions options, boolean training) {
        Tensor[] r = packed(where, Kind.of(nonlinearity), input, h0, null, weights, options, training);
        return new PackedRnnOutput(input.withData(r[0]), r[1]);
    }

    /** An LSTM over a sequence (PyTorch's {@code _VF.lstm}); state null means zeros. */
    public static LstmOutput lstm(Tensor input, LstmState state, List<Tensor> weights, RecurrentOptions options,
                                  boolean training) {
        return lstm(() -> "lstm", input, state, weights, options, training);
    }

    /** {@link #lstm(Tensor, LstmState, List, RecurrentOptions, boolean)} with errors naming where. */
    public static LstmOutput lstm(Supplier<String> where, Tensor input, LstmState state, List<Tensor> weights,
                                  RecurrentOptions options, boolean training) {
        Tensor[] r = sequence(where, Kind.LSTM, input, state == null ? null : state.hidden(),
                state == null ? null : state.cell(), weights, options, training);
        return new LstmOutput(r[0], r[1], r[2]);
    }

    /** An LSTM over a packed batch of sequences; state (in the batch's original order) null means zeros. */
    public static PackedLstmOutput lstm(PackedSequence input, LstmState state, List<Tensor> weights,
                                        RecurrentOptions options, boolean training) {
        return lstm(() -> "lstm", input, state, weights, options, training);
    }

    /** {@link #lstm(PackedSequence, LstmState, List, RecurrentOptions, boolean)} with errors naming where. */
    public static PackedLstmOutput lstm(Supplier<String> where, PackedSequence input, LstmState state,
                                        List<Tensor> weights, RecurrentOptions options, boolean training) {
        Tensor[] r = packed(where, Kind.LSTM, input, state == null ? null : state.hidden(),
                state == null ? null : state.cell(), weights, options, training);
        return new PackedLstmOutput(input.withData(r[0]), r[1], r[2]);
    }

    /** A GRU over a sequence (PyTorch's {@code _VF.gru}); h0 null means zeros. */
    public static RnnOutput gru(Tensor input, Tensor h0, List<Tensor> weights, RecurrentOptions options,
                                boolean training) {
        return gru(() -> "gru", input, h0, weights, options, training);
    }

    /** {@link #gru(Tensor, Tensor, List, RecurrentOptions, boolean)} with errors naming where. */
    public static RnnOutput gru(Supplier<String> where, Tensor input, Tensor h0, List<Tensor> weights,
                                RecurrentOptions options, boolean training) {
        Tensor[] r = sequence(where, Kind.GRU, input, h0, null, weights, options, training);
        return new RnnOutput(r[0], r[1]);
    }

    /** A GRU over a packed batch of sequences; h0 (in the batch's original order) null means zeros. */
    public static PackedRnnOutput gru(PackedSequence input, Tensor h0, List<Tensor> weights, RecurrentOptions options,
                                      boolean training) {
        return gru(() -> "gru", input, h0, weights, options, training);
    }

    /** {@link #gru(PackedSequence, Tensor, List, RecurrentOptions, boolean)} with errors naming where. */
    public static PackedRnnOutput gru(Supplier<String> where, PackedSequence input, Tensor h0, List<Tensor> weights,
                                      RecurrentOptions options, boolean training) {
        Tensor[] r = packed(where, Kind.GRU, input, h0, null, weights, options, training);
        return new PackedRnnOutput(input.withData(r[0]), r[1]);
    }

    /** A padded (or unbatched) sequence: returns {output, h_n, c_n (LSTM only, else null)}. */
    private static Tensor[] sequence(Supplier<String> where, Kind kind, Tensor input, Tensor h0, Tensor c0,
                                     List<Tensor> weights, RecurrentOptions options, boolean training) {
        Sizes sizes = checkSequenceWeights(where, kind, weights, options);
        DType dtype = weights.get(0).dtype();
        if (input == null) {
            throw new EmberException(where.get() + ": the input is null");
        }
        String layout = options.batchFirst() ? "[batch, seq_len, " + sizes.input + "] (batchFirst)"
                : "[seq_len, batch, " + sizes.input + "]";
        if (input.dim() != 2 && input.dim() != 3) {
            throw new ShapeException(where.get() + " got input of shape " + s(input) + ": expected a 3-D tensor "
                    + layout + " or an unbatched 2-D tensor [seq_len, " + sizes.input + "], but it is " + input.dim()
                    + "-D");
        }
        if (input.size(-1) != sizes.input) {
            throw new ShapeException(where.get() + " got input of shape " + s(input) + ": its last dimension must be "
                    + "input_size=" + sizes.input + " (the layout is " + layout + ")");
        }
        checkDType(where, "input", input, dtype);
        boolean batched = input.dim() == 3;
        int batchDim = options.batchFirst() ? 0 : 1;
        Tensor x = batched ? input : input.unsqueeze(batchDim);
        if (options.batchFirst()) {
            x = x.transpose(0, 1);
        }
        int steps = x.size(0);
        int batch = x.size(1);
        if (steps == 0) {
            throw new ShapeException(where.get() + " got input of shape " + s(input) + ": the sequence is empty "
                    + "(length 0 in the sequence dimension of " + layout + "); pass at least one time step");
        }
        Tensor[] states = checkStates(where, kind, "input of shape " + s(input), h0, c0, sizes, options, batch,
                batched, dtype);
        int[] batchSizes = new int[steps];
        Arrays.fill(batchSizes, batch);
        Tensor[] r = layers(kind, x.reshape(steps * batch, sizes.input), batchSizes, states[0], states[1], weights,
                options, training, sizes);
        Tensor output = r[0].view(steps, batch, r[0].size(1));
        if (options.batchFirst()) {
            output = output.transpose(0, 1);
        }
        if (!batched) {
            return new Tensor[] {output.squeeze(batchDim), r[1].squeeze(1), r[2] == null ? null : r[2].squeeze(1)};
        }
        return new Tensor[] {output, r[1], r[2]};
    }

    /**
     * A packed batch (PyTorch's RNN forward on a PackedSequence): the states are given and returned in the batch's
     * original order, and run in the packed (decreasing length) order. Returns {output data, h_n, c_n or null}.
     */
    private static Tensor[] packed(Supplier<String> where, Kind kind, PackedSequence input, Tensor h0, Tensor c0,
                                   List<Tensor> weights, RecurrentOptions options, boolean training) {
        Sizes sizes = checkSequenceWeights(where, kind, weights, options);
        DType dtype = weights.get(0).dtype();
        if (input == null) {
            throw new EmberException(where.get() + ": the input is null");
        }
        Tensor data = input.data();
        if (data.dim() != 2 || data.size(1) != sizes.input) {
            throw new ShapeException(where.get() + " got a packed sequence with data of shape " + s(data)
                    + ": expected [total length, input_size=" + sizes.input + "]");
        }
        checkDType(where, "input", data, dtype);
        int[] batchSizes = input.batchSizesArray();
        String described = "a packed batch of " + batchSizes[0] + " sequences (data " + s(data) + ")";
        Tensor[] states = checkStates(where, kind, described, h0, c0, sizes, options, batchSizes[0], true, dtype);
        Tensor sorted = input.sortedIndices();
        if (sorted != null) {
            for (int k = 0; k < 2; k++) {
                states[k] = states[k] == null ? null : states[k].indexSelect(1, sorted);
            }
        }
        Tensor[] r = layers(kind, data, batchSizes, states[0], states[1], weights, options, training, sizes);
        Tensor unsorted = input.unsortedIndices();
        if (unsorted != null) {
            r[1] = r[1].indexSelect(1, unsorted);
            r[2] = r[2] == null ? null : r[2].indexSelect(1, unsorted);
        }
        return r;
    }

    /**
     * The initial states, checked (shape, dtype) or zeros: h [layers * directions, batch, h] (h the output size:
     * projSize or hidden), c [layers * directions, batch, hidden] for LSTM (else null); unbatched states get their
     * batch dimension of 1.
     */
    private static Tensor[] checkStates(Supplier<String> where, Kind kind, String input, Tensor h0, Tensor c0,
                                        Sizes sizes, RecurrentOptions options, int batch, boolean batched,
                                        DType dtype) {
        int lead = options.numLayers() * options.numDirections();
        Tensor[] states = {h0, c0};
        String[] names = {"h0", "c0"};
        int[] widths = {sizes.output, sizes.hidden};
        String[] widthNames = {sizes.output == sizes.hidden ? "hidden_size" : "proj_size", "hidden_size"};
        for (int k = 0; k < (kind == Kind.LSTM ? 2 : 1); k++) {
            Tensor st = states[k];
            if (st == null) {
                states[k] = Ember.zeros(dtype, lead, batch, widths[k]);
                continue;
            }
            int[] shape = batched ? new int[] {lead, batch, widths[k]} : new int[] {lead, widths[k]};
            if (!Arrays.equals(st.shape(), shape)) {
                throw new ShapeException(where.get() + " got " + input + " and " + names[k] + " of shape " + s(st)
                        + ": expected " + names[k] + " to be " + Arrays.toString(shape)
                        + (batched ? " ([num_layers * num_directions, batch, " + widthNames[k] + "])"
                        : " (an unbatched input takes an unbatched state [num_layers * num_directions, "
                        + widthNames[k] + "])") + "; pass no state for zeros");
            }
            checkDType(where, names[k], st, dtype);
            states[k] = batched ? st : st.unsqueeze(1);
        }
        return states;
    }

    /**
     * The stacked layers over packed data [total, input] whose time step t holds batchSizes[t] rows (non-increasing;
     * a padded batch has them all equal), from states h0, c0 [layers * directions, batch, ...]. Dropout between
     * layers draws as PyTorch's. Returns {output data [total, directions * h], h_n, c_n (LSTM only, else null)}.
     */
    private static Tensor[] layers(Kind kind, Tensor data, int[] batchSizes, Tensor h0, Tensor c0,
                                   List<Tensor> weights, RecurrentOptions options, boolean training, Sizes sizes) {
        int layers = options.numLayers();
        int dirs = options.numDirections();
        int perDirection = perDirection(options);
        boolean proj = options.projSize() > 0;
        List<Tensor> lastH = new ArrayList<>(layers * dirs);
        List<Tensor> lastC = new ArrayList<>(layers * dirs);
        Tensor x = data;
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0 && training && options.dropout() > 0) {
                x = Dropouts.dropout(x, options.dropout(), true);
            }
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                int idx = layer * dirs + d;
                int base = idx * perDirection;
                Tensor[] r = direction(kind, x, batchSizes, h0.select(0, idx),
                        kind == Kind.LSTM ? c0.select(0, idx) : null, weights.get(base), weights.get(base + 1),
                        options.bias() ? weights.get(base + 2) : null, options.bias() ? weights.get(base + 3) : null,
                        proj ? weights.get(base + perDirection - 1) : null, d == 1, sizes.hidden);
                outs[d] = r[0];
                lastH.add(r[1]);
                lastC.add(r[2]);
            }
            x = dirs == 1 ? outs[0] : Ember.cat(List.of(outs[0], outs[1]), 1);
        }
        return new Tensor[] {x, Ember.stack(lastH, 0), kind == Kind.LSTM ? Ember.stack(lastC, 0) : null};
    }

    /**
     * One direction of one layer over packed data x [total, in] (PyTorch's PackedLayer and ReversedPackedLayer):
     * forward, the rows of sequences that have ended are set aside as their final states while the batch shrinks;
     * in reverse, the walk starts with the shortest batch and takes in each sequence's initial state as it begins.
     * Returns {outputs [total, h], h_T, c_T} with the final states in batch order.
     */
    private static Tensor[] direction(Kind kind, Tensor x, int[] batchSizes, Tensor h, Tensor c, Tensor wIh,
                                      Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr, boolean reverse, int hidden) {
        int steps = batchSizes.length;
        // The input projection of every step at once (one GEMM), as PyTorch does on the CPU.
        Tensor xp = x.matmul(wIh.t());
        Tensor bhhPerStep = bHh;
        if (bIh != null) {
            // For RNN and LSTM both biases enter the same sum, so they are added once for all steps; GRU needs b_hn
            // inside r * (h W_hnᵀ + b_hn), so b_hh stays in the step.
            xp = xp.add(kind == Kind.GRU ? bIh : bIh.add(bHh));
            bhhPerStep = kind == Kind.GRU ? bHh : null;
        }
        Tensor whhT = wHh.t();
        Tensor whrT = wHr == null ? null : wHr.t();
        Tensor[] outs = new Tensor[steps];
        if (!reverse) {
            List<Tensor> doneH = new ArrayList<>();
            List<Tensor> doneC = new ArrayList<>();
            int offset = 0;
            int last = batchSizes[0];
            for (int t = 0; t < steps; t++) {
                int b = batchSizes[t];
                if (b < last) {
                    doneH.add(0, h.narrow(0, b, last - b));
                    h = h.narrow(0, 0, b);
                    if (c != null) {
                        doneC.add(0, c.narrow(0, b, last - b));
                        c = c.narrow(0, 0, b);
                    }
                }
                last = b;
                Tensor[] hc = step(kind, xp.narrow(0, offset, b), h, c, whhT, bhhPerStep, whrT, hidden);
                offset += b;
                h = hc[0];
                c = hc[1];
                outs[t] = h;
            }
            if (!doneH.isEmpty()) {
                doneH.add(0, h);
                h = Ember.cat(doneH, 0);
                if (c != null) {
                    doneC.add(0, c);
                    c = Ember.cat(doneC, 0);
                }
            }
        } else {
            Tensor h0 = h;
            Tensor c0 = c;
            int offset = x.size(0);
            int last = batchSizes[steps - 1];
            if (last < h0.size(0)) {
                h = h0.narrow(0, 0, last);
                c = c0 == null ? null : c0.narrow(0, 0, last);
            }
            for (int t = steps - 1; t >= 0; t--) {
                int b = batchSizes[t];
                if (b > last) {
                    h = Ember.cat(List.of(h, h0.narrow(0, last, b - last)), 0);
                    c = c0 == null ? null : Ember.cat(List.of(c, c0.narrow(0, last, b - last)), 0);
                }
                last = b;
                Tensor[] hc = step(kind, xp.narrow(0, offset - b, b), h, c, whhT, bhhPerStep, whrT, hidden);
                offset -= b;
                h = hc[0];
                c = hc[1];
                outs[t] = h;
            }
        }
        return new Tensor[] {steps == 1 ? outs[0] : Ember.cat(Arrays.asList(outs), 0), h, c};
    }

    // ---- checks -----------------------------------------------------------------------------------------------

    /** Checks a cell's weights; returns {inputSize, hiddenSize}. */
    private static int[] checkCellWeights(Supplier<String> where, Kind kind, Tensor wIh, Tensor wHh, Tensor bIh,
                                          Tensor bHh) {
        if (wIh == null || wHh == null) {
            throw new EmberException(where.get() + ": the weights weight_ih and weight_hh must not be null");
        }
        if ((bIh == null) != (bHh == null)) {
            throw new EmberException(where.get() + ": pass both biases (bias_ih and bias_hh) or neither, got "
                    + (bIh == null ? "only bias_hh" : "only bias_ih"));
        }
        if (wHh.dim() != 2 || wIh.dim() != 2) {
            throw new ShapeException(where.get() + ": weight_ih and weight_hh must be 2-D, got shapes " + s(wIh)
                    + " and " + s(wHh));
        }
        int hidden = wHh.size(1);
        int inputSize = wIh.size(1);
        checkWeight(where, kind, "weight_ih", wIh, new int[] {kind.gates * hidden, inputSize}, wIh.dtype());
        checkWeight(where, kind, "weight_hh", wHh, new int[] {kind.gates * hidden, hidden}, wIh.dtype());
        if (bIh != null) {
            checkWeight(where, kind, "bias_ih", bIh, new int[] {kind.gates * hidden}, wIh.dtype());
            checkWeight(where, kind, "bias_hh", bHh, new int[] {kind.gates * hidden}, wIh.dtype());
        }
        return new int[] {inputSize, hidden};
    }

    /** The sizes a sequence's weights imply: input, hidden (of the cell state) and output (h: projSize or hidden). */
    private record Sizes(int input, int hidden, int output) {
    }

    /** Weights per direction of a layer: weight_ih, weight_hh [, bias_ih, bias_hh] [, weight_hr]. */
    private static int perDirection(RecurrentOptions options) {
        return (options.bias() ? 4 : 2) + (options.projSize() > 0 ? 1 : 0);
    }

    /** Checks a sequence's options and flat weights. */
    private static Sizes checkSequenceWeights(Supplier<String> where, Kind kind, List<Tensor> weights,
                                              RecurrentOptions options) {
        if (options == null) {
            throw new EmberException(where.get() + ": options are null; pass RecurrentOptions.DEFAULT");
        }
        int proj = options.projSize();
        if (proj > 0 && kind != Kind.LSTM) {
            throw new EmberException(where.get() + ": projSize (PyTorch's proj_size) is only supported for LSTM, not "
                    + "RNN or GRU");
        }
        int perDirection = perDirection(options);
        int expected = options.numLayers() * options.numDirections() * perDirection;
        // not weights.contains(null): List.of throws on that
        boolean hasNull = weights != null && weights.stream().anyMatch(w -> w == null);
        if (weights == null || weights.size() != expected || hasNull) {
            throw new EmberException(where.get() + ": expected " + expected + " weights in PyTorch's order (for each "
                    + "of num_layers=" + options.numLayers() + " layers and " + options.numDirections()
                    + " direction(s): weight_ih, weight_hh" + (options.bias() ? ", bias_ih, bias_hh" : "")
                    + (proj > 0 ? ", weight_hr" : "") + "), got " + (weights == null ? "null"
                    : weights.size() + (hasNull ? " with nulls among them" : "")));
        }
        Tensor w0 = weights.get(0);
        Tensor whh0 = weights.get(1);
        if (w0.dim() != 2 || whh0.dim() != 2) {
            throw new ShapeException(where.get() + ": weight_ih_l0 and weight_hh_l0 must be 2-D, got shapes " + s(w0)
                    + " and " + s(whh0));
        }
        int output = whh0.size(1);
        int hidden = proj > 0 ? whh0.size(0) / kind.gates : output;
        if (proj > 0 && output != proj) {
            throw new ShapeException(where.get() + ": weight_hh_l0 has shape " + s(whh0) + ", expected ["
                    + kind.gates * hidden + ", " + proj + "] (with projSize=" + proj + ", the hidden state has "
                    + proj + " features)");
        }
        int inputSize = w0.size(1);
        DType dtype = w0.dtype();
        int i = 0;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            int layerInput = layer == 0 ? inputSize : options.numDirections() * output;
            for (int d = 0; d < options.numDirections(); d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                checkWeight(where, kind, "weight_ih" + suffix, weights.get(i++),
                        new int[] {kind.gates * hidden, layerInput}, dtype);
                checkWeight(where, kind, "weight_hh" + suffix, weights.get(i++),
                        new int[] {kind.gates * hidden, output}, dtype);
                if (options.bias()) {
                    checkWeight(where, kind, "bias_ih" + suffix, weights.get(i++), new int[] {kind.gates * hidden},
                            dtype);
                    checkWeight(where, kind, "bias_hh" + suffix, weights.get(i++), new int[] {kind.gates * hidden},
                            dtype);
                }
                if (proj > 0) {
                    checkWeight(where, kind, "weight_hr" + suffix, weights.get(i++), new int[] {proj, hidden},
                            dtype);
                }
            }
        }
        return new Sizes(inputSize, hidden, output);
    }

    private static void checkWeight(Supplier<String> where, Kind kind, String name, Tensor w, int[] shape,
                                    DType dtype) {
        if (!Arrays.equals(w.shape(), shape)) {
            boolean gated = kind.gates > 1 && !name.startsWith("weight_hr");
            throw new ShapeException(where.get() + ": " + name + " has shape " + s(w) + ", expected "
                    + Arrays.toString(shape) + (gated ? " (" + kind.label + " stacks " + kind.gates + " gates: "
                    + (kind == Kind.LSTM ? "i, f, g, o" : "r, z, n") + ")" : ""));
        }
        if (!w.dtype().isFloatingPoint() || w.dtype() != dtype) {
            throw new DTypeException(where.get() + ": " + name + " has dtype " + w.dtype() + ", but all weights must "
                    + "share one floating-point dtype (" + dtype + ")");
        }
    }

    private static void checkDType(Supplier<String> where, String what, Tensor t, DType dtype) {
        if (t.dtype() != dtype) {
            throw new DTypeException(where.get() + " got " + what + " of dtype " + t.dtype() + " " + s(t)
                    + ", but its weights are " + dtype + ": convert the " + what + " with .to(DType." + dtype.name()
                    + ")" + (t.dtype().isFloatingPoint() ? ", or the weights (module.to(DType." + t.dtype().name()
                    + "))" : ""));
        }
    }

    private static String s(Tensor t) {
        return Arrays.toString(t.shape());
    }
}
