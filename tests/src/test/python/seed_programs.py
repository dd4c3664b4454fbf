#!/usr/bin/python3
"""The seed programs as PyTorch runs them: the source of every expected line in dev.ember.tests.seeds.

Each function below is one program of the seed documents in /work/shared/seeds/, as its Ember twin in
examples/src/main/java/dev/ember/examples/seeds/ runs it (same name, same statements, same prints). Where the
twin had to add something to the seed's code (a print of a value the seed only names in a comment, a
manual_seed so that random values can be compared, a try/except around an error the seed only describes), the
same addition is made here, so that both sides run the same program.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):

    /usr/bin/python3 tests/src/test/python/seed_programs.py              # every program, with a header line each
    /usr/bin/python3 tests/src/test/python/seed_programs.py RetainGrad   # one program

The Java tests hold the printed lines verbatim; SeedOutput.toEmber spells them as Ember does (True -> true,
None -> null, RuntimeError -> AutogradException, no trailing digit in node names, no object address).
Warnings go to stderr and are not part of the expected output.
"""
import sys

import torch


# ---- 001 "Day 2: Autograd & Computational Graphs", sections 3 and 4 ------------------------------------------
def RequiresGradAndGraph():
    # Weights (Leaf nodes)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])  # Data (No grad needed)

    # Forward Pass (Building the Graph)
    y = w * x          # MulBackward
    z = y.sum()        # AddBackward

    print(z)
    # tensor(11., grad_fn=<SumBackward0>)
    # grad_fn is the link to the graph

    # Backward Pass (retain_graph=True so that the second backward below can run)
    z.backward(retain_graph=True)

    # Gradients are accumulated in .grad
    print(w.grad)
    # dz/dw = d(w*x)/dw = x
    # Result: [3.0, 4.0]

    # If you call z.backward() again, w.grad will become [6.0, 8.0].
    z.backward()
    print(w.grad)

    # You must zero them out: w.grad.zero_()
    w.grad.zero_()
    print(w.grad)


# ---- 001, section 5 ----------------------------------------------------------------------------------------
def NoGradAndDetach():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])

    with torch.no_grad():
        y = w * x
        # y.requires_grad is False. No graph stored.
    print(f"y.requires_grad: {y.requires_grad}")
    print(f"y.grad_fn: {y.grad_fn}")

    y = w * x
    z = y.detach()  # z is a leaf now. Grads won't flow back to w through z.
    print(f"y: {y}")
    print(f"z: {z}")
    print(f"z.is_leaf: {z.is_leaf}")
    print(f"z.requires_grad: {z.requires_grad}")


# ---- 000 "Day 2: Autograd - Deep Dive", section 2 ----------------------------------------------------------
def HigherOrderDerivatives():
    x = torch.tensor([2.0], requires_grad=True)
    y = x ** 3

    # First Derivative
    grad_1 = torch.autograd.grad(y, x, create_graph=True)[0]
    # grad_1 = 3x^2 = 12
    print(f"grad_1: {grad_1}")

    # Second Derivative
    grad_2 = torch.autograd.grad(grad_1, x)[0]
    # grad_2 = 6x = 12
    print(f"grad_2: {grad_2}")


# ---- 000, section 3 ----------------------------------------------------------------------------------------
def GradientHook():
    v = torch.tensor([1.0, 2.0], requires_grad=True)

    def log_grad(grad):
        print(f"Gradient at v: {grad}")
        if grad.norm() > 1.0:
            return grad.clamp(-1, 1)  # Gradient Clipping inside the graph!

    # Register hook
    handle = v.register_hook(log_grad)

    y = v * 2
    y.sum().backward()
    # Output: Gradient at v: tensor([2., 2.])
    print(f"v.grad: {v.grad}")

    # Remove it through its handle: the next backward neither logs nor clamps
    handle.remove()
    y = v * 2
    y.sum().backward()
    print(f"v.grad: {v.grad}")


