package dev.ember.kernels.random;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A pseudo-random generator with the semantics of PyTorch 1.13's CPU generator ({@code at::CPUGeneratorImpl}): an
 * MT19937 engine, 32- and 64-bit draws, and the cached second Box-Muller sample of the scalar normal sampler. With
 * the same seed, {@link RandomFill} draws from it exactly the streams PyTorch draws.
 *
 * <pre>{@code
 * Generator g = new Generator(0);            // like torch.Generator().manual_seed(0)
 * float[] x = new float[3];
 * RandomFill.normal(g, x, 0, 3, 0.0, 1.0);   // [1.5410, -0.2934, -2.1788], as torch.randn(3) after manual_seed(0)
 * Generator.State saved = g.getState();
 * RandomFill.normal(g, x, 0, 3, 0.0, 1.0);
 * g.setState(saved);                          // the next draws repeat
 * }</pre>
 *
 * <p>All public methods are {@code synchronized} on the generator, and {@link RandomFill} holds that lock for a whole
 * fill, as PyTorch holds its generator's mutex, so concurrent fills each get a contiguous part of the stream.
 */
public final class Generator {

    /** The seed of a generator created without one: PyTorch's {@code default_rng_seed_val}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(freshSeed());

    private Mt19937 engine;
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;

    /** A generator seeded with {@link #DEFAULT_SEED}, like {@code torch.Generator()}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    /** A generator seeded with {@code seed}, like {@code torch.Generator().manual_seed(seed)}. */
    public Generator(long seed) {
        this.engine = new Mt19937(seed);
    }

    /**
     * The process-wide default generator (PyTorch's {@code default_generator}), used when no generator is given. It
     * starts from a non-deterministic seed; {@link #manualSeed(long)} on it makes what follows reproducible.
     */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /**
     * A fresh non-deterministic seed, 53 bits wide as PyTorch's {@code getNonDeterministicRandom()} makes it so that it
     * survives a round trip through a double.
     */
    static long freshSeed() {
        long mixed = System.nanoTime() ^ (System.currentTimeMillis() << 20) ^ System.identityHashCode(new Object());
        // SplitMix64 finaliser, to spread the clock's low-entropy bits over the whole word.
        mixed = (mixed ^ (mixed >>> 30)) * 0xbf58476d1ce4e5b9L;
        mixed = (mixed ^ (mixed >>> 27)) * 0x94d049bb133111ebL;
        mixed ^= mixed >>> 31;
        return mixed & 0x1FFFFFFFFFFFFFL;
    }

    /**
     * Re-seeds the engine and clears both cached normal samples, as {@code torch.manual_seed(seed)} /
     * {@code Generator.manual_seed(seed)} does. A negative {@code seed} stands for the unsigned 64-bit value with the
     * same bits (PyTorch accepts seeds in [-2^63, 2^64)); only the low 32 bits reach the engine.
     *
     * @return this generator
     */
    public synchronized Generator manualSeed(long seed) {
        engine = new Mt19937(seed);
        hasNextFloatNormal = false;
        hasNextDoubleNormal = false;
        return this;
    }

    /**
     * Re-seeds from a fresh non-deterministic seed and returns it, like {@code Generator.seed()}.
     */
    public synchronized long seed() {
        long s = freshSeed();
        manualSeed(s);
        return s;
    }

    /**
     * The seed last given (PyTorch's {@code initial_seed()}), as the bits of an unsigned 64-bit value: use
     * {@link Long#toUnsignedString(long)} to print it the way PyTorch does.
     */
    public synchronized long initialSeed() {
        return engine.seed();
    }

    /** The next 32-bit draw, as an unsigned value in [0, 2^32) (PyTorch's {@code random()}). */
    public synchronized long random() {
        return Integer.toUnsignedLong(engine.nextInt());
    }

    /**
     * The next 64-bit draw, made of two 32-bit draws with the first in the high half (PyTorch's {@code random64()}).
     * The value is the bits of an unsigned 64-bit integer.
     */
    public synchronized long random64() {
        return nextLong64();
    }

    /** The cached second sample of the scalar float normal sampler, if any. */
    public synchronized Optional<Float> nextFloatNormalSample() {
        return hasNextFloatNormal ? Optional.of(nextFloatNormal) : Optional.empty();
    }

    /** Sets or (with an empty value) clears the cached float normal sample. */
    public synchronized void setNextFloatNormalSample(Optional<Float> sample) {
        Objects.requireNonNull(sample, "sample must be Optional.empty() rather than null");
        hasNextFloatNormal = sample.isPresent();
        nextFloatNormal = sample.orElse(0.0f);
    }

    /**
     * The cached second sample of the scalar double normal sampler, if any. PyTorch's normal_ uses it for every
     * tensor it fills one element at a time (float tensors with fewer than 16 elements, and all double tensors with
     * fewer than 16 elements).
     */
    public synchronized OptionalDouble nextDoubleNormalSample() {
        return hasNextDoubleNormal ? OptionalDouble.of(nextDoubleNormal) : OptionalDouble.empty();
    }

    /** Sets or (with an empty value) clears the cached double normal sample. */
    public synchronized void setNextDoubleNormalSample(OptionalDouble sample) {
        Objects.requireNonNull(sample, "sample must be OptionalDouble.empty() rather than null");
        hasNextDoubleNormal = sample.isPresent();
        nextDoubleNormal = sample.orElse(0.0);
    }

