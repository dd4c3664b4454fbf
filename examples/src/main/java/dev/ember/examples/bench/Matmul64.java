package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.examples.bench.Timer.Measurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** A 64×64 by 64×64 float32 matrix product: {@code a.matmul(b)} vs {@code x.mmul(y)}. */
final class Matmul64 {
    private Matmul64() {
    }

    static List<Row> run(Timer timer) {
        Ember.manualSeed(0);
        Tensor a = Ember.randn(64, 64);
        Tensor b = Ember.randn(64, 64);
        INDArray x = Nd4j.create(a.toFloatArray(), new long[] {64, 64}, 'c');
        INDArray y = Nd4j.create(b.toFloatArray(), new long[] {64, 64}, 'c');

        Measurement ember = timer.measure(() -> Timer.sink = a.matmul(b));
        Measurement nd4j = timer.measure(() -> Timer.sink = x.mmul(y));
        double flops = 2.0 * 64 * 64 * 64;
        return List.of(new Row("matmul 64x64 (a.matmul(b) / x.mmul(y))", ember, nd4j,
                String.format("%.1f / %.1f GFLOP/s", flops / ember.median() / 1e3, flops / nd4j.median() / 1e3)));
    }
}
