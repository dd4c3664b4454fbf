#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's convolution and pooling (dev.ember.nn.functional.Convolutions and
Pooling, the layers Conv1d, Conv2d, MaxPool2d, AvgPool2d and AdaptiveAvgPool2d): forward values, gradients,
second-order gradients, forward-mode JVPs and the seeded default initialisation, as PyTorch 1.13 computes them.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_conv_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides
PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/conv.json, which the Java test
dev.ember.tests.ConvConformanceTest reads: it never needs Python or PyTorch.

The JSON object has three lists.

"conv": one case per convolution call:
  name          unique, the JUnit test name
  op            conv1d or conv2d (torch.nn.functional's name)
  options       stride, padding, dilation (one value per spatial dimension; padding may instead be PyTorch's string
                "same" or "valid") and groups
  input, weight the operands, bias the bias or null: {"shape", "values" (row-major)}
  grad_output   the gradient passed to backward (random)
  grad_fn       the name of the output's grad_fn without its trailing digits
  float64       PyTorch's results in float64: output, grad_input, grad_weight, grad_bias (null without bias)
  float32       the same computed by PyTorch in float32 from the same values
  double        second order, in float64: with gx, gw the gradients of input and weight computed with
                create_graph, v_input and v_weight fixed random directions, the gradients of
                sum(gx * v_input) + sum(gw * v_weight) with respect to input (grad_input), weight (grad_weight)
                and grad_output (grad_grad_output)
  tangents      fixed random tangents of input, weight and bias (null without bias); jvp the output's tangent from
                torch.autograd.forward_ad

"pool": one case per pooling call:
  name, op      max_pool2d, avg_pool2d or adaptive_avg_pool2d
  args          kernel_size, stride, padding, dilation, ceil_mode (max); kernel_size, stride, padding, ceil_mode,
                count_include_pad, divisor_override (avg, null for none); output_size (adaptive). Sizes are
                [height, width].
  input, grad_output, grad_fn, float64 {output, indices (max only, int64), grad_input}, float32 (the same),
  tangent, jvp  as above (the input's tangent and the output's)

"init": the default initialisation of layers after torch.manual_seed(seed): layer (Conv1d or Conv2d), in_channels,
  out_channels, kernel_size, groups, bias (bool), seed, and the float32 weight and bias (null without) as float64
  numbers (exactly the float32 values).

Inputs, weights and directions are rounded to three decimals (short JSON; the rounded values are the exact inputs
both sides use). The max-pooling cases named "ties" draw integers from a small range so that windows hold equal
maxima (PyTorch takes the first, row by row, and its gradient goes there); the case named "nan" holds NaNs (written
as JSON's non-standard NaN, which the Java side reads). The seeds are fixed, so the file is reproducible.
"""

import json
import math
import os

import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

torch.manual_seed(20240620)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "conv.json")

NAMES = set()
CONV = []
POOL = []
INIT = []


def r3(t):
    return torch.round(t * 1000) / 1000


def rnd(*shape, low=-2.0, high=2.0):
    return r3(torch.rand(shape) * (high - low) + low)


def enc(t):
    if t is None:
        return None
    t = t.detach()
    if t.dtype == torch.int64:
        return {"shape": list(t.shape), "values": [int(v) for v in t.flatten().tolist()]}
    return {"shape": list(t.shape), "values": [float(v) for v in t.to(torch.float64).flatten().tolist()]}


def unique(name):
    assert name not in NAMES, name
    NAMES.add(name)


def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__.rstrip("0123456789")


# ---- convolutions --------------------------------------------------------------------------------------------

def conv_call(op, x, w, b, opts):
    f = F.conv1d if op == "conv1d" else F.conv2d
    return f(x, w, b, stride=opts["stride"], padding=opts["padding"], dilation=opts["dilation"],
             groups=opts["groups"])


def conv_results(op, x, w, b, gy, opts, dtype):
    x = x.to(dtype).requires_grad_()
    w = w.to(dtype).requires_grad_()
    b = None if b is None else b.to(dtype).requires_grad_()
    y = conv_call(op, x, w, b, opts)
    leaves = [x, w] + ([b] if b is not None else [])
    gs = torch.autograd.grad(y, leaves, gy.to(dtype))
    return {"output": enc(y), "grad_input": enc(gs[0]), "grad_weight": enc(gs[1]),
            "grad_bias": enc(gs[2]) if b is not None else None}, y


def conv_case(name, op, x_shape, w_shape, bias=True, stride=1, padding=0, dilation=1, groups=1):
    unique(name)
    spatial = 1 if op == "conv1d" else 2

    def per_dim(v):
        return list(v) if isinstance(v, (tuple, list)) else [v] * spatial

    opts = {"stride": per_dim(stride), "padding": padding if isinstance(padding, str) else per_dim(padding),
            "dilation": per_dim(dilation), "groups": groups}
    x = rnd(*x_shape)
    w = rnd(*w_shape, low=-1.0, high=1.0)
    b = rnd(w_shape[0], low=-1.0, high=1.0) if bias else None
    with torch.no_grad():
        y0 = conv_call(op, x, w, b, opts)
    gy = rnd(*y0.shape, low=-1.0, high=1.0)
    f64, y = conv_results(op, x, w, b, gy, opts, torch.float64)
    f32, _ = conv_results(op, x, w, b, gy, opts, torch.float32)

    # second order: d/d(x, w, gy) of <gx, vx> + <gw, vw>
    xs = x.clone().requires_grad_()
    ws = w.clone().requires_grad_()
    gys = gy.clone().requires_grad_()
    ys = conv_call(op, xs, ws, b, opts)
    gx, gw = torch.autograd.grad(ys, [xs, ws], gys, create_graph=True)
    vx = rnd(*x.shape, low=-1.0, high=1.0)
    vw = rnd(*w.shape, low=-1.0, high=1.0)
    second = torch.autograd.grad((gx * vx).sum() + (gw * vw).sum(), [xs, ws, gys])

    tx = rnd(*x.shape, low=-1.0, high=1.0)
    tw = rnd(*w.shape, low=-1.0, high=1.0)
    tb = rnd(*b.shape, low=-1.0, high=1.0) if bias else None
    with fwAD.dual_level():
        out = conv_call(op, fwAD.make_dual(x, tx), fwAD.make_dual(w, tw),
                        None if b is None else fwAD.make_dual(b, tb), opts)
        jvp = fwAD.unpack_dual(out).tangent

    CONV.append({
        "name": name, "op": op, "options": opts,
        "input": enc(x), "weight": enc(w), "bias": enc(b), "grad_output": enc(gy),
        "grad_fn": grad_fn_name(y),
        "float64": f64, "float32": f32,
        "double": {"v_input": enc(vx), "v_weight": enc(vw), "grad_input": enc(second[0]),
                   "grad_weight": enc(second[1]), "grad_grad_output": enc(second[2])},
        "tangents": {"input": enc(tx), "weight": enc(tw), "bias": enc(tb)}, "jvp": enc(jvp),
    })


conv_case("conv2d_basic", "conv2d", (2, 3, 6, 5), (4, 3, 3, 3))
conv_case("conv2d_no_bias", "conv2d", (2, 3, 5, 5), (2, 3, 2, 2), bias=False)
conv_case("conv2d_stride2", "conv2d", (2, 2, 7, 7), (3, 2, 3, 3), stride=2)
conv_case("conv2d_stride_uneven", "conv2d", (1, 2, 8, 7), (3, 2, 3, 2), stride=(2, 3))
conv_case("conv2d_padding1", "conv2d", (2, 3, 5, 4), (4, 3, 3, 3), padding=1)
conv_case("conv2d_padding_uneven", "conv2d", (1, 2, 4, 6), (2, 2, 3, 3), padding=(2, 0))
conv_case("conv2d_dilation2", "conv2d", (2, 2, 8, 8), (3, 2, 3, 3), dilation=2)
conv_case("conv2d_stride_padding_dilation", "conv2d", (2, 3, 9, 8), (4, 3, 3, 2), stride=(2, 1), padding=(1, 2),
          dilation=(2, 3))
conv_case("conv2d_groups2", "conv2d", (2, 4, 6, 6), (6, 2, 3, 3), groups=2)
conv_case("conv2d_groups_padding_stride", "conv2d", (2, 6, 7, 5), (9, 2, 3, 3), groups=3, stride=2, padding=1)
conv_case("conv2d_depthwise", "conv2d", (2, 3, 6, 6), (6, 1, 3, 3), groups=3, padding=1)
conv_case("conv2d_1x1", "conv2d", (3, 4, 3, 3), (5, 4, 1, 1))
conv_case("conv2d_kernel_equals_input", "conv2d", (2, 2, 3, 4), (3, 2, 3, 4))
conv_case("conv2d_unbatched", "conv2d", (3, 5, 5), (2, 3, 3, 3), padding=1)
conv_case("conv2d_stride_skips_tail", "conv2d", (1, 1, 6, 6), (2, 1, 2, 2), stride=3, padding=1)
conv_case("conv1d_basic", "conv1d", (2, 3, 10), (4, 3, 3))
conv_case("conv1d_stride_padding_dilation", "conv1d", (2, 2, 12), (3, 2, 3), stride=2, padding=2, dilation=2)
conv_case("conv1d_groups", "conv1d", (2, 4, 9), (6, 2, 4), groups=2, bias=False)
conv_case("conv1d_unbatched", "conv1d", (3, 7), (2, 3, 2), padding=1)

# ---- pooling -------------------------------------------------------------------------------------------------


def pool_call(op, x, args):
    if op == "max_pool2d":
        return F.max_pool2d(x, args["kernel_size"], args["stride"], args["padding"], args["dilation"],
                            ceil_mode=args["ceil_mode"], return_indices=True)
    if op == "avg_pool2d":
        return F.avg_pool2d(x, args["kernel_size"], args["stride"], args["padding"], ceil_mode=args["ceil_mode"],
                            count_include_pad=args["count_include_pad"], divisor_override=args["divisor_override"])
    return F.adaptive_avg_pool2d(x, args["output_size"])


def pool_results(op, x, gy, args, dtype):
    xd = x.to(dtype).requires_grad_()
    out = pool_call(op, xd, args)
    values, indices = (out if op == "max_pool2d" else (out, None))
    g, = torch.autograd.grad(values, xd, gy.to(dtype))
    return {"output": enc(values), "indices": enc(indices), "grad_input": enc(g)}, values


def pool_case(name, op, x, **args):
    unique(name)
    for k in ("kernel_size", "stride", "padding", "dilation", "output_size"):
        if k in args and not isinstance(args[k], (list, tuple)):
            args[k] = [args[k], args[k]]
    with torch.no_grad():
        out = pool_call(op, x, args)
    values = out[0] if op == "max_pool2d" else out
    gy = rnd(*values.shape, low=-1.0, high=1.0)
    f64, v = pool_results(op, x, gy, args, torch.float64)
    f32, _ = pool_results(op, x, gy, args, torch.float32)
    t = rnd(*x.shape, low=-1.0, high=1.0)
    with fwAD.dual_level():
        o = pool_call(op, fwAD.make_dual(x, t), args)
        jvp = fwAD.unpack_dual(o[0] if op == "max_pool2d" else o).tangent
    POOL.append({"name": name, "op": op, "args": args, "input": enc(x), "grad_output": enc(gy),
                 "grad_fn": grad_fn_name(v), "float64": f64, "float32": f32, "tangent": enc(t), "jvp": enc(jvp)})


def distinct(*shape):
    """Values without ties: a permutation of evenly spaced values, rounded."""
    n = math.prod(shape)
    return r3(torch.linspace(-2, 2, n)[torch.randperm(n)]).reshape(shape)


def ties(*shape):
    return torch.randint(-2, 3, shape).to(torch.float64)


def max_case(name, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    pool_case(name, "max_pool2d", x, kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
              padding=padding, dilation=dilation, ceil_mode=ceil_mode)


def avg_case(name, x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             divisor_override=None):
    pool_case(name, "avg_pool2d", x, kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
              padding=padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad,
              divisor_override=divisor_override)


max_case("max_2x2", distinct(2, 3, 6, 6), 2)
max_case("max_3x3_stride2_padding1", distinct(2, 2, 7, 6), 3, stride=2, padding=1)
max_case("max_rect_kernel_stride", distinct(1, 2, 7, 9), (2, 3), stride=(1, 2))
max_case("max_dilation2", distinct(1, 2, 8, 7), 2, stride=1, dilation=2)
max_case("max_dilation_padding", distinct(2, 1, 9, 9), 3, stride=2, padding=1, dilation=(2, 1))
max_case("max_ceil_mode", distinct(1, 2, 7, 7), 2, ceil_mode=True)
max_case("max_ceil_mode_padding", distinct(1, 1, 6, 8), 3, stride=2, padding=1, ceil_mode=True)
max_case("max_overlapping_ties", ties(2, 2, 6, 6), 3, stride=1)
max_case("max_ties", ties(1, 3, 6, 6), 2)
max_case("max_negative_with_padding", -distinct(1, 2, 5, 5).abs() - 0.5, 3, stride=2, padding=1)
max_case("max_unbatched", distinct(3, 6, 6), 2)
nan_input = distinct(1, 1, 4, 4)
nan_input[0, 0, 0, 1] = float("nan")
nan_input[0, 0, 2, 2] = float("nan")
nan_input[0, 0, 3, 3] = float("nan")
max_case("max_nan", nan_input, 2, stride=1)

avg_case("avg_2x2", rnd(2, 3, 6, 6), 2)
avg_case("avg_3x3_stride1_padding1", rnd(2, 2, 5, 5), 3, stride=1, padding=1)
avg_case("avg_padding_exclude", rnd(2, 2, 5, 5), 3, stride=1, padding=1, count_include_pad=False)
avg_case("avg_rect", rnd(1, 2, 7, 8), (3, 2), stride=(2, 3), padding=(1, 0))
avg_case("avg_ceil_mode", rnd(1, 2, 7, 7), 2, ceil_mode=True)
avg_case("avg_ceil_mode_padding", rnd(1, 2, 6, 7), 3, stride=2, padding=1, ceil_mode=True)
avg_case("avg_ceil_mode_padding_exclude", rnd(1, 2, 6, 7), 3, stride=2, padding=1, ceil_mode=True,
         count_include_pad=False)
avg_case("avg_divisor_override", rnd(2, 2, 6, 6), 3, stride=2, padding=1, divisor_override=5)
avg_case("avg_unbatched", rnd(3, 6, 4), 2)

for name, shape, out in [("adaptive_1x1", (2, 3, 5, 4), 1), ("adaptive_divisible", (2, 2, 6, 4), (3, 2)),
                         ("adaptive_uneven", (1, 2, 7, 5), (3, 2)), ("adaptive_larger_than_input", (1, 2, 3, 2), (4, 3)),
                         ("adaptive_unbatched", (3, 5, 7), (2, 3)), ("adaptive_identity", (1, 2, 3, 3), 3)]:
    pool_case(name, "adaptive_avg_pool2d", rnd(*shape), output_size=out)

# ---- default initialisation ----------------------------------------------------------------------------------

for layer, cin, cout, k, groups, bias, seed in [("Conv2d", 3, 4, [3, 3], 1, True, 0),
                                               ("Conv2d", 4, 6, [3, 2], 2, True, 1),
                                               ("Conv2d", 3, 6, [5, 5], 3, False, 2),
                                               ("Conv1d", 2, 4, [5], 1, True, 3),
                                               ("Conv1d", 4, 4, [3], 4, True, 4)]:
    torch.manual_seed(seed)
    torch.set_default_dtype(torch.float32)
    m = (torch.nn.Conv2d if layer == "Conv2d" else torch.nn.Conv1d)(cin, cout, k, groups=groups, bias=bias)
    torch.set_default_dtype(torch.float64)
    INIT.append({"layer": layer, "in_channels": cin, "out_channels": cout, "kernel_size": k, "groups": groups,
                 "bias": bias, "seed": seed, "weight": enc(m.weight),
                 "bias_values": enc(m.bias) if bias else None})

# ---- padding='same' and 'valid' (drawn after the cases above, so their values stay as they were) -------------

torch.manual_seed(20240621)
conv_case("conv2d_same_odd_kernel", "conv2d", (2, 3, 6, 5), (4, 3, 3, 3), padding="same")
conv_case("conv2d_same_even_kernel", "conv2d", (2, 2, 5, 6), (3, 2, 2, 4), padding="same")
conv_case("conv2d_same_dilation", "conv2d", (1, 2, 7, 6), (2, 2, 2, 3), padding="same", dilation=(3, 2))
conv_case("conv2d_same_groups_no_bias", "conv2d", (2, 4, 5, 5), (4, 2, 2, 2), padding="same", groups=2,
          bias=False)
conv_case("conv2d_same_unbatched", "conv2d", (2, 4, 5), (3, 2, 3, 2), padding="same")
conv_case("conv2d_valid_stride2", "conv2d", (2, 2, 6, 7), (3, 2, 3, 3), padding="valid", stride=2)
conv_case("conv1d_same_even_kernel", "conv1d", (2, 3, 9), (4, 3, 4), padding="same")
conv_case("conv1d_same_dilation2", "conv1d", (2, 2, 8), (3, 2, 3), padding="same", dilation=2)
conv_case("conv1d_same_dilation_odd_total", "conv1d", (1, 2, 6), (2, 2, 2), padding="same", dilation=3)
conv_case("conv1d_same_unbatched", "conv1d", (3, 7), (2, 3, 2), padding="same")
conv_case("conv1d_valid_dilation2", "conv1d", (2, 3, 8), (2, 3, 3), padding="valid", dilation=2)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"conv": CONV, "pool": POOL, "init": INIT}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(CONV)} convolution, {len(POOL)} pooling and {len(INIT)} initialisation cases to {OUT}")
