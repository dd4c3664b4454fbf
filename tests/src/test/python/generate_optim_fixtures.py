#!/usr/bin/python3
"""PyTorch conformance fixtures for Ember's optimizers and learning-rate schedulers (module optim, package
dev.ember.optim): trajectories of k steps of every optimizer, with several option combinations, and of every
scheduler, on one small fixed model, as PyTorch 1.13 computes them.

Regenerate (only when cases are added or changed; the output is committed):

    /usr/bin/python3 tests/src/test/python/generate_optim_fixtures.py

run from anywhere (/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides PyTorch
1.13). It writes tests/src/test/resources/fixtures/optim.json, which the Java test
dev.ember.tests.OptimConformanceTest reads: it never needs Python or PyTorch.

The model: a 2-layer MLP in float64, Linear(3, 4) -> tanh -> Linear(4, 2) (PyTorch's nn.Linear, so y = x W^T + b),
with fixed weights, on fixed data X (6 x 3) and targets Y (6 x 2); the loss is the mean squared error
((model(X) - Y) ** 2).mean(). Every case starts from the same weights. One training step is

    opt.zero_grad(set_to_none=...); loss = mse(model(X), Y); loss.backward(); opt.step(); [scheduler.step(...)]

The JSON object:

"model": {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "x", "y"}: each {"shape", "values" (row-major)}.
    The parameters' order (fc1.weight, fc1.bias, fc2.weight, fc2.bias) is the optimizer's parameter order.

"optimizers": one object per case:
  name        unique, the JUnit test name
  optimizer   SGD, Adam, AdamW, RMSprop or Adagrad
  defaults    the constructor's keyword arguments, with PyTorch's names (lr, momentum, dampening, nesterov,
              weight_decay, maximize, betas [b1, b2], eps, amsgrad, alpha, centered, lr_decay,
              initial_accumulator_value)
  groups      null: one group of all four parameters; else a list of {"params": [names], "options": {...}} (the
              per-group overrides, same names)
  frozen      parameter names set to requires_grad=False before training: they stay in the optimizer but never get
              a gradient, so step skips them (and creates no state for them)
  set_to_none which zero_grad mode the loop uses
  steps       k
  losses      the loss before each step (k values)
  params      after each step, for each parameter, its values (row-major): params[step][param] = [...]
  final_state the optimizer's per-parameter state after the last step: {param index: {key: value}}, where value is
              a number (step) or {"shape", "values"}; SGD's momentum_buffer=None entries are left out

"schedulers": one object per case, with name, optimizer, defaults, groups, steps, losses and params as above, and
  initial_lr  null, or one value per group written to group["initial_lr"] before the schedulers are made (needed
              to construct a scheduler with last_epoch >= 0, i.e. to resume)
  schedulers  the schedulers on the optimizer, made in this order and stepped in this order every step:
              {"type": StepLR | MultiStepLR | ExponentialLR | CosineAnnealingLR | LinearLR | OneCycleLR |
                       ReduceLROnPlateau | LambdaLR, "args": {keyword arguments, PyTorch's names}}
              (LambdaLR's "lr_lambda" is the name of a function that the Java test defines too: see LAMBDAS)
  metrics     null, or the value passed to ReduceLROnPlateau.step(metric) at each step (a fixed sequence, so the
              comparisons with the best value are exact on both sides)
  epochs      null, or the epoch passed to step(epoch) at each step (PyTorch's deprecated form, which uses the
              closed form of the schedule where the scheduler has one); null entries mean step()
  initial_lrs each group's lr right after the schedulers were made (the schedulers' initial step)
  lrs         each group's lr after each step's scheduler steps: lrs[step][group]
  last_lrs    the first scheduler's get_last_lr() after each step (ReduceLROnPlateau: its _last_lr)
  momenta     each group's momentum (SGD, RMSprop) or beta1 (Adam, AdamW) after each step: momenta[step][group]
  final_scheduler_state  the first scheduler's last_epoch and base_lrs (where it has them) after the last step

All values are float64. Weights and data are rounded to three decimals (short JSON, and exactly the values both
sides use); the seed is fixed, so the file is reproducible.
"""

