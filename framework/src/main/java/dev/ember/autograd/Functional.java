package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Derivatives of whole functions (PyTorch's {@code torch.autograd.functional}): vector-Jacobian and
 * Jacobian-vector products, full Jacobians and Hessians, Hessian-vector products.
 *
 * <pre>{@code
 * Tensor x = Ember.tensor(DType.FLOAT64, 1, 2, 3);
 * Tensor j = Functional.jacobian(t -> t.exp(), x);                        // 3x3, exp(x) on the diagonal
 * Tensor h = Functional.hessian(t -> t.pow(3).sum(), x);                  // 3x3, 6x on the diagonal
 * Functional.Result r = Functional.hvp(t -> t.pow(3).sum(), x, Ember.onesLike(x));
 * r.output();                                                             // f(x) = 36
 * r.product();                                                            // H v = 6x * 1 = [6, 12, 18]
 *
 * // several inputs and outputs: a function of Tensor[] returning Tensor[]
 * Tensor[][] jj = Functional.jacobian(in -> new Tensor[] {in[0].mul(in[1]), in[0].add(in[1])},
 *         new Tensor[] {a, b});                                           // jj[output][input]
 * Tensor[][] hh = Functional.hessian(in -> in[0].mul(in[1]).sum(), new Tensor[] {a, b});   // hh[input][input]
 * }</pre>
 *
 * <h2>Shapes of functions and results</h2>
 * Every function has two forms. The single-tensor form takes a {@code Function<Tensor, Tensor>} and one input;
 * the general form takes a {@code Function<Tensor[], Tensor[]>} (or, for hessian, hvp and vhp, whose functions
 * return one scalar, a {@code Function<Tensor[], Tensor>}) and an array of inputs. Which one applies is decided
 * by the type of the input argument ({@code Tensor} or {@code Tensor[]}), so a plain lambda works in both. Where
 * PyTorch returns a tuple whose nesting depends on whether the inputs and outputs were tuples, Ember's types say
 * it: a {@link Result} (outputs and products) for the products, a {@code Tensor} or a {@code Tensor[][]} for the
 * Jacobian ({@code [output][input]}, each of shape output shape ++ input shape) and the Hessian
 * ({@code [input i][input j]}, of shape shape(i) ++ shape(j)).
 *
 * <h2>Semantics (PyTorch 1.13's)</h2>
 * <ul>
 *   <li>The inputs do not need to require grad: the function is called on detached copies that do (with
 *       createGraph, inputs that already require grad are used through a view, so the result stays connected to
 *       their graph). The function runs with grad mode on, even inside {@code Ember.noGrad()}.</li>
 *   <li>Without createGraph every returned tensor (the outputs too) is detached.</li>
 *   <li>An output independent of an input gives zeros, or with strict an {@link AutogradException}; see
 *       {@link FunctionalOptions}.</li>
 *   <li>A vector v has one tensor per output (vjp) or per input (jvp, hvp, vhp), each of its shape and dtype. It
 *       may be null when the output (vjp) or the input (the others) is a single one-element tensor: then it is 1.</li>
 *   <li>Jacobians have the inputs' dtype in reverse mode and the outputs' dtype in forward mode.</li>
 * </ul>
 *
 * <p>Where Ember differs from PyTorch: jvp uses real forward-mode AD ({@code ForwardAD}) instead of the
 * double-backward trick (which stays available as {@code JacobianStrategy.REVERSE_MODE}); forward-mode Jacobians
 * work with strict and with createGraph and need no {@code vectorize}; hvp can run forward over reverse;
 * Jacobians of empty tensors are empty tensors, not an error; strict errors name both the output and the input.
 */
public final class Functional {
    private Functional() {
    }

    /**
     * The outputs of a function and a product (vjp, jvp, hvp or vhp) computed at the same point. With the
     * single-tensor forms, {@link #output()} and {@link #product()} give the only element.
     *
     * @param outputs  the function's outputs, detached unless createGraph
     * @param products the products: one per input for vjp, hvp and vhp, one per output for jvp
     */
    public record Result(Tensor[] outputs, Tensor[] products) {
        /** The function's only output. */
        public Tensor output() {
            return only(outputs, "outputs", "outputs()");
        }

        /** The only product (the single-tensor forms). */
        public Tensor product() {
            return only(products, "products", "products()");
        }

        private static Tensor only(Tensor[] ts, String what, String accessor) {
            if (ts.length != 1) {
                throw new AutogradException("this result has " + ts.length + " " + what + ", not one: use "
                        + accessor + "[i]");
            }
            return ts[0];
        }

        @Override
        public String toString() {
            return "Result[outputs=" + Arrays.toString(outputs) + ", products=" + Arrays.toString(products) + "]";
        }
    }

    // ---- vjp --------------------------------------------------------------------------------------------------

    /** v^T J at input: the gradient of {@code (f(input) * v).sum()}. v may be null when f returns one element. */
    public static Result vjp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
        return vjp(f, input, v, FunctionalOptions.DEFAULT);
    }

    public static Result vjp(Function<Tensor, Tensor> f, Tensor input, Tensor v, FunctionalOptions options) {
        return vjp(single(f), new Tensor[] {input}, v == null ? null : new Tensor[] {v}, options);
    }

    /** v^T J for a function of several tensors: v has one tensor per output; the result one per input. */
    public static Result vjp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v) {
        return vjp(f, inputs, v, FunctionalOptions.DEFAULT);
    }

    public static Result vjp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, FunctionalOptions options) {
        final String fn = "vjp";
        checkFunction(fn, f);
        checkInputs(fn, inputs);
        rejectStrategy(fn, options, JacobianStrategy.FORWARD_MODE, "it is reverse mode by definition; for a "
                + "forward-mode product use jvp");
        boolean cg = options.createsGraph();
        boolean strict = options.isStrict();
        Tensor[] x;
        Tensor[] out;
        Tensor[] vv;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = prepareInputs(inputs, cg);
            out = call(fn, f, x);
            checkOutputsRequireGrad(fn, out, strict);
            vv = prepareV(fn, v, out, "output", cg);
        }
        Tensor[] grads = autogradGrad(out, x, vv, cg, cg);
        Tensor[] vjp = fillInZeros(fn, grads, x, strict, cg, Stage.BACK);
        return new Result(postprocess(out, cg), postprocess(vjp, cg));
    }

    // ---- jvp --------------------------------------------------------------------------------------------------

    /** J v at input: the directional derivative of f along v (forward-mode AD). v may be null for a one-element input. */
    public static Result jvp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
        return jvp(f, input, v, FunctionalOptions.DEFAULT);
    }

    public static Result jvp(Function<Tensor, Tensor> f, Tensor input, Tensor v, FunctionalOptions options) {
        return jvp(single(f), new Tensor[] {input}, v == null ? null : new Tensor[] {v}, options);
    }

    /** J v for a function of several tensors: v has one tensor per input; the result one per output. */
    public static Result jvp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v) {
        return jvp(f, inputs, v, FunctionalOptions.DEFAULT);
    }

    public static Result jvp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, FunctionalOptions options) {
        final String fn = "jvp";
        checkFunction(fn, f);
        checkInputs(fn, inputs);
        if (options.strategyOr(JacobianStrategy.FORWARD_MODE) == JacobianStrategy.FORWARD_MODE) {
            return ForwardJacobians.jvp(f, inputs, v, options.createsGraph(), options.isStrict());
        }
        return jvpDoubleBackward(f, inputs, v, options.createsGraph(), options.isStrict());
    }

    /** PyTorch 1.13's jvp: J v as the vjp (with respect to u) of the vjp u^T J, whose graph is linear in u. */
    private static Result jvpDoubleBackward(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, boolean cg,
                                            boolean strict) {
        final String fn = "jvp";
        Tensor[] x;
        Tensor[] out;
        Tensor[] vv;
        Tensor[] gradOutputs;
        Tensor[] gradInputs;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = prepareInputs(inputs, cg);
            vv = prepareV(fn, v, x, "input", cg);
            out = call(fn, f, x);
            checkOutputsRequireGrad(fn, out, strict);
            gradOutputs = new Tensor[out.length];
            for (int i = 0; i < out.length; i++) {
                if (out[i].dtype().isFloatingPoint()) {
                    gradOutputs[i] = Ember.zerosLike(out[i]).requiresGrad_();
                }
            }
            gradInputs = autogradGrad(out, x, gradOutputs, true, true);
            if (strict) {
                for (int j = 0; j < gradInputs.length; j++) {
                    if (gradInputs[j] == null || !gradInputs[j].requiresGrad()) {
                        throw strictError(fn, "the outputs of the function are independent of input " + j + " "
                                + shape(inputs[j]) + ". This is not allowed in strict mode");
                    }
                }
            }
        }
        Tensor[] grads = autogradGrad(gradInputs, gradOutputs, vv, cg, cg);
        Tensor[] jvp = fillInZeros(fn, grads, out, strict, cg, Stage.BACK_TRICK);
        return new Result(postprocess(out, cg), postprocess(jvp, cg));
    }

    // ---- jacobian ---------------------------------------------------------------------------------------------

    /** The Jacobian of a function of one tensor: shape f(input).shape ++ input.shape. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor input) {
        return jacobian(f, input, FunctionalOptions.DEFAULT);
    }

    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor input, FunctionalOptions options) {
        return jacobian(single(f), new Tensor[] {input}, options)[0][0];
    }

    /** The Jacobians {@code [output i][input j]} of a function of several tensors, each of shape out_i ++ in_j. */
    public static Tensor[][] jacobian(Function<Tensor[], Tensor[]> f, Tensor[] inputs) {
        return jacobian(f, inputs, FunctionalOptions.DEFAULT);
    }

    public static Tensor[][] jacobian(Function<Tensor[], Tensor[]> f, Tensor[] inputs, FunctionalOptions options) {
        checkFunction("jacobian", f);
        checkInputs("jacobian", inputs);
        return jacobianOf("jacobian", f, inputs, options.createsGraph(), options.isStrict(),
                options.strategyOr(JacobianStrategy.REVERSE_MODE), Naming.JACOBIAN);
    }

    static Tensor[][] jacobianOf(String fn, Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean cg,
                                 boolean strict, JacobianStrategy strategy, Naming naming) {
        if (strategy == JacobianStrategy.FORWARD_MODE) {
            return ForwardJacobians.jacobian(fn, f, inputs, cg, strict, naming);
        }
        Tensor[] x;
        Tensor[][] jac;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = prepareInputs(inputs, cg);
            Tensor[] out = call(fn, f, x);
            if (naming == Naming.JACOBIAN) {
                checkOutputsRequireGrad(fn, out, strict);
            }
            jac = new Tensor[out.length][x.length];
            for (int i = 0; i < out.length; i++) {
                Tensor o = out[i];
                int n = o.numel();
                Tensor[][] rows = new Tensor[x.length][n];
                for (int e = 0; e < n; e++) {
                    Tensor[] g = autogradGrad(new Tensor[] {o}, x, new Tensor[] {oneHot(o, e)}, cg, true);
                    for (int j = 0; j < x.length; j++) {
                        if (g[j] == null) {
                            if (strict) {
                                throw strictError(fn, naming.output(i) + " is independent of input " + j + " "
                                        + shape(inputs[j]) + naming.block(i, j) + ". This is not allowed in strict mode");
                            }
                            g[j] = Ember.zerosLike(x[j]);
                        } else if (strict && cg && !g[j].requiresGrad()) {
                            throw strictError(fn, naming.derivative(i, j) + " does not depend on the inputs"
                                    + naming.whyConstant() + ", so with createGraph it could only be differentiated to "
                                    + "zeros. This is not allowed in strict mode when createGraph is set");
                        }
                        rows[j][e] = g[j];
                    }
                }
                for (int j = 0; j < x.length; j++) {
                    jac[i][j] = assemble(rows[j], o.shape(), x[j].shape(), x[j].dtype(), 0);
                }
            }
        }
        return postprocess(jac, cg);
    }

    // ---- hessian ----------------------------------------------------------------------------------------------

    /** The Hessian of a scalar function of one tensor: shape input.shape ++ input.shape. */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor input) {
        return hessian(f, input, FunctionalOptions.DEFAULT);
    }

    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor input, FunctionalOptions options) {
        checkFunction("hessian", f);
        return hessian(in -> f.apply(in[0]), new Tensor[] {input}, options)[0][0];
    }

    /** The Hessian blocks {@code [input i][input j]} of a scalar function of several tensors (shape in_i ++ in_j). */
    public static Tensor[][] hessian(Function<Tensor[], Tensor> f, Tensor[] inputs) {
        return hessian(f, inputs, FunctionalOptions.DEFAULT);
    }

    /**
     * The Hessian as the Jacobian of the gradient: the gradient is always computed in reverse mode; the options'
     * strategy chooses how the outer Jacobian is (reverse over reverse, or forward over reverse).
     */
    public static Tensor[][] hessian(Function<Tensor[], Tensor> f, Tensor[] inputs, FunctionalOptions options) {
        final String fn = "hessian";
        checkFunction(fn, f);
        checkInputs(fn, inputs);
        boolean strict = options.isStrict();
        Function<Tensor[], Tensor[]> gradient = xs -> {
            Tensor out = callScalar(fn, f, xs);
            if (strict && !out.requiresGrad()) {
                throw outputNotRequiringGrad(fn, 0);
            }
            Tensor[] g = autogradGrad(new Tensor[] {out}, xs, null, true, true);
            for (int j = 0; j < g.length; j++) {
                if (strict && (g[j] == null || !g[j].requiresGrad())) {
                    throw strictError(fn, "while computing the Hessian, found that the gradient with respect to "
                            + "input " + j + " " + shape(xs[j]) + " is independent of the inputs (the function is "
                            + (g[j] == null ? "independent of that input" : "linear in it") + "). This is not allowed "
                            + "in strict mode: make sure the function is twice differentiable and its gradient "
                            + "depends on the inputs");
                }
                if (g[j] == null) {
                    g[j] = Ember.zerosLike(xs[j]);
                }
            }
            return g;
        };
        return jacobianOf(fn, gradient, inputs, options.createsGraph(), strict,
                options.strategyOr(JacobianStrategy.REVERSE_MODE), Naming.HESSIAN);
    }

    // ---- vhp and hvp ------------------------------------------------------------------------------------------

    /** v^T H at input for a scalar function of one tensor (equal to H v when f is twice continuously differentiable). */
    public static Result vhp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
        return vhp(f, input, v, FunctionalOptions.DEFAULT);
    }

    public static Result vhp(Function<Tensor, Tensor> f, Tensor input, Tensor v, FunctionalOptions options) {
        checkFunction("vhp", f);
        return vhp(in -> f.apply(in[0]), new Tensor[] {input}, v == null ? null : new Tensor[] {v}, options);
    }

    public static Result vhp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v) {
        return vhp(f, inputs, v, FunctionalOptions.DEFAULT);
    }

    /** v^T H: the gradient of (grad f . v), two backward passes. v has one tensor per input. */
    public static Result vhp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v, FunctionalOptions options) {
        final String fn = "vhp";
        checkFunction(fn, f);
        checkInputs(fn, inputs);
        rejectStrategy(fn, options, JacobianStrategy.FORWARD_MODE, "it is reverse over reverse by definition; for "
                + "forward over reverse use hvp");
        boolean cg = options.createsGraph();
        boolean strict = options.isStrict();
        Tensor[] x;
        Tensor out;
        Tensor[] vv;
        Tensor[] jac;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = prepareInputs(inputs, cg);
            vv = prepareV(fn, v, x, "input", cg);
            out = callScalar(fn, f, x);
            checkOutputsRequireGrad(fn, new Tensor[] {out}, strict);
            jac = autogradGrad(new Tensor[] {out}, x, null, true, true);
            checkJacobianRequiresGrad(fn, jac, x, strict);
        }
        Tensor[] grads = autogradGrad(jac, x, vv, cg, cg);
        Tensor[] vhp = fillInZeros(fn, grads, x, strict, cg, Stage.DOUBLE_BACK);
        return new Result(postprocess(new Tensor[] {out}, cg), postprocess(vhp, cg));
    }

    /** H v at input for a scalar function of one tensor. */
    public static Result hvp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
        return hvp(f, input, v, FunctionalOptions.DEFAULT);
    }

    public static Result hvp(Function<Tensor, Tensor> f, Tensor input, Tensor v, FunctionalOptions options) {
        checkFunction("hvp", f);
        return hvp(in -> f.apply(in[0]), new Tensor[] {input}, v == null ? null : new Tensor[] {v}, options);
    }

    public static Result hvp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v) {
        return hvp(f, inputs, v, FunctionalOptions.DEFAULT);
    }

    /**
     * H v. Reverse mode (the default, PyTorch's): the double-backward trick, three backward passes. Forward mode:
     * forward over reverse, the jvp of the gradient along v, one forward and one backward pass.
     */
    public static Result hvp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v, FunctionalOptions options) {
        final String fn = "hvp";
        checkFunction(fn, f);
        checkInputs(fn, inputs);
        boolean cg = options.createsGraph();
        boolean strict = options.isStrict();
        if (options.strategyOr(JacobianStrategy.REVERSE_MODE) == JacobianStrategy.FORWARD_MODE) {
            return ForwardJacobians.hvp(f, inputs, v, cg, strict);
        }
        Tensor[] x;
        Tensor out;
        Tensor[] vv;
        Tensor[] gradJac;
        Tensor[] doubleBack;
        try (GradMode.Scope s = GradMode.scope(true)) {
            x = prepareInputs(inputs, cg);
            vv = prepareV(fn, v, x, "input", cg);
            out = callScalar(fn, f, x);
            checkOutputsRequireGrad(fn, new Tensor[] {out}, strict);
            Tensor[] jac = autogradGrad(new Tensor[] {out}, x, null, true, true);
            checkJacobianRequiresGrad(fn, jac, x, strict);
            gradJac = new Tensor[x.length];
            for (int j = 0; j < x.length; j++) {
                gradJac[j] = Ember.zerosLike(x[j]).requiresGrad_();
            }
            doubleBack = autogradGrad(jac, x, gradJac, true, true);
        }
        Tensor[] grads = autogradGrad(doubleBack, gradJac, vv, cg, cg);
        Tensor[] hvp = fillInZeros(fn, grads, x, strict, cg, Stage.DOUBLE_BACK_TRICK);
        return new Result(postprocess(new Tensor[] {out}, cg), postprocess(hvp, cg));
    }

    // ---- shared machinery -------------------------------------------------------------------------------------

    /** How strict errors name the rows and columns of the Jacobian being computed. */
    enum Naming {
        JACOBIAN, HESSIAN;

        String output(int i) {
            return this == JACOBIAN ? "output " + i + " of the function" : "the gradient with respect to input " + i;
        }

        String block(int i, int j) {
            return this == JACOBIAN ? "" : " (the Hessian block [" + i + "][" + j + "] is structurally zero)";
        }

        String derivative(int i, int j) {
            return this == JACOBIAN ? "the Jacobian of output " + i + " with respect to input " + j
                    : "the Hessian block [" + i + "][" + j + "]";
        }

        String whyConstant() {
            return this == JACOBIAN ? " (the output is linear in that input)" : " (the function is quadratic)";
        }
    }

    /** Where fillInZeros runs, for its messages (PyTorch's stages). */
    enum Stage {
        BACK, BACK_TRICK, DOUBLE_BACK, DOUBLE_BACK_TRICK
    }

    static Function<Tensor[], Tensor[]> single(Function<Tensor, Tensor> f) {
        if (f == null) {
            return null;
        }
        return in -> new Tensor[] {f.apply(in[0])};
    }

    static void checkFunction(String fn, Object f) {
        if (f == null) {
            throw new AutogradException("Functional." + fn + ": the function is null");
        }
    }

    static void checkInputs(String fn, Tensor[] inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new AutogradException("Functional." + fn + ": no inputs: pass at least one tensor to differentiate "
                    + "the function at");
        }
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                throw new AutogradException("Functional." + fn + ": input " + i + " is null");
            }
            if (!t.dtype().isFloatingPoint()) {
                throw new dev.ember.DTypeException("Functional." + fn + ": input " + i + " " + shape(t) + " is "
                        + t.dtype() + ", but only floating-point tensors can be differentiated with respect to; "
                        + "convert it first with .to(DType.FLOAT64), or capture it in the function instead of "
                        + "passing it as an input");
            }
        }
    }

    static void rejectStrategy(String fn, FunctionalOptions options, JacobianStrategy rejected, String why) {
        if (options.strategyOrNull() == rejected) {
            throw new AutogradException("Functional." + fn + " does not take strategy " + rejected + ": " + why);
        }
    }

    /**
     * The tensors the function is called on (PyTorch's _grad_preprocess): with createGraph, inputs that require
     * grad are used through a view (so the result stays connected to their graph); every other input is
     * replaced by a detached alias that requires grad.
     */
    static Tensor[] prepareInputs(Tensor[] inputs, boolean createGraph) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            x[i] = createGraph && t.requiresGrad() ? t.view(t.shape()) : t.detach().requiresGrad_();
        }
        return x;
    }

    /** The vector of a product: checked against refs (the outputs or the inputs), detached unless createGraph. */
    static Tensor[] prepareV(String fn, Tensor[] v, Tensor[] refs, String refName, boolean createGraph) {
        if (v == null) {
            if (refs.length != 1 || refs[0].numel() != 1) {
                String have = refs.length != 1 ? refs.length + " " + refName + "s"
                        : "one " + refName + " of shape " + Arrays.toString(refs[0].shape());
                throw new AutogradException("Functional." + fn + ": the vector v can only be omitted (null) when the "
                        + "function has a single " + refName + " with a single element, but it has " + have
                        + ": pass one tensor per " + refName + ", of its shape");
            }
            return null;
        }
        if (v.length != refs.length) {
            throw new AutogradException("Functional." + fn + ": v has " + v.length + " tensor"
                    + (v.length == 1 ? "" : "s") + " but the function has " + refs.length + " " + refName
                    + (refs.length == 1 ? "" : "s") + ": pass one tensor per " + refName + ", of its shape");
        }
        Tensor[] out = new Tensor[v.length];
        for (int i = 0; i < v.length; i++) {
            Tensor t = v[i];
            if (t == null) {
                throw new AutogradException("Functional." + fn + ": v[" + i + "] is null: pass a tensor of the shape "
                        + "of " + refName + " " + i + " " + shape(refs[i]));
            }
            if (!Arrays.equals(t.shape(), refs[i].shape())) {
                throw new ShapeException("Functional." + fn + ": v[" + i + "] has shape " + Arrays.toString(t.shape())
                        + " but " + refName + " " + i + " has shape " + Arrays.toString(refs[i].shape())
                        + ": each entry of v must have the shape of its " + refName);
            }
            if (t.dtype() != refs[i].dtype()) {
                throw new dev.ember.DTypeException("Functional." + fn + ": v[" + i + "] is " + t.dtype() + " but "
                        + refName + " " + i + " is " + refs[i].dtype() + ": convert it with .to(DType."
                        + refs[i].dtype().name() + ")");
            }
            out[i] = createGraph && t.requiresGrad() ? t.view(t.shape()) : t.detach();
        }
        return out;
    }

    /** Calls f, checking that it returned one non-null tensor per output. */
    static Tensor[] call(String fn, Function<Tensor[], Tensor[]> f, Tensor[] x) {
        return callAs("Functional." + fn, f, x);
    }

    /** {@link #call} with errors prefixed by who (e.g. "gradcheck"). */
    static Tensor[] callAs(String who, Function<Tensor[], Tensor[]> f, Tensor[] x) {
        Tensor[] out;
        try {
            out = f.apply(x.clone());
        } catch (ArrayIndexOutOfBoundsException e) {
            throw arity(who, x.length, e);
        }
        if (out == null || out.length == 0) {
            throw new AutogradException(who + ": the function returned " + (out == null ? "null" : "no tensors")
                    + ": return at least one tensor");
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new AutogradException(who + ": output " + i + " of the function is null");
            }
        }
        return out.clone();
    }

    /** Calls a function that must return one tensor with one element (hessian, hvp, vhp). */
    static Tensor callScalar(String fn, Function<Tensor[], Tensor> f, Tensor[] x) {
        Tensor out;
        try {
            out = f.apply(x.clone());
        } catch (ArrayIndexOutOfBoundsException e) {
            throw arity("Functional." + fn, x.length, e);
        }
        if (out == null) {
            throw new AutogradException("Functional." + fn + ": the function returned null: return a tensor with a "
                    + "single element");
        }
        if (out.numel() != 1) {
            throw new ShapeException("Functional." + fn + ": the function must return a tensor with a single element "
                    + "(a scalar such as a loss), but it returned one of shape " + Arrays.toString(out.shape())
                    + "; reduce it (for example with .sum()), or use jacobian for a function with several outputs");
        }
        return out;
    }

    /**
     * The function indexed its Tensor[] argument beyond the inputs it was given (the usual Java form of "wrong
     * number of arguments"): an error that says so. Any other index error of the function passes through.
     */
    private static RuntimeException arity(String who, int n, ArrayIndexOutOfBoundsException e) {
        String m = e.getMessage();
        if (m == null || !m.endsWith("out of bounds for length " + n)) {
            return e;
        }
        return new AutogradException(who + ": the function was given " + n + " input" + (n == 1 ? "" : "s")
                + " but read past them (" + m + "): pass one tensor per input the function uses", e);
    }

    static void checkOutputsRequireGrad(String fn, Tensor[] out, boolean strict) {
        if (!strict) {
            return;
        }
        for (int i = 0; i < out.length; i++) {
            if (!out[i].requiresGrad()) {
                throw outputNotRequiringGrad(fn, i);
            }
        }
    }

    static AutogradException outputNotRequiringGrad(String fn, int i) {
        return strictError(fn, "output " + i + " of the function does not require grad, so it does not depend on "
                + "any input. The outputs must be computed in a differentiable manner from the inputs in strict "
                + "mode (no detach(), no noGrad(), no integer or comparison results)");
    }

    static void checkJacobianRequiresGrad(String fn, Tensor[] jac, Tensor[] x, boolean strict) {
        if (!strict) {
            return;
        }
        for (int j = 0; j < jac.length; j++) {
            if (jac[j] == null || !jac[j].requiresGrad()) {
                throw strictError(fn, "while computing the Hessian, found that the gradient with respect to input "
                        + j + " " + shape(x[j]) + " is independent of the inputs (the function is "
                        + (jac[j] == null ? "independent of that input" : "linear in it") + "). This is not allowed "
                        + "in strict mode: make sure the function is twice differentiable and its gradient depends "
                        + "on the inputs");
            }
        }
    }

    static AutogradException strictError(String fn, String what) {
        return new AutogradException("Functional." + fn + " (strict): " + what
                + "; pass strict(false) to get zeros instead.");
    }

    /**
     * autograd.grad over the outputs that require grad with respect to the inputs that require grad, with null for
     * everything else (PyTorch's _autograd_grad, which also tolerates unused inputs).
     */
    static Tensor[] autogradGrad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph,
                                 boolean retainGraph) {
        List<Tensor> outs = new ArrayList<>();
        List<Tensor> gos = new ArrayList<>();
        for (int k = 0; k < outputs.length; k++) {
            Tensor o = outputs[k];
            if (o != null && o.requiresGrad()) {
                outs.add(o);
                gos.add(gradOutputs == null ? null : gradOutputs[k]);
            }
        }
        Tensor[] result = new Tensor[inputs.length];
        List<Tensor> ins = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int j = 0; j < inputs.length; j++) {
            if (inputs[j] != null && inputs[j].requiresGrad()) {
                ins.add(inputs[j]);
                where.add(j);
            }
        }
        if (outs.isEmpty() || ins.isEmpty()) {
            return result;
        }
        GradOptions o = GradOptions.allowUnused().createGraph(createGraph).retainGraph(retainGraph);
        Tensor[] g = Autograd.grad(outs, ins, gos, o);
        for (int k = 0; k < g.length; k++) {
            result[where.get(k)] = g[k];
        }
        return result;
    }

    /** Zeros for missing gradients, or the strict errors (PyTorch's _fill_in_zeros). */
    static Tensor[] fillInZeros(String fn, Tensor[] grads, Tensor[] refs, boolean strict, boolean createGraph,
                                Stage stage) {
        Tensor[] res = new Tensor[grads.length];
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null) {
                if (strict) {
                    throw strictError(fn, switch (stage) {
                        case BACK -> "the outputs of the function are independent of input " + i + " "
                                + shape(refs[i]) + ". This is not allowed in strict mode";
                        case BACK_TRICK -> "output " + i + " " + shape(refs[i]) + " is independent of the inputs "
                                + "(found by the double-backward trick). This is not allowed in strict mode";
                        case DOUBLE_BACK -> "the gradient of the function is independent of input " + i + " "
                                + shape(refs[i]) + " (its Hessian has no entries for it). This is not allowed in "
                                + "strict mode";
                        case DOUBLE_BACK_TRICK -> "the Hessian of the function is independent of input " + i + " "
                                + shape(refs[i]) + " (found by the double-backward trick). This is not allowed in "
                                + "strict mode";
                    });
                }
                g = Ember.zerosLike(refs[i]);
            } else if (strict && createGraph && !g.requiresGrad()) {
                boolean second = stage == Stage.DOUBLE_BACK || stage == Stage.DOUBLE_BACK_TRICK;
                String which = stage == Stage.BACK_TRICK ? "output " + i : "input " + i;
                throw strictError(fn, "the result for " + which + " does not depend on the inputs (the function's "
                        + (second ? "Hessian" : "Jacobian") + " is constant" + (second ? ": it is quadratic" : ": it is "
                        + "linear") + "), so with createGraph it could only be differentiated to zeros. This is not "
                        + "allowed in strict mode when createGraph is set");
            }
            res[i] = g;
        }
        return res;
    }

    /** Detaches every tensor unless createGraph (PyTorch's _grad_postprocess). */
    static Tensor[] postprocess(Tensor[] ts, boolean createGraph) {
        if (createGraph) {
            return ts;
        }
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i] == null ? null : ts[i].detach();
        }
        return out;
    }

    static Tensor[][] postprocess(Tensor[][] ts, boolean createGraph) {
        Tensor[][] out = new Tensor[ts.length][];
        for (int i = 0; i < ts.length; i++) {
            out[i] = postprocess(ts[i], createGraph);
        }
        return out;
    }

    /** A tensor of t's shape and dtype, zero except for a one at flat (row-major) position e. */
    static Tensor oneHot(Tensor t, int e) {
        double[] v = new double[t.numel()];
        v[e] = 1.0;
        Tensor h = Ember.fromArray(v, t.shape());
        return t.dtype() == DType.FLOAT64 ? h : h.to(t.dtype());
    }

    /**
     * Stacks the pieces of one Jacobian block into shape outer ++ inner: rows (reverse mode, dim 0, one per
     * element of outer, each of shape inner) or columns (forward mode, one per element of inner, each of shape
     * outer, stacked at the last dim).
     */
    static Tensor assemble(Tensor[] pieces, int[] outShape, int[] inShape, DType dtype, int mode) {
        int[] full = new int[outShape.length + inShape.length];
        System.arraycopy(outShape, 0, full, 0, outShape.length);
        System.arraycopy(inShape, 0, full, outShape.length, inShape.length);
        if (pieces.length == 0 || pieces[0].numel() == 0) {
            return Ember.zeros(dtype, full);   // no values (and Ember.stack of empty tensors fails)
        }
        if (mode == 0) {
            Tensor[] flat = new Tensor[pieces.length];
            for (int e = 0; e < pieces.length; e++) {
                flat[e] = pieces[e].reshape(-1);
            }
            return Ember.stack(List.of(flat), 0).reshape(full);
        }
        Tensor[] flat = new Tensor[pieces.length];
        for (int e = 0; e < pieces.length; e++) {
            flat[e] = pieces[e].reshape(-1);
        }
        return Ember.stack(List.of(flat), 1).reshape(full);
    }

    static String shape(Tensor t) {
        return "(shape " + Arrays.toString(t.shape()) + ")";
    }
}
