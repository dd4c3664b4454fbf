package dev.ember.autograd;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference checks of analytic derivatives (PyTorch's {@code gradcheck} and {@code gradgradcheck}): the
 * Jacobian of a function of float64 tensors computed by reverse mode (and optionally forward mode) is compared,
 * element by element, with central differences.
 *
 * <pre>{@code
 * Tensor x = Ember.fromArray(new double[] {0.5, -1, 2}, 3).requiresGrad_();
 * GradCheck.gradcheck(t -> t.exp().mul(t), x);                 // true, or throws GradCheckException
 * GradCheck.gradgradcheck(t -> t.exp().mul(t), x);             // second derivatives
 *
 * Tensor[] ab = {a, b};                                        // several inputs and outputs
 * GradCheck.gradcheck(in -> new Tensor[] {in[0].matmul(in[1])}, ab, GradCheckOptions.DEFAULT.checkForwardAd(true));
 * GradCheck.Report r = GradCheck.gradcheckReport(f, ab, GradCheckOptions.DEFAULT);   // never throws on a mismatch
 * }</pre>
 *
 * <h2>What is checked</h2>
 * For every input that requires grad (input j) and every floating-point output (output i), the block
 * J[i][j] = d output_i / d input_j: its numerical form, column by column, from
 * {@code (f(x + eps e_k) - f(x - eps e_k)) / 2 eps}; its analytic form, row by row from one
 * {@link Autograd#grad} per output element (reverse mode), and with {@code checkForwardAd} column by column from one
 * forward-mode pass per input element. Inputs that do not require grad, and integer or boolean inputs (indices,
 * masks), are passed through unchanged; integer and boolean outputs are not checked. A floating-point output that
 * does not require grad is checked against an analytic derivative of zero: PyTorch checks that only when no output
 * requires grad, so a stray {@code detach()} in one of several outputs goes unnoticed there.
 *
 * <p>gradgradcheck applies the same check to the function that maps (inputs, grad_outputs) to the gradients of
 * the inputs (computed with createGraph), PyTorch's construction; grad_outputs not given are random in [-1, 1).
 *
 * <p>On a mismatch the {@link Report} names, for each element, the mode, the output and its element (a
 * multi-index), the input and its element, and the numerical and analytic values.
 *
 * <p>Inputs are never modified: the perturbed input is a fresh leaf that requires grad as the original did (PyTorch
 * perturbs the input in place, which bumps its version counter); the other inputs are passed as they are. The same
 * tensor passed as two inputs is perturbed in both places. The function always runs with grad mode on, so it may
 * register hooks or compute gradients itself.
 */
public final class GradCheck {
    private static final Logger LOG = LoggerFactory.getLogger(GradCheck.class);
    private static final int LISTED_PER_BLOCK = 8;

    private GradCheck() {
    }

    /** Which derivative an analytic value came from. */
    public enum Mode {
        /** Reverse mode: rows of the Jacobian from vector-Jacobian products. */
        REVERSE,
        /** Forward mode: columns of the Jacobian from Jacobian-vector products. */
        FORWARD
    }

    /**
     * One element of a Jacobian where the analytic value is off.
     *
     * @param mode          how the analytic value was computed
     * @param output        the output's index among the checked function's outputs
     * @param outputName    "output 0", or for gradgradcheck "the gradient of input 0"
     * @param outputElement the element of the output (multi-index)
     * @param input         the input's index among the checked function's inputs
     * @param inputName     "input 1", or for gradgradcheck also "grad_output 0"
     * @param inputElement  the element of the input (multi-index)
     * @param numeric       the finite-difference derivative
     * @param analytic      the derivative autograd computed
     */
    public record Mismatch(Mode mode, int output, String outputName, int[] outputElement, int input, String inputName,
                           int[] inputElement, double numeric, double analytic) {
        @Override
        public String toString() {
            return outputName + " " + Arrays.toString(outputElement) + ", " + inputName + " "
                    + Arrays.toString(inputElement) + ": numeric " + numeric + ", analytic " + analytic
                    + " (difference " + (analytic - numeric) + ", " + mode.name().toLowerCase() + " mode)";
        }
    }

    /**
     * The outcome of a check.
     *
     * @param check      "gradcheck" or "gradgradcheck"
     * @param mismatches every element off, grouped by mode, output and input
     * @param message    a readable summary (the exception's message); "... passed" when there is no mismatch
     */
    public record Report(String check, List<Mismatch> mismatches, String message) {
        public Report {
            mismatches = List.copyOf(mismatches);
        }

        public boolean passed() {
            return mismatches.isEmpty();
        }

        @Override
        public String toString() {
            return message;
        }
    }

    // ---- gradcheck --------------------------------------------------------------------------------------------

    /** Checks the first derivatives of a function of one tensor with the default options. */
    public static boolean gradcheck(Function<Tensor, Tensor> f, Tensor input) {
        return gradcheck(f, input, GradCheckOptions.DEFAULT);
    }

    public static boolean gradcheck(Function<Tensor, Tensor> f, Tensor input, GradCheckOptions options) {
        checkNotNull("gradcheck", f, input);
        return gradcheck(Functional.single(f), new Tensor[] {input}, options);
    }

    /** Checks the first derivatives of a function of several tensors with the default options. */
    public static boolean gradcheck(Function<Tensor[], Tensor[]> f, Tensor[] inputs) {
        return gradcheck(f, inputs, GradCheckOptions.DEFAULT);
    }

    /**
     * Checks the first derivatives: true if they match, else a {@link GradCheckException} (or false with
     * {@code raiseException(false)}).
     */
    public static boolean gradcheck(Function<Tensor[], Tensor[]> f, Tensor[] inputs, GradCheckOptions options) {
        return conclude(gradcheckReport(f, inputs, options), options);
    }

    /** Checks the first derivatives and returns the report; a mismatch does not throw (misuse still does). */
    public static Report gradcheckReport(Function<Tensor[], Tensor[]> f, Tensor[] inputs, GradCheckOptions options) {
        final String check = "gradcheck";
        checkArguments(check, f, inputs, options);
        int[] diff = requiringGrad(check, inputs);
        checkPrecision(check, inputs, diff, i -> "input " + i, options);
        Naming naming = new Naming(i -> "output " + i, j -> "input " + j);
        return new Checker(check, f, inputs, options, naming).run();
    }

    // ---- gradgradcheck ----------------------------------------------------------------------------------------

    /** Checks the second derivatives of a function of one tensor with the default options. */
    public static boolean gradgradcheck(Function<Tensor, Tensor> f, Tensor input) {
        return gradgradcheck(f, input, GradCheckOptions.DEFAULT);
    }

    public static boolean gradgradcheck(Function<Tensor, Tensor> f, Tensor input, GradCheckOptions options) {
        checkNotNull("gradgradcheck", f, input);
        return gradgradcheck(Functional.single(f), new Tensor[] {input}, null, options);
    }

    /** Checks the second derivatives with random grad_outputs and the default options. */
    public static boolean gradgradcheck(Function<Tensor[], Tensor[]> f, Tensor[] inputs) {
        return gradgradcheck(f, inputs, null, GradCheckOptions.DEFAULT);
    }

    /**
     * Checks the second derivatives: the derivatives of the gradients of the inputs (given gradOutputs, one per
     * output that requires grad, or random ones if null) with respect to the inputs and to the gradOutputs that
     * require grad.
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] gradOutputs,
                                        GradCheckOptions options) {
        return conclude(gradgradcheckReport(f, inputs, gradOutputs, options), options);
    }

    /** gradgradcheck returning the report; a mismatch does not throw (misuse still does). */
    public static Report gradgradcheckReport(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] gradOutputs,
                                             GradCheckOptions options) {
        final String check = "gradgradcheck";
        checkArguments(check, f, inputs, options);
        int[] diff = requiringGrad(check, inputs);
        checkPrecision(check, inputs, diff, i -> "input " + i, options);
        int n = inputs.length;
        Tensor[] outs;
        try (GradMode.Scope s = GradMode.scope(true)) {
            outs = Functional.callAs(check, f, inputs);
        }
        List<Tensor> diffOuts = new ArrayList<>();
        List<Integer> diffOutIdx = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (outs[i].requiresGrad()) {
                diffOuts.add(outs[i]);
                diffOutIdx.add(i);
            }
        }
        if (diffOuts.isEmpty()) {
            throw new AutogradException(check + ": no output of the function requires grad, so there are no "
                    + "gradients to differentiate again: the outputs must be computed from the inputs that require "
                    + "grad (no detach(), no noGrad(), no integer or comparison results)");
        }
        Tensor[] go;
        if (gradOutputs == null) {
            Random random = new Random(options.seed() ^ 0x5DEECE66DL);
            go = new Tensor[diffOuts.size()];
            for (int q = 0; q < go.length; q++) {
                Tensor o = diffOuts.get(q);
                double[] v = new double[o.numel()];
                for (int e = 0; e < v.length; e++) {
                    v[e] = random.nextDouble() * 2 - 1;
                }
                Tensor t = Ember.fromArray(v, o.shape());
                go[q] = (o.dtype() == DType.FLOAT64 ? t : t.to(o.dtype())).requiresGrad_();
            }
        } else {
            if (gradOutputs.length != diffOuts.size()) {
                throw new AutogradException(check + ": got " + gradOutputs.length + " grad_outputs but the function has "
                        + diffOuts.size() + " output" + (diffOuts.size() == 1 ? "" : "s") + " that require"
                        + (diffOuts.size() == 1 ? "s" : "") + " grad " + diffOutIdx + ": pass one per such output "
                        + "(outputs that do not require grad get none), or null for random ones");
            }
            go = gradOutputs.clone();
            for (int q = 0; q < go.length; q++) {
                Tensor o = diffOuts.get(q);
                if (go[q] == null) {
                    throw new AutogradException(check + ": grad_output " + q + " is null: pass a tensor of the shape "
                            + "of output " + diffOutIdx.get(q) + " " + Arrays.toString(o.shape()));
                }
                if (!Arrays.equals(go[q].shape(), o.shape())) {
                    throw new ShapeException(check + ": grad_output " + q + " has shape "
                            + Arrays.toString(go[q].shape()) + " but output " + diffOutIdx.get(q) + " has shape "
                            + Arrays.toString(o.shape()) + ": each grad_output must have the shape of its output");
                }
                if (go[q].dtype() != o.dtype()) {
                    throw new DTypeException(check + ": grad_output " + q + " is " + go[q].dtype() + " but output "
                            + diffOutIdx.get(q) + " is " + o.dtype() + ": convert it with .to(DType."
                            + o.dtype().name() + ")");
                }
            }
            int[] diffGo = requiring(go);
            checkPrecision(check, go, diffGo, q -> "grad_output " + q, options);
        }
        boolean[] diffIn = new boolean[n];
        for (int j : diff) {
            diffIn[j] = true;
        }
        boolean[] diffGo = new boolean[go.length];
        for (int q = 0; q < go.length; q++) {
            diffGo[q] = go[q].requiresGrad();
        }
        int numGo = go.length;
        // PyTorch's new_func: (inputs..., grad_outputs...) -> the gradients of the inputs that require grad
        Function<Tensor[], Tensor[]> gradients = args -> {
            try (GradMode.Scope s = GradMode.scope(true)) {
                Tensor[] in = Arrays.copyOf(args, n);
                List<Tensor> targets = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (diffIn[j]) {
                        if (!in[j].requiresGrad()) {
                            in[j] = in[j].requiresGrad_();
                        }
                        targets.add(in[j]);
                    }
                }
                Tensor[] o = Functional.callAs(check, f, in);
                List<Tensor> roots = new ArrayList<>();
                for (Tensor t : o) {
                    if (t.requiresGrad()) {
                        roots.add(t);
                    }
                }
                if (roots.size() != numGo) {
                    throw new AutogradException(check + ": the function returned " + roots.size() + " outputs that "
                            + "require grad at a perturbed point, but " + numGo + " at the original one");
                }
                List<Tensor> gos = new ArrayList<>();
                for (int q = 0; q < numGo; q++) {
                    Tensor g = args[n + q];
                    if (diffGo[q] && !g.requiresGrad()) {
                        g = g.requiresGrad_();
                    }
                    gos.add(g);
                }
                Tensor[] grads = Autograd.grad(roots, targets, gos, GradOptions.createGraph().allowUnused(true));
                for (int k = 0; k < grads.length; k++) {
                    if (grads[k] == null) {
                        grads[k] = Ember.zerosLike(targets.get(k));
                    }
                }
                return grads;
            }
        };
        Tensor[] all = new Tensor[n + numGo];
        System.arraycopy(inputs, 0, all, 0, n);
        System.arraycopy(go, 0, all, n, numGo);
        Naming naming = new Naming(k -> "the gradient of input " + diff[k],
                j -> j < n ? "input " + j : "grad_output " + (j - n));
        return new Checker(check, gradients, all, options, naming).run();
    }

    // ---- the check itself -------------------------------------------------------------------------------------

    /** How the report names the checked function's outputs and inputs. */
    private record Naming(java.util.function.IntFunction<String> output, java.util.function.IntFunction<String> input) {
    }

    /** One run of the comparison for a function and its inputs. */
    private static final class Checker {
        private final String check;
        private final Function<Tensor[], Tensor[]> f;
        private final Tensor[] inputs;
        private final GradCheckOptions options;
        private final Naming naming;
        private final Random random;
        private final int[] diff;
        /** The function's outputs at the given inputs, computed with grad mode on. */
        private Tensor[] outs;
        /** Per output: the sampled (flat) elements, or null for outputs that are not checked (integer, bool). */
        private int[][] rows;
        /** Per input in diff: the sampled (flat) elements. */
        private int[][] cols;

        Checker(String check, Function<Tensor[], Tensor[]> f, Tensor[] inputs, GradCheckOptions options,
                Naming naming) {
            this.check = check;
            this.f = f;
            this.inputs = inputs;
            this.options = options;
            this.naming = naming;
            this.random = new Random(options.seed());
            this.diff = requiring(inputs);
        }

        Report run() {
            try (GradMode.Scope s = GradMode.scope(true)) {
                outs = Functional.callAs(check, f, inputs);
            }
            rows = new int[outs.length][];
            for (int i = 0; i < outs.length; i++) {
                if (outs[i].dtype().isFloatingPoint()) {
                    rows[i] = sample(outs[i].numel());
                }
            }
            cols = new int[diff.length][];
            for (int d = 0; d < diff.length; d++) {
                cols[d] = sample(inputs[diff[d]].numel());
            }
            double[][][][] numeric = numerical();
            List<Mismatch> mismatches = new ArrayList<>();
            List<String> blocks = new ArrayList<>();
            if (options.checksBackwardAd()) {
                compare(Mode.REVERSE, numeric, reverse(), mismatches, blocks);
            }
            if (options.checksForwardAd()) {
                compare(Mode.FORWARD, numeric, forward(), mismatches, blocks);
            }
            return new Report(check, mismatches, message(mismatches, blocks));
        }

        /** numeric[i][d][r][c]: d out_i[rows[i][r]] / d in_diff[d][cols[d][c]], by central differences. */
        private double[][][][] numerical() {
            double eps = options.eps();
            double[][][][] num = new double[outs.length][diff.length][][];
            for (int i = 0; i < outs.length; i++) {
                for (int d = 0; d < diff.length; d++) {
                    num[i][d] = rows[i] == null ? null : new double[rows[i].length][cols[d].length];
                }
            }
            for (int d = 0; d < diff.length; d++) {
                Tensor x = inputs[diff[d]];
                double[] base = x.toDoubleArray();
                for (int c = 0; c < cols[d].length; c++) {
                    int k = cols[d][c];
                    double[] plus = base.clone();
                    plus[k] += eps;
                    double[] minus = base.clone();
                    minus[k] -= eps;
                    double[][] fPlus = evaluate(diff[d], plus, k);
                    double[][] fMinus = evaluate(diff[d], minus, k);
                    for (int i = 0; i < outs.length; i++) {
                        if (rows[i] == null) {
                            continue;
                        }
                        for (int r = 0; r < rows[i].length; r++) {
                            int e = rows[i][r];
                            num[i][d][r][c] = (fPlus[i][e] - fMinus[i][e]) / (2 * eps);
                        }
                    }
                }
            }
            return num;
        }

        /** The floating outputs' values with input j replaced by the given values (and aliases of it too). */
        private double[][] evaluate(int j, double[] values, int k) {
            Tensor x = inputs[j];
            Tensor p = Ember.fromArray(values, x.shape());
            if (x.dtype() != DType.FLOAT64) {
                p = p.to(x.dtype());
            }
            if (x.requiresGrad()) {
                p.requiresGrad_();   // as the original: the function may register hooks or retain grads
            }
            Tensor[] args = new Tensor[inputs.length];
            for (int m = 0; m < inputs.length; m++) {
                args[m] = inputs[m] == x ? p : inputs[m];
            }
            Tensor[] o;
            try (GradMode.Scope s = GradMode.scope(true)) {
                o = Functional.callAs(check, f, args);
            }
            if (o.length != outs.length) {
                throw new AutogradException(check + ": the function returned " + o.length + " outputs when "
                        + naming.input().apply(j) + " was perturbed, but " + outs.length + " at the original point");
            }
            double[][] v = new double[o.length][];
            for (int i = 0; i < o.length; i++) {
                if (rows[i] == null) {
                    continue;
                }
                if (!Arrays.equals(o[i].shape(), outs[i].shape()) || o[i].dtype() != outs[i].dtype()) {
                    throw new AutogradException(check + ": " + naming.output().apply(i) + " is " + outs[i].dtype()
                            + Arrays.toString(outs[i].shape()) + " at the original point but " + o[i].dtype()
                            + Arrays.toString(o[i].shape()) + " when element " + Arrays.toString(unravel(k, x.shape()))
                            + " of " + naming.input().apply(j) + " was perturbed by " + options.eps()
                            + ": finite differences need outputs whose shape and dtype do not depend on the values");
                }
                v[i] = o[i].toDoubleArray();
            }
            return v;
        }

        /** analytic[i][d][r][c] from one vector-Jacobian product per checked output element. */
        private double[][][][] reverse() {
            double[][][][] an = emptyAnalytic();
            Tensor[] targets = new Tensor[diff.length];
            for (int d = 0; d < diff.length; d++) {
                targets[d] = inputs[diff[d]];
            }
            try (GradMode.Scope s = GradMode.scope(true)) {
                for (int i = 0; i < outs.length; i++) {
                    if (rows[i] == null || !outs[i].requiresGrad()) {
                        continue;   // zeros: an output that does not require grad has no gradient
                    }
                    for (int r = 0; r < rows[i].length; r++) {
                        Tensor[] g = Autograd.grad(List.of(outs[i]), Arrays.asList(targets),
                                List.of(Functional.oneHot(outs[i], rows[i][r])),
                                GradOptions.retainGraph().allowUnused(true));
                        for (int d = 0; d < diff.length; d++) {
                            if (g[d] == null) {
                                continue;
                            }
                            double[] gv = checkedGradient(g[d], targets[d], d, i, r);
                            for (int c = 0; c < cols[d].length; c++) {
                                an[i][d][r][c] = gv[cols[d][c]];
                            }
                        }
                    }
                }
            }
            return an;
        }

        private double[] checkedGradient(Tensor g, Tensor target, int d, int i, int r) {
            if (!Arrays.equals(g.shape(), target.shape())) {
                throw new AutogradException(check + ": the gradient of " + naming.input().apply(diff[d]) + " has shape "
                        + Arrays.toString(g.shape()) + " but the input has shape " + Arrays.toString(target.shape())
                        + " (from element " + Arrays.toString(unravel(rows[i][r], outs[i].shape())) + " of "
                        + naming.output().apply(i) + ")");
            }
            return g.toDoubleArray();
        }

        /** analytic[i][d][r][c] from one Jacobian-vector product (forward-mode AD) per checked input element. */
        private double[][][][] forward() {
            double[][][][] an = emptyAnalytic();
            for (int d = 0; d < diff.length; d++) {
                int j = diff[d];
                for (int c = 0; c < cols[d].length; c++) {
                    Tensor[] tangents = ForwardJacobians.outputTangents(check, f, inputs, j,
                            Functional.oneHot(inputs[j], cols[d][c]));
                    if (tangents.length != outs.length) {
                        throw new AutogradException(check + ": the function returned " + tangents.length
                                + " outputs in forward mode but " + outs.length + " in reverse mode");
                    }
                    for (int i = 0; i < outs.length; i++) {
                        if (rows[i] == null || tangents[i] == null) {
                            continue;
                        }
                        double[] tv = tangents[i].toDoubleArray();
                        for (int r = 0; r < rows[i].length; r++) {
                            an[i][d][r][c] = tv[rows[i][r]];
                        }
                    }
                }
            }
            return an;
        }

        private double[][][][] emptyAnalytic() {
            double[][][][] an = new double[outs.length][diff.length][][];
            for (int i = 0; i < outs.length; i++) {
                for (int d = 0; d < diff.length; d++) {
                    an[i][d] = rows[i] == null ? null : new double[rows[i].length][cols[d].length];
                }
            }
            return an;
        }

        private void compare(Mode mode, double[][][][] numeric, double[][][][] analytic, List<Mismatch> mismatches,
                             List<String> blocks) {
            for (int i = 0; i < outs.length; i++) {
                if (rows[i] == null) {
                    continue;
                }
                for (int d = 0; d < diff.length; d++) {
                    int j = diff[d];
                    List<Mismatch> here = new ArrayList<>();
                    for (int r = 0; r < rows[i].length; r++) {
                        for (int c = 0; c < cols[d].length; c++) {
                            double n = numeric[i][d][r][c];
                            double a = analytic[i][d][r][c];
                            if (!close(a, n)) {
                                here.add(new Mismatch(mode, i, naming.output().apply(i),
                                        unravel(rows[i][r], outs[i].shape()), j, naming.input().apply(j),
                                        unravel(cols[d][c], inputs[j].shape()), n, a));
                            }
                        }
                    }
                    if (!here.isEmpty()) {
                        mismatches.addAll(here);
                        blocks.add(block(mode, i, j, here, rows[i].length * cols[d].length));
                    }
                }
            }
        }

        private boolean close(double a, double n) {
            if (a == n || (Double.isNaN(a) && Double.isNaN(n))) {
                return true;
            }
            return Math.abs(a - n) <= options.atol() + options.rtol() * Math.abs(n);
        }

        private String block(Mode mode, int i, int j, List<Mismatch> here, int compared) {
            StringBuilder sb = new StringBuilder();
            sb.append("Jacobian mismatch for ").append(naming.output().apply(i)).append(" (shape ")
                    .append(Arrays.toString(outs[i].shape()));
            if (!outs[i].requiresGrad()) {
                sb.append(", does not require grad, so its analytic derivative is 0");
            }
            sb.append(") with respect to ").append(naming.input().apply(j)).append(" (shape ")
                    .append(Arrays.toString(inputs[j].shape())).append("), computed with ")
                    .append(mode == Mode.REVERSE ? "reverse" : "forward").append(" mode: ").append(here.size())
                    .append(" of ").append(compared).append(" element").append(compared == 1 ? "" : "s")
                    .append(compared < inputs[j].numel() * (long) outs[i].numel() ? " checked" : "")
                    .append(" off");
            for (int m = 0; m < Math.min(here.size(), LISTED_PER_BLOCK); m++) {
                sb.append("\n    ").append(here.get(m));
            }
            if (here.size() > LISTED_PER_BLOCK) {
                sb.append("\n    ... and ").append(here.size() - LISTED_PER_BLOCK).append(" more");
            }
            return sb.toString();
        }

        private String message(List<Mismatch> mismatches, List<String> blocks) {
            if (mismatches.isEmpty()) {
                return check + " passed";
            }
            StringBuilder sb = new StringBuilder(check).append(" failed: ").append(mismatches.size())
                    .append(" Jacobian element").append(mismatches.size() == 1 ? "" : "s")
                    .append(" where the analytic derivative differs from the numerical one by more than atol ")
                    .append(options.atol()).append(" + rtol ").append(options.rtol()).append(" * |numeric| (eps ")
                    .append(options.eps()).append(")");
            if (check.equals("gradgradcheck")) {
                sb.append("; checked: the gradients of the inputs (computed with createGraph) as functions of the "
                        + "inputs and the grad_outputs, so the culprit is a backward formula's own derivative");
            }
            sb.append(':');
            for (String b : blocks) {
                sb.append("\n  ").append(b);
            }
            return sb.toString();
        }

        /** The flat elements to check of a tensor with n elements: all, or maxElements of them at random. */
        private int[] sample(int n) {
            if (n <= options.maxElements()) {
                int[] all = new int[n];
                for (int e = 0; e < n; e++) {
                    all[e] = e;
                }
                return all;
            }
            List<Integer> idx = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                idx.add(e);
            }
            Collections.shuffle(idx, random);
            return idx.subList(0, options.maxElements()).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static boolean conclude(Report report, GradCheckOptions options) {
        if (report.passed()) {
            return true;
        }
        if (options.raisesException()) {
            throw new GradCheckException(report);
        }
        return false;
    }

    private static void checkNotNull(String check, Object f, Tensor input) {
        if (f == null) {
            throw new AutogradException(check + ": the function is null");
        }
        if (input == null) {
            throw new AutogradException(check + ": the input is null");
        }
    }

    private static void checkArguments(String check, Object f, Tensor[] inputs, GradCheckOptions options) {
        if (f == null) {
            throw new AutogradException(check + ": the function is null");
        }
        if (options == null) {
            throw new AutogradException(check + ": the options are null: pass GradCheckOptions.DEFAULT");
        }
        if (!options.checksBackwardAd() && !options.checksForwardAd()) {
            throw new AutogradException(check + ": both checkBackwardAd and checkForwardAd are off, so there is "
                    + "nothing to check: enable at least one");
        }
        if (inputs == null || inputs.length == 0) {
            throw new AutogradException(check + ": no inputs: pass the tensors to differentiate with respect to, with "
                    + "requiresGrad_() set");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new AutogradException(check + ": input " + i + " is null");
            }
        }
    }

    /** The indices of the inputs that require grad; at least one must. */
    private static int[] requiringGrad(String check, Tensor[] inputs) {
        int[] diff = requiring(inputs);
        if (diff.length == 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < inputs.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(inputs[i].dtype()).append(Arrays.toString(inputs[i].shape()));
            }
            throw new AutogradException(check + ": no input requires grad (inputs: " + sb + "), so there is no "
                    + "derivative to check: call requiresGrad_() on the float64 inputs to differentiate with respect to");
        }
        return diff;
    }

    private static int[] requiring(Tensor[] ts) {
        int count = 0;
        for (Tensor t : ts) {
            if (t.requiresGrad()) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < ts.length; i++) {
            if (ts[i].requiresGrad()) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static void checkPrecision(String check, Tensor[] ts, int[] diff, java.util.function.IntFunction<String> name,
                                       GradCheckOptions options) {
        for (int i : diff) {
            if (ts[i].dtype() == DType.FLOAT64) {
                continue;
            }
            String what = check + ": " + name.apply(i) + " requires grad and is " + ts[i].dtype()
                    + " (shape " + Arrays.toString(ts[i].shape()) + "), not float64";
            if (!options.allowsLowPrecision()) {
                throw new DTypeException(what + ". Finite differences with eps " + options.eps() + " in " + ts[i].dtype()
                        + " are mostly rounding noise, so the check would report mismatches that are not there: "
                        + "convert it with .to(DType.FLOAT64).detach().requiresGrad_(), or pass "
                        + "GradCheckOptions.allowLowPrecision(true) with a larger eps and looser tolerances");
            }
            LOG.warn("{}. This check will likely fail if the inputs are not all float64.", what);
        }
    }

    /** The multi-index of flat (row-major) element k of a tensor of the given shape. */
    static int[] unravel(int k, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = k % shape[d];
                k /= shape[d];
            }
        }
        return idx;
    }
}
