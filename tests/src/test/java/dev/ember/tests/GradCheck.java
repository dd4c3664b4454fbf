package dev.ember.tests;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Finite-difference gradient checks in float64, first order (PyTorch's gradcheck) and second order
 * (gradgradcheck), for a function of tensors with one or several outputs.
 *
 * <pre>{@code
 * GradCheck.check("mul", x -> x[0].mul(x[1]), GradCheck.input(a), GradCheck.input(b));
 * }</pre>
 *
 * <p>First order: with a fixed random weight w per output, {@code L = sum_j (out_j * w_j).sum()}; the analytic
 * gradient of L (from {@link Autograd#grad}) is compared with central differences {@code (L(x + eps) - L(x - eps))
 * / 2 eps} for every element of every input that requires grad.
 *
 * <p>Second order: the weights w require grad too, and with u a fixed random tensor per input,
 * {@code G = sum_i (dL/dx_i * u_i).sum()} where the first-order gradients are computed with
 * {@code GradOptions.createGraph()}. The gradient of G with respect to every input and every weight (that is, the
 * derivative of the backward pass with respect to its inputs and to the incoming gradient) is compared with
 * central differences of G, whose first-order gradients are recomputed at each perturbed point.
 *
 * <p>Non-floating inputs (indices, masks) are passed through unchanged; non-floating outputs (indices, bools) and
 * outputs that do not require grad are not differentiated. A failure names the op, the input, the element, the
 * numeric and the analytic value.
 */
public final class GradCheck {
    /** The finite-difference step. */
    public static final double EPS = 1e-6;
    /**
     * |analytic - numeric| &lt;= ATOL + RTOL * |numeric|. Central differences with eps = 1e-6 in float64 carry a
     * truncation error of about eps^2 * f''' (1e-12) and a rounding error of about 1e-16 * |L| / eps (1e-10 for
     * the losses here), so these bounds are 10 to 100 times tighter than PyTorch's gradcheck defaults
     * (atol 1e-5, rtol 1e-3) and still far above the noise.
     */
    public static final double ATOL = 1e-6;
    public static final double RTOL = 1e-5;

    /** The function under test: returns a Tensor, a List of Tensors or a ValuesAndIndices. */
    @FunctionalInterface
    public interface Fn {
        Object apply(Tensor[] inputs);
    }

    private final String op;
    private final Fn f;
    private final Tensor[] inputs;
    private final int maxElements;
    private final Random random;

    private GradCheck(String op, Fn f, Tensor[] inputs, int maxElements) {
        this.op = op;
        this.f = f;
        this.inputs = inputs;
        this.maxElements = maxElements;
        this.random = new Random(op.hashCode());
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype().isFloatingPoint() && inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(op + ": GradCheck needs float64 inputs, input " + i + " is "
                        + inputs[i].dtype());
            }
        }
    }

    /** First- and second-order checks of every element. */
    public static void check(String op, Fn f, Tensor... inputs) {
        check(op, Integer.MAX_VALUE, f, inputs);
    }

    /** First- and second-order checks of at most maxElements (randomly chosen) elements of each input. */
    public static void check(String op, int maxElements, Fn f, Tensor... inputs) {
        GradCheck c = new GradCheck(op, f, inputs, maxElements);
        c.gradcheck();
        c.gradgradcheck();
    }

    /** First-order check only. */
    public static void gradcheck(String op, Fn f, Tensor... inputs) {
        new GradCheck(op, f, inputs, Integer.MAX_VALUE).gradcheck();
    }

    /** A float64 leaf with these values that requires grad. */
    public static Tensor input(double[] values, int... shape) {
        return Ember.fromArray(values, shape).requiresGrad_();
    }

    // ---- first order ------------------------------------------------------------------------------------------

    void gradcheck() {
        Tensor[] x = leaves(inputs);
        List<Tensor> outs = outputs(f.apply(x));
        Tensor[] w = weights(outs, false);
        int[] req = requiring(x);
        if (req.length == 0) {
            throw new AssertionError(op + ": no input requires grad, so there is nothing to check");
        }
        Tensor loss = loss(outs, w);
        if (loss == null) {
            throw new AssertionError(op + ": no floating-point output requires grad (outputs: " + describe(outs) + ")");
        }
        Tensor[] analytic = Autograd.grad(List.of(loss), Arrays.asList(select(x, req)), null, GradOptions.allowUnused());
        List<String> failures = new ArrayList<>();
        for (int r = 0; r < req.length; r++) {
            int i = req[r];
            double[] a = gradientValues(analytic[r], x[i], "gradient of input " + i);
            double[] v = x[i].toDoubleArray();
            for (int k : elements(v.length)) {
                double[] plus = v.clone();
                plus[k] += EPS;
                double[] minus = v.clone();
                minus[k] -= EPS;
                double numeric = (lossValue(replace(i, plus), w) - lossValue(replace(i, minus), w)) / (2 * EPS);
                compare(failures, "d(loss)/d(input " + i + ")", x[i].shape(), k, numeric, a[k]);
            }
        }
        report("gradcheck", failures);
    }

    // ---- second order -----------------------------------------------------------------------------------------

    void gradgradcheck() {
        Tensor[] x = leaves(inputs);
        int[] req = requiring(x);
        List<Tensor> outs0;
        try (var g = Ember.noGrad()) {
            outs0 = outputs(f.apply(x));
        }
        Tensor[] w = weights(outs0, true);
        Tensor[] u = new Tensor[req.length];
        for (int r = 0; r < req.length; r++) {
            u[r] = randomLike(x[req[r]], false);
        }
        Tensor gg = secondLoss(x, w, u, req, true);
        // the tensors G is differentiated with respect to: the inputs, then the weights (the incoming gradients)
        List<Tensor> targets = new ArrayList<>(Arrays.asList(select(x, req)));
        List<String> names = new ArrayList<>();
        for (int i : req) {
            names.add("input " + i);
        }
        for (int j = 0; j < w.length; j++) {
            if (w[j] != null) {
                targets.add(w[j]);
                names.add("grad_output " + j);
            }
        }
        Tensor[] analytic = gg != null && gg.requiresGrad()
                ? Autograd.grad(List.of(gg), targets, null, GradOptions.allowUnused())
                : new Tensor[targets.size()];
        List<String> failures = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Tensor target = targets.get(t);
            double[] a = gradientValues(analytic[t], target, "second-order gradient for " + names.get(t));
            double[] v = target.toDoubleArray();
            for (int k : elements(v.length)) {
                double[] plus = v.clone();
                plus[k] += EPS;
                double[] minus = v.clone();
                minus[k] -= EPS;
                double numeric = (secondLossAt(x, w, u, req, t, plus) - secondLossAt(x, w, u, req, t, minus))
                        / (2 * EPS);
                compare(failures, "d(sum(d(loss)/d(inputs) * u))/d(" + names.get(t) + ")", target.shape(), k,
                        numeric, a[k]);
            }
        }
        report("gradgradcheck", failures);
    }

    /** G with target t (an input among req, then a weight) replaced by the given values. */
    private double secondLossAt(Tensor[] x, Tensor[] w, Tensor[] u, int[] req, int t, double[] values) {
        Tensor[] xs = x.clone();
        Tensor[] ws = w.clone();
        if (t < req.length) {
            xs[req[t]] = Ember.fromArray(values, x[req[t]].shape()).requiresGrad_();
        } else {
            int seen = req.length;
            for (int j = 0; j < w.length; j++) {
                if (w[j] != null && seen++ == t) {
                    ws[j] = Ember.fromArray(values, w[j].shape());
                }
            }
        }
        xs = leaves(xs);
        Tensor gg = secondLoss(xs, ws, u, req, false);
        return gg == null ? 0.0 : gg.item();
    }

    /** G = sum_i (dL/dx_i * u_i).sum(), the first-order gradients computed with or without createGraph. */
    private Tensor secondLoss(Tensor[] x, Tensor[] w, Tensor[] u, int[] req, boolean createGraph) {
        List<Tensor> outs = outputs(f.apply(x));
        Tensor loss = loss(outs, w);
        if (loss == null) {
            throw new AssertionError(op + ": no floating-point output requires grad (outputs: " + describe(outs) + ")");
        }
        GradOptions opts = createGraph ? GradOptions.createGraph().allowUnused(true) : GradOptions.allowUnused();
        Tensor[] g = Autograd.grad(List.of(loss), Arrays.asList(select(x, req)), null, opts);
        Tensor gg = null;
        for (int r = 0; r < req.length; r++) {
            if (g[r] == null) {
                continue;
            }
            Tensor term = g[r].mul(u[r]).sum();
            gg = gg == null ? term : gg.add(term);
        }
        return gg;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Fresh leaves with the values of ts (requiring grad as they did); non-floating tensors are kept. */
    private static Tensor[] leaves(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            Tensor t = ts[i];
            if (!t.dtype().isFloatingPoint()) {
                out[i] = t;
                continue;
            }
            Tensor c = Ember.fromArray(t.toDoubleArray(), t.shape());
            out[i] = t.requiresGrad() ? c.requiresGrad_() : c;
        }
        return out;
    }

    /** The inputs with input i replaced by the given values (no grad needed: for loss values only). */
    private Tensor[] replace(int i, double[] values) {
        Tensor[] x = new Tensor[inputs.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = j == i ? Ember.fromArray(values, inputs[i].shape())
                    : inputs[j].dtype().isFloatingPoint() ? Ember.fromArray(inputs[j].toDoubleArray(), inputs[j].shape())
                    : inputs[j];
        }
        return x;
    }

    private static int[] requiring(Tensor[] x) {
        return java.util.stream.IntStream.range(0, x.length).filter(i -> x[i].requiresGrad()).toArray();
    }

    private static Tensor[] select(Tensor[] x, int[] idx) {
        Tensor[] out = new Tensor[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    static List<Tensor> outputs(Object r) {
        if (r instanceof Tensor t) {
            return List.of(t);
        }
        if (r instanceof ValuesAndIndices vi) {
            return List.of(vi.values(), vi.indices());
        }
        if (r instanceof List<?> l) {
            List<Tensor> out = new ArrayList<>();
            for (Object o : l) {
                out.add((Tensor) o);
            }
            return out;
        }
        throw new IllegalArgumentException("the function returned " + r + "; return a Tensor, a List<Tensor> or a "
                + "ValuesAndIndices");
    }

    /** A random weight per floating output (null for the others). */
    private Tensor[] weights(List<Tensor> outs, boolean requiresGrad) {
        Tensor[] w = new Tensor[outs.size()];
        for (int j = 0; j < w.length; j++) {
            Tensor o = outs.get(j);
            if (o.dtype().isFloatingPoint()) {
                w[j] = randomLike(o, requiresGrad);
            }
        }
        return w;
    }

    private Tensor randomLike(Tensor t, boolean requiresGrad) {
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        Tensor r = Ember.fromArray(v, t.shape());
        return requiresGrad ? r.requiresGrad_() : r;
    }

    private static Tensor loss(List<Tensor> outs, Tensor[] w) {
        Tensor loss = null;
        for (int j = 0; j < outs.size(); j++) {
            Tensor o = outs.get(j);
            if (w[j] == null || !o.requiresGrad()) {
                continue;
            }
            Tensor term = o.mul(w[j]).sum();
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    /** L at the given inputs, accumulated in double from the outputs' values. */
    private double lossValue(Tensor[] x, Tensor[] w) {
        List<Tensor> outs;
        try (var g = Ember.noGrad()) {
            outs = outputs(f.apply(x));
        }
        double s = 0;
        for (int j = 0; j < outs.size(); j++) {
            if (w[j] == null) {
                continue;
            }
            double[] o = outs.get(j).toDoubleArray();
            double[] wv = w[j].toDoubleArray();
            for (int e = 0; e < o.length; e++) {
                s += o[e] * wv[e];
            }
        }
        return s;
    }

    private double[] gradientValues(Tensor g, Tensor like, String what) {
        if (g == null) {
            return new double[like.numel()];
        }
        if (!Arrays.equals(g.shape(), like.shape())) {
            throw new AssertionError(op + ": the " + what + " has shape " + Arrays.toString(g.shape())
                    + " but the tensor has shape " + Arrays.toString(like.shape()));
        }
        if (g.dtype() != DType.FLOAT64) {
            throw new AssertionError(op + ": the " + what + " is " + g.dtype() + ", expected float64");
        }
        return g.toDoubleArray();
    }

    private int[] elements(int n) {
        if (n <= maxElements) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        Random r = new Random(op.hashCode() * 31L + n);
        return r.ints(0, n).distinct().limit(maxElements).sorted().toArray();
    }

    private void compare(List<String> failures, String what, int[] shape, int k, double numeric, double analytic) {
        boolean ok = Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric)
                || (Double.isNaN(numeric) && Double.isNaN(analytic));
        if (!ok) {
            failures.add(what + " at element " + k + " " + Arrays.toString(OpConformanceTest.unravel(k, shape))
                    + " of shape " + Arrays.toString(shape) + ": numeric " + numeric + ", analytic " + analytic
                    + " (difference " + (analytic - numeric) + ")");
        }
    }

    private void report(String check, List<String> failures) {
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(check + " failed for " + op + " (" + failures.size()
                    + " element" + (failures.size() == 1 ? "" : "s") + " off, tolerance " + ATOL + " + " + RTOL
                    + " * |numeric|):");
            failures.stream().limit(8).forEach(s -> sb.append("\n  ").append(s));
            if (failures.size() > 8) {
                sb.append("\n  ...");
            }
            throw new AssertionError(sb.toString());
        }
    }

    private static String describe(List<Tensor> outs) {
        StringBuilder sb = new StringBuilder();
        for (Tensor o : outs) {
            sb.append(o.dtype()).append(Arrays.toString(o.shape())).append(o.requiresGrad() ? " requires grad" : "")
                    .append("; ");
        }
        return sb.toString();
    }
}
