#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's recurrent layers (dev.ember.nn: RNNCell, LSTMCell, GRUCell, RNN, LSTM,
GRU): seeded initialisation, forward values and gradients, as PyTorch 1.13 computes them.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_rnn_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides
PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/rnn.json, which the Java test
dev.ember.tests.RecurrentConformanceTest reads: it never needs Python or PyTorch.

The JSON object has two lists. Every layer is described by
  kind      RNNCell, LSTMCell, GRUCell, RNN, LSTM or GRU
  args      input_size, hidden_size, bias, nonlinearity ("tanh" or "relu", RNN and RNNCell only) and, for the
            sequence layers, num_layers, batch_first, bidirectional, dropout, proj_size (LSTM's projection, 0 for none)

"init": one per (layer, seed): torch.manual_seed(seed), then the layer is built in float32 as PyTorch builds it;
  params    its state dict, {name: tensor}, in registration order. Ember, seeded alike, must build the same values.

"cases": one per (layer, inputs), all in float64, in eval mode unless train_seed is set:
  train_seed  absent, or the manual seed set just before the forward in training mode (dropout between layers)
  packed    absent, or the case runs on a packed batch: {"lengths", "enforce_sorted", "data", "batch_sizes",
            "sorted_indices", "unsorted_indices" (null when sorted by the caller)}: the input is
            pack_padded_sequence(input, lengths, batch_first, enforce_sorted) with that data and those indices, the
            layer returns a packed output ("output_data": its data), and "output" is pad_packed_sequence of it (with
            batch_first); the input's gradient is that of the padded input (zero at the padding)
  params    the layer's state dict (PyTorch's seeded initialisation of the case's seed, converted to float64)
  input     the input (for cells [batch, input] or unbatched [input]; for sequence layers per batch_first, or
            unbatched [seq, input])
  h0, c0    the initial state if the case passes one (c0 for LSTM and LSTMCell only); absent means "none" (zeros)
  output    cells: the new hidden state h'; sequence layers: the output sequence
  h_n, c_n  the final states (sequence layers; c_n for LSTM), and for LSTMCell c_n is the new cell state c'
  w_out, w_h, w_c   fixed random weights defining the loss
            L = sum(output * w_out) [+ sum(h_n * w_h)] [+ sum(c_n * w_c)]   (terms for the tensors the case has)
  grads     dL/d of the input, of h0 and c0 if given, and of every parameter, {name: tensor}

A tensor is {"shape", "dtype", "values" (row-major)}; values are written with repr(), which round-trips float64
exactly (float32 values are exact as doubles).
"""

import json
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "rnn.json")


def enc(t):
    t = t.detach()
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "values": [float(v) for v in t.reshape(-1).tolist()]}


def build(kind, args):
    a = dict(args)
    if kind == "RNNCell":
        return nn.RNNCell(a["input_size"], a["hidden_size"], bias=a["bias"], nonlinearity=a["nonlinearity"])
    if kind == "LSTMCell":
        return nn.LSTMCell(a["input_size"], a["hidden_size"], bias=a["bias"])
    if kind == "GRUCell":
        return nn.GRUCell(a["input_size"], a["hidden_size"], bias=a["bias"])
    common = dict(num_layers=a["num_layers"], bias=a["bias"], batch_first=a["batch_first"],
                  bidirectional=a["bidirectional"], dropout=a["dropout"])
    if a["proj_size"]:
        common["proj_size"] = a["proj_size"]
    if kind == "RNN":
        return nn.RNN(a["input_size"], a["hidden_size"], nonlinearity=a["nonlinearity"], **common)
    if kind == "LSTM":
        return nn.LSTM(a["input_size"], a["hidden_size"], **common)
    if kind == "GRU":
        return nn.GRU(a["input_size"], a["hidden_size"], **common)
    raise ValueError(kind)


def cell_args(input_size=5, hidden_size=4, bias=True, nonlinearity="tanh"):
    return dict(input_size=input_size, hidden_size=hidden_size, bias=bias, nonlinearity=nonlinearity)


def seq_args(input_size=5, hidden_size=4, num_layers=2, bias=True, batch_first=False, bidirectional=False,
             nonlinearity="tanh", dropout=0.0, proj_size=0):
    return dict(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers, bias=bias,
                batch_first=batch_first, bidirectional=bidirectional, nonlinearity=nonlinearity, dropout=dropout,
                proj_size=proj_size)


def init_case(kind, args, seed):
    torch.manual_seed(seed)
    m = build(kind, args)
    return {"name": f"{kind}_init_seed{seed}", "kind": kind, "args": args, "seed": seed,
            "params": {k: enc(v) for k, v in m.state_dict().items()}}


def run_case(name, kind, args, seed, seq=4, batch=3, unbatched=False, with_state=False, train_seed=None,
             lengths=None, enforce_sorted=True):
    torch.manual_seed(seed)
    m = build(kind, args).double().train(train_seed is not None)
    cell = kind.endswith("Cell")
    lstm = kind.startswith("LSTM")
    gen = torch.Generator().manual_seed(seed + 1000)

    def randn(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64)

    if cell:
        x = randn(args["input_size"]) if unbatched else randn(batch, args["input_size"])
        state_shape = (args["hidden_size"],) if unbatched else (batch, args["hidden_size"])
    else:
        if unbatched:
            x = randn(seq, args["input_size"])
        elif args["batch_first"]:
            x = randn(batch, seq, args["input_size"])
        else:
            x = randn(seq, batch, args["input_size"])
        dirs = 2 if args["bidirectional"] else 1
        lead = args["num_layers"] * dirs
        state_shape = (lead, args["hidden_size"]) if unbatched else (lead, batch, args["hidden_size"])
    h_shape = state_shape
    if not cell and args["proj_size"]:
        h_shape = state_shape[:-1] + (args["proj_size"],)
    x.requires_grad_()
    h0 = randn(*h_shape).requires_grad_() if with_state else None
    c0 = randn(*state_shape).requires_grad_() if with_state and lstm else None
    layer_input = x
    packed = None
    if lengths is not None:
        packed = pack_padded_sequence(x, lengths, batch_first=args["batch_first"], enforce_sorted=enforce_sorted)
        layer_input = packed

    if train_seed is not None:
        torch.manual_seed(train_seed)
    if cell:
        if lstm:
            h, c = m(x, (h0, c0)) if with_state else m(x)
            output, h_n, c_n = h, None, c
        else:
            output = m(x, h0) if with_state else m(x)
            h_n, c_n = None, None
    else:
        if lstm:
            output, (h_n, c_n) = m(layer_input, (h0, c0)) if with_state else m(layer_input)
        else:
            output, h_n = m(layer_input, h0) if with_state else m(layer_input)
            c_n = None
    output_data = None
    if packed is not None:
        output_data = output.data
        output, _ = pad_packed_sequence(output, batch_first=args["batch_first"])

    w_out = randn(*output.shape)
    loss = (output * w_out).sum()
    case = {"name": name, "kind": kind, "args": args, "seed": seed,
            "params": {k: enc(v) for k, v in m.state_dict().items()}, "input": enc(x),
            "output": enc(output), "w_out": enc(w_out)}
    if train_seed is not None:
        case["train_seed"] = train_seed
    if packed is not None:
        case["packed"] = {"lengths": list(lengths), "enforce_sorted": enforce_sorted, "data": enc(packed.data),
                          "batch_sizes": packed.batch_sizes.tolist(),
                          "sorted_indices": None if packed.sorted_indices is None else packed.sorted_indices.tolist(),
                          "unsorted_indices": None if packed.unsorted_indices is None
                          else packed.unsorted_indices.tolist()}
        case["output_data"] = enc(output_data)
    if h_n is not None:
        w_h = randn(*h_n.shape)
        loss = loss + (h_n * w_h).sum()
        case["h_n"] = enc(h_n)
        case["w_h"] = enc(w_h)
    if c_n is not None:
        w_c = randn(*c_n.shape)
        loss = loss + (c_n * w_c).sum()
        case["c_n"] = enc(c_n)
        case["w_c"] = enc(w_c)
    if h0 is not None:
        case["h0"] = enc(h0)
    if c0 is not None:
        case["c0"] = enc(c0)
    loss.backward()
    grads = {"input": enc(x.grad)}
    if h0 is not None:
        grads["h0"] = enc(h0.grad)
    if c0 is not None:
        grads["c0"] = enc(c0.grad)
    for k, p in m.named_parameters():
        grads[k] = enc(p.grad)
    case["grads"] = grads
    return case


def main():
    inits = [
        init_case("RNNCell", cell_args(), 0),
        init_case("LSTMCell", cell_args(), 1),
        init_case("GRUCell", cell_args(bias=False), 2),
        init_case("RNN", seq_args(nonlinearity="relu"), 3),
        init_case("LSTM", seq_args(), 0),
        init_case("LSTM", seq_args(num_layers=3, bidirectional=True, batch_first=True), 4),
        init_case("GRU", seq_args(bidirectional=True), 5),
        init_case("GRU", seq_args(num_layers=1, bias=False), 6),
        init_case("LSTM", seq_args(num_layers=2, bidirectional=True, proj_size=3), 7),
    ]
    cases = []
    for kind in ["RNNCell", "LSTMCell", "GRUCell"]:
        cases.append(run_case(f"{kind}_with_state", kind, cell_args(), 10, with_state=True))
        cases.append(run_case(f"{kind}_zero_state", kind, cell_args(), 11))
        cases.append(run_case(f"{kind}_unbatched", kind, cell_args(), 12, unbatched=True, with_state=True))
        cases.append(run_case(f"{kind}_no_bias", kind, cell_args(bias=False), 13, with_state=True))
    cases.append(run_case("RNNCell_relu", "RNNCell", cell_args(nonlinearity="relu"), 14, with_state=True))
    for kind in ["RNN", "LSTM", "GRU"]:
        cases.append(run_case(f"{kind}_2layers_seq_first_with_state", kind, seq_args(), 20, with_state=True))
        cases.append(run_case(f"{kind}_2layers_batch_first_zero_state", kind, seq_args(batch_first=True), 21))
        cases.append(run_case(f"{kind}_2layers_batch_first_with_state", kind, seq_args(batch_first=True), 22,
                              with_state=True))
        cases.append(run_case(f"{kind}_2layers_bidirectional", kind, seq_args(bidirectional=True), 23,
                              with_state=True))
        cases.append(run_case(f"{kind}_bidirectional_batch_first", kind,
                              seq_args(bidirectional=True, batch_first=True, num_layers=1), 24))
        cases.append(run_case(f"{kind}_unbatched", kind, seq_args(), 25, unbatched=True, with_state=True))
        cases.append(run_case(f"{kind}_no_bias", kind, seq_args(bias=False), 26, with_state=True))
        cases.append(run_case(f"{kind}_one_step", kind, seq_args(num_layers=1), 27, seq=1))
    cases.append(run_case("RNN_relu_2layers", "RNN", seq_args(nonlinearity="relu"), 28, with_state=True))
    cases.append(run_case("LSTM_3layers_long", "LSTM", seq_args(num_layers=3), 29, seq=9, batch=2,
                          with_state=True))
    cases.append(run_case("LSTM_dropout_training", "LSTM", seq_args(num_layers=3, dropout=0.4), 30, seq=5,
                          with_state=True, train_seed=31))
    cases.append(run_case("GRU_dropout_bidirectional_batch_first", "GRU",
                          seq_args(bidirectional=True, batch_first=True, dropout=0.5), 32, train_seed=33))
    cases.append(run_case("RNN_dropout_unbatched", "RNN", seq_args(dropout=0.3), 34, unbatched=True,
                          train_seed=35))
    # LSTM projections (proj_size)
    cases.append(run_case("LSTM_proj_2layers_with_state", "LSTM", seq_args(proj_size=2), 40, with_state=True))
    cases.append(run_case("LSTM_proj_bidirectional_batch_first", "LSTM",
                          seq_args(proj_size=3, bidirectional=True, batch_first=True), 41, with_state=True))
    cases.append(run_case("LSTM_proj_unbatched_no_bias", "LSTM", seq_args(proj_size=1, bias=False), 42,
                          unbatched=True, with_state=True))
    cases.append(run_case("LSTM_proj_dropout_training", "LSTM", seq_args(proj_size=2, num_layers=3, dropout=0.5), 43,
                          train_seed=44))
    # packed batches of different lengths
    cases.append(run_case("LSTM_packed_sorted_with_state", "LSTM", seq_args(), 50, seq=5, batch=4,
                          with_state=True, lengths=[5, 3, 3, 1]))
    cases.append(run_case("GRU_packed_unsorted_bidirectional_batch_first", "GRU",
                          seq_args(bidirectional=True, batch_first=True), 51, seq=5, batch=3, lengths=[2, 5, 3],
                          enforce_sorted=False))
    cases.append(run_case("RNN_packed_unsorted_ties_with_state", "RNN", seq_args(nonlinearity="relu"), 52, seq=4,
                          batch=4, with_state=True, lengths=[3, 1, 4, 4], enforce_sorted=False))
    cases.append(run_case("LSTM_packed_proj_bidirectional_dropout", "LSTM",
                          seq_args(proj_size=2, bidirectional=True, dropout=0.4), 53, seq=6, batch=5,
                          with_state=True, lengths=[4, 6, 1, 6, 2], enforce_sorted=False, train_seed=54))
    cases.append(run_case("GRU_packed_already_sorted_unsorted_flag", "GRU", seq_args(num_layers=1), 55, seq=3,
                          batch=2, lengths=[3, 2], enforce_sorted=False))
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "init": inits, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(inits)} init and {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