    /** A deep copy of the whole state: engine, seed and both cached normal samples. */
    public synchronized State getState() {
        return new State(engine.seed(), engine.stateWords(), engine.left(), engine.next(),
                hasNextFloatNormal ? Optional.of(nextFloatNormal) : Optional.empty(),
                hasNextDoubleNormal ? OptionalDouble.of(nextDoubleNormal) : OptionalDouble.empty());
    }

    /**
     * Restores a state taken with {@link #getState()} (from this or any generator); the draws that follow are those
     * that followed the snapshot.
     */
    public synchronized void setState(State state) {
        Objects.requireNonNull(state, "state must not be null; take one with Generator.getState()");
        engine = new Mt19937(state.seed(), state.words, state.left(), state.next());
        hasNextFloatNormal = state.nextFloatNormalSample().isPresent();
        nextFloatNormal = state.nextFloatNormalSample().orElse(0.0f);
        hasNextDoubleNormal = state.nextDoubleNormalSample().isPresent();
        nextDoubleNormal = state.nextDoubleNormalSample().orElse(0.0);
    }

    @Override
    public synchronized String toString() {
        return "Generator(initialSeed=" + Long.toUnsignedString(engine.seed()) + ")";
    }

    // ---- unsynchronised draws for RandomFill, which holds the lock for the whole fill ----

    /** The next 32-bit draw as int bits. The caller must hold this generator's lock. */
    int nextInt32() {
        return engine.nextInt();
    }

    /** The next 64-bit draw (first 32-bit draw in the high half). The caller must hold this generator's lock. */
    long nextLong64() {
        long hi = Integer.toUnsignedLong(engine.nextInt());
        long lo = Integer.toUnsignedLong(engine.nextInt());
        return (hi << 32) | lo;
    }

    boolean hasNextDoubleNormal() {
        return hasNextDoubleNormal;
    }

    /** Takes (and clears) the cached double normal sample. The caller must hold the lock and have checked it. */
    double takeNextDoubleNormal() {
        hasNextDoubleNormal = false;
        return nextDoubleNormal;
    }

    void putNextDoubleNormal(double sample) {
        hasNextDoubleNormal = true;
        nextDoubleNormal = sample;
    }

    /**
     * An immutable snapshot of a {@link Generator}: the 64-bit initial seed, the 624 MT19937 state words, the engine's
     * position ({@code left}, {@code next}, counted as PyTorch counts them) and the cached normal samples. The words
     * are copied in and out, so a snapshot never changes.
     *
     * <pre>{@code
     * Generator.State s = g.getState();
     * long[] a = new long[4];
     * RandomFill.randint(g, a, 0, 4, 0, 10);
     * g.setState(s);                             // the same four integers come again
     * }</pre>
     *
     * @param seed                  the initial seed (unsigned 64-bit bits)
     * @param words                 the 624 state words (copied)
     * @param left                  draws left before the state is regenerated, 1..624
     * @param next                  index of the next word to temper, 0..624
     * @param nextFloatNormalSample the cached float normal sample, if any
     * @param nextDoubleNormalSample the cached double normal sample, if any
     */
    public record State(long seed, int[] words, int left, int next, Optional<Float> nextFloatNormalSample,
                        OptionalDouble nextDoubleNormalSample) {

        /** Validates and deep-copies the words. */
        public State {
            if (words == null || words.length != Mt19937.STATE_SIZE) {
                throw new IllegalArgumentException("a generator state needs exactly " + Mt19937.STATE_SIZE
                        + " MT19937 words, but got " + (words == null ? "null" : String.valueOf(words.length))
                        + "; take the state from Generator.getState()");
            }
            if (left < 1 || left > Mt19937.STATE_SIZE || next < 0 || next > Mt19937.STATE_SIZE) {
                throw new IllegalArgumentException("a generator state needs 1 <= left <= " + Mt19937.STATE_SIZE
                        + " and 0 <= next <= " + Mt19937.STATE_SIZE + ", but got left=" + left + ", next=" + next
                        + "; take the state from Generator.getState()");
            }
            Objects.requireNonNull(nextFloatNormalSample, "nextFloatNormalSample must be Optional.empty(), not null");
            Objects.requireNonNull(nextDoubleNormalSample,
                    "nextDoubleNormalSample must be OptionalDouble.empty(), not null");
            words = words.clone();
        }

        /** A copy of the 624 MT19937 state words. */
        @Override
        public int[] words() {
            return words.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && seed == s.seed && left == s.left && next == s.next
                    && Arrays.equals(words, s.words) && nextFloatNormalSample.equals(s.nextFloatNormalSample)
                    && sameDouble(nextDoubleNormalSample, s.nextDoubleNormalSample);
        }

        private static boolean sameDouble(OptionalDouble a, OptionalDouble b) {
            if (a.isPresent() != b.isPresent()) {
                return false;
            }
            return !a.isPresent()
                    || Double.doubleToRawLongBits(a.getAsDouble()) == Double.doubleToRawLongBits(b.getAsDouble());
        }

        @Override
        public int hashCode() {
            return Objects.hash(seed, left, next, Arrays.hashCode(words), nextFloatNormalSample,
                    nextDoubleNormalSample.isPresent()
                            ? Double.doubleToRawLongBits(nextDoubleNormalSample.getAsDouble()) : 0L);
        }

        @Override
        public String toString() {
            return "Generator.State(seed=" + Long.toUnsignedString(seed) + ", left=" + left + ", next=" + next
                    + ", nextFloatNormalSample=" + nextFloatNormalSample + ", nextDoubleNormalSample="
                    + nextDoubleNormalSample + ")";
        }
    }
}
