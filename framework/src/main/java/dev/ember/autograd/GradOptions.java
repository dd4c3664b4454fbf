package dev.ember.autograd;

/**
 * Options of {@code backward} and {@code grad}: PyTorch's keyword arguments as an immutable value. Start from
 * {@link #DEFAULT} or a static factory and chain the others.
 *
 * <pre>{@code
 * Tensor dydx = Autograd.grad(y, x, GradOptions.createGraph())[0];
 * loss.backward(GradOptions.retainGraph());
 * Tensor[] g = Autograd.grad(outs, ins, null, GradOptions.allowUnused().retainGraph(true));
 * }</pre>
 *
 * <ul>
 *   <li>retainGraph: keep the saved tensors after the pass so the graph can be traversed again; unset means
 *       "same as createGraph", PyTorch's default;</li>
 *   <li>createGraph: record the backward pass itself, so that its results can be differentiated again;</li>
 *   <li>allowUnused: for {@code grad}, return null for an input the outputs do not depend on instead of failing.</li>
 * </ul>
 */
public final class GradOptions {
    /** PyTorch's defaults: free the graph, do not record, unused inputs are an error. */
    public static final GradOptions DEFAULT = new GradOptions(null, false, false);

    private final Boolean retainGraph;
    private final boolean createGraph;
    private final boolean allowUnused;

    private GradOptions(Boolean retainGraph, boolean createGraph, boolean allowUnused) {
        this.retainGraph = retainGraph;
        this.createGraph = createGraph;
        this.allowUnused = allowUnused;
    }

    public static GradOptions retainGraph() {
        return DEFAULT.retainGraph(true);
    }

    public static GradOptions createGraph() {
        return DEFAULT.createGraph(true);
    }

    public static GradOptions allowUnused() {
        return DEFAULT.allowUnused(true);
    }

    public GradOptions retainGraph(boolean v) {
        return new GradOptions(v, createGraph, allowUnused);
    }

    public GradOptions createGraph(boolean v) {
        return new GradOptions(retainGraph, v, allowUnused);
    }

    public GradOptions allowUnused(boolean v) {
        return new GradOptions(retainGraph, createGraph, v);
    }

    /** Whether the graph is kept after the pass: retainGraph if set, else createGraph. */
    public boolean keepsGraph() {
        return retainGraph != null ? retainGraph : createGraph;
    }

    public boolean createsGraph() {
        return createGraph;
    }

    public boolean allowsUnused() {
        return allowUnused;
    }

    @Override
    public String toString() {
        return "GradOptions[retainGraph=" + keepsGraph() + ", createGraph=" + createGraph + ", allowUnused="
                + allowUnused + "]";
    }
}
