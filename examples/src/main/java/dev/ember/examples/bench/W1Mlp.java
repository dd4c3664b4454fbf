package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.examples.bench.Timer.Measurement;

import java.util.List;

/**
 * PEERS.md's W1 workload, written by hand with Ember tensors: Linear 2→16, tanh, Linear 16→16, tanh, Linear 16→1,
 * batch 8, MSE loss, SGD with lr 0.01 and momentum 0.9. One step is zero_grad, forward, loss, backward and the
 * optimizer step, as PyTorch's {@code optimizer.zero_grad(); loss.backward(); optimizer.step()}.
 */
final class W1Mlp {
    private static final double LR = 0.01;
    private static final double MOMENTUM = 0.9;

    private final Tensor[] params;     // w1, b1, w2, b2, w3, b3; weights are [out, in] as in nn.Linear
    private final Tensor[] buffers;    // SGD momentum buffers, created on the first step as PyTorch does
    private final Tensor x;
    private final Tensor y;

    private W1Mlp() {
        Ember.manualSeed(0);
        params = new Tensor[] {
            uniform(1 / Math.sqrt(2), 16, 2), uniform(1 / Math.sqrt(2), 16),
            uniform(1 / Math.sqrt(16), 16, 16), uniform(1 / Math.sqrt(16), 16),
            uniform(1 / Math.sqrt(16), 1, 16), uniform(1 / Math.sqrt(16), 1),
        };
        buffers = new Tensor[params.length];
        x = Ember.randn(8, 2);
        y = Ember.randn(8, 1);
    }

    /** nn.Linear's default initialisation bound: U(-bound, bound). */
    private static Tensor uniform(double bound, int... shape) {
        return Ember.zeros(shape).uniform_(-bound, bound).requiresGrad_();
    }

    private static Tensor linear(Tensor in, Tensor w, Tensor b) {
        return in.matmul(w.t()).add(b);
    }

    /** One training step; returns the loss. */
    @SuppressWarnings("try")    // the noGrad scopes are used only for their effect
    Tensor step() {
        try (var g = Ember.noGrad()) {              // zero_grad (PyTorch 1.13's default zeroes in place)
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().zero_();
                }
            }
        }
        Tensor h = linear(x, params[0], params[1]).tanh();
        h = linear(h, params[2], params[3]).tanh();
        Tensor out = linear(h, params[4], params[5]);
        Tensor loss = out.sub(y).pow(2).mean();
        loss.backward();
        try (var g = Ember.noGrad()) {              // SGD with momentum: buf = 0.9 buf + grad; p -= lr buf
            for (int i = 0; i < params.length; i++) {
                Tensor grad = params[i].grad();
                buffers[i] = buffers[i] == null ? grad.clone() : buffers[i].mul_(MOMENTUM).add_(grad);
                params[i].sub_(buffers[i].mul(LR));
            }
        }
        return loss;
    }

    static List<Row> run(Timer timer) {
        W1Mlp model = new W1Mlp();
        double first = model.step().item();
        Measurement step = timer.measure(() -> Timer.sink = model.step());
        double last = model.step().item();
        return List.of(new Row("W1 train step (MLP 2-16-16-1, batch 8)", step, null,
                String.format("%,.0f steps/s (loss %.4f -> %.2g)", 1e6 / step.median(), first, last)));
    }
}
