#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's general layers, initialisers and utilities (dev.ember.nn: Linear,
Identity, Flatten, Sequential, the activation modules, Dropout, Embedding, LayerNorm, BatchNorm1d/2d;
dev.ember.nn.init; dev.ember.nn.utils), as PyTorch 1.13 computes them.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_layer_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides
PyTorch 1.13.1; its CPU build has no MKL, which decides how bernoulli_, and so dropout, draws). It writes
tests/src/test/resources/fixtures/layers.json, which dev.ember.tests.LayerConformanceTest reads: the Java test
never needs Python or PyTorch.

The JSON object has four lists.

"init": the values each layer starts with, and each initialiser draws, after torch.manual_seed(seed):
  name     unique; the Java test runs the same steps, named by it
  seed     the manual seed
  values   {label: tensor} in the order the steps ran (float32, as PyTorch's defaults)
  gains    (only in case "gains") {nonlinearity: calculate_gain value}

"layers": one module on fixed inputs:
  name, layer (which module: linear, relu, ..., batch_norm2d), args (its constructor arguments, PyTorch's names)
  dtype    float64 or float32: the module's and the inputs' dtype
  train    whether the module is in training mode
  seed     null, or the manual seed set just before the forwards (dropout)
  state    {name: tensor}: every parameter and buffer before the forwards (loaded with a strict load_state_dict)
  inputs   the inputs of successive forward calls (all require grad, except int64 indices)
  outputs  the outputs
  weights  fixed random weights w_i: the loss is sum_i (output_i * w_i).sum()
  grads    {"input<i>": gradient of input i, "<parameter name>": the parameter's gradient}
  state_after  {name: tensor}: every buffer after the forwards (running statistics, batch counts)
  params_after (only where a forward changes parameters: embedding with max_norm) {name: tensor}: every parameter
           after the forwards
  next_rand    null, or torch.rand(3) drawn after the forwards (shows where the generator stands)

"clip": gradient clipping on fixed gradients:
  name, op (clip_grad_norm_ or clip_grad_value_), args (max_norm, norm_type, clip_value), dtype
  grads    the gradients before (one per parameter); after: the gradients after; total: the returned norm

Tensors are {"shape", "dtype", "values" (row-major)}; inputs, parameters and weights are rounded to three decimals
(short JSON, exactly the values both sides use). float32 values are written exactly (as the doubles they are).
The seeds are fixed, so the file is reproducible.
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "layers.json")

DATA = torch.Generator().manual_seed(20240620)


def r3(t):
    return torch.round(t * 1000) / 1000


def rnd(*shape, low=-2.0, high=2.0, dtype=torch.float64):
    return r3(torch.rand(shape, generator=DATA, dtype=torch.float64) * (high - low) + low).to(dtype)


def enc(t):
    if t is None:
        return None
    t = t.detach()
    if t.dtype == torch.int64:
        dtype, values = "int64", [int(v) for v in t.reshape(-1).tolist()]
    else:
        dtype = "float32" if t.dtype == torch.float32 else "float64"
        values = [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]
    return {"shape": list(t.shape), "dtype": dtype, "values": values}


# ---- initial values after manual_seed ------------------------------------------------------------------------

INIT = []


def init_case(name, seed, steps):
    torch.manual_seed(seed)
    values = {}
    for label, fn in steps:
        out = fn()
        if isinstance(out, dict):
            for k, v in out.items():
                values[f"{label}.{k}"] = enc(v)
        else:
            values[label] = enc(out)
    INIT.append({"name": name, "seed": seed, "values": values})


def params(m):
    return dict(m.state_dict())


def with_init(shape, fn, dtype=torch.float32):
    t = torch.empty(shape, dtype=dtype)
    with torch.no_grad():
        fn(t)
    return t


init_case("linear_3_2", 0, [("linear", lambda: params(nn.Linear(3, 2)))])
init_case("linear_20_30", 1, [("linear", lambda: params(nn.Linear(20, 30))), ("next", lambda: torch.rand(3))])
init_case("layer_sequence", 2, [
    ("linear_no_bias", lambda: params(nn.Linear(5, 4, bias=False))),
    ("embedding_pad", lambda: params(nn.Embedding(7, 3, padding_idx=-2))),
    ("linear", lambda: params(nn.Linear(2, 9))),
    ("next", lambda: torch.rand(3))])
init_case("embedding_10_3", 3, [("embedding", lambda: params(nn.Embedding(10, 3)))])
init_case("embedding_20_8", 4, [("embedding", lambda: params(nn.Embedding(20, 8))), ("next", lambda: torch.rand(3))])
init_case("norms_draw_nothing", 5, [
    ("batch_norm", lambda: params(nn.BatchNorm1d(3))),
    ("layer_norm", lambda: params(nn.LayerNorm(4))),
    ("next", lambda: torch.rand(3))])
init_case("initialisers", 6, [
    ("xavier_uniform", lambda: with_init((4, 5), nn.init.xavier_uniform_)),
    ("xavier_uniform_tanh", lambda: with_init((3, 6), lambda t: nn.init.xavier_uniform_(
        t, gain=nn.init.calculate_gain("tanh")))),
    ("xavier_normal_small", lambda: with_init((3, 4), nn.init.xavier_normal_)),
    ("xavier_normal", lambda: with_init((20, 30), lambda t: nn.init.xavier_normal_(t, gain=2.0))),
    ("kaiming_uniform_fan_out_relu", lambda: with_init((6, 5), lambda t: nn.init.kaiming_uniform_(
        t, a=0.1, mode="fan_out", nonlinearity="relu"))),
    ("kaiming_uniform_conv", lambda: with_init((8, 3, 3, 3), nn.init.kaiming_uniform_)),
    ("kaiming_normal_conv1d", lambda: with_init((16, 4, 3), nn.init.kaiming_normal_)),
    ("kaiming_normal_leaky_fan_out", lambda: with_init((5, 7), lambda t: nn.init.kaiming_normal_(
        t, a=0.2, mode="fan_out", nonlinearity="leaky_relu"))),
    ("uniform", lambda: with_init((5,), lambda t: nn.init.uniform_(t, -2.0, 3.0))),
    ("normal", lambda: with_init((20,), lambda t: nn.init.normal_(t, 1.0, 0.5))),
    ("constant", lambda: with_init((2, 3), lambda t: nn.init.constant_(t, 0.25))),
    ("eye", lambda: with_init((3, 4), nn.init.eye_)),
    ("orthogonal_wide", lambda: with_init((3, 5), nn.init.orthogonal_)),
    ("orthogonal_tall_gain", lambda: with_init((6, 4), lambda t: nn.init.orthogonal_(t, gain=2.0))),
    ("orthogonal_3d", lambda: with_init((4, 2, 3), nn.init.orthogonal_)),
    ("next", lambda: torch.rand(3))])
init_case("initialisers_float64", 7, [
    ("xavier_uniform", lambda: with_init((4, 5), nn.init.xavier_uniform_, torch.float64)),
    ("kaiming_normal", lambda: with_init((6, 5), nn.init.kaiming_normal_, torch.float64)),
    ("orthogonal", lambda: with_init((5, 3), nn.init.orthogonal_, torch.float64)),
    ("next", lambda: torch.rand(3))])
GAINS = {n: nn.init.calculate_gain(n) for n in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                                "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                                                "leaky_relu", "selu"]}
GAINS["leaky_relu_0.2"] = nn.init.calculate_gain("leaky_relu", 0.2)
INIT.append({"name": "gains", "seed": 0, "values": {}, "gains": GAINS})

# ---- layers on fixed inputs ----------------------------------------------------------------------------------

LAYERS = []
NAMES = set()


def layer_case(name, layer, args, module, inputs, dtype=torch.float64, train=True, seed=None, state=None,
               params_after=False):
    assert name not in NAMES, name
    NAMES.add(name)
    module = module.to(dtype)
    with torch.no_grad():
        for k, v in module.state_dict().items():
            if state is not None and k in state:
                v.copy_(state[k])
            elif v.is_floating_point() and state is None:
                v.copy_(rnd(*v.shape, low=-1.0, high=1.0))
    module.train(train)
    before = {k: enc(v.clone()) for k, v in module.state_dict().items()}
    leaves = []
    for x in inputs:
        x = x.detach().clone()
        if x.is_floating_point():
            x = x.to(dtype).requires_grad_(True)
        leaves.append(x)
    if seed is not None:
        torch.manual_seed(seed)
    outs = [module(x) for x in leaves]
    next_rand = torch.rand(3) if seed is not None else None
    weights = [rnd(*o.shape, low=-1.0, high=1.0, dtype=dtype) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights))
    grads = {}
    named = dict(module.named_parameters())
    req = [(f"input{i}", x) for i, x in enumerate(leaves) if x.requires_grad] + list(named.items())
    if loss.requires_grad:
        gs = torch.autograd.grad(loss, [t for _, t in req], allow_unused=True)
        for (k, t), g in zip(req, gs):
            grads[k] = enc(torch.zeros_like(t) if g is None else g)
    LAYERS.append({
        "name": name, "layer": layer, "args": args, "dtype": str(dtype).replace("torch.", ""), "train": train,
        "seed": seed, "state": before, "inputs": [enc(x) for x in leaves], "outputs": [enc(o) for o in outs],
        "weights": [enc(w) for w in weights], "grads": grads,
        "state_after": {k: enc(v) for k, v in module.state_dict().items() if k not in named},
        "next_rand": enc(next_rand)})
    if params_after:
        LAYERS[-1]["params_after"] = {k: enc(v) for k, v in named.items()}


layer_case("linear", "linear", {"in_features": 4, "out_features": 3, "bias": True}, nn.Linear(4, 3), [rnd(2, 4)])
layer_case("linear_3d_input", "linear", {"in_features": 4, "out_features": 3, "bias": True}, nn.Linear(4, 3),
           [rnd(2, 5, 4)])
layer_case("linear_no_bias", "linear", {"in_features": 3, "out_features": 2, "bias": False},
           nn.Linear(3, 2, bias=False), [rnd(4, 3)])
layer_case("linear_float32", "linear", {"in_features": 5, "out_features": 3, "bias": True}, nn.Linear(5, 3),
           [rnd(4, 5)], dtype=torch.float32)
layer_case("relu", "relu", {}, nn.ReLU(), [rnd(3, 4)])
layer_case("leaky_relu", "leaky_relu", {"negative_slope": 0.2}, nn.LeakyReLU(0.2), [rnd(3, 4)])
layer_case("leaky_relu_default", "leaky_relu", {"negative_slope": 0.01}, nn.LeakyReLU(), [rnd(3, 4)])
layer_case("elu", "elu", {"alpha": 0.7}, nn.ELU(0.7), [rnd(3, 4, low=-4, high=2)])
layer_case("gelu", "gelu", {"approximate": "none"}, nn.GELU(), [rnd(3, 4, low=-4, high=4)])
layer_case("gelu_tanh", "gelu", {"approximate": "tanh"}, nn.GELU("tanh"), [rnd(3, 4, low=-4, high=4)])
layer_case("gelu_float32", "gelu", {"approximate": "none"}, nn.GELU(), [rnd(3, 4, low=-4, high=4)],
           dtype=torch.float32)
layer_case("silu", "silu", {}, nn.SiLU(), [rnd(3, 4, low=-5, high=5)])
layer_case("sigmoid", "sigmoid", {}, nn.Sigmoid(), [rnd(3, 4, low=-4, high=4)])
layer_case("tanh", "tanh", {}, nn.Tanh(), [rnd(3, 4)])
layer_case("softmax", "softmax", {"dim": 1}, nn.Softmax(dim=1), [rnd(3, 4)])
layer_case("log_softmax_dim0", "log_softmax", {"dim": 0}, nn.LogSoftmax(dim=0), [rnd(3, 4)])
layer_case("identity", "identity", {}, nn.Identity(), [rnd(2, 3)])
layer_case("flatten", "flatten", {"start_dim": 1, "end_dim": -1}, nn.Flatten(), [rnd(2, 3, 2, 2)])
layer_case("flatten_0_1", "flatten", {"start_dim": 0, "end_dim": 1}, nn.Flatten(0, 1), [rnd(2, 3, 2)])
layer_case("sequential_mlp", "sequential_mlp", {}, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)),
           [rnd(5, 3)])

