package dev.ember.autograd;

import dev.ember.AutogradException;

/**
 * Options of {@link GradCheck} (PyTorch's keyword arguments of {@code gradcheck} and {@code gradgradcheck}) as an
 * immutable value: start from {@link #DEFAULT} and chain.
 *
 * <pre>{@code
 * GradCheck.gradcheck(f, inputs, GradCheckOptions.DEFAULT.atol(1e-7).checkForwardAd(true));
 * boolean ok = GradCheck.gradcheck(f, inputs, GradCheckOptions.DEFAULT.raiseException(false));
 * }</pre>
 *
 * <ul>
 *   <li>eps (1e-6): the finite-difference step; the numerical derivative is (f(x + eps) - f(x - eps)) / 2 eps.</li>
 *   <li>atol (1e-5), rtol (1e-3): an analytic value a matches the numerical n when |a - n| &lt;= atol + rtol |n|
 *       (torch.allclose(a, n)); two NaNs, or two equal infinities, also match.</li>
 *   <li>raiseException (true): on a mismatch throw a {@link GradCheckException} carrying the report, else return
 *       false. Misuse (no input requiring grad, low-precision inputs, ...) always throws.</li>
 *   <li>checkBackwardAd (true): check reverse mode, one vector-Jacobian product per output element (for
 *       gradgradcheck: reverse over reverse).</li>
 *   <li>checkForwardAd (false): also check forward mode, one Jacobian-vector product per input element, against the
 *       same numerical Jacobian (for gradgradcheck: forward over reverse).</li>
 *   <li>maxElements (all): check at most this many elements of each input and of each output, chosen at random
 *       (seeded), i.e. a random sub-Jacobian; for large tensors, where the full Jacobian costs one backward pass
 *       per output element and two forward passes per input element. An Ember addition.</li>
 *   <li>seed (0): the seed of that choice and of the random grad_outputs of gradgradcheck. Ember draws them from
 *       its own {@link java.util.Random}, so a check never moves the global generator (PyTorch's does).</li>
 *   <li>allowLowPrecision (false): check inputs that require grad and are not float64 anyway, with a logged
 *       warning (PyTorch's behaviour). By default they are an error: with eps = 1e-6 a float32 finite difference is
 *       mostly rounding noise, so the check would fail with a misleading mismatch.</li>
 * </ul>
 */
public final class GradCheckOptions {
    /** PyTorch's defaults (eps 1e-6, atol 1e-5, rtol 1e-3, raise on failure, reverse mode only). */
    public static final GradCheckOptions DEFAULT = new GradCheckOptions(1e-6, 1e-5, 1e-3, true, true, false,
            Integer.MAX_VALUE, 0L, false);

    private final double eps;
    private final double atol;
    private final double rtol;
    private final boolean raiseException;
    private final boolean checkBackwardAd;
    private final boolean checkForwardAd;
    private final int maxElements;
    private final long seed;
    private final boolean allowLowPrecision;

    private GradCheckOptions(double eps, double atol, double rtol, boolean raiseException, boolean checkBackwardAd,
                             boolean checkForwardAd, int maxElements, long seed, boolean allowLowPrecision) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.raiseException = raiseException;
        this.checkBackwardAd = checkBackwardAd;
        this.checkForwardAd = checkForwardAd;
        this.maxElements = maxElements;
        this.seed = seed;
        this.allowLowPrecision = allowLowPrecision;
    }

    public GradCheckOptions eps(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new AutogradException("GradCheckOptions.eps(" + v + "): the finite-difference step must be a "
                    + "positive finite number (PyTorch's default is 1e-6)");
        }
        return new GradCheckOptions(v, atol, rtol, raiseException, checkBackwardAd, checkForwardAd, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions atol(double v) {
        checkTolerance("atol", v);
        return new GradCheckOptions(eps, v, rtol, raiseException, checkBackwardAd, checkForwardAd, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions rtol(double v) {
        checkTolerance("rtol", v);
        return new GradCheckOptions(eps, atol, v, raiseException, checkBackwardAd, checkForwardAd, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions raiseException(boolean v) {
        return new GradCheckOptions(eps, atol, rtol, v, checkBackwardAd, checkForwardAd, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions checkBackwardAd(boolean v) {
        return new GradCheckOptions(eps, atol, rtol, raiseException, v, checkForwardAd, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions checkForwardAd(boolean v) {
        return new GradCheckOptions(eps, atol, rtol, raiseException, checkBackwardAd, v, maxElements, seed,
                allowLowPrecision);
    }

    public GradCheckOptions maxElements(int v) {
        if (v < 1) {
            throw new AutogradException("GradCheckOptions.maxElements(" + v + "): check at least one element of each "
                    + "tensor (Integer.MAX_VALUE, the default, checks them all)");
        }
        return new GradCheckOptions(eps, atol, rtol, raiseException, checkBackwardAd, checkForwardAd, v, seed,
                allowLowPrecision);
    }

    public GradCheckOptions seed(long v) {
        return new GradCheckOptions(eps, atol, rtol, raiseException, checkBackwardAd, checkForwardAd, maxElements, v,
                allowLowPrecision);
    }

    public GradCheckOptions allowLowPrecision(boolean v) {
        return new GradCheckOptions(eps, atol, rtol, raiseException, checkBackwardAd, checkForwardAd, maxElements,
                seed, v);
    }

    private static void checkTolerance(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new AutogradException("GradCheckOptions." + name + "(" + v + "): a tolerance must be a finite number "
                    + ">= 0");
        }
    }

    public double eps() {
        return eps;
    }

    public double atol() {
        return atol;
    }

    public double rtol() {
        return rtol;
    }

    public boolean raisesException() {
        return raiseException;
    }

    public boolean checksBackwardAd() {
        return checkBackwardAd;
    }

    public boolean checksForwardAd() {
        return checkForwardAd;
    }

    public int maxElements() {
        return maxElements;
    }

    public long seed() {
        return seed;
    }

    public boolean allowsLowPrecision() {
        return allowLowPrecision;
    }

    @Override
    public String toString() {
        return "GradCheckOptions[eps=" + eps + ", atol=" + atol + ", rtol=" + rtol + ", raiseException="
                + raiseException + ", checkBackwardAd=" + checkBackwardAd + ", checkForwardAd=" + checkForwardAd
                + ", maxElements=" + (maxElements == Integer.MAX_VALUE ? "all" : maxElements) + ", seed=" + seed
                + ", allowLowPrecision=" + allowLowPrecision + "]";
    }
}
