#!/usr/bin/python3
"""Prints the PyTorch 1.13 values that the dev.ember.data tests compare against (pasted into the tests).

Run with Debian's python3-torch:  /usr/bin/python3 pytorch_reference.py
"""
import math

import torch
from torch.utils.data import DataLoader, random_split


def perm(n, seed):
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()


def weighted(p):
    return sum((i + 1) * v for i, v in enumerate(p))


print("== randperm")
for n, seed in [(0, 0), (1, 0), (2, 0), (5, 0), (10, 0), (20, 123)]:
    print(n, seed, perm(n, seed))
p = perm(60000, 1)
print("60000 1 first", p[:8], "weighted", weighted(p))
torch.manual_seed(0)
print("global seed 0 randperm(10)", torch.randperm(10).tolist(), "then randn(3)", torch.randn(3).tolist())

print("== DataLoader, global generator")
torch.manual_seed(0)
print("shuffle", [b.tolist() for b in DataLoader(list(range(10)), batch_size=3, shuffle=True)],
      "then randn(2)", torch.randn(2).tolist())
torch.manual_seed(0)
print("no shuffle", [b.tolist() for b in DataLoader(list(range(10)), batch_size=3)],
      "then randn(2)", torch.randn(2).tolist())
torch.manual_seed(3)
dl = DataLoader(list(range(7)), batch_size=2, shuffle=True)
print("two epochs seed 3", [b.tolist() for b in dl], [b.tolist() for b in dl], "then randn(2)", torch.randn(2).tolist())

print("== DataLoader, own generator")
g = torch.Generator().manual_seed(5)
dl = DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=g)
print("seed 5 bs 4, 3 epochs", [[b.tolist() for b in dl] for _ in range(3)])
g = torch.Generator().manual_seed(7)
dl = DataLoader(list(range(10)), batch_size=4, shuffle=True, drop_last=True, generator=g)
print("seed 7 bs 4 drop_last, 3 epochs", [[b.tolist() for b in dl] for _ in range(3)])
g = torch.Generator().manual_seed(9)
dl = DataLoader(list(range(8)), batch_size=4, shuffle=True, generator=g)
print("seed 9 bs 4 (n divisible), 3 epochs", [[b.tolist() for b in dl] for _ in range(3)])
g = torch.Generator().manual_seed(5)
dl = DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=g)
it = iter(dl)
first = next(it).tolist()
del it
print("seed 5, break after one batch", first, "then next epoch", [b.tolist() for b in dl])
g = torch.Generator().manual_seed(5)
dl = DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=g)
it = iter(dl)
b = [next(it).tolist(), next(it).tolist(), next(it).tolist()]
del it
print("seed 5, stop after the last (partial) batch without asking for more", b, "then next epoch",
      [x.tolist() for x in dl])
g = torch.Generator().manual_seed(11)
dl = DataLoader(list(range(6)), batch_size=3, shuffle=False, generator=g)
[b for b in dl]
print("no shuffle with own generator seed 11, then generator randn(2)", torch.randn(2, generator=g).tolist())

print("== random_split")
print("range(10) [3, 7] seed 42", [list(s.indices) for s in random_split(range(10), [3, 7],
                                                                            generator=torch.Generator().manual_seed(42))])
print("range(30) [0.3, 0.3, 0.4] seed 42", [list(s.indices) for s in random_split(
    range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))])
print("range(11) [0.5, 0.5] seed 1", [list(s.indices) for s in random_split(
    range(11), [0.5, 0.5], generator=torch.Generator().manual_seed(1))])
print("range(10) [0.33, 0.33, 0.34] seed 0 lengths", [len(s) for s in random_split(
    range(10), [0.33, 0.33, 0.34], generator=torch.Generator().manual_seed(0))])
torch.manual_seed(4)
print("global seed 4 range(6) [2, 4]", [list(s.indices) for s in random_split(range(6), [2, 4])])

print("== digits split (randperm(1797) seed 0): first 10 test indices, first 10 train indices")
p = perm(1797, 0)
print(p[:10], p[450:460])

