package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

/** Dataset, TensorDataset, Subset, TensorTuple and randomSplit (PyTorch values from pytorch_reference.py). */
class DatasetsTest {

    private static Dataset<Integer> range(int n) {
        return Dataset.of(IntStream.range(0, n).boxed().toList());
    }

    private static List<int[]> indices(List<Subset<Integer>> parts) {
        return parts.stream().map(Subset::indices).toList();
    }

    // ---- randomSplit ------------------------------------------------------------------------------------------

    @Test
    void randomSplitByLengthsEqualsPyTorch() {
        List<Subset<Integer>> parts = Datasets.randomSplit(range(10), new Generator(42), 3, 7);
        assertArrayEquals(new int[] {2, 6, 1}, parts.get(0).indices());
        assertArrayEquals(new int[] {8, 4, 5, 0, 9, 3, 7}, parts.get(1).indices());
        assertEquals(6, parts.get(0).get(1));
        assertEquals(7, parts.get(1).size());
    }

    @Test
    void randomSplitByFractionsEqualsPyTorch() {
        List<int[]> p = indices(Datasets.randomSplit(range(30), new double[] {0.3, 0.3, 0.4}, new Generator(42)));
        assertArrayEquals(new int[] {12, 0, 6, 25, 8, 15, 10, 18, 16}, p.get(0));
        assertArrayEquals(new int[] {23, 28, 26, 20, 7, 21, 22, 29, 13}, p.get(1));
        assertArrayEquals(new int[] {14, 2, 4, 1, 9, 11, 17, 19, 27, 5, 24, 3}, p.get(2));
        List<int[]> q = indices(Datasets.randomSplit(range(11), new double[] {0.5, 0.5}, new Generator(1)));
        assertArrayEquals(new int[] {0, 10, 2, 3, 7, 6}, q.get(0));
        assertArrayEquals(new int[] {4, 8, 1, 9, 5}, q.get(1));
        // the remainder goes round robin from the first split
        assertArrayEquals(new int[] {4, 3, 3}, Datasets.lengthsOf(10, new double[] {0.33, 0.33, 0.34}));
    }

    @Test
    void randomSplitDrawsFromTheGlobalGeneratorByDefault() {
        Ember.manualSeed(4);
        List<int[]> p = indices(Datasets.randomSplit(range(6), 2, 4));
        assertArrayEquals(new int[] {4, 5}, p.get(0));
        assertArrayEquals(new int[] {1, 2, 3, 0}, p.get(1));
    }

    @Test
    void randomSplitRejectsBadLengthsAndFractions() {
        assertThrowsWith(EmberException.class, () -> Datasets.randomSplit(range(10), new Generator(0), 3, 6),
                "sum of input lengths does not equal the length of the input dataset", "[3, 6]", "add up to 9",
                "has 10 samples");
        assertThrowsWith(EmberException.class, () -> Datasets.randomSplit(range(10), new Generator(0), -1, 11),
                "length 0 is -1");
        assertThrowsWith(EmberException.class,
                () -> Datasets.randomSplit(range(10), new double[] {0.5, 0.4}, new Generator(0)),
                "add up to 0.9", "not 1");
        assertThrowsWith(EmberException.class,
                () -> Datasets.randomSplit(range(10), new double[] {1.5, -0.5}, new Generator(0)),
                "fraction at index 0 is not between 0 and 1");
        assertThrowsWith(EmberException.class, () -> Datasets.randomSplit(range(3), new Generator(0)),
                "at least one length");
    }

    // ---- TensorDataset, Subset, Dataset.of, TensorTuple -------------------------------------------------------

    @Test
    void tensorDatasetRowsAreViews() {
        Tensor x = Ember.arange(6).to(DType.FLOAT32).reshape(3, 2);
        Tensor y = Ember.fromArray(new long[] {7, 8, 9}, 3);
        TensorDataset ds = new TensorDataset(x, y);
        assertEquals(3, ds.size());
        TensorTuple s = ds.get(1);
        assertArrayEquals(new float[] {2, 3}, s.input().toFloatArray());
        assertEquals(8, (long) s.target().item());
        assertEquals(0, s.target().dim());
        TensorTuple b = ds.batch(new int[] {2, 0});
        assertArrayEquals(new float[] {4, 5, 0, 1}, b.input().toFloatArray());
        assertArrayEquals(new long[] {9, 7}, b.target().toLongArray());
        assertEquals("TensorDataset(size=3, float32[3, 2], int64[3])", ds.toString());
        assertEquals("TensorTuple(float32[2], int64[])", s.toString());
    }

    @Test
    void tensorDatasetRejectsMismatchedTensors() {
        assertThrowsWith(ShapeException.class, () -> new TensorDataset(Ember.zeros(100, 2), Ember.zeros(99)),
                "size mismatch between tensors", "tensor 0 has shape [100, 2] (100 samples)",
                "tensor 1 has shape [99] (99 samples)");
        assertThrowsWith(ShapeException.class, () -> new TensorDataset(Ember.scalar(1)), "tensor 0 is 0-d");
        assertThrowsWith(EmberException.class, TensorDataset::new, "at least one tensor");
        TensorDataset ds = new TensorDataset(Ember.zeros(3));
        assertThrowsWith(EmberException.class, () -> ds.get(3), "TensorDataset.get: index 3 is out of range for a "
                + "dataset of size 3; valid indices are 0..2");
        assertThrowsWith(EmberException.class, () -> ds.get(-1), "index -1 is out of range");
        assertThrowsWith(EmberException.class, () -> ds.batch(new int[] {0, 5}), "TensorDataset.batch: index 5");
    }

    @Test
    void subsetMapsIndicesAndChecksThem() {
        Subset<Integer> s = new Subset<>(range(5), new int[] {4, 2});
        assertEquals(2, s.size());
        assertEquals(4, s.get(0));
        assertEquals(2, s.sourceIndex(1));
        assertThrowsWith(EmberException.class, () -> s.get(2), "Subset.get: index 2 is out of range");
        assertThrowsWith(EmberException.class, () -> new Subset<>(range(5), new int[] {1, 5}),
                "indices[1] = 5 is out of range for a dataset of size 5");
    }

    @Test
    void datasetOfAndMap() {
        Dataset<String> words = Dataset.of(List.of("a", "bb", "ccc"));
        Dataset<Integer> lengths = words.map(String::length);
        assertEquals(3, lengths.size());
        assertEquals(2, lengths.get(1));
        assertThrowsWith(EmberException.class, () -> words.get(3), "Dataset.of: index 3 is out of range");
        assertThrowsWith(EmberException.class, () -> Dataset.of(List.of()).get(0), "the dataset is empty");
    }

    @Test
    void tensorTupleChecksPositions() {
        TensorTuple t = new TensorTuple(Ember.zeros(2));
        assertSame(t.get(0), t.input());
        assertThrowsWith(EmberException.class, t::target, "holds only 1 tensor", "new TensorDataset(x, y)");
        assertThrowsWith(EmberException.class, () -> t.get(1), "position 1 is out of range", "0..0");
        assertThrowsWith(EmberException.class, () -> new TensorTuple(List.of()), "at least one tensor");
        assertThrowsWith(EmberException.class, () -> new TensorTuple(Ember.zeros(1), null), "tensor 1 is null");
        assertTrue(new TensorTuple(Ember.zeros(1)).tensors().size() == 1);
    }
}