# ---- 000, section 4 ----------------------------------------------------------------------------------------
def InPlaceVersionCounter():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])

    # If you save x for backward (e.g., in y = x * w) ...
    y = x * w
    print(f"x._version: {x._version}")
    # ... and then modify x in-place (x += 1) ...
    x += 1
    print(f"x._version: {x._version}")
    # ... and then call y.backward(), PyTorch will see that the version of x has changed since it was saved.
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(f"caught {type(e).__name__}: {e}")

    # x = x + 1 -> New tensor: the saved x is untouched
    x = torch.tensor([3.0, 4.0])
    y = x * w
    x = x + 1
    print(f"x._version: {x._version}")
    y.sum().backward()
    print(f"w.grad: {w.grad}")


# ---- 003 "Day 59: Autograd", sections 2 to 4 ---------------------------------------------------------------
def LossGradient():
    w = torch.tensor([1.0], requires_grad=True)  # Weight
    x = torch.tensor([2.0])                       # Data (no grad)

    # Forward pass (y = w * x)
    y = w * x

    # Loss function (L = (y - 5)^2)
    loss = (y - 5)**2

    print(loss)  # tensor([9.], grad_fn=<PowBackward0>)

    loss.backward()

    # The gradient is stored in .grad attribute
    print(w.grad)
    # dL/dw = 2 * (y - 5) * x
    #       = 2 * (1*2 - 5) * 2 = 2 * (-3) * 2 = -12


# ---- 003, section 5 ----------------------------------------------------------------------------------------
def ManualGradientDescent():
    # Initialize weight
    w = torch.tensor([10.0], requires_grad=True)
    x = torch.tensor([2.0])
    target = 5.0
    lr = 0.1

    # Training loop (manual gradient descent)
    for i in range(20):
        # Forward
        y = w * x
        loss = (y - target)**2

        # Backward (compute gradient)
        loss.backward()

        # Update weight (gradient descent!)
        with torch.no_grad():  # Don't track this operation
            w -= lr * w.grad

        # Clear gradient for next iteration
        w.grad.zero_()

        print(f"Iter {i+1}: w={w.item():.4f}, loss={loss.item():.4f}")

    # w should converge to 2.5 (because 2.5 * 2 = 5)


# ---- 003, section 7, Mistake 1 -----------------------------------------------------------------------------
def ForgettingToZeroGradients():
    w = torch.tensor([1.0], requires_grad=True)
    x = torch.tensor([2.0])

    # WRONG: Gradients accumulate!
    for epoch in range(3):
        loss = (w * x - 5)**2
        loss.backward()  # Gradient keeps adding up!
        print(f"epoch {epoch}: w.grad = {w.grad}")

    # CORRECT:
    for epoch in range(3):
        w.grad.zero_()  # Clear first
        loss = (w * x - 5)**2
        loss.backward()
        print(f"epoch {epoch}: w.grad = {w.grad}")


# ---- 003, section 7, Mistake 2 -----------------------------------------------------------------------------
def BackwardTwice():
    w = torch.tensor([1.0], requires_grad=True)
    x = torch.tensor([2.0])
    loss = (w * x - 5)**2

    loss.backward()
    print(f"w.grad: {w.grad}")
    try:
        loss.backward()  # ERROR! Graph was freed
    except RuntimeError as e:
        print(f"caught {type(e).__name__}: {e}")

    # FIX: If you need to call twice, retain the graph
    w.grad.zero_()
    loss = (w * x - 5)**2
    loss.backward(retain_graph=True)
    loss.backward()
    print(f"w.grad: {w.grad}")


# ---- 003, section 9, Exercise 1 ----------------------------------------------------------------------------
def ManualGradientCheck():
    x = torch.tensor([2.0], requires_grad=True)
    y = x**3
    y.backward()
    print(x.grad)  # Should be 12.0


# ---- 004 "Autograd Fundamentals", Leaf Tensors --------------------------------------------------------------
def LeafTensors():
    # Leaf tensor - created directly by user
    x = torch.randn(3, requires_grad=True)

    print(f"x.is_leaf: {x.is_leaf}")        # True
    print(f"x.grad_fn: {x.grad_fn}")        # None
    print(f"x.requires_grad: {x.requires_grad}")  # True


