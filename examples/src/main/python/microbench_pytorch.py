"""PyTorch's side of Ember's MicroBench: the same workloads, timed the same way (warm-up, median of 7 samples).

Run with Debian's PyTorch (apt-get install python3-torch libopenblas0-pthread):
    /usr/bin/python3 examples/src/main/python/microbench_pytorch.py
"""
import math
import statistics
import time

import torch

torch.set_num_threads(2)


def bench(fn, sample_seconds=0.2, samples=7, warmup_seconds=0.5):
    end = time.perf_counter() + warmup_seconds
    calls = 0
    while time.perf_counter() < end:
        fn()
        calls += 1
    per_sample = max(1, int(calls * sample_seconds / warmup_seconds))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(per_sample):
            fn()
        times.append((time.perf_counter() - t0) / per_sample * 1e6)
    return statistics.median(times)


def main():
    a, b = torch.randn(4), torch.randn(4)
    m1, m2 = torch.randn(64, 64), torch.randn(64, 64)
    w = torch.randn(4, requires_grad=True)
    x = torch.randn(4)
    wr = torch.randn(4, requires_grad=True)

    def tiny_backward():
        (w * x).sum().backward()

    def add_in_place():
        with torch.no_grad():
            a.add_(b)

    rows = [
        ("add, 4 floats", bench(lambda: a + b)),
        ("add in place, 4 floats (no_grad)", bench(add_in_place)),
        ("matmul 64x64", bench(lambda: m1 @ m2)),
        ("tiny fwd+bwd (w*x).sum().backward()", bench(tiny_backward)),
        ("add, requires grad (recorded)", bench(lambda: wr + b)),
    ]
    # W1: Linear 2-16, tanh, Linear 16-16, tanh, Linear 16-1; batch 8; MSE; SGD lr 0.01 momentum 0.9
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                                torch.nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    xs, ys = torch.randn(8, 2), torch.randn(8, 1)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xs), ys)
        loss.backward()
        opt.step()

    w1 = bench(step)
    rows.append(("W1 train step (MLP 2-16-16-1, batch 8)", w1))
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, us in rows:
        print(f"{name:45s} {us:10.3f} µs/op")
    print(f"W1: {1e6 / w1:,.0f} steps/s")


if __name__ == "__main__":
    main()
