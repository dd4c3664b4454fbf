package dev.ember.ops;

import dev.ember.Ember;
import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import dev.ember.autograd.Node;
import dev.ember.autograd.SavedTensor;

/**
 * softmax and logSoftmax along a dimension, computed stably (shifted by the maximum), each with its own node and
 * its forward-mode rule.
 *
 * <pre>{@code
 * Tensor p = Softmax.softmax(logits, 1);      // what logits.softmax(1) calls
 * }</pre>
 */
public final class Softmax {
    private Softmax() {
    }

    public static Tensor softmax(Tensor a, int dim) {
        Promotion.requireFloat("softmax", a);
        int d = Promotion.dim("softmax", dim, a.dim());
        Tensor out;
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor e = shifted(a, d).exp();
            out = Internal.wrap(e.div(e.sum(new int[] {d}, true)).impl());
        }
        if (Internal.recording(a)) {
            Internal.attach(out, new SoftmaxBackward(a, d, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> SoftmaxBackward.jvp(out, d, ta)) : out;
    }

    private static Tensor shifted(Tensor a, int d) {
        if (a.dim() == 0) {
            return a.sub(a);
        }
        Tensor m = a.max(d, true).values();
        return a.sub(Ember.where(m.abs().eq(Double.POSITIVE_INFINITY), Ember.zerosLike(m), m));
    }

    static final class SoftmaxBackward extends Node {
        private final int dim;
        private final SavedTensor result;

        SoftmaxBackward(Tensor a, int dim, Tensor result) {
            super(a);
            this.dim = dim;
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            Tensor y = result.get();
            Tensor gy = g[0].mul(y);
            return new Tensor[] {gy.sub(y.mul(gy.sum(new int[] {dim}, true)))};
        }

        /** dy = y (dx - sum(dx y)). */
        static Tensor jvp(Tensor y, int dim, Tensor ta) {
            return y.mul(ta.sub(ta.mul(y).sum(new int[] {dim}, true)));
        }
    }

    public static Tensor logSoftmax(Tensor a, int dim) {
        Promotion.requireFloat("logSoftmax", a);
        int d = Promotion.dim("logSoftmax", dim, a.dim());
        Tensor out;
        try (var noGrad = Ember.noGrad(); var noTangents = ForwardAD.suspend()) {
            Tensor s = shifted(a, d);
            out = Internal.wrap(s.sub(s.exp().sum(new int[] {d}, true).log()).impl());
        }
        if (Internal.recording(a)) {
            Internal.attach(out, new LogSoftmaxBackward(a, d, out), 0);
        }
        return ForwardAD.isActive() ? Jvp.unary(out, a, ta -> LogSoftmaxBackward.jvp(out, d, ta)) : out;
    }

    static final class LogSoftmaxBackward extends Node {
        private final int dim;
        private final SavedTensor result;

        LogSoftmaxBackward(Tensor a, int dim, Tensor result) {
            super(a);
            this.dim = dim;
            this.result = save(result);
        }

        @Override
        protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].sub(result.get().exp().mul(g[0].sum(new int[] {dim}, true)))};
        }

        /** dy = dx - sum(dx softmax(x)). */
        static Tensor jvp(Tensor y, int dim, Tensor ta) {
            return ta.sub(ta.mul(y.exp()).sum(new int[] {dim}, true));
        }
    }
}