# ---- 004, Non-Leaf Tensors ---------------------------------------------------------------------------------
def NonLeafTensors():
    x = torch.tensor([1., 2., 3.], requires_grad=True)  # Leaf
    y = 2 * x    # Non-leaf (result of multiplication)
    z = y ** 2   # Non-leaf (result of power)

    print(f"y.is_leaf: {y.is_leaf}")        # False
    print(f"y.grad_fn: {y.grad_fn}")        # <MulBackward0>
    print(f"z.grad_fn: {z.grad_fn}")        # <PowBackward0>


# ---- 004, The requires_grad Attribute ----------------------------------------------------------------------
def RequiresGradPropagation():
    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3, requires_grad=False)
    c = a + b

    print(f"c.requires_grad: {c.requires_grad}")  # True (inherits from a)


# ---- 004, Example: Computing Gradients ---------------------------------------------------------------------
def ComputingGradients():
    torch.manual_seed(0)

    # Create leaf tensor with gradient tracking
    x = torch.randn(3, requires_grad=True)
    print(f"x: {x}")

    # Forward pass: loss = sum(x^2)
    loss = (x ** 2).sum()
    print(f"loss: {loss}")

    # Backward pass: compute d(loss)/dx = 2*x
    loss.backward()

    print(f"x.grad: {x.grad}")
    print(f"Expected (2*x): {2*x.detach()}")
    print(f"Match: {torch.allclose(x.grad, 2*x.detach())}")


# ---- 004, Gradient Storage Behavior ------------------------------------------------------------------------
def GradientStorage():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = 2 * x       # Non-leaf
    z = (y ** 2).sum()

    z.backward()

    print(f"x.grad: {x.grad}")  # Stored: tensor([4., 8., 12.])
    print(f"y.grad: {y.grad}")  # None (not stored by default)


# ---- 004, Retaining Gradients for Non-Leaf Tensors ---------------------------------------------------------
def RetainGrad():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = 2 * x
    y.retain_grad()  # Request gradient storage
    z = (y ** 2).sum()

    z.backward()

    print(f"x.grad: {x.grad}")  # tensor([8., 16., 24.])
    print(f"y.grad: {y.grad}")  # tensor([4., 8., 12.]) - Now stored!


# ---- 004, Implicit VJP for Scalar Outputs ------------------------------------------------------------------
def ImplicitVjp():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    loss = (x ** 2).sum()

    # This is equivalent to:
    # loss.backward(torch.tensor(1.0))
    loss.backward()

    print(f"x.grad: {x.grad}")  # tensor([2., 4., 6.])


# ---- 004, Explicit VJP for Non-Scalar Outputs --------------------------------------------------------------
def ExplicitVjp():
    torch.manual_seed(0)  # added, so that the random x can be compared
    x = torch.randn(3, requires_grad=True)
    y = torch.sin(x)  # Non-scalar output

    # Must provide gradient vector v
    v = torch.tensor([0.1, 1.0, 0.01])
    y.backward(v)

    # x.grad = v^T * J where J = diag(cos(x))
    # x.grad[i] = v[i] * cos(x[i])
    print(f"x: {x}")
    print(f"x.grad: {x.grad}")
    print(f"v * cos(x): {v * torch.cos(x.detach())}")


# ---- 004, Common Patterns ----------------------------------------------------------------------------------
def TrainableParameters():
    torch.manual_seed(0)  # added, so that the printed norms can be compared

    def safe_grad_norm(param):
        """Safely compute gradient norm."""
        if param.grad is not None:
            return param.grad.norm().item()
        return 0.0

    # Method 1: Direct creation
    w = torch.randn(3, 4, requires_grad=True)
    print(f"w.requires_grad: {w.requires_grad}")

    # Method 2: From existing tensor
    w = torch.randn(3, 4)
    w.requires_grad_(True)  # In-place modification
    print(f"w.requires_grad: {w.requires_grad}")
    print(f"w.is_leaf: {w.is_leaf}")

    print(f"safe_grad_norm(w): {safe_grad_norm(w):.4f}")
    (w ** 2).sum().backward()
    print(f"safe_grad_norm(w): {safe_grad_norm(w):.4f}")
    print(f"2 * w.norm(): {2 * w.detach().norm().item():.4f}")


