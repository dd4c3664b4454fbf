package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.examples.bench.Timer.Measurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** A 4-element float32 add: allocating ({@code add} vs {@code add}) and in place ({@code add_} vs {@code addi}). */
final class TinyAdd {
    private TinyAdd() {
    }

    static List<Row> run(Timer timer) {
        Tensor a = Ember.tensor(1, 2, 3, 4);
        Tensor b = Ember.tensor(0.5, 0.25, 0.125, 0.0625);
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4});
        INDArray y = Nd4j.create(new float[] {0.5f, 0.25f, 0.125f, 0.0625f});

        Measurement emberAdd = timer.measure(() -> Timer.sink = a.add(b));
        Measurement nd4jAdd = timer.measure(() -> Timer.sink = x.add(y));

        // In place, as an optimizer updates a parameter: a leaf that requires grad, under noGrad.
        Tensor p = Ember.tensor(1, 2, 3, 4).requiresGrad_();
        Measurement emberAddInPlace = Ember.noGrad(() -> timer.measure(() -> Timer.sink = p.add_(b)));
        Measurement nd4jAddInPlace = timer.measure(() -> Timer.sink = x.addi(y));

        return List.of(
                new Row("add, 4 floats (a.add(b) / x.add(y))", emberAdd, nd4jAdd, ""),
                new Row("add in place, 4 floats (add_ noGrad / addi)", emberAddInPlace, nd4jAddInPlace, ""));
    }
}