print("== synthetic")
torch.set_printoptions(precision=10)


def spirals(n, k, noise, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.zeros(n * k, 2, dtype=torch.float64)
    y = torch.zeros(n * k, dtype=torch.int64)
    for j in range(k):
        r = torch.linspace(0, 1, n, dtype=torch.float64)
        t = torch.linspace(j * 4, (j + 1) * 4, n, dtype=torch.float64) \
            + torch.randn(n, dtype=torch.float64, generator=g) * noise
        X[j * n:(j + 1) * n] = torch.stack([r * torch.sin(t), r * torch.cos(t)], 1)
        y[j * n:(j + 1) * n] = j
    return X.float(), y


def moons(n, noise, shuffle, seed):
    g = torch.Generator().manual_seed(seed)
    n_out = n // 2
    n_in = n - n_out
    a = torch.linspace(0, math.pi, n_out, dtype=torch.float64)
    b = torch.linspace(0, math.pi, n_in, dtype=torch.float64)
    X = torch.cat([torch.stack([a.cos(), a.sin()], 1), torch.stack([1 - b.cos(), 1 - b.sin() - 0.5], 1)])
    y = torch.cat([torch.zeros(n_out, dtype=torch.int64), torch.ones(n_in, dtype=torch.int64)])
    if shuffle:
        p = torch.randperm(n, generator=g)
        X, y = X[p], y[p]
    if noise > 0:
        X = X + noise * torch.randn(n, 2, dtype=torch.float64, generator=g)
    return X.float(), y


def blobs(n, centers, features, std, low, high, shuffle, seed):
    g = torch.Generator().manual_seed(seed)
    C = torch.rand(centers, features, dtype=torch.float64, generator=g) * (high - low) + low
    X, y = [], []
    for i in range(centers):
        c = n // centers + (1 if i < n % centers else 0)
        X.append(C[i] + std * torch.randn(c, features, dtype=torch.float64, generator=g))
        y += [i] * c
    X = torch.cat(X)
    y = torch.tensor(y)
    if shuffle:
        p = torch.randperm(n, generator=g)
        X, y = X[p], y[p]
    return X.float(), y


def regression(n, features, noise, bias, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, features, dtype=torch.float64, generator=g)
    w = torch.randn(features, dtype=torch.float64, generator=g)
    y = X @ w + bias
    if noise > 0:
        y = y + noise * torch.randn(n, dtype=torch.float64, generator=g)
    return X.float(), y.float().unsqueeze(1), w.float()


def show(name, *ts):
    print(name)
    for t in ts:
        print("  ", t.flatten().tolist())


show("spirals(4, 3, 0.2, 0)", *spirals(4, 3, 0.2, 0))
X, y = spirals(40, 2, 0.3, 5)
print("spirals(40, 2, 0.3, 5) X[:3]", X[:3].flatten().tolist(), "X sum", X.double().sum().item(),
      "|X| sum", X.double().abs().sum().item())
show("moons(7, 0.1, True, 1)", *moons(7, 0.1, True, 1))
show("moons(5, 0.0, False, 0)", *moons(5, 0.0, False, 0))
X, y = moons(100, 0.2, True, 2)
print("moons(100, 0.2, True, 2) X[:2]", X[:2].flatten().tolist(), "y[:10]", y[:10].tolist(), "X sum",
      X.double().sum().item())
show("blobs(10, 3, 2, 1.0, -10, 10, True, 2)", *blobs(10, 3, 2, 1.0, -10, 10, True, 2))
X, y = blobs(200, 4, 3, 0.5, -5, 5, True, 8)
print("blobs(200, 4, 3, 0.5, -5, 5, True, 8) X[:2]", X[:2].flatten().tolist(), "y[:10]", y[:10].tolist(),
      "X sum", X.double().sum().item())
show("regression(6, 3, 0.1, 0.5, 3)", *regression(6, 3, 0.1, 0.5, 3))
