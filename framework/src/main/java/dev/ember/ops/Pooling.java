package dev.ember.ops;

import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.ConvKernels;
import dev.ember.kernels.TensorData;

import java.util.Arrays;

/**
 * 2-d pooling with PyTorch's semantics: max pooling (with the flat index h * W + w of each maximum in its plane),
 * average pooling and adaptive average pooling, over [N, C, H, W] or unbatched [C, H, W] inputs.
 *
 * <p>Each backward is itself a differentiable op: max pooling's gradient scatters into the saved indices
 * ({@link Indexing#scatterAdd}, whose own gradient gathers), and the average poolings' gradients are their adjoint
 * linear maps, whose gradients are the poolings again. So second and higher derivatives work, and forward mode
 * applies the same linear maps to tangents.
 *
 * <pre>{@code
 * ValuesAndIndices m = Pooling.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
 * Tensor a = Pooling.avgPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false, true, 0);
 * Tensor g = Pooling.adaptiveAvgPool2d(x, 1, 1);   // global average pooling, [N, C, 1, 1]
 * }</pre>
 */
public final class Pooling {
    private Pooling() {
    }

    /** The input as [N, C, H, W] (an unbatched [C, H, W] input as a batch of one), after checking its rank. */
    private static TensorData batched(String op, Tensor x) {
        Promotion.requireFloat(op, x);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new ShapeException(op + ": expected a 4-d input [batch, channels, height, width] (or a 3-d "
                    + "unbatched input [channels, height, width]), but got an input of shape "
                    + Arrays.toString(x.shape()) + (x.dim() == 2 ? "; add the channel dimension with unsqueeze(0)" : ""));
        }
        TensorData t = x.dim() == 3 ? x.impl().unsqueeze(0) : x.impl();
        if (t.size(2) == 0 || t.size(3) == 0 || (x.dim() == 4 && t.size(1) == 0)) {
            throw new ShapeException(op + ": the input of shape " + Arrays.toString(x.shape()) + " has an empty "
                    + "channel or spatial dimension; only the batch dimension may be 0");
        }
        return t;
    }

    /** The result of a kernel on the batched form, shaped like the input (unbatched stays unbatched). */
    private static TensorData unbatched(Tensor x, TensorData r) {
        return x.dim() == 3 ? r.squeeze(0) : r;
    }

    private static void checkPair(String op, String what, int[] v, int min) {
        if (v == null || v.length != 2) {
            throw new ShapeException(op + ": " + what + " must have two values {height, width}, got "
                    + Arrays.toString(v));
        }
        if (v[0] < min || v[1] < min) {
            throw new ShapeException(op + ": " + what + " " + Arrays.toString(v) + " must be "
                    + (min == 0 ? "0 or more" : "at least " + min));
        }
    }

    private static int[] outputSize(String op, TensorData x, Tensor input, int[] k, int[] s, int[] p, int[] d,
                                    boolean ceilMode) {
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new ShapeException(op + ": padding " + Arrays.toString(p) + " must be at most half of the kernel "
                    + "size " + Arrays.toString(k) + " in each dimension");
        }
        int oH = ConvKernels.poolOutputSize(x.size(2), k[0], s[0], p[0], d[0], ceilMode);
        int oW = ConvKernels.poolOutputSize(x.size(3), k[1], s[1], p[1], d[1], ceilMode);
        if (oH < 1 || oW < 1) {
            throw new ShapeException(op + ": the input of shape " + Arrays.toString(input.shape()) + " is too small "
                    + "for kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding "
                    + Arrays.toString(p) + (d[0] != 1 || d[1] != 1 ? ", dilation " + Arrays.toString(d) : "")
                    + ": the output would be " + oH + "x" + oW + "; use a larger input or a smaller kernel");
        }
        return new int[] {oH, oW};
    }

    // ---- max pooling -------------------------------------------------------------------------------------------

    /**
     * Max pooling (PyTorch's {@code max_pool2d_with_indices}): window kernel, stride, padding (never picked: as if
     * -infinity), dilation, each {height, width}; with ceilMode the output size rounds up. Returns the maxima and
     * their int64 indices h * W + w within each input plane (the first maximum of a window on ties; NaN propagates).
     */
    public static ValuesAndIndices maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                             boolean ceilMode) {
        String op = "maxPool2d";
        checkPair(op, "kernel size", kernel, 1);
        checkPair(op, "stride", stride, 1);
        checkPair(op, "padding", padding, 0);
        checkPair(op, "dilation", dilation, 1);
        TensorData x = batched(op, input);
        int[] o = outputSize(op, x, input, kernel, stride, padding, dilation, ceilMode);
        ConvKernels.Pooled r = ConvKernels.maxPool2d(x, kernel, stride, padding, dilation, o[0], o[1]);
        if (r == null) {
            throw new ShapeException(op + ": with kernel " + Arrays.toString(kernel) + ", stride "
                    + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + " and dilation "
                    + Arrays.toString(dilation) + ", some window of the input of shape "
                    + Arrays.toString(input.shape()) + " covers only padding; reduce the padding or the dilation");
        }
        Tensor values = Internal.wrap(unbatched(input, r.values()));
        Tensor indices = Internal.wrap(unbatched(input, r.indices()));
        if (Internal.recording(input)) {
            Internal.attach(values, new MaxPool2DWithIndicesBackward(input, indices), 0);
        }
        if (ForwardAD.isActive()) {
            Jvp.unary(values, input, t -> gatherPlanes(t, indices));
        }
        return new ValuesAndIndices(values, indices);
    }

    /** t's elements at the per-plane flat indices (max pooling applied to a tangent or gradient). */
    private static Tensor gatherPlanes(Tensor t, Tensor indices) {
        int[] is = indices.shape();
        int r = is.length;
        int lead = Arrays.stream(is, 0, r - 2).reduce(1, (a, b) -> a * b);
        int[] ts = t.shape();
        return t.reshape(lead, ts[r - 2] * ts[r - 1]).gather(1, indices.reshape(lead, is[r - 2] * is[r - 1]))
                .view(is);
    }

    static final class MaxPool2DWithIndicesBackward extends Node {
        private final SavedTensor indices;

        MaxPool2DWithIndicesBackward(Tensor x, Tensor indices) {
            super(x);
            this.indices = save(indices);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            int[] xs = inputShape(0);
            Tensor idx = indices.get();
            if (!Internal.recording(g[0]) && !ForwardAD.isActive()) {   // no graph of the gradient: one kernel pass
                return new Tensor[] {Internal.wrap(ConvKernels.maxPool2dBackward(g[0].impl(), idx.impl(), xs))};
            }
            int r = xs.length;
            int[] is = idx.shape();
            int lead = Arrays.stream(xs, 0, r - 2).reduce(1, (a, b) -> a * b);
            Tensor planes = Indexing.scatterAdd(new int[] {lead, xs[r - 2] * xs[r - 1]}, 1,
                    idx.reshape(lead, is[r - 2] * is[r - 1]), g[0].reshape(lead, is[r - 2] * is[r - 1]));
            return new Tensor[] {planes.view(xs)};
        }
    }

    // ---- average pooling ---------------------------------------------------------------------------------------

    /**
     * Average pooling (PyTorch's {@code avg_pool2d}): window kernel, stride and zero padding {height, width}; with
     * ceilMode the output size rounds up; each window's sum is divided by divisorOverride if it is positive, else by
     * the window's size within the padded input (countIncludePad) or by its number of input elements.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        String op = "avgPool2d";
        checkPair(op, "kernel size", kernel, 1);
        checkPair(op, "stride", stride, 1);
        checkPair(op, "padding", padding, 0);
        if (divisorOverride < 0) {
            throw new ShapeException(op + ": divisorOverride must be positive (or 0 for none), got "
                    + divisorOverride);
        }
        TensorData x = batched(op, input);
        int[] o = outputSize(op, x, input, kernel, stride, padding, new int[] {1, 1}, ceilMode);
        AvgSettings s = new AvgSettings(kernel.clone(), stride.clone(), padding.clone(), ceilMode, countIncludePad,
                divisorOverride);
        Tensor out = Internal.wrap(unbatched(input, ConvKernels.avgPool2d(x, s.kernel, s.stride, s.padding, o[0],
                o[1], countIncludePad, divisorOverride)));
        if (Internal.recording(input)) {
            Internal.attach(out, new AvgPool2DBackward(input, s), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, input, t -> avgPool2d(t, s.kernel, s.stride, s.padding, ceilMode,
                countIncludePad, divisorOverride)) : out;
    }

    private record AvgSettings(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                               int divisor) {
    }

    /** The adjoint of average pooling: the gradient of an input of shape inputShape given g. */
    private static Tensor avgPool2dBackward(Tensor g, int[] inputShape, AvgSettings s) {
        int r = inputShape.length;
        TensorData gd = g.dim() == 3 ? g.impl().unsqueeze(0) : g.impl();
        TensorData gx = ConvKernels.avgPool2dBackward(gd, inputShape[r - 2], inputShape[r - 1], s.kernel, s.stride,
                s.padding, s.countIncludePad, s.divisor);
        Tensor out = Internal.wrap(g.dim() == 3 ? gx.squeeze(0) : gx);
        if (Internal.recording(g)) {
            Internal.attach(out, new AvgPool2DBackwardBackward(g, s), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, g, t -> avgPool2dBackward(t, inputShape, s)) : out;
    }

    static final class AvgPool2DBackward extends Node {
        private final AvgSettings settings;

        AvgPool2DBackward(Tensor x, AvgSettings settings) {
            super(x);
            this.settings = settings;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {avgPool2dBackward(g[0], inputShape(0), settings)};
        }
    }

    /** The gradient of average pooling's backward (linear in g) is average pooling with the same settings. */
    static final class AvgPool2DBackwardBackward extends Node {
        private final AvgSettings s;

        AvgPool2DBackwardBackward(Tensor g, AvgSettings s) {
            super(g);
            this.s = s;
        }

        @Override
        protected Tensor[] backward(Tensor[] gg) {
            return new Tensor[] {avgPool2d(gg[0], s.kernel, s.stride, s.padding, s.ceilMode, s.countIncludePad,
                    s.divisor)};
        }
    }

    // ---- adaptive average pooling ------------------------------------------------------------------------------

    /**
     * Adaptive average pooling to outH x outW (PyTorch's {@code adaptive_avg_pool2d}): output cell i along a
     * dimension of input size n averages the input's range [floor(i n / out), ceil((i + 1) n / out)). An output of
     * 1x1 is computed as the mean over the last two dimensions, as PyTorch does.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        if (outH <= 0 || outW <= 0) {
            throw new ShapeException(op + ": the output size must be positive, got [" + outH + ", " + outW + "]");
        }
        TensorData x = batched(op, input);
        if (outH == 1 && outW == 1) {
            return input.mean(new int[] {-2, -1}, true);
        }
        Tensor out = Internal.wrap(unbatched(input, ConvKernels.adaptiveAvgPool2d(x, outH, outW)));
        if (Internal.recording(input)) {
            Internal.attach(out, new AdaptiveAvgPool2DBackward(input), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, input, t -> adaptiveAvgPool2d(t, outH, outW)) : out;
    }

    /** The adjoint of adaptive average pooling: the gradient of an input of shape inputShape given g. */
    private static Tensor adaptiveAvgPool2dBackward(Tensor g, int[] inputShape) {
        int r = inputShape.length;
        TensorData gd = g.dim() == 3 ? g.impl().unsqueeze(0) : g.impl();
        TensorData gx = ConvKernels.adaptiveAvgPool2dBackward(gd, inputShape[r - 2], inputShape[r - 1]);
        Tensor out = Internal.wrap(g.dim() == 3 ? gx.squeeze(0) : gx);
        if (Internal.recording(g)) {
            Internal.attach(out, new AdaptiveAvgPool2DBackwardBackward(g), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, g, t -> adaptiveAvgPool2dBackward(t, inputShape)) : out;
    }

    static final class AdaptiveAvgPool2DBackward extends Node {
        AdaptiveAvgPool2DBackward(Tensor x) {
            super(x);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {adaptiveAvgPool2dBackward(g[0], inputShape(0))};
        }
    }

    static final class AdaptiveAvgPool2DBackwardBackward extends Node {
        AdaptiveAvgPool2DBackwardBackward(Tensor g) {
            super(g);
        }

        @Override
        protected Tensor[] backward(Tensor[] gg) {
            int[] gs = inputShape(0);
            int r = gs.length;
            return new Tensor[] {adaptiveAvgPool2d(gg[0], gs[r - 2], gs[r - 1])};
        }
    }

}
