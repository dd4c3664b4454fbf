package dev.ember.kernels.random;

import java.util.Arrays;

/**
 * The 32-bit Mersenne Twister (MT19937) engine, bit-compatible with {@code std::mt19937} and with PyTorch's
 * {@code at::mt19937}, which is what PyTorch's CPU generator draws from.
 *
 * <pre>{@code
 * Mt19937 mt = new Mt19937(5489);
 * int first = mt.nextInt();                  // 3499211612 as an unsigned 32-bit value
 * long asUnsigned = Integer.toUnsignedLong(first);
 * }</pre>
 *
 * <p>The seed is 64 bits wide, as in PyTorch, but only its low 32 bits enter the state, so seeds that differ only
 * in their high 32 bits give the same stream; {@link #seed()} still reports the full 64-bit value.
 *
 * <p>The engine is not thread-safe; {@link Generator} guards it.
 */
public final class Mt19937 {

    /** Number of 32-bit words of state (n). */
    public static final int STATE_SIZE = 624;

    private static final int SHIFT = 397; // m
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[STATE_SIZE];
    private long seed;
    /** Draws left before the state must be regenerated, counted as PyTorch counts it (1 right after seeding). */
    private int left;
    /** Index of the next state word to temper. */
    private int next;

    /** An engine seeded with {@code seed}, exactly as {@code at::mt19937(seed)}. */
    public Mt19937(long seed) {
        setSeed(seed);
    }

    /** A copy of {@code other}: same state, independent afterwards. */
    public Mt19937(Mt19937 other) {
        System.arraycopy(other.state, 0, state, 0, STATE_SIZE);
        this.seed = other.seed;
        this.left = other.left;
        this.next = other.next;
    }

    /**
     * Restores an engine from a snapshot taken with {@link #stateWords()}, {@link #left()} and {@link #next()}.
     *
     * @throws IllegalArgumentException if the words are not {@value #STATE_SIZE} or the counters are out of range
     */
    Mt19937(long seed, int[] words, int left, int next) {
        if (words == null || words.length != STATE_SIZE) {
            throw new IllegalArgumentException("an MT19937 state needs exactly " + STATE_SIZE + " words, but got "
                    + (words == null ? "null" : String.valueOf(words.length))
                    + "; take the state from Generator.getState() instead of building it by hand");
        }
        if (left < 1 || left > STATE_SIZE || next < 0 || next > STATE_SIZE) {
            throw new IllegalArgumentException("an MT19937 state needs 1 <= left <= " + STATE_SIZE + " and 0 <= next <= "
                    + STATE_SIZE + ", but got left=" + left + ", next=" + next
                    + "; take the state from Generator.getState() instead of building it by hand");
        }
        System.arraycopy(words, 0, state, 0, STATE_SIZE);
        this.seed = seed;
        this.left = left;
        this.next = next;
    }

    private void setSeed(long seed) {
        this.seed = seed;
        state[0] = (int) seed; // only the low 32 bits, as at::mt19937 does
        for (int j = 1; j < STATE_SIZE; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j; // arithmetic mod 2^32
        }
        left = 1;
        next = 0;
    }

    /** The 64-bit seed this engine was created with (what {@code torch.initial_seed()} reports). */
    public long seed() {
        return seed;
    }

    /** The next 32-bit output as an {@code int} holding the unsigned value's bits. */
    public int nextInt() {
        if (--left == 0) {
            regenerate();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** The next 32-bit output as an unsigned value in [0, 2^32). */
    public long nextUnsignedInt() {
        return Integer.toUnsignedLong(nextInt());
    }

    private static int twist(int u, int v) {
        int mixed = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (mixed >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    private void regenerate() {
        left = STATE_SIZE;
        next = 0;
        int k = 0;
        for (; k < STATE_SIZE - SHIFT; k++) {
            state[k] = state[k + SHIFT] ^ twist(state[k], state[k + 1]);
        }
        for (; k < STATE_SIZE - 1; k++) {
            state[k] = state[k + SHIFT - STATE_SIZE] ^ twist(state[k], state[k + 1]);
        }
        state[k] = state[k + SHIFT - STATE_SIZE] ^ twist(state[k], state[0]);
    }

    /** A copy of the 624 state words. */
    int[] stateWords() {
        return Arrays.copyOf(state, STATE_SIZE);
    }

    int left() {
        return left;
    }

    int next() {
        return next;
    }
}
