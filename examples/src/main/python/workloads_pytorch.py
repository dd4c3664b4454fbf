"""PyTorch's side of Ember's workloads benchmark (dev.ember.examples.bench.Workloads): PEERS.md's W1, W2 and W3,
timed the same way (warm-up, then samples of a calibrated number of steps; median sample, spread = slowest/fastest),
with the SGEMM ceiling (a 2048^3 float32 matmul, best of 3) measured in the same run.

The models and data come from torch.manual_seed(0) in the order Ember's benchmark uses (the layers, then the inputs,
then the targets), so the first loss printed here equals the Ember benchmark's first loss for each workload.

Run with Debian's PyTorch (apt-get install python3-torch libopenblas0-pthread):
    /usr/bin/python3 examples/src/main/python/workloads_pytorch.py            # about 30 s
    /usr/bin/python3 examples/src/main/python/workloads_pytorch.py --quick    # a few seconds, rough figures
    /usr/bin/python3 examples/src/main/python/workloads_pytorch.py --workload W3 --steps 5
"""
import argparse
import time

import torch

torch.set_num_threads(2)

LR, MOMENTUM = 0.01, 0.9

# name: (layer widths, batch, tanh between layers (else ReLU), cross-entropy (else MSE), what it stresses)
WORKLOADS = {
    "W1": ([2, 16, 16, 1], 8, True, False, "per-op overhead of the tape and the kernels"),
    "W2": ([784, 128, 10], 64, False, True, "a typical small network (MNIST-shaped)"),
    "W3": ([1024, 2048, 2048, 10], 256, False, True, "GEMM throughput"),
}


def flops_per_step(widths, batch):
    return 6.0 * batch * sum(a * b for a, b in zip(widths, widths[1:]))


def build(widths, batch, tanh, cross_entropy):
    torch.manual_seed(0)
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        if i > 0:
            layers.append(torch.nn.Tanh() if tanh else torch.nn.ReLU())
        layers.append(torch.nn.Linear(a, b))
    model = torch.nn.Sequential(*layers)
    x = torch.randn(batch, widths[0])
    if cross_entropy:
        y = torch.randint(0, widths[-1], (batch,))
        criterion = torch.nn.CrossEntropyLoss()
    else:
        y = torch.randn(batch, widths[-1])
        criterion = torch.nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    state = {}

    def step():
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        state["loss"] = loss

    return step, state


def sgemm_ceiling(n, tries, when):
    a, b = torch.rand(n, n), torch.rand(n, n)
    c = torch.empty(n, n)
    torch.matmul(a, b, out=c)
    best = min(timed(lambda: torch.matmul(a, b, out=c)) for _ in range(tries))
    gflops = 2.0 * n ** 3 / best / 1e9
    print(f"SGEMM ceiling {when} (torch.matmul, float32, {n}^3, best of {tries} after a warm-up): "
          f"{gflops:.1f} GFLOP/s ({best * 1e3:.1f} ms)")
    return gflops


def blas_library():
    """The BLAS shared library this process has loaded (after a matmul), from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower()}
        return ", ".join(sorted(libs)) or "none found in /proc/self/maps"
    except OSError:
        return "unknown (no /proc/self/maps)"


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short samples, rough figures")
    parser.add_argument("--workload", action="append", choices=list(WORKLOADS), help="repeatable; default all")
    parser.add_argument("--steps", type=int, default=0, help="steps per sample instead of a calibrated count")
    parser.add_argument("--samples", type=int, default=0)
    args = parser.parse_args()
    names = args.workload or list(WORKLOADS)

    gemm_size, gemm_tries = (1024, 2) if args.quick else (2048, 3)
    ceiling_before = sgemm_ceiling(gemm_size, gemm_tries, "before the workloads")
    print(f"PyTorch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, BLAS loaded: {blas_library()}")
    print("Optimizer: torch.optim.SGD(lr=0.01, momentum=0.9) (heavy-ball momentum, nesterov=False)")
    print()
    start = time.perf_counter()
    rows = []
    for name in names:
        widths, batch, tanh, ce, stresses = WORKLOADS[name]
        big = name == "W3"
        if args.quick:
            warmup_seconds, warmup_steps, sample_seconds, samples = (0, 1, 0, 1) if big else (0.1, 3, 0.05, 2)
        else:
            warmup_seconds, warmup_steps, sample_seconds, samples = (0, 2, 1.0, 3) if big else (1.0, 3, 0.5, 5)
        samples = args.samples or samples
        step, state = build(widths, batch, tanh, ce)
        step()
        first = state["loss"].item()
        n, t0, elapsed = 1, time.perf_counter(), 0.0
        while n < warmup_steps or elapsed < warmup_seconds:
            step()
            n += 1
            elapsed = time.perf_counter() - t0
        per_sample = args.steps or max(1, round((n - 1) / max(elapsed, 1e-9) * sample_seconds))
        seconds = []
        for _ in range(samples):
            t0 = time.perf_counter()
            for _ in range(per_sample):
                step()
            seconds.append(time.perf_counter() - t0)
        median = sorted(seconds)[len(seconds) // 2]   # as the Java side: the upper median for even counts
        sps = per_sample / median
        rows.append((name, sps, max(seconds) / min(seconds), per_sample * samples, first, state["loss"].item(),
                     flops_per_step(widths, batch)))
        print(f"{name}: {len(widths) - 1} Linear layers {widths}, {'tanh' if tanh else 'ReLU'}, batch {batch}, "
              f"{'cross-entropy' if ce else 'MSE'}  [{stresses}]: {sps:,.1f} steps/s "
              f"({samples} samples of {per_sample} steps)")

    # Measured twice: a busy moment can only lower a best-of figure, so the better of the two is the ceiling.
    ceiling = max(ceiling_before, sgemm_ceiling(gemm_size, gemm_tries, "after the workloads"))
    print()
    print(f"{'':4s} {'':8s} {'steps/s':>12s} {'ms/step':>10s} {'GFLOP/s':>10s} {'spread':>8s} {'steps':>9s}  "
          f"loss first -> last")
    for name, sps, spread, steps, first, last, flops in rows:
        print(f"{name:4s} {'PyTorch':8s} {sps:12,.1f} {1e3 / sps:10.3f} {sps * flops / 1e9:10.2f} {spread:8.2f} "
              f"{steps:9d}  {first:.7g} -> {last:.5g}")
        if name == "W3":
            print(f"     SGEMM ceiling (better of the two) {ceiling:.1f} GFLOP/s = {ceiling * 1e9 / flops:.1f} W3 steps/s; "
                  f"PyTorch at {100 * sps * flops / 1e9 / ceiling:.0f}% of it")
    print(f"total time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
