#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's functional API (dev.ember.autograd.Functional): vjp, jvp, jacobian,
hessian, hvp and vhp of a few functions of one and several inputs, as torch.autograd.functional computes them in
PyTorch 1.13, and whether strict mode raises.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_functional_fixtures.py

run from the repository root (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch`
provides PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/functional.json, which the Java test
dev.ember.tests.FunctionalConformanceTest reads: it never needs Python or PyTorch.

The JSON object has two lists.

"cases": one per (function, point). Each case has
  name       unique, the JUnit test name
  function   which function (the Java test has the same functions under the same names, see FUNCTIONS below)
  scalar     true if the function returns one scalar (then hessian, hvp and vhp are given)
  inputs     the inputs: {"shape", "dtype", "values" (row-major)}
  constants  tensors the function closes over (data, targets), same encoding
  outputs    f(inputs)
  jacobian   [output i][input j], each of shape output_i ++ input_j (reverse mode)
  vjp        {"v": one tensor per output, "result": one per input}
  jvp        {"v": one per input, "result": one per output}
  hessian    [input i][input j] of shape input_i ++ input_j (scalar functions only)
  hvp, vhp   {"v": one per input, "result": one per input} (scalar functions only)
  third      (scalar functions only) the gradient with respect to the inputs of hvp(f, x, v, create_graph=True)
             summed: sum_i (H v)_i, differentiated once more (a third derivative through create_graph)
  jacobian_grad  the gradient with respect to the inputs of sum(jacobian(f, x, create_graph=True)) (all blocks;
             zeros where the Jacobian does not depend on the inputs)

"strict": one per (function, api, create_graph): {"function", "api" (vjp, jvp, jacobian, hessian, hvp, vhp),
  "create_graph", "raises" (whether PyTorch raises with strict=True), "message" (PyTorch's, for reference)}.
  The inputs are the function's first case's.

All values are float64; inputs, constants and vectors v are rounded to three decimals (short JSON, and exactly the
values both sides use). The seed is fixed, so the file is reproducible.
"""

import json
import os

import torch
import torch.autograd.functional as AF

torch.manual_seed(20240607)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "functional.json")


def r3(t):
    return torch.round(t * 1000) / 1000


def rnd(*shape, low=-1.5, high=1.5):
    return r3(torch.rand(shape) * (high - low) + low)


def enc(t):
    t = t.detach()
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "values": [float(v) for v in t.reshape(-1).tolist()]}


def tup(x):
    return x if isinstance(x, tuple) else (x,)


# ---- the functions: name -> (function of (inputs..., constants), scalar output?) -----------------------------
# Each is written with the ops Ember has, in the same order, so both sides compute the same thing.

def exp_reducer(x):
    return x.exp().sum(1)


def adder(x, y):
    return 2 * x + 3 * y


def three_outputs(a, b):
    return (a * b, a.sum(0) + b.tanh(), a.pow(2).sum() * b.exp().mean())


def softmax(x):
    return x.softmax(0)


def cubic_sum(x):
    return x.pow(3).sum()


def mixed_scalar(x, y):
    # couples the inputs: non-zero off-diagonal Hessian blocks
    return (x.sin() * y).sum() + x.pow(2).sum() * y.exp().sum()


def mlp(w1, b1, w2, X):
    return (X.matmul(w1) + b1).tanh().matmul(w2)


def mlp_loss(w1, b1, w2, X, Y):
    return (mlp(w1, b1, w2, X) - Y).pow(2).mean()


def logistic_loss(w, b, X, y):
    p = (X.matmul(w) + b).sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()


def rosenbrock(x):
    head = x.narrow(0, 0, 3)
    tail = x.narrow(0, 1, 3)
    return (100 * (tail - head.pow(2)).pow(2) + (1 - head).pow(2)).sum()


def log_softmax_nll(z, target_mask):
    return -(z.log_softmax(1) * target_mask).sum() / z.shape[0]


CASES = []
STRICT = []


def add_case(name, fn, inputs, constants=(), scalar=False):
    inputs = tuple(inputs)
    constants = tuple(constants)

    def f(*xs):
        return fn(*xs, *constants)

    case = {"name": name, "function": fn.__name__, "scalar": scalar,
            "inputs": [enc(x) for x in inputs], "constants": [enc(c) for c in constants]}
    outs = tup(f(*inputs))
    case["outputs"] = [enc(o) for o in outs]
    jac = AF.jacobian(f, inputs)
    # normalise the nesting to [output][input]
    if not isinstance(f(*inputs), tuple):
        jac = (jac,)
    case["jacobian"] = [[enc(jj) for jj in row] for row in jac]
    v_out = tuple(rnd(*o.shape) for o in outs)
    _, vjp = AF.vjp(f, inputs, v_out if isinstance(f(*inputs), tuple) else v_out[0])
    case["vjp"] = {"v": [enc(v) for v in v_out], "result": [enc(t) for t in tup(vjp)]}
    v_in = tuple(rnd(*x.shape) for x in inputs)
    _, jvp = AF.jvp(f, inputs, v_in)
    case["jvp"] = {"v": [enc(v) for v in v_in], "result": [enc(t) for t in tup(jvp)]}

    xs = tuple(x.detach().requires_grad_() for x in inputs)
    j = AF.jacobian(f, xs, create_graph=True)
    flat = [t for row in (j if isinstance(j, tuple) else (j,)) for t in (row if isinstance(row, tuple) else (row,))]
    total = sum(t.sum() for t in flat)
    g = torch.autograd.grad(total, xs, allow_unused=True) if total.requires_grad else (None,) * len(xs)
    case["jacobian_grad"] = [enc(gi if gi is not None else torch.zeros_like(x)) for gi, x in zip(g, xs)]

    if scalar:
        h = AF.hessian(f, inputs)
        case["hessian"] = [[enc(hh) for hh in row] for row in h]
        v = tuple(rnd(*x.shape) for x in inputs)
        _, hvp = AF.hvp(f, inputs, v)
        case["hvp"] = {"v": [enc(t) for t in v], "result": [enc(t) for t in hvp]}
        v2 = tuple(rnd(*x.shape) for x in inputs)
        _, vhp = AF.vhp(f, inputs, v2)
        case["vhp"] = {"v": [enc(t) for t in v2], "result": [enc(t) for t in vhp]}
        xs = tuple(x.detach().requires_grad_() for x in inputs)
        _, hv = AF.hvp(f, xs, v, create_graph=True)
        s = sum(t.sum() for t in hv)
        g = torch.autograd.grad(s, xs, allow_unused=True) if s.requires_grad else (None,) * len(xs)
        case["third"] = [enc(gi if gi is not None else torch.zeros_like(x)) for gi, x in zip(g, xs)]
    CASES.append(case)


add_case("exp_reducer", exp_reducer, [rnd(3, 4)])
add_case("adder", adder, [rnd(2), rnd(2)])
add_case("three_outputs", three_outputs, [rnd(2, 3), rnd(3)])
add_case("softmax", softmax, [rnd(4)])
add_case("cubic_sum", cubic_sum, [rnd(2, 2)], scalar=True)
add_case("cubic_sum 0-d", cubic_sum, [rnd()], scalar=True)
add_case("mixed_scalar", mixed_scalar, [rnd(3), rnd(2, 3)], scalar=True)
X = rnd(5, 3)
add_case("mlp", mlp, [rnd(3, 4), rnd(4), rnd(4, 2)], constants=[X])
add_case("mlp_loss", mlp_loss, [rnd(3, 4), rnd(4), rnd(4, 2)], constants=[X, rnd(5, 2)], scalar=True)
add_case("logistic_loss", logistic_loss, [rnd(3), rnd()],
         constants=[rnd(6, 3), torch.tensor([1., 0., 0., 1., 1., 0.])], scalar=True)
add_case("rosenbrock", rosenbrock, [rnd(4, low=-1.0, high=1.0)], scalar=True)
add_case("log_softmax_nll", log_softmax_nll, [rnd(3, 4)],
         constants=[torch.tensor([[1., 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])], scalar=True)


# ---- strict mode ------------------------------------------------------------------------------------------

def ignores_y(x, y):
    return 2 * x


def constant(x):
    return torch.ones(2)


def linear(x):
    return 2 * x


def linear_sum(x):
    return (2 * x).sum()


def quadratic(x):
    return x.pow(2).sum()


def quadratic_by_mul(x):
    return (x * x).sum()


def separable(x, y):
    return x.pow(2).sum() + y.pow(3).sum()


def stack_partial(x, y):
    return torch.stack([x[0] * 2, y[1]])


def cubic_ignores_y(x, y):
    return x.pow(3).sum()


STRICT_FUNCTIONS = [(ignores_y, 2, False), (constant, 1, False), (linear, 1, False), (linear_sum, 1, True),
                    (quadratic, 1, True), (quadratic_by_mul, 1, True), (separable, 2, True), (stack_partial, 2, False),
                    (cubic_ignores_y, 2, True)]

for fn, arity, scalar in STRICT_FUNCTIONS:
    xs = tuple(rnd(2) for _ in range(arity))
    out = fn(*xs)
    apis = ["vjp", "jvp", "jacobian"] + (["hessian", "hvp", "vhp"] if scalar else [])
    for api in apis:
        for cg in (False, True):
            if api == "vjp":
                call = lambda: AF.vjp(fn, xs, torch.ones_like(out), create_graph=cg, strict=True)
            elif api == "jvp":
                call = lambda: AF.jvp(fn, xs, tuple(torch.ones_like(x) for x in xs), create_graph=cg, strict=True)
            elif api == "jacobian":
                call = lambda: AF.jacobian(fn, xs, create_graph=cg, strict=True)
            elif api == "hessian":
                call = lambda: AF.hessian(fn, xs, create_graph=cg, strict=True)
            else:
                f = getattr(AF, api)
                call = lambda: f(fn, xs, tuple(torch.ones_like(x) for x in xs), create_graph=cg, strict=True)
            try:
                call()
                raises, message = False, None
            except RuntimeError as e:
                raises, message = True, str(e)
            STRICT.append({"function": fn.__name__, "inputs": [enc(x) for x in xs], "api": api,
                           "create_graph": cg, "raises": raises, "message": message})

with open(OUT, "w") as fh:
    json.dump({"cases": CASES, "strict": STRICT}, fh, separators=(",", ":"))
    fh.write("\n")
print("wrote", len(CASES), "cases and", len(STRICT), "strict checks to", os.path.normpath(OUT))
