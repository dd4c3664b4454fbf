package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.GradOptions;
import dev.ember.examples.bench.Timer.Measurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A tiny forward and backward: Ember's {@code w.mul(x).sum().backward()} with a 4-element w that requires grad,
 * against the same by hand in raw ND4J: the forward ops, then the gradient ops the tape runs (expand the 1 of the
 * sum's gradient, multiply by x, accumulate into w's gradient).
 */
final class TinyBackward {
    private TinyBackward() {
    }

    static List<Row> run(Timer timer) {
        Tensor w = Ember.tensor(1, 2, 3, 4).requiresGrad_();
        Tensor x = Ember.tensor(0.5, -1, 2, 0.25);
        Measurement ember = timer.measure(() -> w.mul(x).sum().backward());
        Timer.sink = w.grad();

        INDArray wn = Nd4j.create(new float[] {1, 2, 3, 4});
        INDArray xn = Nd4j.create(new float[] {0.5f, -1, 2, 0.25f});
        INDArray gradW = Nd4j.zeros(wn.dataType(), 4);
        Measurement nd4j = timer.measure(() -> {
            INDArray p = wn.mul(xn);                  // forward
            INDArray s = p.sum();
            INDArray dp = Nd4j.onesLike(p);           // d sum / d p, the 1 expanded to p's shape
            gradW.addi(dp.mul(xn));                   // d p / d w = x, accumulated as AccumulateGrad does
            Timer.sink = s;
        });

        // the same with createGraph: what higher-order derivatives cost, and only when asked for
        Tensor v = Ember.tensor(1, 2, 3, 4).requiresGrad_();
        Measurement created = timer.measure(() -> {
            v.mul(x).sum().backward(GradOptions.createGraph());
            v.setGrad(null);
        });
        return List.of(
                new Row("tiny fwd+bwd (w*x).sum().backward()", ember, nd4j,
                        "ND4J: the same ops by hand; PyTorch: 25 µs (quoted, see below)"),
                new Row("tiny fwd+bwd with createGraph", created, null,
                        "records the backward pass; first-order backward above does not"));
    }
}
