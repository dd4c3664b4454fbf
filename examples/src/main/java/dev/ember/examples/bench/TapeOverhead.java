package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;

import java.util.List;

/**
 * What recording costs: a 4-element add on tensors that require grad (so a node goes on the tape) minus the same
 * add under noGrad.
 */
final class TapeOverhead {
    private TapeOverhead() {
    }

    static List<Row> run(Timer timer) {
        Tensor a = Ember.tensor(1, 2, 3, 4).requiresGrad_();
        Tensor b = Ember.tensor(0.5, 0.25, 0.125, 0.0625).requiresGrad_();
        double recorded = timer.microsPerOp(() -> Timer.sink = a.add(b));
        double unrecorded;
        try (var g = Ember.noGrad()) {
            unrecorded = timer.microsPerOp(() -> Timer.sink = a.add(b));
        }
        return List.of(
                new Row("add, requires grad (recorded)", recorded, Double.NaN, ""),
                new Row("add, requires grad, under noGrad", unrecorded, Double.NaN, ""),
                new Row("tape overhead per op (recorded - noGrad)", recorded - unrecorded, Double.NaN,
                        "difference of the two medians above"));
    }
}