layer_case("layer_norm", "layer_norm", {"normalized_shape": [4], "eps": 1e-5, "elementwise_affine": True},
           nn.LayerNorm(4), [rnd(3, 4)])
layer_case("layer_norm_2d_no_affine", "layer_norm",
           {"normalized_shape": [3, 4], "eps": 1e-5, "elementwise_affine": False},
           nn.LayerNorm([3, 4], elementwise_affine=False), [rnd(2, 3, 4)])
layer_case("layer_norm_eps", "layer_norm", {"normalized_shape": [5], "eps": 1e-3, "elementwise_affine": True},
           nn.LayerNorm(5, eps=1e-3), [rnd(2, 3, 5)])
layer_case("layer_norm_float32", "layer_norm", {"normalized_shape": [6], "eps": 1e-5, "elementwise_affine": True},
           nn.LayerNorm(6), [rnd(4, 6)], dtype=torch.float32)


def bn_args(n, eps=1e-5, momentum=0.1, affine=True, track=True):
    return {"num_features": n, "eps": eps, "momentum": momentum, "affine": affine, "track_running_stats": track}


def bn_state(n, affine=True, track=True, batches=0):
    s = {}
    if affine:
        s["weight"] = rnd(n, low=0.5, high=1.5)
        s["bias"] = rnd(n, low=-0.5, high=0.5)
    if track:
        s["running_mean"] = rnd(n, low=-0.5, high=0.5)
        s["running_var"] = rnd(n, low=0.5, high=2.0)
        s["num_batches_tracked"] = torch.tensor(batches)
    return s


