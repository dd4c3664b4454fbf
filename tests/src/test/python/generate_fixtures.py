#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's ops: forward values, gradients and forward-mode JVPs computed by
PyTorch 1.13.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_fixtures.py

run from the repository root (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch`
provides PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/ops.json. The Java tests
(dev.ember.tests.OpConformanceTest, dev.ember.tests.JvpConformanceTest) only read that JSON: they never need
Python or PyTorch.

The JSON is a list of cases. Each case has:
  name      unique, used as the JUnit test name
  op        which Ember call the Java test makes (see OpConformanceTest.apply)
  args      the non-tensor arguments (dims, keepdim, scalars, shapes, ...); p = "inf" means infinity
  inputs    the tensor arguments: {"shape", "dtype" (float64, int64 or bool), "values" (row-major),
            "requires_grad"}
  outputs   the forward results, same encoding (several for split and max/min along a dim)
  weights   per output, the fixed random weight w (or null for outputs without gradient): the loss is
            sum over outputs of (output * w).sum()
  grads     per input, the gradient of that loss (null for inputs that do not require grad)
  grad_fn   the name of PyTorch's grad_fn of the first output without its trailing digits (or null)
  tangents  per input, the fixed random tangent v of forward mode (null for inputs that do not require grad in
            the case above, and for non-floating inputs)
  jvps      per output, its tangent J v computed by torch.autograd.forward_ad with every input given its tangent
            (null for outputs without one: indices, bools); the whole list is null when PyTorch's forward mode
            raises for the case, and then
  jvp_error holds the first line of PyTorch's message (only present in that case)

All floating values are float64 (the default dtype is set to float64 here, so PyTorch's float results, e.g. of
int / int, are float64; the Java test compares their values, not that dtype). Non-finite values are written as
the JSON extensions NaN, Infinity and -Infinity (the Java side enables Jackson's ALLOW_NON_NUMERIC_NUMBERS).
The seeds are fixed, so the file is reproducible (byte for byte: run the script twice and compare). Tangents come
from a generator of their own, so adding them left every other value of the file unchanged. Inputs, weights and
tangents are rounded
to three decimals (short JSON; the rounded values are the exact inputs used), and chosen away from the points
where an op is not differentiable (|x| near 0 for abs, ties for max, the bounds of clamp) except in the cases
whose names say they test PyTorch's conventions at those points (ties, boundaries, zeros).
"""

import json
import math
import os
import re

import torch
import torch.autograd.forward_ad as fwAD

torch.manual_seed(20240601)
# tangents have their own stream: the values drawn for inputs and weights do not depend on them
TANGENTS = torch.Generator().manual_seed(20240602)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "ops.json")

CASES = []
NAMES = set()


def r3(t):
    """Rounds to three decimals: short in JSON, and exactly the value both sides use."""
    return torch.round(t * 1000) / 1000


def rnd(*shape, low=-2.0, high=2.0):
    return r3(torch.rand(shape) * (high - low) + low)


def away(*shape, margin=0.2, high=2.0):
    """Random values with |x| in [margin, high] and random signs (away from 0)."""
    mag = torch.rand(shape) * (high - margin) + margin
    sign = torch.where(torch.rand(shape) < 0.5, -1.0, 1.0)
    return r3(mag * sign)


def distinct(*shape, low=-2.0, high=2.0):
    """Values with no ties: a random permutation of evenly spaced values plus small noise."""
    n = math.prod(shape)
    base = torch.linspace(low, high, n)[torch.randperm(n)]
    return r3(base + (torch.rand(n) - 0.5) * (high - low) / (4 * max(n, 1))).reshape(shape)


def tangent_like(t):
    """A fixed random tangent in [-1, 1] for t, from the tangent stream."""
    return r3(torch.rand(t.shape, generator=TANGENTS, dtype=torch.float64) * 2 - 1)


def pos(*shape, low=0.3, high=2.5):
    return rnd(*shape, low=low, high=high)


class Const:
    """An input that does not require grad."""

    def __init__(self, t):
        self.t = t


def enc(t):
    t = t.detach()
    if t.dtype == torch.bool:
        dtype, values = "bool", [bool(v) for v in t.flatten().tolist()]
    elif t.dtype == torch.int64:
        dtype, values = "int64", [int(v) for v in t.flatten().tolist()]
    else:
        dtype, values = "float64", [float(v) for v in t.to(torch.float64).flatten().tolist()]
    return {"shape": list(t.shape), "dtype": dtype, "values": values}


def jsonable(v):
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


def case(name, op, inputs, fn, **args):
    assert name not in NAMES, name
    NAMES.add(name)
    leaves = []
    for x in inputs:
        if isinstance(x, Const):
            leaves.append(x.t.detach().clone())
        else:
            t = x.detach().clone()
            if t.is_floating_point():
                t.requires_grad_(True)
            leaves.append(t)
    out = fn(*leaves)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    weights = []
    loss = None
    for o in outs:
        if o.is_floating_point() and o.requires_grad:
            w = rnd(*o.shape, low=-1.0, high=1.0)
            weights.append(w)
            term = (o * w).sum()
            loss = term if loss is None else loss + term
        else:
            weights.append(None)
    req = [t for t in leaves if t.requires_grad]
    grads = {}
    if loss is not None and req:
        gs = torch.autograd.grad(loss, req, allow_unused=True)
        for t, g in zip(req, gs):
            grads[id(t)] = torch.zeros_like(t) if g is None else g
    grad_fn = outs[0].grad_fn
    tangents, jvps, jvp_error = forward_mode(inputs, leaves, fn)
    entry = {
        "name": name,
        "op": op,
        "args": {k: jsonable(v) for k, v in args.items()},
        "inputs": [dict(enc(t), requires_grad=t.requires_grad) for t in leaves],
        "outputs": [enc(o) for o in outs],
        "weights": [None if w is None else enc(w) for w in weights],
        "grads": [enc(grads[id(t)]) if id(t) in grads else None for t in leaves],
        "grad_fn": None if grad_fn is None else re.sub(r"\d+$", "", type(grad_fn).__name__),
        "tangents": [None if v is None else enc(v) for v in tangents],
        "jvps": jvps,
    }
    if jvp_error is not None:
        entry["jvp_error"] = jvp_error
    CASES.append(entry)


def forward_mode(inputs, leaves, fn):
    """The JVP of every output with a fixed random tangent per input that requires grad (forward-mode AD)."""
    tangents = [None if isinstance(x, Const) or not t.is_floating_point() else tangent_like(t)
                for x, t in zip(inputs, leaves)]
    with fwAD.dual_level():
        duals = [t.detach().clone() if v is None else fwAD.make_dual(t.detach().clone(), v)
                 for t, v in zip(leaves, tangents)]
        try:
            out = fn(*duals)
        except (RuntimeError, IndexError) as e:
            return tangents, None, type(e).__name__ + ": " + str(e).split("\n")[0]
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        jvps = []
        for o in outs:
            t = fwAD.unpack_dual(o).tangent
            jvps.append(None if t is None else enc(t))
    return tangents, jvps, None


# ---- binary arithmetic, with broadcasting -------------------------------------------------------------------

BROADCAST = [
    ("same", (2, 3), (2, 3)),
    ("row", (2, 3), (3,)),
    ("outer", (3, 1), (1, 4)),
    ("scalar0d_right", (2, 3), ()),
    ("scalar0d_left", (), (2, 3)),
    ("lead", (2, 1, 3), (4, 1)),
]

for tag, sa, sb in BROADCAST:
    case(f"add_{tag}", "add", [rnd(*sa), rnd(*sb)], lambda a, b: a.add(b))
    case(f"sub_{tag}", "sub", [rnd(*sa), rnd(*sb)], lambda a, b: a.sub(b))
    case(f"mul_{tag}", "mul", [rnd(*sa), rnd(*sb)], lambda a, b: a.mul(b))
    case(f"div_{tag}", "div", [rnd(*sa), away(*sb, margin=0.5)], lambda a, b: a.div(b))
    case(f"maximum_{tag}", "maximum", [distinct(*sa), distinct(*sb, low=-1.9, high=1.9)],
         lambda a, b: torch.maximum(a, b))
    case(f"minimum_{tag}", "minimum", [distinct(*sa), distinct(*sb, low=-1.9, high=1.9)],
         lambda a, b: torch.minimum(a, b))
    case(f"pow_tensor_{tag}", "pow_tensor", [pos(*sa), rnd(*sb)], lambda a, b: a.pow(b))

case("add_one_const", "add", [rnd(2, 3), Const(rnd(2, 3))], lambda a, b: a.add(b))
case("mul_other_const", "mul", [Const(rnd(3)), rnd(2, 3)], lambda a, b: a.mul(b))
case("div_numerator_const", "div", [Const(rnd(2, 3)), away(3, margin=0.5)], lambda a, b: a.div(b))
case("add_same_tensor_twice", "add_self", [rnd(2, 3)], lambda a: a.add(a))
case("mul_same_tensor_twice", "mul_self", [rnd(2, 3)], lambda a: a.mul(a))
case("maximum_ties", "maximum", [torch.tensor([[1.0, -0.5, 2.0], [0.25, 0.0, -1.0]]),
                                 torch.tensor([[1.0, 0.5, 2.0], [-0.25, 0.0, -2.0]])],
     lambda a, b: torch.maximum(a, b))
case("minimum_ties", "minimum", [torch.tensor([[1.0, -0.5, 2.0], [0.25, 0.0, -1.0]]),
                                 torch.tensor([[1.0, 0.5, 2.0], [-0.25, 0.0, -2.0]])],
     lambda a, b: torch.minimum(a, b))
case("maximum_ties_broadcast", "maximum", [torch.tensor([[1.0], [0.5]]), torch.tensor([1.0, 0.5, 0.0])],
     lambda a, b: torch.maximum(a, b))
case("pow_tensor_negative_base_integer_exponent", "pow_tensor",
     [away(2, 3), Const(torch.tensor([[2.0, 3.0, -1.0], [0.0, 1.0, -2.0]]))], lambda a, b: a.pow(b))
case("pow_tensor_negative_base_both_grads", "pow_tensor",
     [away(2, 3), torch.tensor([[2.0, 3.0, -1.0], [0.0, 1.0, -2.0]])], lambda a, b: a.pow(b))
case("pow_tensor_zero_base", "pow_tensor",
     [torch.tensor([0.0, 0.0, 0.0, 1.5, 0.0]), torch.tensor([0.0, 1.0, 2.0, 0.0, 3.5])], lambda a, b: a.pow(b))

# scalar operands (Python numbers)
case("add_scalar", "add_scalar", [rnd(2, 3)], lambda a: a.add(2.5), other=2.5)
case("sub_scalar", "sub_scalar", [rnd(2, 3)], lambda a: a.sub(1.5), other=1.5)
case("mul_scalar", "mul_scalar", [rnd(2, 3)], lambda a: a.mul(-3.0), other=-3.0)
case("div_scalar", "div_scalar", [rnd(2, 3)], lambda a: a.div(4.0), other=4.0)
case("rsub_scalar", "rsub_scalar", [rnd(2, 3)], lambda a: 1.0 - a, other=1.0)
case("add_scalar_0d", "add_scalar", [rnd()], lambda a: a.add(-0.75), other=-0.75)

# ---- powers --------------------------------------------------------------------------------------------------

case("pow_2", "pow_scalar", [rnd(2, 3)], lambda a: a.pow(2.0), exponent=2.0)
case("pow_3", "pow_scalar", [rnd(2, 3)], lambda a: a.pow(3.0), exponent=3.0)
case("pow_half", "pow_scalar", [pos(2, 3)], lambda a: a.pow(0.5), exponent=0.5)
case("pow_2_5", "pow_scalar", [pos(2, 3)], lambda a: a.pow(2.5), exponent=2.5)
case("pow_minus_1", "pow_scalar", [away(2, 3, margin=0.4)], lambda a: a.pow(-1.0), exponent=-1.0)
case("pow_minus_2", "pow_scalar", [away(2, 3, margin=0.4)], lambda a: a.pow(-2.0), exponent=-2.0)
case("pow_0", "pow_scalar", [rnd(2, 3)], lambda a: a.pow(0.0), exponent=0.0)
case("pow_1", "pow_scalar", [rnd(4)], lambda a: a.pow(1.0), exponent=1.0)

# ---- unary functions -----------------------------------------------------------------------------------------

case("neg", "neg", [rnd(2, 3)], lambda a: a.neg())
case("exp", "exp", [rnd(2, 3)], lambda a: a.exp())
case("log", "log", [pos(2, 3, low=0.1)], lambda a: a.log())
case("sqrt", "sqrt", [pos(2, 3, low=0.1)], lambda a: a.sqrt())
case("abs", "abs", [away(2, 3)], lambda a: a.abs())
case("abs_at_zero", "abs", [torch.tensor([-1.5, 0.0, 2.0, -0.0])], lambda a: a.abs())
case("sin", "sin", [rnd(2, 3, low=-4, high=4)], lambda a: a.sin())
case("cos", "cos", [rnd(2, 3, low=-4, high=4)], lambda a: a.cos())
case("tanh", "tanh", [rnd(2, 3, low=-3, high=3)], lambda a: a.tanh())
case("sigmoid", "sigmoid", [rnd(2, 3, low=-4, high=4)], lambda a: a.sigmoid())
case("sigmoid_large", "sigmoid", [torch.tensor([-40.0, -10.0, 0.0, 10.0, 40.0])], lambda a: a.sigmoid())
case("tanh_large", "tanh", [torch.tensor([-30.0, -5.0, 0.0, 5.0, 30.0])], lambda a: a.tanh())
case("relu", "relu", [away(2, 3)], lambda a: a.relu())
case("relu_at_zero", "relu", [torch.tensor([-1.0, 0.0, 1.0, -0.0, 0.5])], lambda a: a.relu())
case("exp_0d", "exp", [rnd()], lambda a: a.exp())

# ---- clamp ---------------------------------------------------------------------------------------------------

case("clamp", "clamp", [distinct(3, 4)], lambda a: a.clamp(-0.55, 0.75), min=-0.55, max=0.75)
case("clamp_at_bounds", "clamp", [torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0])], lambda a: a.clamp(-0.5, 0.5),
     min=-0.5, max=0.5)
case("clamp_min", "clamp_min", [distinct(3, 4)], lambda a: a.clamp_min(0.15), min=0.15)
case("clamp_min_at_bound", "clamp_min", [torch.tensor([-1.0, 0.25, 0.5])], lambda a: a.clamp_min(0.25), min=0.25)
case("clamp_max", "clamp_max", [distinct(3, 4)], lambda a: a.clamp_max(-0.35), max=-0.35)
case("clamp_max_at_bound", "clamp_max", [torch.tensor([-1.0, 0.25, 0.5])], lambda a: a.clamp_max(0.25), max=0.25)
case("clamp_min_above_max", "clamp", [torch.tensor([-1.0, 0.0, 1.0])], lambda a: a.clamp(0.5, -0.5),
     min=0.5, max=-0.5)

# ---- where ---------------------------------------------------------------------------------------------------

case("where", "where", [Const(torch.rand(2, 3) < 0.5), rnd(2, 3), rnd(2, 3)], lambda c, a, b: torch.where(c, a, b))
case("where_broadcast", "where", [Const(torch.tensor([True, False, True])), rnd(2, 1), rnd()],
     lambda c, a, b: torch.where(c, a, b))
case("where_cond_broadcast", "where", [Const(torch.tensor([[True], [False]])), rnd(2, 3), rnd(3)],
     lambda c, a, b: torch.where(c, a, b))

# ---- reductions ----------------------------------------------------------------------------------------------

X234 = lambda: rnd(2, 3, 4)

case("sum_all", "sum", [X234()], lambda a: a.sum(), dims=None, keepdim=False)
case("sum_dim1", "sum", [X234()], lambda a: a.sum(1), dims=[1], keepdim=False)
case("sum_dims_0_2_keepdim", "sum", [X234()], lambda a: a.sum((0, 2), keepdim=True), dims=[0, 2], keepdim=True)
case("sum_dim_neg1_keepdim", "sum", [X234()], lambda a: a.sum(-1, keepdim=True), dims=[-1], keepdim=True)
case("sum_0d", "sum", [rnd()], lambda a: a.sum(), dims=None, keepdim=False)
case("mean_all", "mean", [X234()], lambda a: a.mean(), dims=None, keepdim=False)
case("mean_dim0", "mean", [X234()], lambda a: a.mean(0), dims=[0], keepdim=False)
case("mean_dims_1_2_keepdim", "mean", [X234()], lambda a: a.mean((1, 2), keepdim=True), dims=[1, 2], keepdim=True)

case("max_all", "max_all", [distinct(3, 4)], lambda a: a.max())
case("min_all", "min_all", [distinct(3, 4)], lambda a: a.min())
case("max_all_ties", "max_all", [torch.tensor([[1.0, 3.0, -2.0], [3.0, 0.5, 3.0]])], lambda a: a.max())
case("min_all_ties", "min_all", [torch.tensor([[1.0, -2.0, -2.0], [3.0, 0.5, 3.0]])], lambda a: a.min())
case("max_dim1", "max_dim", [distinct(3, 4)], lambda a: tuple(a.max(1)), dim=1, keepdim=False)
case("max_dim0_keepdim", "max_dim", [distinct(3, 4)], lambda a: tuple(a.max(0, keepdim=True)), dim=0, keepdim=True)
case("min_dim_neg1", "min_dim", [distinct(2, 3, 4)], lambda a: tuple(a.min(-1)), dim=-1, keepdim=False)
case("min_dim1_keepdim", "min_dim", [distinct(2, 3, 4)], lambda a: tuple(a.min(1, keepdim=True)), dim=1,
     keepdim=True)
case("max_dim_ties", "max_dim", [torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])], lambda a: tuple(a.max(1)),
     dim=1, keepdim=False)

case("var_all", "var", [X234()], lambda a: a.var(), dims=None, unbiased=True, keepdim=False)
case("var_dim1_biased", "var", [X234()], lambda a: a.var(1, unbiased=False), dims=[1], unbiased=False,
     keepdim=False)
case("var_dims_0_2_keepdim", "var", [X234()], lambda a: a.var((0, 2), keepdim=True), dims=[0, 2], unbiased=True,
     keepdim=True)
case("std_all", "std", [X234()], lambda a: a.std(), dims=None, unbiased=True, keepdim=False)
case("std_all_biased", "std", [X234()], lambda a: a.std(unbiased=False), dims=None, unbiased=False,
     keepdim=False)
case("std_dim_neg1_keepdim", "std", [X234()], lambda a: a.std(-1, keepdim=True), dims=[-1], unbiased=True,
     keepdim=True)
case("std_dims_0_1", "std", [X234()], lambda a: a.std((0, 1), unbiased=False), dims=[0, 1], unbiased=False,
     keepdim=False)

case("logsumexp_dim1", "logsumexp", [X234()], lambda a: a.logsumexp(1), dims=[1], keepdim=False)
case("logsumexp_dims_0_2_keepdim", "logsumexp", [X234()], lambda a: a.logsumexp((0, 2), keepdim=True),
     dims=[0, 2], keepdim=True)
case("logsumexp_large", "logsumexp", [torch.tensor([[1000.0, 1001.0, 999.5], [-1000.0, -1002.0, -999.0]])],
     lambda a: a.logsumexp(1), dims=[1], keepdim=False)

case("norm_2_all", "norm", [X234()], lambda a: a.norm(), p=2.0, dims=None, keepdim=False)
case("norm_1_all", "norm", [away(3, 4)], lambda a: a.norm(1), p=1.0, dims=None, keepdim=False)
case("norm_3_dim1", "norm", [away(3, 4)], lambda a: a.norm(3, dim=1), p=3.0, dims=[1], keepdim=False)
case("norm_inf_all", "norm", [distinct(3, 4)], lambda a: a.norm(float("inf")), p=float("inf"), dims=None,
     keepdim=False)
case("norm_inf_dim0_keepdim", "norm", [distinct(3, 4)], lambda a: a.norm(float("inf"), dim=0, keepdim=True),
     p=float("inf"), dims=[0], keepdim=True)
case("norm_inf_ties", "norm", [torch.tensor([[1.0, 3.0, 3.0], [2.0, -3.0, 1.0]])],
     lambda a: a.norm(float("inf")), p=float("inf"), dims=None, keepdim=False)
case("norm_2_dims_0_2_keepdim", "norm", [X234()], lambda a: a.norm(2, dim=(0, 2), keepdim=True), p=2.0,
     dims=[0, 2], keepdim=True)
case("norm_1_dim_neg1", "norm", [away(2, 3, 4)], lambda a: a.norm(1, dim=-1), p=1.0, dims=[-1], keepdim=False)

# ---- matmul --------------------------------------------------------------------------------------------------

case("matmul_dot", "matmul", [rnd(4), rnd(4)], lambda a, b: a.matmul(b))
case("matmul_mv", "matmul", [rnd(3, 4), rnd(4)], lambda a, b: a.matmul(b))
case("matmul_vm", "matmul", [rnd(4), rnd(4, 5)], lambda a, b: a.matmul(b))
case("matmul_mm", "matmul", [rnd(3, 4), rnd(4, 5)], lambda a, b: a.matmul(b))
case("matmul_bmm", "matmul", [rnd(2, 3, 4), rnd(2, 4, 5)], lambda a, b: a.matmul(b))
case("matmul_batch_broadcast", "matmul", [rnd(2, 1, 3, 4), rnd(3, 4, 2)], lambda a, b: a.matmul(b))
case("matmul_batched_matrix", "matmul", [rnd(2, 3, 4), rnd(4, 2)], lambda a, b: a.matmul(b))
case("matmul_vector_batched", "matmul", [rnd(3), rnd(2, 3, 4)], lambda a, b: a.matmul(b))
case("matmul_batched_vector", "matmul", [rnd(2, 3, 4), rnd(4)], lambda a, b: a.matmul(b))
case("matmul_mm_one_const", "matmul", [rnd(3, 4), Const(rnd(4, 2))], lambda a, b: a.matmul(b))
# m*k*n = 32768: the ND4J GEMM path (and its backward products, also that large). Batched products of that size
# are checked by GradCheckTest instead, to keep this file small.
case("matmul_mm_large", "matmul", [rnd(32, 32, low=-1, high=1), rnd(32, 32, low=-1, high=1)],
     lambda a, b: a.matmul(b))

# ---- shape ops -----------------------------------------------------------------------------------------------

case("transpose", "transpose", [rnd(2, 3)], lambda a: a.transpose(0, 1), d0=0, d1=1)
case("transpose_3d_neg", "transpose", [X234()], lambda a: a.transpose(-1, 0), d0=-1, d1=0)
case("permute", "permute", [X234()], lambda a: a.permute(2, 0, 1), dims=[2, 0, 1])
case("reshape", "reshape", [X234()], lambda a: a.reshape(4, -1), shape=[4, -1])
case("reshape_of_transpose", "t_reshape", [rnd(2, 3)], lambda a: a.t().reshape(6), shape=[6])
case("view", "view", [X234()], lambda a: a.view(6, 4), shape=[6, 4])
case("squeeze_all", "squeeze", [rnd(2, 1, 3, 1)], lambda a: a.squeeze(), dim=None)
case("squeeze_dim", "squeeze", [rnd(2, 1, 3, 1)], lambda a: a.squeeze(1), dim=1)
case("squeeze_dim_not_one", "squeeze", [rnd(2, 1, 3)], lambda a: a.squeeze(0), dim=0)
case("unsqueeze_0", "unsqueeze", [rnd(2, 3)], lambda a: a.unsqueeze(0), dim=0)
case("unsqueeze_neg1", "unsqueeze", [rnd(2, 3)], lambda a: a.unsqueeze(-1), dim=-1)
case("expand", "expand", [rnd(3, 1)], lambda a: a.expand(2, 3, 4), shape=[2, 3, 4])
case("expand_minus_one", "expand", [rnd(1, 3)], lambda a: a.expand(4, -1), shape=[4, -1])
case("cat_dim0", "cat", [rnd(2, 3), rnd(1, 3)], lambda a, b: torch.cat([a, b], 0), dim=0)
case("cat_dim1_three", "cat", [rnd(2, 1), rnd(2, 3), rnd(2, 2)], lambda a, b, c: torch.cat([a, b, c], 1), dim=1)
case("cat_dim_neg1_one_const", "cat", [rnd(2, 2), Const(rnd(2, 3))], lambda a, b: torch.cat([a, b], -1), dim=-1)
case("stack_dim0", "stack", [rnd(2, 3), rnd(2, 3)], lambda a, b: torch.stack([a, b], 0), dim=0)
case("stack_dim2", "stack", [rnd(2, 3), rnd(2, 3), rnd(2, 3)], lambda a, b, c: torch.stack([a, b, c], 2), dim=2)
case("stack_dim_neg1", "stack", [rnd(3), rnd(3)], lambda a, b: torch.stack([a, b], -1), dim=-1)
case("split_size", "split", [rnd(2, 5)], lambda a: a.split(2, 1), size=2, dim=1)
case("split_size_dim0", "split", [rnd(4, 3)], lambda a: a.split(2, 0), size=2, dim=0)
case("split_sizes", "split_sizes", [rnd(2, 5)], lambda a: a.split([1, 3, 1], 1), sizes=[1, 3, 1], dim=1)
case("narrow", "narrow", [rnd(3, 4)], lambda a: a.narrow(1, 1, 2), dim=1, start=1, length=2)
case("narrow_negative_start", "narrow", [rnd(4, 3)], lambda a: a.narrow(0, -3, 2), dim=0, start=-3, length=2)
case("select", "select", [X234()], lambda a: a.select(1, 2), dim=1, index=2)
case("select_negative", "select", [rnd(3, 4)], lambda a: a.select(0, -1), dim=0, index=-1)
case("slice_step", "slice", [rnd(3, 7)], lambda a: a[:, 1:6:2], dim=1, start=1, end=6, step=2)
case("slice_clamped_end", "slice", [rnd(4, 3)], lambda a: a[1:100], dim=0, start=1, end=100, step=1)
case("slice_negative_start", "slice", [rnd(3, 5)], lambda a: a[:, -3:], dim=1, start=-3, end=5, step=1)
case("gather_dim1", "gather", [rnd(3, 4), Const(torch.tensor([[0, 0], [3, 1], [2, 2]]))],
     lambda a, i: a.gather(1, i), dim=1)
case("gather_dim0", "gather", [rnd(3, 4), Const(torch.tensor([[2, 0, 1, 1], [0, 0, 2, 1]]))],
     lambda a, i: a.gather(0, i), dim=0)
case("index_select_dim0", "index_select", [rnd(3, 4), Const(torch.tensor([2, 0, 2]))],
     lambda a, i: a.index_select(0, i), dim=0)
case("index_select_dim1", "index_select", [X234(), Const(torch.tensor([3, 1]))],
     lambda a, i: a.index_select(1 + 1, i), dim=2)

# ---- softmax -------------------------------------------------------------------------------------------------

case("softmax_dim1", "softmax", [rnd(3, 4)], lambda a: a.softmax(1), dim=1)
case("softmax_dim0", "softmax", [rnd(3, 4)], lambda a: a.softmax(0), dim=0)
case("softmax_3d_dim_neg1", "softmax", [X234()], lambda a: a.softmax(-1), dim=-1)
case("softmax_large", "softmax", [torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]])],
     lambda a: a.softmax(1), dim=1)
case("log_softmax_dim1", "log_softmax", [rnd(3, 4)], lambda a: a.log_softmax(1), dim=1)
case("log_softmax_3d_dim1", "log_softmax", [X234()], lambda a: a.log_softmax(1), dim=1)
case("log_softmax_large", "log_softmax", [torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]])],
     lambda a: a.log_softmax(1), dim=1)

# ---- PyTorch's conventions at special points ------------------------------------------------------------------

case("std_constant_input", "std", [torch.tensor([[1.5, 1.5, 1.5], [1.0, 2.0, 0.5]])], lambda a: a.std(1),
     dims=[1], unbiased=True, keepdim=False)
case("max_all_with_nan", "max_all", [torch.tensor([1.0, float("nan"), 2.0])], lambda a: a.max())
case("max_dim_with_nan", "max_dim", [torch.tensor([[1.0, float("nan"), 2.0], [0.5, 3.0, -1.0]])],
     lambda a: tuple(a.max(1)), dim=1, keepdim=False)
case("max_dim_of_0d", "max_dim", [rnd()], lambda a: tuple(a.max(0)), dim=0, keepdim=False)
case("sum_empty_dims_reduces_all", "sum", [rnd(2, 3)], lambda a: a.sum(dim=[]), dims=[], keepdim=False)
case("mean_empty_dims_reduces_all", "mean", [rnd(2, 3)], lambda a: a.mean(dim=[]), dims=[], keepdim=False)
case("norm_0_counts_nonzero", "norm", [torch.tensor([[1.0, 0.0, -2.0], [0.0, 0.0, 3.0]])],
     lambda a: a.norm(0, dim=1), p=0.0, dims=[1], keepdim=False)
case("norm_minus_1", "norm", [away(3, 4)], lambda a: a.norm(-1), p=-1.0, dims=None, keepdim=False)
case("norm_minus_inf_dim1", "norm", [distinct(3, 4)], lambda a: a.norm(float("-inf"), dim=1), p=float("-inf"),
     dims=[1], keepdim=False)
case("norm_1_5_with_zeros", "norm", [torch.tensor([[1.0, 0.0, 2.0], [0.0, -0.5, 1.5]])],
     lambda a: a.norm(1.5, dim=1), p=1.5, dims=[1], keepdim=False)
case("norm_0_5_with_zeros", "norm", [torch.tensor([[1.0, 0.0, 2.0], [0.0, -0.5, 1.5]])],
     lambda a: a.norm(0.5, dim=1), p=0.5, dims=[1], keepdim=False)
case("norm_3_with_zeros", "norm", [torch.tensor([[1.0, 0.0, 2.0], [0.0, -0.5, 1.5]])],
     lambda a: a.norm(3, dim=1), p=3.0, dims=[1], keepdim=False)
case("norm_2_of_zeros", "norm", [torch.zeros(2, 3)], lambda a: a.norm(2, dim=1), p=2.0, dims=[1], keepdim=False)
case("norm_inf_of_empty", "norm", [torch.zeros(2, 0)], lambda a: a.norm(float("inf"), dim=1), p=float("inf"),
     dims=[1], keepdim=False)
case("logsumexp_of_empty", "logsumexp", [torch.zeros(2, 0)], lambda a: a.logsumexp(1), dims=[1], keepdim=False)
case("logsumexp_with_minus_inf", "logsumexp", [torch.tensor([[float("-inf"), 1.0, 2.0], [0.5, float("-inf"), 0.0]])],
     lambda a: a.logsumexp(1), dims=[1], keepdim=False)
case("log_softmax_with_minus_inf", "log_softmax", [torch.tensor([[float("-inf"), 1.0, 2.0]])],
     lambda a: a.log_softmax(1), dim=1)
case("softmax_with_minus_inf", "softmax", [torch.tensor([[float("-inf"), 1.0, 2.0]])], lambda a: a.softmax(1), dim=1)
case("cat_skips_legacy_empty", "cat", [rnd(2, 3), torch.zeros(0), rnd(2, 1)], lambda a, b, c: torch.cat([a, b, c], 1),
     dim=1)
case("clamp_int_to_fractional_bounds", "clamp", [Const(torch.tensor([0, 1, 2, 3]))], lambda a: a.clamp(0.5, 2.5),
     min=0.5, max=2.5)
case("relu_at_nan", "relu", [torch.tensor([float("nan"), 1.0, -1.0])], lambda a: a.relu())
case("abs_at_nan", "abs", [torch.tensor([float("nan"), 1.0, -1.0])], lambda a: a.abs())
case("maximum_with_nan", "maximum", [torch.tensor([float("nan"), 1.0, 2.0]), torch.tensor([0.0, float("nan"), 2.0])],
     lambda a, b: torch.maximum(a, b))
case("minimum_with_nan", "minimum", [torch.tensor([float("nan"), 1.0, 2.0]), torch.tensor([0.0, float("nan"), 2.0])],
     lambda a, b: torch.minimum(a, b))
case("clamp_at_nan", "clamp", [torch.tensor([float("nan"), 1.0, -1.0])], lambda a: a.clamp(0.0, 0.5), min=0.0, max=0.5)
case("norm_1_at_nan_and_zero", "norm", [torch.tensor([float("nan"), 0.0, -1.0])], lambda a: a.norm(1), p=1.0,
     dims=None, keepdim=False)
case("sqrt_at_zero", "sqrt", [torch.tensor([0.0, 1.0, 4.0])], lambda a: a.sqrt())
case("div_by_zero", "div", [torch.tensor([1.0, -1.0, 0.0]), torch.tensor([0.0, 0.0, 2.0])], lambda a, b: a.div(b))
case("int_sum", "sum", [Const(torch.tensor([[1, 2, 3], [4, 5, 6]]))], lambda a: a.sum(1), dims=[1], keepdim=False)
case("bool_sum", "sum", [Const(torch.tensor([True, False, True]))], lambda a: a.sum(), dims=None, keepdim=False)
case("int_div_is_true_division", "div", [Const(torch.tensor([3, -7])), Const(torch.tensor([2, 2]))],
     lambda a, b: a.div(b))
case("mixed_float32_float64", "mul_f32_f64", [rnd(2, 3), rnd(3)], lambda a, b: a.float().mul(b))

# ---- comparisons (bool results, no gradient) ------------------------------------------------------------------

CA = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
CB = torch.tensor([1.0, -1.0, 2.5])
for opname in ["eq", "ne", "lt", "le", "gt", "ge"]:
    case(f"{opname}_broadcast", opname, [CA, CB], lambda a, b, o=opname: getattr(a, o)(b))
    case(f"{opname}_scalar", f"{opname}_scalar", [CA], lambda a, o=opname: getattr(a, o)(2.0), other=2.0)

# ---- erf and the activations of nn (added after the cases above, so their random values are unchanged) ---------

case("erf", "erf", [rnd(2, 3, low=-3, high=3)], lambda a: a.erf())
case("erf_wide_range", "erf", [torch.tensor([-7.0, -3.5, -1.0, -0.3, 0.0, 0.2, 0.9, 1.7, 2.9, 5.5, 6.5])],
     lambda a: a.erf())
case("gelu", "gelu", [rnd(2, 3, low=-4, high=4)], lambda a: torch.nn.functional.gelu(a))
case("gelu_tanh", "gelu_tanh", [rnd(2, 3, low=-4, high=4)], lambda a: torch.nn.functional.gelu(a, approximate="tanh"))
case("gelu_large", "gelu", [torch.tensor([-40.0, -8.0, 0.0, 8.0, 40.0])], lambda a: torch.nn.functional.gelu(a))
case("silu", "silu", [rnd(2, 3, low=-5, high=5)], lambda a: torch.nn.functional.silu(a))
case("silu_large", "silu", [torch.tensor([-60.0, -20.0, 0.0, 20.0, 60.0])], lambda a: torch.nn.functional.silu(a))
case("leaky_relu", "leaky_relu", [away(2, 3)], lambda a: torch.nn.functional.leaky_relu(a, 0.2), negative_slope=0.2)
case("leaky_relu_at_zero_and_nan", "leaky_relu", [torch.tensor([-1.0, 0.0, 1.0, float("nan")])],
     lambda a: torch.nn.functional.leaky_relu(a, 0.01), negative_slope=0.01)
case("elu", "elu", [away(2, 3)], lambda a: torch.nn.functional.elu(a, 0.7), alpha=0.7)
case("elu_at_zero_and_large", "elu", [torch.tensor([-30.0, -1.0, 0.0, 1.0, 100.0])],
     lambda a: torch.nn.functional.elu(a, 1.0), alpha=1.0)


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(CASES, f, separators=(",", ":"), allow_nan=True)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT) // 1024} KB)")


if __name__ == "__main__":
    main()
