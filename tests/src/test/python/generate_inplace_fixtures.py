#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's in-place ops (add_, sub_, mul_, div_ with tensors and scalars, add_ and
sub_ with alpha, addcmul_, addcdiv_, lerp_, copy_, clamp_, fill_, zero_, sqrt_, neg_, relu_): what PyTorch 1.13
writes into the destination's storage when the destination is a view (transposed, narrowed, strided, permuted) and
the operands are contiguous, transposed, broadcast, 0-d or the destination itself; which overlaps PyTorch refuses;
and the gradients when an in-place op on a tensor that requires grad is recorded.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_inplace_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides PyTorch
1.13). It writes tests/src/test/resources/fixtures/inplace.json, which the Java test
dev.ember.tests.InPlaceConformanceTest reads: it never needs Python or PyTorch.

A tensor is {"shape", "dtype", "values" (row-major)}, as in ops.json; dtype is always float64 (the values as written;
a case's "dtype" says which floating type both sides compute in); values are rounded to three decimals (short JSON,
and exactly what both sides start from), NaN written as the JSON literal NaN. A view is a list of steps applied in order to a base tensor:
["t"], ["narrow", dim, start, length], ["slice", dim, start, end, step], ["permute", [dims]], ["expand", [sizes]].

The JSON object has two lists.

"writes": one object per case:
  name      unique, the JUnit test name
  op        add, add_alpha, sub, sub_alpha, mul, div, add_scalar, sub_scalar, mul_scalar, div_scalar, addcmul,
            addcdiv, lerp_scalar, lerp_tensor, copy, clamp, fill, zero, sqrt, neg, relu (see OPS for each call)
  dtype     float32 or float64: every tensor of the case has it
  args      the op's numbers: alpha, value, weight, min, max (null: no bound)
  self      {"base": tensor, "view": steps}: the destination is view(base)
  operands  each {"base": tensor, "view": steps}, or {"self_view": steps}: a view of the destination's base
  error     null, or what PyTorch raised ("partial overlap", "internal overlap"); then the base must be unchanged
  expected  the destination's base after the op (so that elements outside the view are checked to be untouched)
  versions  how many times the base's version counter moved

"recorded": in-place ops on a non-leaf that requires grad, float64: a and the operands flagged requires_grad are
leaves; y = a * 1.5; y.<op>_(operands...); loss = (y * w).sum().
  name, op, args  as above (the destination and operands are contiguous)
  a, w      tensors
  operands  each {"tensor", "requires_grad"}
  y         y's values after the op
  grads     the gradient of loss with respect to a, then to each operand (null where it does not require grad)