layer_case("batch_norm1d_train_two_steps", "batch_norm1d", bn_args(3), nn.BatchNorm1d(3),
           [rnd(6, 3), rnd(6, 3)], state=bn_state(3))
layer_case("batch_norm1d_train_3d", "batch_norm1d", bn_args(3, momentum=0.3), nn.BatchNorm1d(3, momentum=0.3),
           [rnd(4, 3, 5)], state=bn_state(3, batches=4))
layer_case("batch_norm1d_eval", "batch_norm1d", bn_args(3), nn.BatchNorm1d(3), [rnd(5, 3)], train=False,
           state=bn_state(3, batches=7))
layer_case("batch_norm1d_cumulative", "batch_norm1d", bn_args(2, momentum=None), nn.BatchNorm1d(2, momentum=None),
           [rnd(4, 2), rnd(4, 2), rnd(4, 2)], state=bn_state(2, batches=1))
layer_case("batch_norm1d_no_affine_no_tracking", "batch_norm1d", bn_args(3, affine=False, track=False),
           nn.BatchNorm1d(3, affine=False, track_running_stats=False), [rnd(5, 3)], state={})
layer_case("batch_norm1d_no_tracking_eval", "batch_norm1d", bn_args(3, track=False),
           nn.BatchNorm1d(3, track_running_stats=False), [rnd(5, 3)], train=False, state=bn_state(3, track=False))
