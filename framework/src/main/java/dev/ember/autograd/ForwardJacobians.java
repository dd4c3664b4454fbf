package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;

import java.util.function.Function;

/**
 * The forward-mode parts of {@link Functional} and {@link GradCheck}, over {@link ForwardAD}: jvp, Jacobians column
 * by column, Hessians and Hessian-vector products forward over reverse, and the tangents gradcheck compares.
 * Each call opens its own dual level, so none may be open already (forward mode does not nest, as in PyTorch 1.13).
 */
final class ForwardJacobians {
    private ForwardJacobians() {
    }

    /** J v with one forward pass: the tangents of the outputs when the inputs carry v. */
    static Functional.Result jvp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, boolean cg,
                                 boolean strict) {
        final String fn = "jvp";
        requireNoLevel(fn);
        Tensor[] x;
        Tensor[] out;
        Tensor[] primals;
        Tensor[] tangents;
        try (GradMode.Scope s = GradMode.scope(true)) {
            // the inputs need a graph only to be differentiated later (createGraph) or for strict's reachability test
            x = cg || strict ? Functional.prepareInputs(inputs, cg) : detached(inputs);
            Tensor[] vv = Functional.prepareV(fn, v, x, "input", cg);
            if (vv == null) {
                vv = new Tensor[] {Ember.onesLike(x[0])};
            }
            try (DualLevel level = ForwardAD.dualLevel()) {
                Tensor[] duals = new Tensor[x.length];
                for (int j = 0; j < x.length; j++) {
                    duals[j] = level.makeDual(x[j], vv[j]);
                }
                out = Functional.call(fn, f, duals);
                primals = new Tensor[out.length];
                tangents = new Tensor[out.length];
                for (int i = 0; i < out.length; i++) {
                    Dual d = level.unpackDual(out[i]);
                    primals[i] = d.primal();
                    tangents[i] = d.tangent();
                }
            }
            if (strict) {
                Functional.checkOutputsRequireGrad(fn, out, true);
                Tensor[] zeros = new Tensor[out.length];
                for (int i = 0; i < out.length; i++) {
                    zeros[i] = Ember.zerosLike(out[i]);
                }
                Tensor[] reach = Functional.autogradGrad(out, x, zeros, false, true);
                for (int j = 0; j < x.length; j++) {
                    if (reach[j] == null) {
                        throw Functional.strictError(fn, "the outputs of the function are independent of input " + j
                                + " " + Functional.shape(inputs[j]) + ". This is not allowed in strict mode");
                    }
                }
            }
        }
        Tensor[] jvp = new Tensor[out.length];
        for (int i = 0; i < out.length; i++) {
            Tensor t = tangents[i];
            if (t == null) {
                if (strict) {
                    throw Functional.strictError(fn, "output " + i + " " + Functional.shape(out[i]) + " does not "
                            + "depend on the inputs (it has no tangent). This is not allowed in strict mode");
                }
                t = Ember.zerosLike(primals[i]);
            } else if (strict && cg && !t.requiresGrad()) {
                throw Functional.strictError(fn, "the Jacobian-vector product for output " + i + " does not depend on "
                        + "the inputs (the function's Jacobian is constant: it is linear), so with createGraph it could "
                        + "only be differentiated to zeros. This is not allowed in strict mode when createGraph is set");
            }
            jvp[i] = t;
        }
        return new Functional.Result(Functional.postprocess(primals, cg), Functional.postprocess(jvp, cg));
    }

    /** The Jacobian column by column: one forward pass per input element, with a one-hot tangent. */
    static Tensor[][] jacobian(String fn, Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean cg, boolean strict,
                               Functional.Naming naming) {
        requireNoLevel(fn);
        Tensor[][] jac;
        try (GradMode.Scope s = GradMode.scope(true)) {
            // a Hessian's inner gradient is a reverse pass, which needs inputs that require grad
            Tensor[] x = cg || naming == Functional.Naming.HESSIAN ? Functional.prepareInputs(inputs, cg)
                    : detached(inputs);
            Tensor[] ref = null;                     // the outputs' primals (shapes and dtypes)
            Tensor[][][] cols = new Tensor[0][][];   // [output][input][element]
            boolean[][] reached = null;              // [output][input]: some column had a tangent
            for (int j = 0; j < x.length; j++) {
                int n = x[j].numel();
                for (int k = 0; k < n; k++) {
                    Tensor[] out;
                    Tensor[] tangents;
                    try (DualLevel level = ForwardAD.dualLevel()) {
                        Tensor[] args = x.clone();
                        args[j] = level.makeDual(x[j], Functional.oneHot(x[j], k));
                        out = Functional.call(fn, f, args);
                        tangents = new Tensor[out.length];
                        for (int i = 0; i < out.length; i++) {
                            Dual d = level.unpackDual(out[i]);
                            out[i] = d.primal();
                            tangents[i] = d.tangent();
                        }
                    }
                    if (ref == null) {
                        ref = out;
                        cols = new Tensor[out.length][x.length][];
                        for (int i = 0; i < out.length; i++) {
                            for (int jj = 0; jj < x.length; jj++) {
                                cols[i][jj] = new Tensor[x[jj].numel()];
                            }
                        }
                        reached = new boolean[out.length][x.length];
                    } else if (out.length != ref.length) {
                        throw new AutogradException("Functional." + fn + ": the function returned " + out.length
                                + " outputs in one forward pass and " + ref.length + " in another");
                    }
                    for (int i = 0; i < out.length; i++) {
                        Tensor t = tangents[i];
                        if (t != null) {
                            reached[i][j] = true;
                            if (strict && cg && !t.requiresGrad()) {
                                throw Functional.strictError(fn, naming.derivative(i, j) + " does not depend on the "
                                        + "inputs" + naming.whyConstant() + ", so with createGraph it could only be "
                                        + "differentiated to zeros. This is not allowed in strict mode when createGraph "
                                        + "is set");
                            }
                        }
                        cols[i][j][k] = t;
                    }
                }
            }
            if (ref == null) {
                // every input is empty: one plain call for the outputs' shapes
                ref = Functional.call(fn, f, x.clone());
                cols = new Tensor[ref.length][x.length][0];
                reached = new boolean[ref.length][x.length];
            }
            if (strict && naming == Functional.Naming.JACOBIAN) {
                for (int i = 0; i < ref.length; i++) {
                    boolean any = false;
                    boolean measurable = true;
                    for (int j = 0; j < x.length; j++) {
                        any |= reached[i][j];
                        measurable &= x[j].numel() > 0;
                    }
                    if (!any && measurable) {
                        throw Functional.strictError(fn, "output " + i + " of the function does not depend on any "
                                + "input (it has no tangent in forward mode). The outputs must be computed in a "
                                + "differentiable manner from the inputs in strict mode (no detach(), no integer or "
                                + "comparison results)");
                    }
                }
            }
            jac = new Tensor[ref.length][x.length];
            for (int i = 0; i < ref.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    if (strict && !reached[i][j] && x[j].numel() > 0) {
                        throw Functional.strictError(fn, naming.output(i) + " is independent of input " + j + " "
                                + Functional.shape(inputs[j]) + naming.block(i, j) + ". This is not allowed in strict "
                                + "mode");
                    }
                    Tensor[] c = cols[i][j];
                    for (int k = 0; k < c.length; k++) {
                        if (c[k] == null) {
                            c[k] = Ember.zerosLike(ref[i]);
                        }
                    }
                    jac[i][j] = Functional.assemble(c, ref[i].shape(), x[j].shape(), ref[i].dtype(), 1);
                }
            }
        }
        return Functional.postprocess(jac, cg);
    }

    /** H v forward over reverse: the tangent of the gradient when the inputs carry v. */
    static Functional.Result hvp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v, boolean cg,
                                 boolean strict) {
        final String fn = "hvp";
        requireNoLevel(fn);
        Tensor[] x;
        Tensor primal;
        Tensor[] hv;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = Functional.prepareInputs(inputs, cg);
            Tensor[] vv = Functional.prepareV(fn, v, x, "input", cg);
            if (vv == null) {
                vv = new Tensor[] {Ember.onesLike(x[0])};
            }
            try (DualLevel level = ForwardAD.dualLevel()) {
                Tensor[] duals = new Tensor[x.length];
                for (int j = 0; j < x.length; j++) {
                    duals[j] = level.makeDual(x[j], vv[j]);
                }
                Tensor out = Functional.callScalar(fn, f, duals);
                Functional.checkOutputsRequireGrad(fn, new Tensor[] {out}, strict);
                Tensor[] jac = Functional.autogradGrad(new Tensor[] {out}, duals, null, cg || strict, cg);
                Functional.checkJacobianRequiresGrad(fn, jac, x, strict);
                primal = level.unpackDual(out).primal();
                hv = new Tensor[x.length];
                for (int j = 0; j < x.length; j++) {
                    hv[j] = jac[j] == null ? null : level.unpackDual(jac[j]).tangent();
                }
            }
        }
        for (int j = 0; j < x.length; j++) {
            if (hv[j] == null) {
                if (strict) {
                    throw Functional.strictError(fn, "the Hessian of the function is independent of input " + j + " "
                            + Functional.shape(inputs[j]) + " (its gradient has no tangent). This is not allowed in "
                            + "strict mode");
                }
                hv[j] = Ember.zerosLike(x[j]);
            } else if (strict && cg && !hv[j].requiresGrad()) {
                throw Functional.strictError(fn, "the result for input " + j + " does not depend on the inputs (the "
                        + "function's Hessian is constant: it is quadratic), so with createGraph it could only be "
                        + "differentiated to zeros. This is not allowed in strict mode when createGraph is set");
            }
        }
        return new Functional.Result(Functional.postprocess(new Tensor[] {primal}, cg),
                Functional.postprocess(hv, cg));
    }

    /**
     * For gradcheck: the tangents of f's outputs (null where none) when input j (and every other argument that is
     * the same tensor) carries the given tangent.
     */
    static Tensor[] outputTangents(String check, Function<Tensor[], Tensor[]> f, Tensor[] inputs, int j,
                                   Tensor tangent) {
        if (ForwardAD.isActive()) {
            throw new AutogradException(check + " with checkForwardAd opens its own dual level, but "
                    + ForwardAD.currentLevel() + " is open and forward mode does not nest: run the check outside it");
        }
        try (GradMode.Scope s = GradMode.scope(true); DualLevel level = ForwardAD.dualLevel()) {
            Tensor dual = level.makeDual(inputs[j], tangent);
            Tensor[] args = inputs.clone();
            for (int m = 0; m < args.length; m++) {
                if (inputs[m] == inputs[j]) {
                    args[m] = dual;
                }
            }
            Tensor[] out = Functional.callAs(check, f, args);
            Tensor[] t = new Tensor[out.length];
            for (int i = 0; i < out.length; i++) {
                t[i] = out[i].dtype().isFloatingPoint() ? level.unpackDual(out[i]).tangent() : null;
            }
            return t;
        }
    }

    private static void requireNoLevel(String fn) {
        if (ForwardAD.isActive()) {
            throw new AutogradException("Functional." + fn + " in forward mode opens its own dual level, but "
                    + ForwardAD.currentLevel() + " is open and forward mode does not nest (as in PyTorch 1.13): call "
                    + "it outside that level, or use JacobianStrategy.REVERSE_MODE");
        }
    }

    private static Tensor[] detached(Tensor[] inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = inputs[i].detach();
        }
        return x;
    }
}
