package dev.ember.autograd;

/**
 * Options of the {@link Functional} API (PyTorch's keyword arguments {@code create_graph}, {@code strict} and
 * {@code strategy}) as an immutable value: start from {@link #DEFAULT} or a static factory and chain the others.
 *
 * <pre>{@code
 * Tensor h = Functional.hessian(f, x, FunctionalOptions.createGraph().strict(true));
 * Tensor j = Functional.jacobian(g, x, FunctionalOptions.strategy(JacobianStrategy.FORWARD_MODE));
 * }</pre>
 *
 * <ul>
 *   <li>createGraph: record the computation of the result so that it can be differentiated again. The result is
 *       then connected to the inputs (and to the graph of inputs that already required grad); without it every
 *       returned tensor is detached.</li>
 *   <li>strict: fail, instead of returning zeros, when an output is independent of an input (it does not require
 *       grad, or its graph does not reach the input), and with createGraph also when the result would be
 *       independent of the inputs (so differentiating it again could only give zeros).</li>
 *   <li>strategy: reverse or forward mode, see {@link JacobianStrategy}; unset means each function's default.</li>
 * </ul>
 */
public final class FunctionalOptions {
    /** PyTorch's defaults: detached results, zeros for independent inputs, each function's default strategy. */
    public static final FunctionalOptions DEFAULT = new FunctionalOptions(false, false, null);

    private final boolean createGraph;
    private final boolean strict;
    private final JacobianStrategy strategy;

    private FunctionalOptions(boolean createGraph, boolean strict, JacobianStrategy strategy) {
        this.createGraph = createGraph;
        this.strict = strict;
        this.strategy = strategy;
    }

    public static FunctionalOptions createGraph() {
        return DEFAULT.createGraph(true);
    }

    public static FunctionalOptions strict() {
        return DEFAULT.strict(true);
    }

    public static FunctionalOptions strategy(JacobianStrategy strategy) {
        return DEFAULT.withStrategy(strategy);
    }

    public FunctionalOptions createGraph(boolean v) {
        return new FunctionalOptions(v, strict, strategy);
    }

    public FunctionalOptions strict(boolean v) {
        return new FunctionalOptions(createGraph, v, strategy);
    }

    /** These options with the given strategy (null: each function's default). */
    public FunctionalOptions withStrategy(JacobianStrategy s) {
        return new FunctionalOptions(createGraph, strict, s);
    }

    public boolean createsGraph() {
        return createGraph;
    }

    public boolean isStrict() {
        return strict;
    }

    /** The strategy set, or null if none was (then each function uses its default). */
    public JacobianStrategy strategyOrNull() {
        return strategy;
    }

    /** The strategy set, or the given default. */
    public JacobianStrategy strategyOr(JacobianStrategy defaultStrategy) {
        return strategy != null ? strategy : defaultStrategy;
    }

    @Override
    public String toString() {
        return "FunctionalOptions[createGraph=" + createGraph + ", strict=" + strict + ", strategy="
                + (strategy == null ? "default" : strategy) + "]";
    }
}