layer_case("batch_norm2d_train_two_steps", "batch_norm2d", bn_args(3, eps=1e-3, momentum=0.2),
           nn.BatchNorm2d(3, eps=1e-3, momentum=0.2), [rnd(4, 3, 2, 3), rnd(2, 3, 3, 2)], state=bn_state(3))
layer_case("batch_norm2d_eval", "batch_norm2d", bn_args(2), nn.BatchNorm2d(2), [rnd(3, 2, 2, 2)], train=False,
           state=bn_state(2, batches=3))
layer_case("batch_norm2d_float32", "batch_norm2d", bn_args(4), nn.BatchNorm2d(4), [rnd(3, 4, 3, 3)],
           dtype=torch.float32, state=bn_state(4))

layer_case("embedding", "embedding", {"num_embeddings": 6, "embedding_dim": 3, "padding_idx": None},
           nn.Embedding(6, 3), [torch.tensor([[0, 2, 5], [2, 2, 1]])])
layer_case("embedding_padding", "embedding", {"num_embeddings": 6, "embedding_dim": 3, "padding_idx": 1},
           nn.Embedding(6, 3, padding_idx=1), [torch.tensor([[0, 1, 2], [1, 5, 5]])])
layer_case("embedding_padding_negative_1d", "embedding", {"num_embeddings": 5, "embedding_dim": 2, "padding_idx": -1},
           nn.Embedding(5, 2, padding_idx=-1), [torch.tensor([4, 0, 4, 3])])

