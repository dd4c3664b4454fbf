"""Writes tests/src/test/resources/fixtures/random.json: PyTorch 1.13's CPU random streams, for RandomConformanceTest.

Regenerate (needs Debian's python3-torch; the Java tests never need Python):
    /usr/bin/python3 tests/src/test/python/random_fixtures.py

One stream: manual_seed(0), then a sequence of calls (randn, rand, randint, normal_, uniform_) at many sizes and
both float types, in order, so the test also checks what carries over between calls (the cached normal sample).
Values are written with repr(), which round-trips float64 exactly; float32 values are exact as doubles.
"""
import json
import os

import torch

SIZES = list(range(1, 34)) + [63, 64, 65, 100, 1007]


def main():
    torch.manual_seed(0)
    calls = []

    def record(kind, dtype, size, tensor, **args):
        calls.append({"kind": kind, "dtype": dtype, "size": size, "args": args,
                      "values": [float(v) if dtype != "int64" else int(v) for v in tensor.flatten().tolist()]})

    for size in SIZES:
        record("randn", "float32", size, torch.randn(size))
        record("randn", "float64", size, torch.randn(size, dtype=torch.float64))
        record("rand", "float32", size, torch.rand(size))
        record("rand", "float64", size, torch.rand(size, dtype=torch.float64))
        record("randint", "int64", size, torch.randint(-5, 7, (size,)), low=-5, high=7)
        record("normal_", "float32", size, torch.empty(size).normal_(2.0, 0.5), mean=2.0, std=0.5)
        record("uniform_", "float64", size, torch.empty(size, dtype=torch.float64).uniform_(-3.0, 1.0),
               low=-3.0, high=1.0)
    record("randint", "int64", 20, torch.randint(0, 2 ** 40, (20,)), low=0, high=2 ** 40)
    out = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "random.json")
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "seed": 0, "calls": calls}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