import json
import os
import warnings

import torch
import torch.nn as nn
import torch.optim as optim
import torch.optim.lr_scheduler as sched

# step(epoch) is deprecated in PyTorch 1.13 and warns each time; the cases use it on purpose
warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\(\)`")

torch.manual_seed(20240611)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "optim.json")
STEPS = 10
SCHED_STEPS = 12
NAMES = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


def r3(t):
    return torch.round(t * 1000) / 1000


def enc(t):
    t = t.detach()
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}


INIT = {
    "fc1.weight": r3(torch.rand(4, 3) * 1.6 - 0.8),
    "fc1.bias": r3(torch.rand(4) * 1.0 - 0.5),
    "fc2.weight": r3(torch.rand(2, 4) * 1.6 - 0.8),
    "fc2.bias": r3(torch.rand(2) * 1.0 - 0.5),
}
X = r3(torch.rand(6, 3) * 4 - 2)
Y = r3(torch.rand(6, 2) * 2 - 1)

# LambdaLR's functions, by name (the Java test has the same ones)
LAMBDAS = {
    "pow095": lambda epoch: 0.95 ** epoch,
    "warmup3": lambda epoch: min(1.0, (epoch + 1) / 3),
}


def make_model():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    named = dict(zip(NAMES, model.parameters()))
    with torch.no_grad():
        for k, p in named.items():
            p.copy_(INIT[k])
    return model, named


def to_kwargs(options):
    kw = dict(options)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    return kw


def make_optimizer(kind, named, defaults, groups):
    cls = getattr(optim, kind)
    if groups is None:
        params = [named[k] for k in NAMES]
    else:
        params = [dict(params=[named[k] for k in g["params"]], **to_kwargs(g["options"])) for g in groups]
    return cls(params, **to_kwargs(defaults))


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum")


def state_of(opt):
    sd = opt.state_dict()["state"]
    out = {}
    for idx, st in sd.items():
        entry = {}
        for key, v in st.items():
            if v is None:
                continue
            if isinstance(v, torch.Tensor):
                entry[key] = float(v.item()) if key == "step" else enc(v)
            else:
                entry[key] = float(v)
        out[str(idx)] = entry
    return out


def train_step(model, opt, set_to_none):
    opt.zero_grad(set_to_none=set_to_none)
    loss = (model(X) - Y).pow(2).mean()
    loss.backward()
    opt.step()
    return float(loss)


def snapshot(named):
    return [[float(v) for v in named[k].detach().reshape(-1).tolist()] for k in NAMES]


OPTIMIZERS = []


def add_optimizer(name, kind, defaults, groups=None, frozen=(), set_to_none=False, steps=STEPS):
    model, named = make_model()
    for k in frozen:
        named[k].requires_grad_(False)
    opt = make_optimizer(kind, named, defaults, groups)
    losses, params = [], []
    for _ in range(steps):
        losses.append(train_step(model, opt, set_to_none))
        params.append(snapshot(named))
    OPTIMIZERS.append({"name": name, "optimizer": kind, "defaults": defaults, "groups": groups,
                       "frozen": list(frozen), "set_to_none": set_to_none, "steps": steps, "losses": losses,
                       "params": params, "final_state": state_of(opt)})


# ---- SGD ---------------------------------------------------------------------------------------------------------
add_optimizer("sgd_plain", "SGD", {"lr": 0.1})
add_optimizer("sgd_momentum", "SGD", {"lr": 0.1, "momentum": 0.9}, set_to_none=True)
add_optimizer("sgd_dampening", "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5})
add_optimizer("sgd_nesterov", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True})
add_optimizer("sgd_weight_decay", "SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01})
add_optimizer("sgd_maximize", "SGD", {"lr": 0.02, "momentum": 0.9, "weight_decay": 0.1, "maximize": True})
add_optimizer("sgd_groups", "SGD", {"lr": 0.1, "momentum": 0.9},
              groups=[{"params": ["fc1.weight", "fc1.bias"], "options": {}},
                      {"params": ["fc2.weight", "fc2.bias"],
                       "options": {"lr": 0.03, "nesterov": True, "weight_decay": 0.1}}])
add_optimizer("sgd_frozen", "SGD", {"lr": 0.1, "momentum": 0.9}, frozen=["fc1.bias"], set_to_none=True)

# ---- Adam --------------------------------------------------------------------------------------------------------
add_optimizer("adam_default", "Adam", {})
add_optimizer("adam_lr", "Adam", {"lr": 0.05})
add_optimizer("adam_betas_eps", "Adam", {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6})
add_optimizer("adam_weight_decay", "Adam", {"lr": 0.05, "weight_decay": 0.1})
add_optimizer("adam_amsgrad", "Adam", {"lr": 0.05, "amsgrad": True})
add_optimizer("adam_maximize", "Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05, "maximize": True})
add_optimizer("adam_groups", "Adam", {"lr": 0.05},
              groups=[{"params": ["fc1.weight"], "options": {"betas": [0.5, 0.9]}},
                      {"params": ["fc1.bias", "fc2.weight", "fc2.bias"], "options": {"lr": 0.01, "amsgrad": True}}])
add_optimizer("adam_frozen", "Adam", {"lr": 0.05}, frozen=["fc2.weight"], set_to_none=True)

# ---- AdamW -------------------------------------------------------------------------------------------------------
add_optimizer("adamw_default", "AdamW", {"lr": 0.05})
add_optimizer("adamw_weight_decay_amsgrad", "AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True})
add_optimizer("adamw_maximize", "AdamW", {"lr": 0.02, "betas": [0.7, 0.95], "eps": 1e-5, "maximize": True})

# ---- RMSprop -----------------------------------------------------------------------------------------------------
add_optimizer("rmsprop_default", "RMSprop", {})
add_optimizer("rmsprop_momentum", "RMSprop", {"lr": 0.01, "momentum": 0.9})
add_optimizer("rmsprop_centered", "RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True})
add_optimizer("rmsprop_all", "RMSprop", {"lr": 0.005, "alpha": 0.95, "eps": 1e-6, "weight_decay": 0.1,
                                         "momentum": 0.5, "centered": True})
add_optimizer("rmsprop_maximize", "RMSprop", {"lr": 0.002, "momentum": 0.3, "maximize": True})

# ---- Adagrad -----------------------------------------------------------------------------------------------------
add_optimizer("adagrad_default", "Adagrad", {})
add_optimizer("adagrad_lr", "Adagrad", {"lr": 0.1})
add_optimizer("adagrad_all", "Adagrad", {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.05,
                                         "initial_accumulator_value": 0.1, "eps": 1e-8})
add_optimizer("adagrad_maximize", "Adagrad", {"lr": 0.02, "maximize": True},
              groups=[{"params": ["fc1.weight", "fc1.bias"], "options": {"lr_decay": 0.5}},
                      {"params": ["fc2.weight", "fc2.bias"], "options": {}}])

# ---- schedulers --------------------------------------------------------------------------------------------------
SCHEDULERS = []


def make_scheduler(opt, spec):
    kind, args = spec["type"], dict(spec["args"])
    if kind == "LambdaLR":
        args["lr_lambda"] = LAMBDAS[args["lr_lambda"]]
    return getattr(sched, kind)(opt, **args)


def add_scheduler(name, kind, defaults, specs, groups=None, initial_lr=None, metrics=None, epochs=None,
                  steps=SCHED_STEPS):
    model, named = make_model()
    opt = make_optimizer(kind, named, defaults, groups)
    if initial_lr is not None:
        for g, v in zip(opt.param_groups, initial_lr):
            g["initial_lr"] = v
    schedulers = [make_scheduler(opt, s) for s in specs]
    initial_lrs = [g["lr"] for g in opt.param_groups]
    losses, params, lrs, last_lrs, momenta = [], [], [], [], []
    for i in range(steps):
        losses.append(train_step(model, opt, False))
        for s in schedulers:
            if isinstance(s, sched.ReduceLROnPlateau):
                s.step(metrics[i])
            elif epochs is not None and epochs[i] is not None:
                s.step(epochs[i])
            else:
                s.step()
        params.append(snapshot(named))
        lrs.append([float(g["lr"]) for g in opt.param_groups])
        last_lrs.append([float(v) for v in schedulers[0]._last_lr])
        momenta.append([None if momentum_of(g) is None else float(momentum_of(g)) for g in opt.param_groups])
    first = schedulers[0]
    final = {"last_epoch": first.last_epoch}
    if hasattr(first, "base_lrs"):
        final["base_lrs"] = [float(v) for v in first.base_lrs]
    SCHEDULERS.append({"name": name, "optimizer": kind, "defaults": defaults, "groups": groups,
                       "initial_lr": initial_lr, "schedulers": specs, "metrics": metrics, "epochs": epochs,
                       "steps": steps, "losses": losses, "params": params, "initial_lrs": initial_lrs, "lrs": lrs,
                       "last_lrs": last_lrs, "momenta": momenta, "final_scheduler_state": final})


SGD_M = {"lr": 0.1, "momentum": 0.9}
TWO_GROUPS = [{"params": ["fc1.weight", "fc1.bias"], "options": {}},
              {"params": ["fc2.weight", "fc2.bias"], "options": {"lr": 0.05}}]

add_scheduler("steplr", "SGD", SGD_M, [{"type": "StepLR", "args": {"step_size": 3, "gamma": 0.5}}])
add_scheduler("steplr_two_groups", "SGD", SGD_M, [{"type": "StepLR", "args": {"step_size": 2}}],
              groups=TWO_GROUPS)
add_scheduler("steplr_epoch_argument", "SGD", SGD_M, [{"type": "StepLR", "args": {"step_size": 3, "gamma": 0.5}}],
              epochs=[1, 2, 3, 4, 7, 8, None, None, 12, 13, None, 20])
add_scheduler("multisteplr", "SGD", SGD_M,
              [{"type": "MultiStepLR", "args": {"milestones": [2, 5, 5, 9], "gamma": 0.5}}])
add_scheduler("multisteplr_epoch_argument", "SGD", SGD_M,
              [{"type": "MultiStepLR", "args": {"milestones": [2, 5, 5, 9], "gamma": 0.5}}],
              epochs=[1, 2, 3, 6, None, None, 9, 10, 4, None, None, None])
add_scheduler("exponentiallr", "SGD", SGD_M, [{"type": "ExponentialLR", "args": {"gamma": 0.8}}])
add_scheduler("exponentiallr_resume", "SGD", SGD_M, [{"type": "ExponentialLR", "args": {"gamma": 0.8,
                                                                                      "last_epoch": 4}}],
              initial_lr=[0.2])
add_scheduler("cosine", "SGD", SGD_M, [{"type": "CosineAnnealingLR", "args": {"T_max": 5, "eta_min": 0.01}}])
add_scheduler("cosine_resume", "SGD", SGD_M,
              [{"type": "CosineAnnealingLR", "args": {"T_max": 8, "last_epoch": 3}}], initial_lr=[0.2])
add_scheduler("cosine_epoch_argument", "Adam", {"lr": 0.05},
              [{"type": "CosineAnnealingLR", "args": {"T_max": 4, "eta_min": 0.001}}],
              epochs=[None, 2, 3, None, 6, None, None, 5, None, 11, None, None])
add_scheduler("linearlr_warmup", "SGD", SGD_M, [{"type": "LinearLR", "args": {"start_factor": 0.25,
                                                                             "total_iters": 4}}])
add_scheduler("linearlr_decay", "RMSprop", {"lr": 0.01},
              [{"type": "LinearLR", "args": {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 6}}],
              groups=TWO_GROUPS)
add_scheduler("linearlr_epoch_argument", "SGD", SGD_M, [{"type": "LinearLR", "args": {"start_factor": 0.2,
                                                                                     "total_iters": 5}}],
              epochs=[None, 3, None, None, 8, None, 2, None, None, None, None, None])
add_scheduler("chained_linear_exponential", "SGD", SGD_M,
              [{"type": "LinearLR", "args": {"start_factor": 0.5, "total_iters": 3}},
               {"type": "ExponentialLR", "args": {"gamma": 0.9}}])
add_scheduler("lambdalr", "SGD", SGD_M, [{"type": "LambdaLR", "args": {"lr_lambda": "pow095"}}],
              groups=TWO_GROUPS)
add_scheduler("lambdalr_warmup", "Adam", {"lr": 0.05}, [{"type": "LambdaLR", "args": {"lr_lambda": "warmup3"}}])
add_scheduler("onecycle_cos", "SGD", SGD_M, [{"type": "OneCycleLR", "args": {"max_lr": 0.5, "total_steps": 12}}])
add_scheduler("onecycle_linear_three_phase", "Adam", {"lr": 0.05},
              [{"type": "OneCycleLR", "args": {"max_lr": 0.05, "total_steps": 14, "anneal_strategy": "linear",
                                               "three_phase": True, "pct_start": 0.25, "base_momentum": 0.8,
                                               "max_momentum": 0.9}}])
add_scheduler("onecycle_epochs_no_momentum", "Adagrad", {"lr": 0.1},
              [{"type": "OneCycleLR", "args": {"max_lr": 0.3, "epochs": 3, "steps_per_epoch": 4,
                                               "cycle_momentum": False, "div_factor": 10.0,
                                               "final_div_factor": 100.0}}])
add_scheduler("onecycle_rmsprop_two_groups", "RMSprop", {"lr": 0.01, "momentum": 0.5},
              [{"type": "OneCycleLR", "args": {"max_lr": 0.02, "total_steps": 20, "pct_start": 0.4}}],
              groups=TWO_GROUPS)
add_scheduler("plateau_min", "SGD", SGD_M,
              [{"type": "ReduceLROnPlateau", "args": {"factor": 0.5, "patience": 1, "threshold": 0.01,
                                                      "cooldown": 1, "min_lr": 0.02}}],
              metrics=[1.0, 0.9, 0.895, 0.9, 0.8, 0.85, 0.85, 0.85, 0.6, 0.7, 0.7, 0.7])
add_scheduler("plateau_max_abs", "Adam", {"lr": 0.05},
              [{"type": "ReduceLROnPlateau", "args": {"mode": "max", "threshold_mode": "abs", "threshold": 0.05,
                                                      "patience": 0, "factor": 0.3, "eps": 1e-3}}],
              metrics=[0.1, 0.2, 0.22, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
add_scheduler("plateau_min_abs_two_groups", "SGD", SGD_M,
              [{"type": "ReduceLROnPlateau", "args": {"threshold_mode": "abs", "threshold": 0.1, "patience": 2,
                                                      "min_lr": [0.01, 0.04]}}],
              groups=TWO_GROUPS,
              metrics=[5.0, 4.0, 3.95, 3.95, 3.95, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0])

with open(OUT, "w") as f:
    json.dump({"model": {**{k: enc(v) for k, v in INIT.items()}, "x": enc(X), "y": enc(Y)},
               "optimizers": OPTIMIZERS, "schedulers": SCHEDULERS}, f, separators=(",", ":"))
    f.write("\n")
print("wrote", OUT, len(OPTIMIZERS), "optimizer cases,", len(SCHEDULERS), "scheduler cases")