layer_case("dropout_float64", "dropout", {"p": 0.3}, nn.Dropout(0.3), [rnd(4, 5)], seed=11)
layer_case("dropout_float32", "dropout", {"p": 0.5}, nn.Dropout(0.5), [rnd(3, 7)], dtype=torch.float32, seed=12)
layer_case("dropout_float32_p_0_1", "dropout", {"p": 0.1}, nn.Dropout(0.1), [rnd(40)], dtype=torch.float32, seed=13)
layer_case("dropout_two_calls", "dropout", {"p": 0.6}, nn.Dropout(0.6), [rnd(2, 3), rnd(5)], seed=14)
layer_case("dropout_eval", "dropout", {"p": 0.3}, nn.Dropout(0.3), [rnd(4, 5)], train=False, seed=15)
layer_case("dropout_p1", "dropout", {"p": 1.0}, nn.Dropout(1.0), [rnd(2, 3)], seed=16)

# ---- gradient clipping ---------------------------------------------------------------------------------------

CLIP = []


def clip_case(name, op, shapes, dtype=torch.float64, scale=1.0, **args):
    ps = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in shapes]
    for p in ps:
        p.grad = (rnd(*p.shape) * scale).to(dtype)
    before = [enc(p.grad.clone()) for p in ps]
    if op == "clip_grad_norm_":
        total = nn.utils.clip_grad_norm_(ps, args["max_norm"], norm_type=args["norm_type"])
    else:
        total = None
        nn.utils.clip_grad_value_(ps, args["clip_value"])
    CLIP.append({"name": name, "op": op, "args": {k: ("inf" if v == math.inf else v) for k, v in args.items()},
                 "dtype": str(dtype).replace("torch.", ""), "grads": before, "after": [enc(p.grad) for p in ps],
                 "total": enc(total)})


clip_case("norm_2", "clip_grad_norm_", [(3, 4), (4,), (2, 2)], max_norm=1.0, norm_type=2.0)
clip_case("norm_1", "clip_grad_norm_", [(3, 4), (4,)], max_norm=2.5, norm_type=1.0)
clip_case("norm_inf", "clip_grad_norm_", [(3, 4), (4,)], max_norm=0.5, norm_type=math.inf)
clip_case("norm_inf_single", "clip_grad_norm_", [(5,)], max_norm=0.5, norm_type=math.inf)
clip_case("norm_3", "clip_grad_norm_", [(2, 3), (3,)], max_norm=1.0, norm_type=3.0)
clip_case("norm_0_5", "clip_grad_norm_", [(2, 3), (3,)], max_norm=4.0, norm_type=0.5)
clip_case("norm_not_clipped", "clip_grad_norm_", [(2, 3), (3,)], max_norm=100.0, norm_type=2.0)
clip_case("norm_2_float32", "clip_grad_norm_", [(5, 6), (6,)], dtype=torch.float32, max_norm=0.7, norm_type=2.0)
clip_case("value", "clip_grad_value_", [(3, 4), (4,)], clip_value=0.8)


# ---- channel and alpha dropout (drawn after the cases above, so their values stay as they were) ----------------

layer_case("dropout1d", "dropout1d", {"p": 0.4}, nn.Dropout1d(0.4), [rnd(3, 4, 5)], seed=21)
layer_case("dropout1d_unbatched_float32", "dropout1d", {"p": 0.5}, nn.Dropout1d(0.5), [rnd(6, 3)],
           dtype=torch.float32, seed=22)
layer_case("dropout2d_float32", "dropout2d", {"p": 0.3}, nn.Dropout2d(0.3), [rnd(2, 5, 3, 3)], dtype=torch.float32,
           seed=23)
