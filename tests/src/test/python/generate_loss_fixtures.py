#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's losses (dev.ember.nn.functional.Losses and the loss modules of
dev.ember.nn): the value of each loss, for each of its options, and the gradients of input and target, as PyTorch
1.13's torch.nn.functional computes them in float64.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_loss_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides
PyTorch 1.13.1). It writes tests/src/test/resources/fixtures/losses.json, which the Java test
dev.ember.tests.LossConformanceTest reads: it never needs Python or PyTorch.

The JSON object has one list, "cases"; each case has
  name         unique, the JUnit test name
  loss         mse_loss, l1_loss, smooth_l1_loss, huber_loss, cross_entropy, nll_loss, binary_cross_entropy,
               binary_cross_entropy_with_logits or kl_div (torch.nn.functional's name)
  options      reduction ("none", "mean", "sum" or "batchmean") and, where the loss has them: weight, pos_weight
               (tensors or null), ignore_index, label_smoothing, beta, delta, log_target
  input        the input: {"shape", "dtype", "values" (row-major)}; float64, requires grad
  target       the target, same encoding (int64 for class indices); requires grad when grad_target is given
  grad_output  the gradient passed to backward (ones of the output's shape, or random for reduction "none")
  output       the loss
  grad_input   the input's gradient
  grad_target  the target's gradient, or null where the target does not require grad

Values are float64; inputs, targets and grad_output are rounded to three decimals (short JSON, and exactly the
values both sides use). Infinite and NaN results (an all-ignored mean, BCE's target gradient at 0 and 1) are
written as JSON's non-standard Infinity and NaN, which the Java side reads. The seed is fixed, so the file is
reproducible.
"""

import json
import os

import torch
import torch.nn.functional as F
import warnings
import warnings

warnings.filterwarnings("ignore", message="reduction: .mean. divides")

warnings.filterwarnings("ignore", message="reduction: .mean. divides")  # kl_div's notice

torch.manual_seed(20240611)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "losses.json")


def r3(t):
    return torch.round(t * 1000) / 1000


def randn(*shape, scale=1.5):
    return r3(torch.randn(shape) * scale)


def uniform(*shape, low=0.0, high=1.0):
    return r3(torch.rand(shape) * (high - low) + low)


def probabilities(*shape, dim=1):
    """Rows of class probabilities along dim (rounded, then renormalised exactly enough for the test)."""
    return torch.softmax(randn(*shape), dim)


def enc(t):
    if t is None:
        return None
    t = t.detach()
    if t.dtype == torch.int64:
        values = [int(v) for v in t.reshape(-1).tolist()]
    else:
        values = [float(v) for v in t.reshape(-1).tolist()]
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "values": values}


CASES = []
NAMES = set()


def case(name, loss, fn, inp, target, target_grad=False, **options):
    assert name not in NAMES, name
    NAMES.add(name)
    x = inp.clone().requires_grad_(True)
    t = target.clone().requires_grad_(target_grad)
    kwargs = {k: v for k, v in options.items()}
    out = fn(x, t, **kwargs)
    if out.dim() == 0:
        gout = torch.ones(())
    else:
        gout = r3(torch.randn(out.shape))
    out.backward(gout)
    CASES.append({
        "name": name,
        "loss": loss,
        "options": {k: (enc(v) if isinstance(v, torch.Tensor) or v is None else v) for k, v in options.items()},
        "input": enc(inp),
        "target": enc(target),
        "grad_output": enc(gout),
        "output": enc(out),
        "grad_input": enc(x.grad),
        "grad_target": enc(t.grad) if target_grad else None,
    })


REDUCTIONS = ["none", "mean", "sum"]

# ---- regression losses ----------------------------------------------------------------------------------------
x, y = randn(4, 3), randn(4, 3)
x[0, 0] = y[0, 0]  # an exact zero difference (L1's gradient there is 0)
for red in REDUCTIONS:
    case(f"mse_{red}", "mse_loss", F.mse_loss, x, y, True, reduction=red)
    case(f"l1_{red}", "l1_loss", F.l1_loss, x, y, True, reduction=red)
    for beta in [1.0, 0.5]:
        case(f"smooth_l1_beta{beta}_{red}", "smooth_l1_loss", F.smooth_l1_loss, x, y, True, reduction=red, beta=beta)
    for delta in [1.0, 2.0, 0.3]:
        case(f"huber_delta{delta}_{red}", "huber_loss", F.huber_loss, x, y, True, reduction=red, delta=delta)
x1, y1 = randn(4, 3), randn(4, 3)  # no exact zero difference: smooth L1 with beta 0 is L1 there
case("smooth_l1_beta0_mean", "smooth_l1_loss", F.smooth_l1_loss, x1, y1, True, reduction="mean", beta=0.0)
x3, y3 = randn(2, 3, 4), randn(2, 3, 4)
case("mse_3d_mean", "mse_loss", F.mse_loss, x3, y3, True, reduction="mean")
case("mse_0d", "mse_loss", F.mse_loss, randn(), randn(), True, reduction="mean")

# ---- cross-entropy and NLL, class indices -----------------------------------------------------------------------
N, C = 6, 5
logits = randn(N, C)
labels = torch.randint(0, C, (N,))
labels_ignored = labels.clone()
labels_ignored[1] = -100
labels_ignored[4] = -100
weight = uniform(C, low=0.2, high=2.0)
for red in REDUCTIONS:
    case(f"ce_{red}", "cross_entropy", F.cross_entropy, logits, labels, reduction=red)
    case(f"ce_weight_{red}", "cross_entropy", F.cross_entropy, logits, labels, reduction=red, weight=weight)
    case(f"ce_ignore_{red}", "cross_entropy", F.cross_entropy, logits, labels_ignored, reduction=red)
    case(f"ce_weight_ignore_{red}", "cross_entropy", F.cross_entropy, logits, labels_ignored, reduction=red,
         weight=weight)
    case(f"ce_smooth_{red}", "cross_entropy", F.cross_entropy, logits, labels, reduction=red, label_smoothing=0.1)
    case(f"ce_smooth_weight_ignore_{red}", "cross_entropy", F.cross_entropy, logits, labels_ignored, reduction=red,
         weight=weight, ignore_index=-100, label_smoothing=0.25)
    case(f"nll_{red}", "nll_loss", F.nll_loss, torch.log_softmax(logits, 1), labels, reduction=red)
    case(f"nll_weight_ignore_{red}", "nll_loss", F.nll_loss, torch.log_softmax(logits, 1), labels_ignored,
         reduction=red, weight=weight)
# a custom ignore_index that is a real class
case("ce_ignore_class2_mean", "cross_entropy", F.cross_entropy, logits, labels, reduction="mean",
     ignore_index=int(labels[0]))
case("ce_ignore_class2_weight_smooth_mean", "cross_entropy", F.cross_entropy, logits, labels, reduction="mean",
     weight=weight, ignore_index=int(labels[0]), label_smoothing=0.1)
case("ce_smooth_full_mean", "cross_entropy", F.cross_entropy, logits, labels, reduction="mean", label_smoothing=1.0)
# every sample ignored: mean is 0 / 0
all_ignored = torch.full((N,), -100, dtype=torch.int64)
case("ce_all_ignored_mean", "cross_entropy", F.cross_entropy, logits, all_ignored, reduction="mean")
case("ce_all_ignored_sum", "cross_entropy", F.cross_entropy, logits, all_ignored, reduction="sum")
# large logits (a stable log-softmax is needed)
case("ce_large_logits_mean", "cross_entropy", F.cross_entropy, logits * 300, labels, reduction="mean")
# unbatched: [C] with a 0-d target
case("ce_unbatched", "cross_entropy", F.cross_entropy, randn(C), torch.tensor(3), reduction="mean")
case("ce_unbatched_weight_smooth", "cross_entropy", F.cross_entropy, randn(C), torch.tensor(1), reduction="mean",
     weight=weight, label_smoothing=0.2)
case("nll_unbatched", "nll_loss", F.nll_loss, torch.log_softmax(randn(C), 0), torch.tensor(2), reduction="sum")
# K-dimensional: [N, C, d1, d2] with [N, d1, d2] targets
logits4 = randn(2, 3, 2, 3)
labels4 = torch.randint(0, 3, (2, 2, 3))
labels4_ignored = labels4.clone()
labels4_ignored[0, 1, 2] = -100
labels4_ignored[1, 0, 0] = -100
weight3 = uniform(3, low=0.2, high=2.0)
for red in REDUCTIONS:
    case(f"ce_4d_{red}", "cross_entropy", F.cross_entropy, logits4, labels4, reduction=red)
    case(f"ce_4d_weight_ignore_smooth_{red}", "cross_entropy", F.cross_entropy, logits4, labels4_ignored,
         reduction=red, weight=weight3, label_smoothing=0.15)
    case(f"nll_4d_weight_ignore_{red}", "nll_loss", F.nll_loss, torch.log_softmax(logits4, 1), labels4_ignored,
         reduction=red, weight=weight3)
case("ce_3d_mean", "cross_entropy", F.cross_entropy, randn(3, 4, 5), torch.randint(0, 4, (3, 5)), reduction="mean")

# ---- cross-entropy, class probabilities --------------------------------------------------------------------------
probs = probabilities(N, C)
for red in REDUCTIONS:
    case(f"ce_prob_{red}", "cross_entropy", F.cross_entropy, logits, probs, True, reduction=red)
    case(f"ce_prob_weight_{red}", "cross_entropy", F.cross_entropy, logits, probs, True, reduction=red,
         weight=weight)
    case(f"ce_prob_weight_smooth_{red}", "cross_entropy", F.cross_entropy, logits, probs, True, reduction=red,
         weight=weight, label_smoothing=0.2)
case("ce_prob_4d_weight_mean", "cross_entropy", F.cross_entropy, logits4, probabilities(2, 3, 2, 3), True,
     reduction="mean", weight=weight3)
case("ce_prob_unbatched", "cross_entropy", F.cross_entropy, randn(C), probabilities(C, dim=0), True,
     reduction="mean")

# ---- binary cross-entropy ------------------------------------------------------------------------------------------
p = uniform(4, 3, low=0.02, high=0.98)
t = uniform(4, 3)
t_hard = torch.randint(0, 2, (4, 3)).to(torch.float64)
w_rows = uniform(4, 1, low=0.5, high=2.0)
w_cols = uniform(3, low=0.5, high=2.0)
for red in REDUCTIONS:
    case(f"bce_{red}", "binary_cross_entropy", F.binary_cross_entropy, p, t, True, reduction=red)
    case(f"bce_weight_{red}", "binary_cross_entropy", F.binary_cross_entropy, p, t_hard, reduction=red,
         weight=w_rows)
case("bce_weight_cols_mean", "binary_cross_entropy", F.binary_cross_entropy, p, t, True, reduction="mean",
     weight=w_cols)
# probabilities exactly 0 and 1: logs clamped at -100, PyTorch's finite input gradient, infinite target gradient
edge_p = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-50])
edge_t = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 1.0])
case("bce_edges_sum", "binary_cross_entropy", F.binary_cross_entropy, edge_p, edge_t, True, reduction="sum")
case("bce_edges_mean", "binary_cross_entropy", F.binary_cross_entropy, edge_p, edge_t, reduction="mean")

# ---- binary cross-entropy with logits ------------------------------------------------------------------------------
z = randn(4, 3, scale=3.0)
z_extreme = torch.tensor([[-60.0, 60.0, 0.0], [-800.0, 800.0, 35.5]])
t_extreme = torch.tensor([[1.0, 0.0, 0.5], [1.0, 0.0, 0.25]])
pos_weight = uniform(3, low=0.5, high=4.0)
for red in REDUCTIONS:
    case(f"bcel_{red}", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, z, t, True,
         reduction=red)
    case(f"bcel_weight_{red}", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, z, t, True,
         reduction=red, weight=w_rows)
    case(f"bcel_pos_weight_{red}", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, z, t,
         True, reduction=red, pos_weight=pos_weight)
    case(f"bcel_both_{red}", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, z, t_hard,
         True, reduction=red, weight=w_cols, pos_weight=pos_weight)
case("bcel_extreme_none", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, z_extreme,
     t_extreme, True, reduction="none")
case("bcel_extreme_pos_weight_sum", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits,
     z_extreme, t_extreme, True, reduction="sum", pos_weight=pos_weight)

# ---- KL divergence ------------------------------------------------------------------------------------------------
log_q = torch.log_softmax(randn(4, 5), 1)
p_target = probabilities(4, 5)
p_with_zero = p_target.clone()
p_with_zero[0, 1] = 0.0
log_p = torch.log_softmax(randn(4, 5), 1)
for red in REDUCTIONS + ["batchmean"]:
    case(f"kl_{red}", "kl_div", F.kl_div, log_q, p_target, True, reduction=red, log_target=False)
    case(f"kl_log_target_{red}", "kl_div", F.kl_div, log_q, log_p, True, reduction=red, log_target=True)
case("kl_zero_target_sum", "kl_div", F.kl_div, log_q, p_with_zero, reduction="sum", log_target=False)
case("kl_3d_batchmean", "kl_div", F.kl_div, torch.log_softmax(randn(2, 3, 4), 1), probabilities(2, 3, 4), True,
     reduction="batchmean", log_target=False)
case("kl_0d_batchmean", "kl_div", F.kl_div, torch.tensor(-0.7), torch.tensor(0.4), True, reduction="batchmean",
     log_target=False)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"cases": CASES}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)}")
