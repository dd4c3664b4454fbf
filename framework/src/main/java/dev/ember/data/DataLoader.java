package dev.ember.data;

import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.kernels.random.Generator;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Batches of a {@link Dataset}, one epoch per iteration: PyTorch's {@code torch.utils.data.DataLoader} for map-style
 * datasets, in the main process, with optional prefetching on one background thread.
 *
 * <pre>{@code
 * TensorDataset ds = new TensorDataset(x, y);
 * DataLoader<TensorTuple, TensorTuple> loader = DataLoader.builder(ds)
 *         .batchSize(64).shuffle(true).seed(0)      // like generator=torch.Generator().manual_seed(0)
 *         .build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (TensorTuple batch : loader) {             // each loop over the loader is one epoch
 *         Tensor xb = batch.get(0), yb = batch.get(1);
 *         // ...
 *     }
 * }
 * }</pre>
 *
 * <h2>The epoch contract</h2>
 * Every call of {@link #iterator()} (so every {@code for} loop over the loader) starts a new epoch and returns an
 * {@link Epoch}: it yields {@link #size()} batches, each of {@code batchSize} samples except perhaps the last (dropped
 * with {@code dropLast}), and then ends. An epoch's order is fixed when it starts; epochs can run one after another or
 * side by side, each with its own order. A finished epoch stays finished: loop over the loader again for the next.
 *
 * <h2>Randomness, and equality with PyTorch</h2>
 * The loader draws from one generator: the one given ({@link Builder#generator}, or a new {@code Generator(seed)} with
 * {@link Builder#seed}), or else Ember's global generator ({@link Ember#manualSeed}) at the start of each epoch. It
 * draws exactly what PyTorch 1.13's single-process loader draws, from the same generator, so for the same seed the
 * batches are PyTorch's batches and the generator is left in PyTorch's state:
 * <ul>
 *   <li>at the start of every epoch, shuffled or not, one 64-bit draw (PyTorch's {@code _base_seed}, which it hands to
 *       worker processes; here only {@link Epoch#baseSeed()} reports it);</li>
 *   <li>with {@code shuffle} and no generator of its own: one more 64-bit draw from the global generator, the seed of a
 *       fresh private generator, and the permutation ({@link Permutations#randperm}) from that one (PyTorch's
 *       {@code RandomSampler}); so {@code Ember.manualSeed(s)} before the loop gives PyTorch's order after
 *       {@code torch.manual_seed(s)};</li>
 *   <li>with {@code shuffle} and a generator of its own: the permutation from that generator at the start of the epoch,
 *       and a second, unused permutation from it when the epoch has taken its last index (PyTorch's
 *       {@code RandomSampler} draws it because it asks for {@code randperm(n)[:0]}); so epoch after epoch the orders
 *       equal PyTorch's with {@code generator=torch.Generator().manual_seed(s)}.</li>
 * </ul>
 * PyTorch draws the permutation at the first {@code next()} rather than when the iterator is created; the results differ
 * only if code draws from the same generator in between. Both the global-generator and the own-generator cases are
 * tested against PyTorch.
 *
 * <h2>Prefetch</h2>
 * With {@link Builder#prefetch(int) prefetch(k)} a background daemon thread reads and collates up to {@code k} batches
 * ahead, in order, under {@link Ember#noGrad()}. Batches and their order are the same as without it (the indices are
 * drawn on the caller's thread), provided the dataset's {@code get} itself draws no random numbers. An exception in the
 * thread is rethrown by the {@code next()} that would have returned that batch. The thread stops at the end of the
 * epoch, on {@link Epoch#close()}, or when the epoch is garbage-collected; close epochs you abandon early
 * ({@code try (var epoch = loader.iterator()) { ... }}).
 *
 * @param <T> the sample type
 * @param <B> the batch type (what collate returns)
 */
public final class DataLoader<T, B> implements Iterable<B> {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

    private final Dataset<T> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final Function<List<T>, B> collate;
    private final int prefetch;

    private DataLoader(Builder<T, B> b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator != null ? b.generator : b.seed != null ? new Generator(b.seed) : null;
        this.collate = b.collate;
        this.prefetch = b.prefetch;
    }

    /** A builder for a loader over {@code dataset}: batch size 1, no shuffle, the default collate, no prefetch. */
    public static <T> Builder<T, T> builder(Dataset<T> dataset) {
        return new Builder<>(Objects.requireNonNull(dataset, "DataLoader: the dataset must not be null"),
                Collate.defaultCollate());
    }

    /** The dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** Samples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether each epoch draws a new order. */
    public boolean shuffle() {
        return shuffle;
    }

    /** Whether a smaller last batch is dropped. */
    public boolean dropLast() {
        return dropLast;
    }

    /** The number of batches in one epoch (PyTorch's {@code len(loader)}). */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Starts a new epoch (see the class description): draws its order now. */
    @Override
    public Epoch<B> iterator() {
        int n = dataset.size();
        Generator g = generator != null ? generator : Generator.defaultGenerator();
        long baseSeed = g.random64() & Long.MAX_VALUE; // PyTorch's _base_seed: random_() of an int64 scalar
        int[] order;
        Generator trailing = null;
        if (shuffle) {
            if (n == 0) {
                throw new EmberException("DataLoader: cannot shuffle an empty dataset (" + dataset + ")");
            }
            Generator sampler;
            if (generator == null) { // RandomSampler(generator=None): a private generator seeded from the global one
                sampler = new Generator(Generator.defaultGenerator().random64() & Long.MAX_VALUE);
            } else {
                sampler = generator;
                trailing = generator;
            }
            order = Permutations.randperm(n, sampler);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        Plan plan = new Plan(order, batchSize, dropLast, trailing);
        return prefetch > 0 ? new PrefetchEpoch<>(this, plan, baseSeed) : new DirectEpoch<>(this, plan, baseSeed);
    }

    @Override
    public String toString() {
        return "DataLoader(dataset=" + dataset + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", dropLast="
                + dropLast + ", batches=" + size() + (prefetch > 0 ? ", prefetch=" + prefetch : "") + ")";
    }

    // ---- fetching one batch -----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private B fetch(int[] indices, int batchNumber) {
        try {
            if (Collate.isDefault(collate)) {
                TensorTuple fast = fastBatch(dataset, indices);
                if (fast != null) {
                    return (B) fast;
                }
            }
            List<T> samples = new ArrayList<>(indices.length);
            for (int i : indices) {
                samples.add(dataset.get(i));
            }
            B batch = collate.apply(Collections.unmodifiableList(samples));
            if (batch == null) {
                throw new EmberException("the collate function returned null");
            }
            return batch;
        } catch (ShapeException e) {
            throw new ShapeException(context(indices, batchNumber) + e.getMessage(), e);
        } catch (DTypeException e) {
            throw new DTypeException(context(indices, batchNumber) + e.getMessage(), e);
        } catch (EmberException e) {
            throw new EmberException(context(indices, batchNumber) + e.getMessage(), e);
        }
    }

    private String context(int[] indices, int batchNumber) {
        String shown = indices.length <= 10 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 10)).replace("]", ", ...]");
        return "DataLoader: batch " + batchNumber + " of " + size() + " (dataset indices " + shown + "): ";
    }

    /** A TensorDataset (possibly under Subsets) with the default collate: one gather per tensor. */
    private static TensorTuple fastBatch(Dataset<?> ds, int[] indices) {
        int[] idx = indices;
        while (ds instanceof Subset<?> s) {
            int[] mapped = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                mapped[k] = s.sourceIndex(idx[k]);
            }
            idx = mapped;
            ds = s.dataset();
        }
        return ds instanceof TensorDataset td ? td.batch(idx) : null;
    }

    // ---- the epoch's index stream -----------------------------------------------------------------------------

    /** The order of one epoch cut into batches, replaying PyTorch's BatchSampler over its sampler index by index. */
    static final class Plan {
        private final int[] order;
        private final int batchSize;
        private final boolean dropLast;
        private final Generator trailing;
        private int pos;
        private boolean exhausted;

        Plan(int[] order, int batchSize, boolean dropLast, Generator trailing) {
            this.order = order;
            this.batchSize = batchSize;
            this.dropLast = dropLast;
            this.trailing = trailing;
        }

        /** The next batch's indices, or null at the end; asking past the last index draws the trailing permutation. */
        int[] next() {
            int[] buf = new int[batchSize];
            int k = 0;
            while (k < batchSize) {
                if (pos == order.length) {
                    if (!exhausted) {
                        exhausted = true;
                        if (trailing != null) {
                            Permutations.randperm(order.length, trailing);
                        }
                    }
                    break;
                }
                buf[k++] = order[pos++];
            }
            if (k == 0 || (dropLast && k < batchSize)) {
                return null;
            }
            return k == batchSize ? buf : Arrays.copyOf(buf, k);
        }

        /** All batches, computed without drawing anything (for the prefetch thread). */
        List<int[]> all() {
            Plan copy = new Plan(order, batchSize, dropLast, null);
            List<int[]> out = new ArrayList<>();
            for (int[] b = copy.next(); b != null; b = copy.next()) {
                out.add(b);
            }
            return out;
        }
    }

    // ---- epochs -----------------------------------------------------------------------------------------------

    /**
     * One pass over the loader: an iterator of batches that can be closed early (which stops the prefetch thread).
     *
     * <pre>{@code
     * try (DataLoader.Epoch<TensorTuple> epoch = loader.iterator()) {
     *     TensorTuple first = epoch.next();     // look at one batch, then stop
     * }
     * }</pre>
     *
     * @param <B> the batch type
     */
    public interface Epoch<B> extends Iterator<B>, AutoCloseable {
        /**
         * The 63-bit value drawn at the start of this epoch, PyTorch's {@code _base_seed} (the seed PyTorch gives
         * worker {@code i} is {@code baseSeed + i}); useful to seed per-epoch augmentation.
         */
        long baseSeed();

        /** Ends the epoch: stops the prefetch thread, if any; {@code hasNext()} is false afterwards. */
        @Override
        void close();
    }

    private abstract static class AbstractEpoch<T, B> implements Epoch<B> {
        final DataLoader<T, B> loader;
        final Plan plan;
        final long baseSeed;
        int[] pending;
        int served;
        boolean done;

        AbstractEpoch(DataLoader<T, B> loader, Plan plan, long baseSeed) {
            this.loader = loader;
            this.plan = plan;
            this.baseSeed = baseSeed;
        }

        @Override
        public long baseSeed() {
            return baseSeed;
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !done) {
                pending = plan.next();
                if (pending == null) {
                    done = true;
                    finished();
                }
            }
            return pending != null;
        }

        @Override
        public B next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: this epoch has ended after " + served + " batches"
                        + "; loop over the loader again (or call loader.iterator()) to start the next epoch");
            }
            int[] indices = pending;
            pending = null;
            served++;
            return produce(indices, served);
        }

        abstract B produce(int[] indices, int batchNumber);

        void finished() {
        }

        @Override
        public void close() {
            done = true;
            pending = null;
            finished();
        }
    }

    private static final class DirectEpoch<T, B> extends AbstractEpoch<T, B> {
        DirectEpoch(DataLoader<T, B> loader, Plan plan, long baseSeed) {
            super(loader, plan, baseSeed);
        }

        @Override
        B produce(int[] indices, int batchNumber) {
            return loader.fetch(indices, batchNumber);
        }
    }

    /** What the prefetch thread and the epoch share; holds no reference to the epoch, so the Cleaner can run. */
    private static final class Shared {
        final BlockingQueue<Object> queue;
        volatile boolean closed;
        Thread thread;

        Shared(int capacity) {
            queue = new ArrayBlockingQueue<>(capacity);
        }

        void shutdown() {
            closed = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            queue.clear();
        }
    }

    private record Failure(Throwable error) {
    }

    private static final class PrefetchEpoch<T, B> extends AbstractEpoch<T, B> {
        private final Shared shared;
        private final Cleaner.Cleanable cleanable;

        PrefetchEpoch(DataLoader<T, B> loader, Plan plan, long baseSeed) {
            super(loader, plan, baseSeed);
            this.shared = new Shared(loader.prefetch);
            List<int[]> batches = plan.all();
            Thread t = new Thread(new Worker<>(loader, batches, shared),
                    "ember-data-prefetch-" + THREAD_COUNTER.incrementAndGet());
            t.setDaemon(true);
            shared.thread = t;
            Shared s = shared;
            this.cleanable = CLEANER.register(this, s::shutdown);
            t.start();
        }

        @Override
        @SuppressWarnings("unchecked")
        B produce(int[] indices, int batchNumber) {
            Object item;
            try {
                item = shared.queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmberException("DataLoader: interrupted while waiting for batch " + batchNumber
                        + " from the prefetch thread", e);
            }
            if (item instanceof Failure f) {
                close();
                if (f.error() instanceof RuntimeException re) {
                    throw re;
                }
                if (f.error() instanceof Error err) {
                    throw err;
                }
                throw new EmberException("DataLoader: the prefetch thread failed on batch " + batchNumber + ": "
                        + f.error(), f.error());
            }
            return (B) item;
        }

        @Override
        void finished() {
            cleanable.clean();
        }
    }

    private static final class Worker<T, B> implements Runnable {
        private final DataLoader<T, B> loader;
        private final List<int[]> batches;
        private final Shared shared;

        Worker(DataLoader<T, B> loader, List<int[]> batches, Shared shared) {
            this.loader = loader;
            this.batches = batches;
            this.shared = shared;
        }

        @Override
        public void run() {
            try (var g = Ember.noGrad()) {
                for (int k = 0; k < batches.size() && !shared.closed; k++) {
                    Object item;
                    try {
                        item = loader.fetch(batches.get(k), k + 1);
                    } catch (RuntimeException | Error e) {
                        item = new Failure(e);
                    }
                    while (!shared.closed) {
                        if (shared.queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                            break;
                        }
                    }
                    if (item instanceof Failure) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // closed: the epoch no longer wants batches
            }
        }
    }

    // ---- builder ----------------------------------------------------------------------------------------------

    /**
     * Options of a {@link DataLoader} (PyTorch's keyword arguments); {@link #build()} checks them.
     *
     * <pre>{@code
     * DataLoader<TensorTuple, TensorTuple> loader = DataLoader.builder(ds)
     *         .batchSize(32).shuffle(true).seed(42).dropLast(true).prefetch(2).build();
     * }</pre>
     *
     * @param <T> the sample type
     * @param <B> the batch type
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;
        private Long seed;
        private int prefetch;

        private Builder(Dataset<T> dataset, Function<List<T>, B> collate) {
            this.dataset = dataset;
            this.collate = collate;
        }

        /** Samples per batch (default 1, as PyTorch). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new EmberException("DataLoader: batchSize should be a positive integer, but got batchSize="
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle at the start of every epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch if it is smaller than batchSize (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * The loader draws from its own {@code new Generator(seed)}, created by {@link #build()}: PyTorch's
         * {@code generator=torch.Generator().manual_seed(seed)}. Replaces an earlier {@link #generator}.
         */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            this.generator = null;
            return this;
        }

        /** The loader draws from this generator (shared, not copied). Replaces an earlier {@link #seed}. */
        public Builder<T, B> generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "DataLoader: the generator must not be null; leave it"
                    + " unset to draw from Ember's global generator");
            this.seed = null;
            return this;
        }

        /** Read and collate up to {@code batches} batches ahead on a background thread (default 0: off). */
        public Builder<T, B> prefetch(int batches) {
            if (batches < 0) {
                throw new EmberException("DataLoader: prefetch must be 0 (off) or a positive number of batches, got "
                        + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /**
         * How the samples of a batch become a batch (default: {@link Collate#defaultCollate()}). Returns a builder
         * with the new batch type and the other options kept.
         */
        @SuppressWarnings("unchecked")
        public <C> Builder<T, C> collate(Function<? super List<T>, ? extends C> collate) {
            Objects.requireNonNull(collate, "DataLoader: the collate function must not be null; "
                    + "use Collate.defaultCollate() for the default");
            Builder<T, C> b = new Builder<>(dataset, (Function<List<T>, C>) collate);
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.dropLast = dropLast;
            b.generator = generator;
            b.seed = seed;
            b.prefetch = prefetch;
            return b;
        }

        /** The loader. */
        public DataLoader<T, B> build() {
            if (shuffle && dataset.size() == 0) {
                throw new EmberException("DataLoader: cannot shuffle an empty dataset (" + dataset
                        + "); num_samples should be a positive integer value, but got num_samples=0");
            }
            return new DataLoader<>(this);
        }
    }
}