layer_case("dropout2d_3d_input_reads_n_c_l", "dropout2d", {"p": 0.5}, nn.Dropout2d(0.5), [rnd(2, 4, 3)], seed=24)
layer_case("dropout2d_two_calls", "dropout2d", {"p": 0.6}, nn.Dropout2d(0.6), [rnd(3, 2, 2, 2), rnd(1, 4, 2, 3)],
           seed=25)
layer_case("dropout3d", "dropout3d", {"p": 0.5}, nn.Dropout3d(0.5), [rnd(2, 3, 2, 2, 2)], seed=26)
layer_case("dropout3d_unbatched", "dropout3d", {"p": 0.25}, nn.Dropout3d(0.25), [rnd(5, 2, 1, 2)], seed=27)
layer_case("dropout2d_eval", "dropout2d", {"p": 0.5}, nn.Dropout2d(0.5), [rnd(2, 3, 2, 2)], train=False, seed=28)
layer_case("alpha_dropout", "alpha_dropout", {"p": 0.2}, nn.AlphaDropout(0.2), [rnd(4, 5)], seed=29)
layer_case("alpha_dropout_float32", "alpha_dropout", {"p": 0.5}, nn.AlphaDropout(0.5), [rnd(3, 7)],
           dtype=torch.float32, seed=30)
layer_case("alpha_dropout_p1", "alpha_dropout", {"p": 1.0}, nn.AlphaDropout(1.0), [rnd(2, 3)], seed=31)
layer_case("alpha_dropout_eval", "alpha_dropout", {"p": 0.3}, nn.AlphaDropout(0.3), [rnd(2, 3)], train=False,
           seed=32)


# ---- embedding options (drawn after the cases above, so their values stay as they were) -----------------------


def emb_case(name, num, dim, inputs, dtype=torch.float64, padding_idx=None, max_norm=None, norm_type=2.0,
             scale_grad_by_freq=False):
    args = {"num_embeddings": num, "embedding_dim": dim, "padding_idx": padding_idx, "max_norm": max_norm,
            "norm_type": "inf" if norm_type == math.inf else norm_type, "scale_grad_by_freq": scale_grad_by_freq}
    layer_case(name, "embedding", args,
               nn.Embedding(num, dim, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                            scale_grad_by_freq=scale_grad_by_freq),
               [torch.tensor(x) for x in inputs], dtype=dtype, params_after=max_norm is not None)


emb_case("embedding_max_norm", 6, 3, [[[0, 2, 5], [2, 2, 1]]], max_norm=1.0)
emb_case("embedding_max_norm_p1_padding", 7, 4, [[[2, 3, 3], [6, 0, 2]]], padding_idx=2,
         max_norm=0.8, norm_type=1.0)
emb_case("embedding_max_norm_inf_float32", 5, 4, [[4, 0, 4, 1]], dtype=torch.float32, max_norm=0.5,
         norm_type=math.inf)
emb_case("embedding_max_norm_p3_unaffected_rows", 6, 2, [[1, 5]], max_norm=0.9, norm_type=3.0)
emb_case("embedding_scale_grad_by_freq", 5, 2, [[[1, 1, 3], [1, 4, 3]]], scale_grad_by_freq=True)
emb_case("embedding_scale_grad_by_freq_padding_two_calls", 6, 3, [[0, 2, 0, 2, 2, 5], [[2, 2], [0, 1]]],
         padding_idx=0, scale_grad_by_freq=True)
emb_case("embedding_all_options_float32", 8, 5, [[[7, 1, 1], [3, 7, 7]]], dtype=torch.float32, padding_idx=-1,
         max_norm=1.2, norm_type=2.0, scale_grad_by_freq=True)


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"init": INIT, "layers": LAYERS, "clip": CLIP}, f, separators=(",", ":"), allow_nan=True)
        f.write("\n")
    print(f"wrote {len(INIT)} init, {len(LAYERS)} layer and {len(CLIP)} clip cases to {os.path.normpath(OUT)} "
          f"({os.path.getsize(OUT) // 1024} KB)")


if __name__ == "__main__":
    main()
