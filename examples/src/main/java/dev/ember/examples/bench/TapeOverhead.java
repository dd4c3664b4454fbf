package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.examples.bench.Timer.Measurement;

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
        if (a.add(b).gradFn() == null || Ember.noGrad(() -> a.add(b)).gradFn() != null) {
            throw new IllegalStateException("expected the add to be recorded with grad on and not under noGrad");
        }
        Measurement recorded = timer.measure(() -> Timer.sink = a.add(b));
        Measurement unrecorded = Ember.noGrad(() -> timer.measure(() -> Timer.sink = a.add(b)));
        return List.of(
                new Row("add, requires grad (recorded)", recorded, null, ""),
                new Row("add, requires grad, under noGrad", unrecorded, null, ""),
                new Row("tape overhead per op (recorded - noGrad)",
                        Measurement.derived(recorded.median() - unrecorded.median()), null,
                        "difference of the two medians above"));
    }
}
