package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** The default collate, as PyTorch's default_collate for Java's types. */
class CollateTest {

    record Sample(Tensor x, Object label) {
    }

    record Nested(Sample inner, Tensor weight) {
    }

    record WithInt(Tensor x, int label) {
    }

    @Test
    void tensorsAreStacked() {
        Tensor b = Collate.<Tensor>defaultCollate().apply(List.of(Ember.tensor(1, 2), Ember.tensor(3, 4)));
        assertArrayEquals(new int[] {2, 2}, b.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Collate.stack().apply(List.of(Ember.tensor(1, 2),
                Ember.tensor(3, 4))).toFloatArray());
    }

    @Test
    void nestedRecordsListsAndMapsAreCollatedRecursively() {
        var fn = Collate.<Nested>defaultCollate();
        Nested b = fn.apply(List.of(new Nested(new Sample(Ember.tensor(1), 3), Ember.scalar(0.5)),
                new Nested(new Sample(Ember.tensor(2), 4), Ember.scalar(1.5))));
        assertArrayEquals(new float[] {1, 2}, b.inner().x().toFloatArray());
        Tensor labels = (Tensor) b.inner().label();       // numbers in an Object component become an int64 tensor
        assertEquals(DType.INT64, labels.dtype());
        assertArrayEquals(new long[] {3, 4}, labels.toLongArray());
        assertArrayEquals(new float[] {0.5f, 1.5f}, b.weight().toFloatArray());

        List<Object> l = Collate.<List<Object>>defaultCollate().apply(List.of(List.of(Ember.tensor(1), 2.5),
                List.of(Ember.tensor(2), 3.5)));
        assertEquals(DType.FLOAT64, ((Tensor) l.get(1)).dtype()); // Python floats collate to float64
        Map<String, Object> m = Collate.<Map<String, Object>>defaultCollate().apply(List.of(
                Map.of("x", Ember.tensor(1), "ok", true), Map.of("x", Ember.tensor(2), "ok", false)));
        assertEquals(DType.BOOL, ((Tensor) m.get("ok")).dtype());
        assertArrayEquals(new int[] {2, 1}, ((Tensor) m.get("x")).shape());
    }

    @Test
    void numbersAndLists() {
        assertArrayEquals(new long[] {1, 2}, Collate.<Integer>numbers().apply(List.of(1, 2)).toLongArray());
        Tensor f = Collate.<Number>numbers().apply(List.of(1, 2.5));
        assertEquals(DType.FLOAT64, f.dtype());
        assertEquals(List.of("a", "b"), Collate.<String>toList().apply(List.of("a", "b")));
    }

    @Test
    void mismatchesAreNamed() {
        var fn = Collate.<TensorTuple>defaultCollate();
        assertThrowsWith(ShapeException.class, () -> fn.apply(List.of(new TensorTuple(Ember.zeros(2), Ember.zeros(1)),
                        new TensorTuple(Ember.zeros(2), Ember.zeros(3)))),
                "position 1 of sample 0 has shape [1] and position 1 of sample 1 has shape [3]");
        assertThrowsWith(ShapeException.class, () -> fn.apply(List.of(new TensorTuple(Ember.zeros(2)),
                new TensorTuple(Ember.zeros(2), Ember.zeros(2)))), "TensorTuple of 1 tensors and sample 1 one of 2");
        assertThrowsWith(DTypeException.class, () -> Collate.<Tensor>defaultCollate().apply(List.of(Ember.zeros(2),
                Ember.zeros(DType.FLOAT64, 2))), "sample 0 is float32 but sample 1 is float64");
        assertThrowsWith(EmberException.class, () -> Collate.<Object>defaultCollate().apply(List.of(Ember.zeros(1),
                "x")), "sample 0 of the batch is a dev.ember.Tensor but sample 1 is a java.lang.String");
        assertThrowsWith(EmberException.class, () -> Collate.<String>defaultCollate().apply(List.of("a", "b")),
                "cannot batch values of type java.lang.String", "DataLoader.Builder.collate");
        assertThrowsWith(EmberException.class, () -> Collate.<WithInt>defaultCollate().apply(List.of(
                new WithInt(Ember.zeros(1), 1), new WithInt(Ember.zeros(1), 2))),
                "component 'label' of record WithInt is a int", "declare it as Tensor");
        assertThrowsWith(EmberException.class, () -> Collate.<Tensor>defaultCollate().apply(List.of()),
                "empty batch");
        java.util.List<Tensor> withNull = new java.util.ArrayList<>();
        withNull.add(Ember.zeros(1));
        withNull.add(null);
        assertThrowsWith(EmberException.class, () -> Collate.<Tensor>defaultCollate().apply(withNull),
                "sample 1 of the batch is null");
    }
}
