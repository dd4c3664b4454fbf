#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's fused linear op (F.linear: x W^T + b as one GEMM with the bias as its C
operand; dev.ember.ops.LinearAlgebra.linear, behind nn.Linear and nn.functional.Layers.linear), as PyTorch 1.13
computes it: the value, the gradients, the gradients of a function of the gradients (create_graph=True, the second
order), and the forward-mode tangent, in float64 and float32, for inputs of every rank, transposed inputs and
weights, with and without a bias, at sizes that run the Java loop and sizes that run the BLAS.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_linear_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides
PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/linear.json, which dev.ember.tests.LinearConformanceTest
reads: the Java test never needs Python or PyTorch.

The JSON object has one list, "cases", each:
  name       unique
  dtype      float64 or float32 (every tensor of the case)
  x, w, b    the input [*, in] (x_transposed: stored as its transpose, passed as x.t(); only for 2-d x), the
             weight [out, in] (w_transposed likewise: the stored [in, out] tensor, passed as w.t()), the bias [out]
             or null
  y          F.linear(x, w, b)
  v          fixed weights of the loss L = (y * v).sum()
  grads      {"x", "w", "b"}: dL/dx, dL/dw, dL/db
  u          fixed weights of the second-order function S = sum over x, w, b of (dL/d_ * u_).sum(), with the first
             gradients computed with create_graph=True; u is {"x", "w", "b"}
  grads2     {"x", "w", "b", "v"}: dS/dx, dS/dw, dS/db, dS/dv (v requires grad for this)
  tangents   {"x", "w", "b"}: fixed tangents; jvp: the tangent of y (torch.autograd.forward_ad)

Tensors are {"shape", "dtype", "values" (row-major)}; inputs are rounded to three decimals (exactly the values both
sides use). The seed is fixed, so the file is reproducible.
"""

import json
import os

import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "linear.json")

DATA = torch.Generator().manual_seed(20261122)


def rnd(*shape, dtype=torch.float64):
    t = torch.rand(shape, generator=DATA, dtype=torch.float64) * 2 - 1
    return (torch.round(t * 1000) / 1000).to(dtype)


def enc(t):
    if t is None:
        return None
    t = t.detach()
    dtype = "float32" if t.dtype == torch.float32 else "float64"
    return {"shape": list(t.shape), "dtype": dtype, "values": [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]}


CASES = []


def case(name, x_shape, out_features, bias=True, dtype=torch.float64, x_transposed=False, w_transposed=False):
    in_features = x_shape[-1]
    x_stored = rnd(*(reversed(x_shape) if x_transposed else x_shape), dtype=dtype)
    w_stored = rnd(*((in_features, out_features) if w_transposed else (out_features, in_features)), dtype=dtype)
    b0 = rnd(out_features, dtype=dtype) if bias else None

    def leaves():
        xs = x_stored.clone().requires_grad_(True)
        ws = w_stored.clone().requires_grad_(True)
        bs = b0.clone().requires_grad_(True) if bias else None
        return xs, ws, bs

    def apply(xs, ws, bs):
        return F.linear(xs.t() if x_transposed else xs, ws.t() if w_transposed else ws, bs)

    xs, ws, bs = leaves()
    y = apply(xs, ws, bs)
    v = rnd(*y.shape, dtype=dtype)
    params = [xs, ws] + ([bs] if bias else [])
    g = torch.autograd.grad((y * v).sum(), params)
    grads = {"x": enc(g[0]), "w": enc(g[1]), "b": enc(g[2]) if bias else None}

    # second order: S = sum of (dL/dp * u_p), differentiated again w.r.t. x, w, b and v
    xs, ws, bs = leaves()
    vv = v.clone().requires_grad_(True)
    params = [xs, ws] + ([bs] if bias else [])
    first = torch.autograd.grad((apply(xs, ws, bs) * vv).sum(), params, create_graph=True)
    us = [rnd(*p.shape, dtype=dtype) for p in params]
    s = sum((gi * ui).sum() for gi, ui in zip(first, us))
    second = torch.autograd.grad(s, params + [vv], allow_unused=True)
    second = [torch.zeros_like(p) if d is None else d for p, d in zip(params + [vv], second)]
    grads2 = {"x": enc(second[0]), "w": enc(second[1]), "b": enc(second[2]) if bias else None, "v": enc(second[-1])}
    u = {"x": enc(us[0]), "w": enc(us[1]), "b": enc(us[2]) if bias else None}

    # forward mode
    tx, tw = rnd(*x_stored.shape, dtype=dtype), rnd(*w_stored.shape, dtype=dtype)
    tb = rnd(out_features, dtype=dtype) if bias else None
    with fwAD.dual_level():
        dx = fwAD.make_dual(x_stored, tx)
        dw = fwAD.make_dual(w_stored, tw)
        db = fwAD.make_dual(b0, tb) if bias else None
        jvp = fwAD.unpack_dual(apply(dx, dw, db)).tangent

    CASES.append({
        "name": name, "dtype": str(dtype).replace("torch.", ""), "x": enc(x_stored), "x_transposed": x_transposed,
        "w": enc(w_stored), "w_transposed": w_transposed, "b": enc(b0), "y": enc(y), "v": enc(v), "grads": grads,
        "u": u, "grads2": grads2, "tangents": {"x": enc(tx), "w": enc(tw), "b": enc(tb)}, "jvp": enc(jvp)})


for dt, tag in ((torch.float64, ""), (torch.float32, "_float32")):
    case("small" + tag, (3, 4), 5, dtype=dt)                              # 60 multiply-adds: the Java loop
    case("small_no_bias" + tag, (3, 4), 5, bias=False, dtype=dt)
    case("vector_input" + tag, (4,), 3, dtype=dt)
    case("3d_input" + tag, (2, 3, 4), 5, dtype=dt)
    case("4d_input_no_bias" + tag, (2, 2, 3, 4), 3, bias=False, dtype=dt)
    case("transposed_input" + tag, (6, 5), 4, x_transposed=True, dtype=dt)
    case("transposed_weight" + tag, (6, 5), 4, w_transposed=True, dtype=dt)
    case("large" + tag, (8, 24), 16, dtype=dt)                              # 3,072 multiply-adds: the BLAS
    case("large_no_bias" + tag, (12, 16), 20, bias=False, dtype=dt)
    case("large_3d_transposed_weight" + tag, (2, 6, 16), 12, w_transposed=True, dtype=dt)
    case("large_transposed_input" + tag, (16, 12), 10, x_transposed=True, dtype=dt)

def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"cases": CASES}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT) // 1024} KB)")


if __name__ == "__main__":
    main()