"""

import json
import os

import torch

torch.manual_seed(20240701)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "inplace.json")


def values(shape, low=-2.0, high=2.0, away_from_zero=False):
    v = torch.empty(shape, dtype=torch.float64).uniform_(low, high)
    if away_from_zero:
        v = torch.where(v.abs() < 0.5, v.sign() * 0.5 + v, v)
    return torch.round(v * 1000) / 1000


def enc(t):
    return {"shape": list(t.shape), "dtype": "float64",
            "values": [float(v) for v in t.detach().to(torch.float64).reshape(-1).tolist()]}


def view(t, steps):
    for s in steps:
        if s[0] == "t":
            t = t.t()
        elif s[0] == "narrow":
            t = t.narrow(s[1], s[2], s[3])
        elif s[0] == "slice":
            index = [slice(None)] * t.dim()
            index[s[1]] = slice(s[2], s[3], s[4])
            t = t[tuple(index)]
        elif s[0] == "permute":
            t = t.permute(*s[1])
        elif s[0] == "expand":
            t = t.expand(*s[1])
        else:
            raise ValueError(s)
    return t


OPS = {
    "add": lambda s, o, a: s.add_(o[0]),
    "add_alpha": lambda s, o, a: s.add_(o[0], alpha=a["alpha"]),
    "sub": lambda s, o, a: s.sub_(o[0]),
    "sub_alpha": lambda s, o, a: s.sub_(o[0], alpha=a["alpha"]),
    "mul": lambda s, o, a: s.mul_(o[0]),
    "div": lambda s, o, a: s.div_(o[0]),
    "add_scalar": lambda s, o, a: s.add_(a["value"]),
    "sub_scalar": lambda s, o, a: s.sub_(a["value"]),
    "mul_scalar": lambda s, o, a: s.mul_(a["value"]),
    "div_scalar": lambda s, o, a: s.div_(a["value"]),
    "addcmul": lambda s, o, a: s.addcmul_(o[0], o[1], value=a["value"]),
    "addcdiv": lambda s, o, a: s.addcdiv_(o[0], o[1], value=a["value"]),
    "lerp_scalar": lambda s, o, a: s.lerp_(o[0], a["weight"]),
    "lerp_tensor": lambda s, o, a: s.lerp_(o[0], o[1]),
    "copy": lambda s, o, a: s.copy_(o[0]),
    "clamp": lambda s, o, a: s.clamp_(a["min"], a["max"]),
    "fill": lambda s, o, a: s.fill_(a["value"]),
    "zero": lambda s, o, a: s.zero_(),
    "sqrt": lambda s, o, a: s.sqrt_(),
    "neg": lambda s, o, a: s.neg_(),
    "relu": lambda s, o, a: s.relu_(),
}

# destination layouts: (base shape, view steps); every view has shape [3, 4] except the permuted one ([4, 2, 3])
DESTINATIONS = {
    "contiguous": ([3, 4], []),
    "transposed": ([4, 3], [["t"]]),
    "narrow": ([3, 6], [["narrow", 1, 1, 4]]),
    "strided": ([6, 4], [["slice", 0, 0, 6, 2]]),
    "permuted": ([2, 3, 4], [["permute", [2, 0, 1]]]),
}


def operand_layout(kind, shape):
    """An operand of the given layout for a destination of the given (view) shape."""
    if kind == "same":
        return list(shape), []
    if kind == "transposed":
        return [shape[1], shape[0]], [["t"]]
    if kind == "row":
        return [shape[-1]], []
    if kind == "column":
        return [shape[0], 1], []
    if kind == "scalar":
        return [], []
    if kind == "strided":
        return [shape[0] * 2] + list(shape[1:]), [["slice", 0, 1, shape[0] * 2, 2]]
    raise ValueError(kind)


def dest_shape(dest):
    base, steps = DESTINATIONS[dest]
    return list(view(torch.zeros(base), steps).shape)


writes = []


def add_write(op, dest, operand_kinds, args=None, dtype="float64", self_values=None, denominators=(), suffix=""):
    args = args or {}
    base_shape, steps = DESTINATIONS[dest]
    shape = dest_shape(dest)
    torch_type = torch.float64 if dtype == "float64" else torch.float32
    base = values(base_shape) if self_values is None else self_values(base_shape)
    operands = []
    tensors = []
    for i, kind in enumerate(operand_kinds):
        if kind == "self":
            operands.append({"self_view": steps})
            continue
        oshape, osteps = operand_layout(kind, shape)
        ob = values(oshape, away_from_zero=i in denominators)
        operands.append({"base": enc(ob), "view": osteps})
    name = "%s_%s_%s%s_%s" % (op, dest, "_".join(operand_kinds) if operand_kinds else "alone", suffix, dtype)
    b = base.to(torch_type).clone()
    for o in operands:
        if "self_view" in o:
            tensors.append(view(b, o["self_view"]))
        else:
            tensors.append(view(torch.tensor(o["base"]["values"], dtype=torch_type).reshape(o["base"]["shape"]),
                                o["view"]))
    before = b._version
    error = None
    try:
        OPS[op](view(b, steps), tensors, args)
    except RuntimeError as e:
        msg = str(e)
        error = "partial overlap" if "input tensor and the written-to tensor" in msg else \
            "internal overlap" if "more than one element of the written-to tensor" in msg else msg
    writes.append({"name": name, "op": op, "dtype": dtype, "args": args, "self": {"base": enc(base), "view": steps},
                   "operands": operands, "error": error, "expected": enc(b), "versions": b._version - before})


def both(*a, **k):
    for dtype in ("float64", "float32"):
        add_write(*a, dtype=dtype, **k)


BINARY_LAYOUTS = [("contiguous", ["same"]), ("contiguous", ["transposed"]), ("transposed", ["same"]),
                  ("narrow", ["row"]), ("strided", ["scalar"]), ("permuted", ["same"]), ("contiguous", ["self"]),
                  ("transposed", ["column"]), ("narrow", ["strided"])]
for op, args, denominators in [("add", {}, ()), ("add_alpha", {"alpha": 0.5}, ()), ("sub", {}, ()),
                               ("sub_alpha", {"alpha": -2.5}, ()), ("mul", {}, ()), ("div", {}, (0,))]:
    for dest, kinds in BINARY_LAYOUTS:
        both(op, dest, kinds, args, denominators=denominators)

for op, args in [("add_scalar", {"value": 1.25}), ("sub_scalar", {"value": 0.75}), ("mul_scalar", {"value": -1.5}),
                 ("div_scalar", {"value": 3.0}), ("fill", {"value": 2.5}), ("zero", {}), ("neg", {}), ("relu", {}),
                 ("clamp", {"min": -0.5, "max": 0.5}), ("clamp", {"min": 0.1, "max": None}),
                 ("clamp", {"min": None, "max": -0.2}), ("clamp", {"min": 0.5, "max": -0.5})]:
    for dest in DESTINATIONS:
        suffix = "" if op != "clamp" else "_%s_%s" % (args["min"], args["max"])
        both(op, dest, [], args, suffix=suffix.replace(".", "p").replace("-", "m"))


def with_negative_and_nan(shape):
    v = values(shape, 0.0, 4.0)
    v.view(-1)[1] = -1.0
    v.view(-1)[2] = float("nan")
    return v


for dest in DESTINATIONS:
    both("sqrt", dest, [], {}, self_values=with_negative_and_nan)
    both("relu", dest, [], {}, self_values=with_negative_and_nan, suffix="_nan")

TERNARY_LAYOUTS = [("contiguous", ["same", "same"]), ("contiguous", ["transposed", "row"]),
                   ("transposed", ["same", "scalar"]), ("narrow", ["column", "transposed"]),
                   ("permuted", ["same", "same"]), ("strided", ["self", "same"])]
for op, args, denominators in [("addcmul", {"value": 0.5}, ()), ("addcmul", {"value": 1.0}, ()),
                               ("addcdiv", {"value": -0.75}, (1,))]:
    for dest, kinds in TERNARY_LAYOUTS:
        both(op, dest, kinds, args, denominators=denominators, suffix="_v%s" % str(args["value"]).replace(".", "p")
             .replace("-", "m"))

for weight in (0.3, 0.8, 1.0, -0.7):
    for dest, kinds in [("contiguous", ["same"]), ("transposed", ["same"]), ("narrow", ["row"]),
                        ("contiguous", ["transposed"])]:
        both("lerp_scalar", dest, kinds, {"weight": weight}, suffix="_w%s" % str(weight).replace(".", "p")
             .replace("-", "m"))
for dest, kinds in [("contiguous", ["same", "same"]), ("transposed", ["same", "row"]),
                    ("contiguous", ["transposed", "scalar"])]:
    both("lerp_tensor", dest, kinds)

for dest, kinds in BINARY_LAYOUTS:
    both("copy", dest, kinds)

# overlaps that PyTorch refuses (the full overlap it accepts is above: the "self" operands)


def overlap_case(name, op, base_shape, self_steps, operand_steps, args=None):
    for dtype in ("float64", "float32"):
        torch_type = torch.float64 if dtype == "float64" else torch.float32
        base = values(base_shape)
        b = base.to(torch_type).clone()
        before = b._version
        error = None
        try:
            OPS[op](view(b, self_steps), [view(b, s) for s in operand_steps], args or {})
        except RuntimeError as e:
            msg = str(e)
            error = "partial overlap" if "input tensor and the written-to tensor" in msg else \
                "internal overlap" if "more than one element of the written-to tensor" in msg else msg
        writes.append({"name": name + "_" + dtype, "op": op, "dtype": dtype, "args": args or {},
                       "self": {"base": enc(base), "view": self_steps},
                       "operands": [{"self_view": s} for s in operand_steps], "error": error, "expected": enc(b),
                       "versions": b._version - before})


overlap_case("overlap_add_transpose_of_self", "add", [3, 3], [], [[["t"]]])
overlap_case("overlap_add_shifted_self", "add", [6], [["narrow", 0, 1, 5]], [[["narrow", 0, 0, 5]]])
overlap_case("overlap_copy_transpose_of_self", "copy", [4, 4], [], [[["t"]]])
overlap_case("overlap_addcmul_shifted_self", "addcmul", [6], [["narrow", 0, 0, 5]],
             [[["narrow", 0, 1, 5]], [["narrow", 0, 0, 5]]], {"value": 0.5})
overlap_case("overlap_add_expanded_destination", "add_scalar", [1, 4], [["expand", [3, 4]]], [], {"value": 1.0})
overlap_case("overlap_disjoint_halves", "add", [8], [["narrow", 0, 0, 4]], [[["narrow", 0, 4, 4]]])
overlap_case("overlap_interleaved_columns", "add", [3, 6], [["slice", 1, 0, 6, 2]], [[["slice", 1, 1, 6, 2]]])

recorded = []


def add_recorded(op, operand_specs, args=None, denominators=(), positive=False):
    """operand_specs: for each operand, (shape or None for [3, 4], requires_grad)."""
    args = args or {}
    a = values([3, 4], 0.1, 2.0) if positive else values([3, 4])
    w = values([3, 4])
    operands = []
    leaves = []
    for i, (shape, rg) in enumerate(operand_specs):
        t = values(shape or [3, 4], away_from_zero=i in denominators)
        operands.append({"tensor": enc(t), "requires_grad": rg})
        leaves.append(t.clone().requires_grad_(rg))
    al = a.clone().requires_grad_(True)
    y = al * 1.5
    OPS[op](y, leaves, args)
    loss = (y * w).sum()
    wanted = [al] + [t for t in leaves if t.requires_grad]
    got = torch.autograd.grad(loss, wanted)
    grads = [enc(got[0])]
    k = 1
    for t in leaves:
        if t.requires_grad:
            grads.append(enc(got[k]))
            k += 1
        else:
            grads.append(None)
    name = "%s_%s" % (op, "_".join("g" if rg else "c" for _, rg in operand_specs) or "alone")
    recorded.append({"name": name, "op": op, "args": args, "a": enc(a), "w": enc(w), "operands": operands,
                     "y": enc(y), "grads": grads})


add_recorded("add", [(None, True)])
add_recorded("add_alpha", [([4], True)], {"alpha": -0.5})
add_recorded("sub_alpha", [(None, False)], {"alpha": 2.0})
add_recorded("mul", [([3, 1], True)])
add_recorded("div", [(None, True)], denominators=(0,))
add_recorded("mul_scalar", [], {"value": 0.25})
add_recorded("addcmul", [(None, True), ([4], True)], {"value": 0.5})
add_recorded("addcmul", [(None, False), (None, True)], {"value": -2.0})
add_recorded("addcdiv", [(None, True), (None, True)], {"value": 0.75}, denominators=(1,))
add_recorded("lerp_scalar", [(None, True)], {"weight": 0.25})
add_recorded("lerp_scalar", [(None, True)], {"weight": 0.75})
add_recorded("lerp_tensor", [(None, True), (None, True)])
add_recorded("copy", [([4], True)])
add_recorded("clamp", [], {"min": -0.5, "max": 0.5})
add_recorded("sqrt", [], {}, positive=True)
add_recorded("relu", [], {})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"writes": writes, "recorded": recorded}, f, separators=(",", ":"))
    f.write("\n")
print("wrote %d write cases and %d recorded cases to %s" % (len(writes), len(recorded), OUT))
