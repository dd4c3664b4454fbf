package dev.ember.ops;

import dev.ember.DTypeException;
import dev.ember.Internal;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;
import dev.ember.kernels.ConvKernels;
import dev.ember.kernels.TensorData;

import java.util.Arrays;

/**
 * 1-d and 2-d convolution (PyTorch's {@code conv1d} and {@code conv2d}: cross-correlation with stride, zero padding,
 * dilation and groups, and an optional bias), differentiable to any order in reverse and forward mode.
 *
 * <p>A convolution y = F(x, w) is bilinear, and so are its two gradients: the input gradient BI(gy, w) (a transposed
 * convolution) and the weight gradient BW(x, gy). All three are the same trilinear form ⟨F(x, w), gy⟩ differentiated
 * by one argument, so each one's derivatives are the others:
 * <ul>
 *   <li>F (node {@code ConvolutionBackward}): gx = BI(gy, w), gw = BW(x, gy), gb = gy summed over batch and space;
 *   <li>the pair (BI(gy, w), BW(x, gy)), computed by one kernel call (node
 *       {@code ConvolutionBackwardBackward}, as in PyTorch): given gradients (ggx, ggw) of its two outputs,
 *       d gy = F(ggx, w) + F(x, ggw), d x = BI(gy, ggw), d w = BW(ggx, gy) (again one call);
 *   <li>forward mode: dF = F(dx, w) + F(x, dw) + db, and likewise for the pair.
 * </ul>
 * A backward pass with {@code createGraph} is therefore itself differentiable, to any order.
 *
 * <pre>{@code
 * Tensor x = Ember.randn(8, 3, 28, 28);
 * Tensor w = Ember.randn(16, 3, 3, 3).requiresGrad_();
 * Tensor y = Convolution.conv2d(x, w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);   // [8, 16, 28, 28]
 * }</pre>
 *
 * <p>Inputs may be batched ([N, C, L] or [N, C, H, W]) or, as in PyTorch 1.13, unbatched ([C, L] or [C, H, W]).
 * Padding is zero padding given as an explicit size on both sides (PyTorch's {@code padding='same'} and other
 * padding modes are not supported).
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * One convolution's settings in 2-d form (a 1-d convolution has height 1, stride 1, no padding and dilation 1
     * along it): {sH, sW, pH, pW, dH, dW}, groups, and the number of spatial dimensions the caller sees.
     */
    record Geometry(String op, int spatial, int[] g, int groups) {
        int[] to4d(int[] shape) {
            if (spatial == 2) {
                return shape;
            }
            return new int[] {shape[0], shape[1], 1, shape[2]};
        }

        TensorData to4d(TensorData t) {
            return spatial == 2 ? t : t.unsqueeze(2);
        }

        TensorData from4d(TensorData t) {
            return spatial == 2 ? t : t.squeeze(2);
        }

        int[] biasView(int channels) {
            return spatial == 2 ? new int[] {1, channels, 1, 1} : new int[] {1, channels, 1};
        }

        int[] reduceDims() {
            return spatial == 2 ? new int[] {0, 2, 3} : new int[] {0, 2};
        }
    }

    /**
     * conv1d(input [N, C, L] or [C, L], weight [O, C/groups, k], bias [O] or null) with the given stride, padding
     * (zeros on both sides), dilation and groups: [N, O, L'] (or [O, L'] for an unbatched input).
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        Geometry geo = new Geometry("conv1d", 1, new int[] {1, stride, 0, padding, 1, dilation}, groups);
        checkSettings(geo, new int[] {stride}, new int[] {padding}, new int[] {dilation});
        return dispatch(geo, input, weight, bias);
    }

    /**
     * conv2d(input [N, C, H, W] or [C, H, W], weight [O, C/groups, kH, kW], bias [O] or null) with stride, padding
     * (zeros on both sides) and dilation given as {height, width}, and groups: [N, O, H', W'] (or [O, H', W']).
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        checkPair("conv2d", "stride", stride);
        checkPair("conv2d", "padding", padding);
        checkPair("conv2d", "dilation", dilation);
        Geometry geo = new Geometry("conv2d", 2,
                new int[] {stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]}, groups);
        checkSettings(geo, stride, padding, dilation);
        return dispatch(geo, input, weight, bias);
    }

    private static void checkPair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new ShapeException(op + ": " + what + " must have two values {height, width}, got "
                    + Arrays.toString(v));
        }
    }

    private static void checkSettings(Geometry geo, int[] stride, int[] padding, int[] dilation) {
        String op = geo.op();
        for (int s : stride) {
            if (s <= 0) {
                throw new ShapeException(op + ": stride " + Arrays.toString(stride) + " is not positive; every "
                        + "stride must be at least 1");
            }
        }
        for (int p : padding) {
            if (p < 0) {
                throw new ShapeException(op + ": padding " + Arrays.toString(padding) + " is negative; padding must "
                        + "be 0 or more (to crop, slice the input instead)");
            }
        }
        for (int d : dilation) {
            if (d <= 0) {
                throw new ShapeException(op + ": dilation " + Arrays.toString(dilation) + " is not positive; every "
                        + "dilation must be at least 1");
            }
        }
        if (geo.groups() <= 0) {
            throw new ShapeException(op + ": groups must be at least 1, got " + geo.groups());
        }
    }

    /** Batched inputs go straight through; an unbatched one gets a batch dimension of 1 and loses it afterwards. */
    private static Tensor dispatch(Geometry geo, Tensor input, Tensor weight, Tensor bias) {
        int batched = geo.spatial() + 2;
        if (input.dim() != batched && input.dim() != batched - 1) {
            String dims = geo.spatial() == 2 ? "[batch, channels, height, width]" : "[batch, channels, length]";
            String unbatched = geo.spatial() == 2 ? "[channels, height, width]" : "[channels, length]";
            throw new ShapeException(geo.op() + ": expected a " + batched + "-d input " + dims + " (or a "
                    + (batched - 1) + "-d unbatched input " + unbatched + "), but got an input of shape "
                    + Arrays.toString(input.shape()) + (input.dim() == batched - 2 && input.dim() > 0
                    ? "; add the channel dimension with unsqueeze(0)" : ""));
        }
        check(geo, input, weight, bias);
        if (input.dim() == batched - 1) {
            return convolution(geo, input.unsqueeze(0), weight, bias).squeeze(0);
        }
        return convolution(geo, input, weight, bias);
    }

    private static void check(Geometry geo, Tensor x, Tensor w, Tensor b) {
        String op = geo.op();
        Promotion.requireFloat(op, x);
        Promotion.requireFloat(op, w);
        if (w.dtype() != x.dtype()) {
            throw new DTypeException(op + ": the input is " + x.dtype() + " but the weight is " + w.dtype()
                    + "; they must have the same dtype: convert the input with .to(DType." + w.dtype().name()
                    + ") (or a module with .to(DType." + x.dtype().name() + "))");
        }
        if (b != null && b.dtype() != x.dtype()) {
            throw new DTypeException(op + ": the input is " + x.dtype() + " but the bias is " + b.dtype()
                    + "; they must have the same dtype: convert the bias with .to(DType." + x.dtype().name() + ")");
        }
        int spatial = geo.spatial();
        if (w.dim() != spatial + 2) {
            throw new ShapeException(op + ": the weight must be " + (spatial + 2) + "-d [out_channels, "
                    + "in_channels/groups, " + (spatial == 2 ? "kH, kW" : "k") + "], got shape "
                    + Arrays.toString(w.shape()));
        }
        int groups = geo.groups();
        int out = w.size(0);
        if (out % groups != 0) {
            throw new ShapeException(op + ": the weight of shape " + Arrays.toString(w.shape()) + " has " + out
                    + " output channels, which is not divisible by groups=" + groups);
        }
        boolean unbatched = x.dim() == spatial + 1;
        int channels = x.size(unbatched ? 0 : 1);
        if (channels != w.size(1) * groups) {
            throw new ShapeException(op + ": given groups=" + groups + " and a weight of shape "
                    + Arrays.toString(w.shape()) + ", the input of shape " + Arrays.toString(x.shape()) + " should have "
                    + w.size(1) * groups + " channels (dimension " + (unbatched ? 0 : 1) + "), but has " + channels
                    + (unbatched ? "; a " + x.dim() + "-d input is read as one unbatched sample [channels, "
                    + (spatial == 2 ? "height, width" : "length") + "]: for a batch of single-channel inputs add "
                    + "the channel dimension with unsqueeze(1)" : ""));
        }
        if (b != null && (b.dim() != 1 || b.size(0) != out)) {
            throw new ShapeException(op + ": given a weight of shape " + Arrays.toString(w.shape()) + ", the bias "
                    + "must be 1-d with " + out + " elements, but has shape " + Arrays.toString(b.shape()));
        }
        int[] g = geo.g();
        int[] in = x.shape();
        int first = unbatched ? 1 : 2;
        for (int d = 0; d < spatial; d++) {
            int axis = spatial == 2 ? d : 1;
            int size = in[first + d];
            int kernel = w.size(2 + d);
            int padded = size + 2 * g[2 + axis];
            int span = g[4 + axis] * (kernel - 1) + 1;
            if (padded < span) {
                throw new ShapeException(op + ": the input of shape " + Arrays.toString(in) + " has size " + size
                        + " in dimension " + (first + d) + (g[2 + axis] > 0 ? " (" + padded + " with padding)" : "")
                        + ", less than the " + (g[4 + axis] > 1 ? "dilated " : "") + "kernel's extent " + span
                        + " (weight shape " + Arrays.toString(w.shape()) + "); use a larger input, more padding or a "
                        + "smaller kernel");
            }
        }
    }

    /** The convolution of a batched input, with its node and tangent; arguments validated. */
    static Tensor convolution(Geometry geo, Tensor x, Tensor w, Tensor b) {
        TensorData y = ConvKernels.conv2d(geo.to4d(x.impl()), geo.to4d(w.impl()), b == null ? null : b.impl(),
                geo.g(), geo.groups());
        Tensor out = Internal.wrap(geo.from4d(y));
        if (Internal.recording(x, w, b)) {
            Internal.attach(out, new ConvolutionBackward(x, w, b, geo), 0);
        }
        if (ForwardAD.isActive()) {
            Tensor[] in = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
            Jvp.nary(out, in, t -> ConvolutionBackward.jvp(geo, x, w, t[0], t[1], t.length > 2 ? t[2] : null));
        }
        return out;
    }

    static final class ConvolutionBackward extends Node {
        private final Geometry geo;
        private final SavedTensor input;
        private final SavedTensor weight;

        ConvolutionBackward(Tensor x, Tensor w, Tensor b, Geometry geo) {
            super(x, w, b);
            this.geo = geo;
            this.input = needsInputGrad(1) ? save(x) : null;
            this.weight = needsInputGrad(0) ? save(w) : null;
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor gy = g[0];
            Tensor[] gxw = {null, null};
            if (needsInputGrad(0) || needsInputGrad(1)) {
                gxw = gradients(geo, gy, input == null ? null : input.get(), inputShape(0),
                        weight == null ? null : weight.get(), inputShape(1), needsInputGrad(0), needsInputGrad(1));
            }
            Tensor gb = null;
            if (needsInputGrad(2)) {   // one kernel pass unless the gradient's own graph is recorded
                gb = Internal.recording(gy) || ForwardAD.isActive() ? gy.sum(geo.reduceDims(), false)
                        : Internal.wrap(ConvKernels.channelSums(gy.impl()));
            }
            return new Tensor[] {gxw[0], gxw[1], gb};
        }

        /** dy = F(dx, w) + F(x, dw) + db. */
        static Tensor jvp(Geometry geo, Tensor x, Tensor w, Tensor tx, Tensor tw, Tensor tb) {
            Tensor t = Jvp.plus(tx == null ? null : convolution(geo, tx, w, null),
                    tw == null ? null : convolution(geo, x, tw, null));
            if (tb != null) {
                Tensor bias = tb.view(geo.biasView(tb.size(0)));
                t = t == null ? bias : t.add(bias);
            }
            return t;
        }
    }

    /**
     * The gradients {BI(gy, w), BW(x, gy)} of a convolution's input and weight given gy (each null unless asked
     * for), from one kernel call, recorded as one two-output node when the call is recorded. x is needed only for
     * the weight gradient and w only for the input gradient; their shapes are given apart.
     */
    static Tensor[] gradients(Geometry geo, Tensor gy, Tensor x, int[] xShape, Tensor w, int[] wShape,
                              boolean needInput, boolean needWeight) {
        Tensor xi = needWeight ? x : null;
        Tensor wi = needInput ? w : null;
        TensorData[] r = ConvKernels.conv2dBackward(xi == null ? null : geo.to4d(xi.impl()), geo.to4d(xShape),
                wi == null ? null : geo.to4d(wi.impl()), geo.to4d(wShape), geo.to4d(gy.impl()), geo.g(), geo.groups(),
                needInput, needWeight);
        Tensor gx = needInput ? Internal.wrap(r[0].viewAs(xShape)) : null;
        Tensor gw = needWeight ? Internal.wrap(r[1].viewAs(wShape)) : null;
        if (Internal.recording(gy, xi, wi)) {
            ConvolutionBackwardBackward node = new ConvolutionBackwardBackward(gy, xi, wi, geo, xShape, wShape);
            if (gx != null) {
                Internal.attach(gx, node, 0);
            }
            if (gw != null) {
                Internal.attach(gw, node, 1);
            }
        }
        if (ForwardAD.isActive()) {
            if (gx != null) {
                Jvp.nary(gx, new Tensor[] {gy, wi}, t -> Jvp.plus(
                        t[0] == null ? null : gradients(geo, t[0], null, xShape, wi, wShape, true, false)[0],
                        t[1] == null ? null : gradients(geo, gy, null, xShape, t[1], wShape, true, false)[0]));
            }
            if (gw != null) {
                Jvp.nary(gw, new Tensor[] {gy, xi}, t -> Jvp.plus(
                        t[0] == null ? null : gradients(geo, t[0], xi, xShape, null, wShape, false, true)[1],
                        t[1] == null ? null : gradients(geo, gy, t[1], xShape, null, wShape, false, true)[1]));
            }
        }
        return new Tensor[] {gx, gw};
    }

    /**
     * The node of the pair (gx, gw) = (BI(gy, w), BW(x, gy)), inputs (gy, x, w) (x absent unless gw was computed,
     * w absent unless gx was): PyTorch's {@code ConvolutionBackwardBackward}.
     */
    static final class ConvolutionBackwardBackward extends Node {
        private final Geometry geo;
        private final int[] xShape;
        private final int[] wShape;
        private final SavedTensor gy;
        private final SavedTensor input;
        private final SavedTensor weight;

        ConvolutionBackwardBackward(Tensor gy, Tensor x, Tensor w, Geometry geo, int[] xShape, int[] wShape) {
            super(gy, x, w);
            this.geo = geo;
            this.xShape = xShape;
            this.wShape = wShape;
            this.gy = needsInputGrad(1) || needsInputGrad(2) ? save(gy) : null;
            this.input = x != null && needsInputGrad(0) ? save(x) : null;
            this.weight = w != null && needsInputGrad(0) ? save(w) : null;
        }

        @Override
        public int numOutputs() {
            return 2;
        }

        @Override
        protected Tensor[] backward(Tensor[] gg) {
            Tensor ggx = gg[0];
            Tensor ggw = gg[1];
            Tensor dgy = null;
            if (needsInputGrad(0)) {
                dgy = Jvp.plus(ggx == null || weight == null ? null : convolution(geo, ggx, weight.get(), null),
                        ggw == null || input == null ? null : convolution(geo, input.get(), ggw, null));
            }
            boolean dx = needsInputGrad(1) && ggw != null;
            boolean dw = needsInputGrad(2) && ggx != null;
            Tensor[] r = {null, null};
            if (dx || dw) {
                r = gradients(geo, gy.get(), dw ? ggx : null, xShape, dx ? ggw : null, wShape, dx, dw);
            }
            return new Tensor[] {dgy, r[0], r[1]};
        }
    }
}