# ---- 002 "Day 1 - Part 3: Autograd Mechanics", Mathematical Example ----------------------------------------
def ChainRuleExample():
    # Consider: L = (x + y)^2 where x = 2, y = 3
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)

    # Forward Pass
    z = x + y
    z.retain_grad()
    L = z ** 2
    print("z:", z)
    print("L:", L)

    # Backward Pass
    L.backward()
    print("dL/dz:", z.grad)
    print("dL/dx:", x.grad)
    print("dL/dy:", y.grad)


# ---- 002, Gradient Accumulation ----------------------------------------------------------------------------
def GradientAccumulation():
    # Example: x used in both addition and multiplication
    x = torch.tensor(1.0, requires_grad=True)
    y = x + 2
    z = x * 3
    L = y + z

    L.backward()
    # dL/dx = (dL/dy * dy/dx) + (dL/dz * dz/dx) = 1 + 3 = 4
    print("x.grad:", x.grad)


# ---- 002, Computational Graph Representation ---------------------------------------------------------------
def GraphStructure():
    # Example: f(x, y) = (x + y) * sin(x)
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    u1 = x + y
    u2 = torch.sin(x)
    f = u1 * u2
    print("f:", f)

    def name(node):
        return type(node).__name__

    # Walk the graph from f back to the leaves
    print("f.grad_fn:", name(f.grad_fn))
    for node, _ in f.grad_fn.next_functions:
        print(f"  {name(node)} <- {', '.join(name(n) for n, _ in node.next_functions)}")

    # x reaches f through two paths: df/dx = sin(x) + (x + y) * cos(x); df/dy = sin(x)
    f.backward()
    print("x.grad:", x.grad)
    print("y.grad:", y.grad)


def ForwardModeJvp():
    # Seed 000, section 5 (Forward Mode Autograd); the print is added to show the result.
    import torch.autograd.forward_ad as fwAD

    x = torch.tensor(1.0)
    tangent = torch.tensor(1.0)  # Direction

    with fwAD.dual_level():
        dual_x = fwAD.make_dual(x, tangent)
        y = dual_x ** 2
        jvp = fwAD.unpack_dual(y).tangent
        # jvp = 2x * 1 = 2
        print("jvp:", jvp)


def CustomFunction():
    # Seed 001, section 6 (Advanced: Custom Autograd Functions); the prints are added to show the results.
    class MySquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)  # Save for backward
            return input ** 2

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            # d(x^2)/dx = 2x
            # Chain rule: grad_output * local_derivative
            return grad_output * (2 * input)

    # Usage
    sq = MySquare.apply
    x = torch.tensor(3.0, requires_grad=True)
    out = sq(x)
    print(out)
    out.backward()
    print("x.grad:", x.grad)


PROGRAMS = [
    RequiresGradAndGraph, NoGradAndDetach,
    HigherOrderDerivatives, GradientHook, InPlaceVersionCounter,
    ChainRuleExample, GradientAccumulation, GraphStructure,
    LossGradient, ManualGradientDescent, ForgettingToZeroGradients, BackwardTwice, ManualGradientCheck,
    LeafTensors, NonLeafTensors, RequiresGradPropagation, ComputingGradients, GradientStorage, RetainGrad,
    ImplicitVjp, ExplicitVjp, TrainableParameters, CustomFunction, ForwardModeJvp,
]

if __name__ == "__main__":
    wanted = sys.argv[1:]
    for program in PROGRAMS:
        if wanted and program.__name__ not in wanted:
            continue
        if not wanted:
            print(f"== {program.__name__}")
        program()
