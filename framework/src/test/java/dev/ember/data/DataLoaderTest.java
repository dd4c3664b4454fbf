package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The loader's batches, epochs and random draws. The PyTorch values come from pytorch_reference.py (PyTorch 1.13),
 * e.g. {@code torch.manual_seed(0); [b.tolist() for b in DataLoader(list(range(10)), batch_size=3, shuffle=True)]}.
 */
class DataLoaderTest {

    private static Dataset<Integer> range(int n) {
        return Dataset.of(IntStream.range(0, n).boxed().toList());
    }

    private static List<List<Integer>> epoch(Iterable<List<Integer>> loader) {
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> b : loader) {
            out.add(b);
        }
        return out;
    }

    private static DataLoader.Builder<Integer, List<Integer>> listLoader(int n) {
        return DataLoader.builder(range(n)).collate(Collate.toList());
    }

    // ---- equality with PyTorch --------------------------------------------------------------------------------

    @Test
    void shuffleFromTheGlobalGeneratorEqualsPyTorch() {
        Ember.manualSeed(0);
        var loader = listLoader(10).batchSize(3).shuffle(true).build();
        assertEquals(List.of(List.of(6, 7, 1), List.of(4, 2, 0), List.of(9, 8, 3), List.of(5)), epoch(loader));
        // the global generator is left where PyTorch leaves it
        assertArrayEquals(new double[] {-2.1787893772125244, 0.5684312582015991}, Ember.randn(2).toDoubleArray(), 1e-7);
    }

    @Test
    void unshuffledEpochStillDrawsPyTorchsBaseSeed() {
        Ember.manualSeed(0);
        var loader = listLoader(10).batchSize(3).build();
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)), epoch(loader));
        assertArrayEquals(new double[] {-0.29050925374031067, -1.0703703165054321}, Ember.randn(2).toDoubleArray(),
                1e-7);
    }

    @Test
    void twoEpochsFromTheGlobalGeneratorEqualPyTorch() {
        Ember.manualSeed(3);
        var loader = listLoader(7).batchSize(2).shuffle(true).build();
        assertEquals(List.of(List.of(3, 2), List.of(5, 4), List.of(1, 0), List.of(6)), epoch(loader));
        assertEquals(List.of(List.of(3, 1), List.of(6, 0), List.of(2, 4), List.of(5)), epoch(loader));
        assertArrayEquals(new double[] {0.04618244990706444, -1.3682591915130615}, Ember.randn(2).toDoubleArray(),
                1e-7);
    }

    @Test
    void seededLoaderEqualsPyTorchWithItsOwnGeneratorEpochAfterEpoch() {
        var loader = listLoader(10).batchSize(4).shuffle(true).seed(5).build();
        assertEquals(List.of(List.of(7, 4, 8, 1), List.of(2, 3, 6, 5), List.of(9, 0)), epoch(loader));
        assertEquals(List.of(List.of(2, 1, 6, 3), List.of(5, 9, 4, 7), List.of(8, 0)), epoch(loader));
        assertEquals(List.of(List.of(4, 3, 2, 7), List.of(9, 1, 6, 8), List.of(5, 0)), epoch(loader));
    }

    @Test
    void dropLastEqualsPyTorch() {
        var loader = listLoader(10).batchSize(4).shuffle(true).dropLast(true).generator(new Generator(7)).build();
        assertEquals(2, loader.size());
        assertEquals(List.of(List.of(1, 3, 5, 7), List.of(9, 4, 6, 2)), epoch(loader));
        assertEquals(List.of(List.of(5, 1, 6, 0), List.of(9, 7, 8, 4)), epoch(loader));
        assertEquals(List.of(List.of(4, 3, 2, 8), List.of(1, 0, 6, 5)), epoch(loader));
    }

    @Test
    void divisibleSizeEqualsPyTorch() {
        var loader = listLoader(8).batchSize(4).shuffle(true).seed(9).build();
        assertEquals(List.of(List.of(6, 5, 4, 0), List.of(7, 3, 2, 1)), epoch(loader));
        assertEquals(List.of(List.of(3, 7, 0, 2), List.of(4, 5, 6, 1)), epoch(loader));
        assertEquals(List.of(List.of(4, 3, 2, 6), List.of(5, 7, 0, 1)), epoch(loader));
    }

    @Test
    void anEpochLeftEarlyDrawsWhatPyTorchDraws() {
        // PyTorch: iter(dl); next(it); del it  -> the next epoch differs from the one after a full epoch
        var loader = listLoader(10).batchSize(4).shuffle(true).seed(5).build();
        try (var e = loader.iterator()) {
            assertEquals(List.of(7, 4, 8, 1), e.next());
        }
        assertEquals(List.of(List.of(2, 1, 0, 7), List.of(4, 3, 5, 6), List.of(9, 8)), epoch(loader));

        // stopping right after the partial last batch has already exhausted the sampler, as in PyTorch
        var loader2 = listLoader(10).batchSize(4).shuffle(true).seed(5).build();
        var e2 = loader2.iterator();
        e2.next();
        e2.next();
        assertEquals(List.of(9, 0), e2.next());
        assertEquals(List.of(List.of(2, 1, 6, 3), List.of(5, 9, 4, 7), List.of(8, 0)), epoch(loader2));
    }

    @Test
    void unshuffledLoaderWithItsOwnGeneratorDrawsOnlyTheBaseSeed() {
        Generator g = new Generator(11);
        var loader = listLoader(6).batchSize(3).generator(g).build();
        epoch(loader);
        float[] next = new float[2];
        dev.ember.kernels.random.RandomFill.normal(g, next, 0, 2, 0, 1);
        assertArrayEquals(new float[] {1.121143102645874f, -0.9847661256790161f}, next, 1e-7f);
    }

    @Test
    void baseSeedIsPyTorchsRandomInt64() {
        Ember.manualSeed(0);
        try (var e = listLoader(3).build().iterator()) {
            assertEquals(900450186894289455L, e.baseSeed()); // torch.empty((), dtype=torch.int64).random_()
        }
    }

    // ---- batches, collate and the epoch contract --------------------------------------------------------------

    @Test
    void tensorDatasetBatchesAreStackedRows() {
        Tensor x = Ember.arange(20).to(DType.FLOAT32).reshape(10, 2);
        Tensor y = Ember.arange(10);
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(4).build();
        assertEquals(3, loader.size());
        List<TensorTuple> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {4, 2}, batches.get(0).input().shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, batches.get(0).input().toFloatArray());
        assertArrayEquals(new long[] {8, 9}, batches.get(2).target().toLongArray());
        assertArrayEquals(new int[] {2, 2}, batches.get(2).input().shape());
    }

    @Test
    void fastPathThroughSubsetsEqualsPerSampleCollate() {
        Tensor x = Ember.randn(12, 3);
        Tensor y = Ember.arange(12);
        TensorDataset ds = new TensorDataset(x, y);
        Subset<TensorTuple> sub = new Subset<>(new Subset<>(ds, new int[] {11, 3, 5, 7, 1, 0, 2}), new int[] {6, 0, 2, 4});
        var fast = DataLoader.builder(sub).batchSize(4).build();
        // the same loader through a mapped view cannot use the fast path
        var slow = DataLoader.builder(sub.map(s -> s)).batchSize(4).build();
        TensorTuple a = fast.iterator().next();
        TensorTuple b = slow.iterator().next();
        assertArrayEquals(new long[] {2, 11, 5, 1}, a.target().toLongArray());
        assertArrayEquals(b.input().toFloatArray(), a.input().toFloatArray());
        assertArrayEquals(b.target().toLongArray(), a.target().toLongArray());
    }

    record Example(Tensor image, Tensor label) {
    }

    @Test
    void recordsAreCollatedFieldByField() {
        Dataset<Example> ds = new Dataset<>() {
            public int size() {
                return 5;
            }

            public Example get(int i) {
                return new Example(Ember.full(new int[] {2, 2}, i), Ember.scalar(DType.INT64, i % 2));
            }
        };
        var loader = DataLoader.builder(ds).batchSize(3).build();
        Example first = loader.iterator().next();
        assertArrayEquals(new int[] {3, 2, 2}, first.image().shape());
        assertArrayEquals(new long[] {0, 1, 0}, first.label().toLongArray());
    }

    @Test
    void customCollateChangesTheBatchType() {
        var loader = DataLoader.builder(range(5)).batchSize(2).collate(Collate.numbers()).build();
        List<Tensor> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertEquals(DType.INT64, batches.get(0).dtype());
        assertArrayEquals(new long[] {4}, batches.get(2).toLongArray());
        var sums = DataLoader.builder(range(5)).batchSize(5)
                .collate(samples -> samples.stream().mapToInt(Integer::intValue).sum()).build();
        assertEquals(10, sums.iterator().next());
    }

    @Test
    void eachIterationIsANewEpochAndAFinishedEpochStaysFinished() {
        var loader = listLoader(5).batchSize(2).shuffle(true).seed(1).build();
        var e1 = loader.iterator();
        var e2 = loader.iterator();
        List<Integer> seen = new ArrayList<>();
        while (e1.hasNext()) {
            seen.addAll(e1.next());
        }
        assertEquals(5, seen.size());
        assertEquals(List.of(0, 1, 2, 3, 4), seen.stream().sorted().toList());
        assertFalse(e1.hasNext());
        assertThrowsWith(NoSuchElementException.class, e1::next, "epoch has ended after 3 batches",
                "loop over the loader again");
        assertTrue(e2.hasNext()); // an epoch started before is independent
        assertNotEquals(epoch(loader), List.of()); // and a new loop is a new epoch
    }

    @Test
    void seededLoadersAreReproducibleAndIndependentOfTheGlobalGenerator() {
        var a = listLoader(50).batchSize(7).shuffle(true).seed(42).build();
        var b = listLoader(50).batchSize(7).shuffle(true).seed(42).build();
        Ember.manualSeed(1);
        List<List<Integer>> ea = epoch(a);
        Ember.manualSeed(2);
        List<List<Integer>> eb = epoch(b);
        assertEquals(ea, eb);
        assertEquals(epoch(a), epoch(b));
        Ember.manualSeed(9);
        double before = Ember.randn(1).item();
        Ember.manualSeed(9);
        epoch(a);
        assertEquals(before, Ember.randn(1).item(), 0.0, "a seeded loader never draws from the global generator");
    }

    @Test
    void closingAnEpochEndsIt() {
        var loader = listLoader(10).batchSize(2).build();
        var e = loader.iterator();
        e.next();
        e.close();
        assertFalse(e.hasNext());
    }

    // ---- prefetch ---------------------------------------------------------------------------------------------

    @Test
    void prefetchGivesTheSameBatchesInTheSameOrder() {
        Tensor x = Ember.randn(103, 4);
        Tensor y = Ember.arange(103);
        TensorDataset ds = new TensorDataset(x, y);
        var plain = DataLoader.builder(ds.map(s -> s)).batchSize(10).shuffle(true).seed(3).build();
        var pre = DataLoader.builder(ds.map(s -> s)).batchSize(10).shuffle(true).seed(3).prefetch(3).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            var ia = plain.iterator();
            var ib = pre.iterator();
            int n = 0;
            while (ia.hasNext()) {
                assertTrue(ib.hasNext());
                TensorTuple a = ia.next();
                TensorTuple b = ib.next();
                assertArrayEquals(a.target().toLongArray(), b.target().toLongArray());
                assertArrayEquals(a.input().toFloatArray(), b.input().toFloatArray());
                n++;
            }
            assertFalse(ib.hasNext());
            assertEquals(11, n);
        }
    }

    @Test
    void prefetchRunsOnAnotherThreadWithoutRecording() {
        Tensor x = Ember.randn(6, 2).requiresGrad_();
        AtomicInteger otherThread = new AtomicInteger();
        Thread caller = Thread.currentThread();
        Dataset<TensorTuple> ds = new TensorDataset(x).map(s -> {
            if (Thread.currentThread() != caller) {
                otherThread.incrementAndGet();
            }
            return s;
        });
        var loader = DataLoader.builder(ds).batchSize(3).prefetch(1).build();
        for (TensorTuple b : loader) {
            assertFalse(b.input().requiresGrad(), "batches made by the prefetch thread carry no graph");
        }
        assertEquals(6, otherThread.get());
    }

    @Test
    void prefetchRethrowsTheDatasetsErrorAtTheFailingBatch() {
        Dataset<Tensor> ds = range(10).map(i -> {
            if (i == 7) {
                throw new EmberException("broken sample " + i);
            }
            return Ember.scalar(i);
        });
        for (int prefetch : new int[] {0, 2}) {
            var loader = DataLoader.builder(ds).batchSize(3).prefetch(prefetch).build();
            var e = loader.iterator();
            e.next();
            e.next();
            EmberException ex = assertThrows(EmberException.class, e::next);
            assertTrue(ex.getMessage().contains("batch 3 of 4 (dataset indices [6, 7, 8])"), ex.getMessage());
            assertTrue(ex.getMessage().contains("broken sample 7"), ex.getMessage());
        }
    }

    @Test
    void abandonedPrefetchThreadStopsOnClose() throws Exception {
        var loader = DataLoader.builder(range(1000).map(Ember::scalar)).batchSize(1).prefetch(2).build();
        var e = loader.iterator();
        e.next();
        e.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (prefetchThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, prefetchThreads());
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ember-data-prefetch") && t.isAlive()).count();
    }

    // ---- bad input --------------------------------------------------------------------------------------------

    @Test
    void badOptionsAreRejected() {
        assertThrowsWith(EmberException.class, () -> listLoader(3).batchSize(0),
                "batchSize should be a positive integer", "batchSize=0");
        assertThrowsWith(EmberException.class, () -> listLoader(3).prefetch(-1), "prefetch", "-1");
        assertThrowsWith(EmberException.class, () -> listLoader(0).shuffle(true).build(),
                "cannot shuffle an empty dataset");
        assertThrows(NullPointerException.class, () -> DataLoader.builder(null));
    }

    @Test
    void emptyDatasetGivesNoBatches() {
        var loader = listLoader(0).batchSize(4).build();
        assertEquals(0, loader.size());
        assertEquals(List.of(), epoch(loader));
    }

    @Test
    void mismatchedSamplesNameTheBatchAndTheSamples() {
        Dataset<Tensor> ds = range(4).map(i -> i == 2 ? Ember.zeros(3) : Ember.zeros(2));
        var loader = DataLoader.builder(ds).batchSize(4).build();
        ShapeException e = assertThrows(ShapeException.class, () -> loader.iterator().next());
        assertTrue(e.getMessage().contains("DataLoader: batch 1 of 1 (dataset indices [0, 1, 2, 3])"), e.getMessage());
        assertTrue(e.getMessage().contains("sample 0 has shape [2] and sample 2 has shape [3]"), e.getMessage());
    }

    @Test
    void defaultCollateRefusesPlainNumbersWithAHint() {
        var loader = DataLoader.builder(range(4)).batchSize(2).build();
        assertThrowsWith(EmberException.class, () -> loader.iterator().next(), "Collate.numbers()",
                "Collate.toList()");
    }

    @Test
    void nullFromCollateIsAnError() {
        var loader = listLoader(3).collate(s -> null).build();
        assertThrowsWith(EmberException.class, () -> loader.iterator().next(), "collate function returned null");
    }

    @Test
    void toStringShowsTheOptions() {
        var loader = listLoader(10).batchSize(3).shuffle(true).build();
        assertTrue(loader.toString().contains("batchSize=3, shuffle=true, dropLast=false, batches=4"),
                loader.toString());
        assertSame(loader.dataset(), loader.dataset());
    }
}
