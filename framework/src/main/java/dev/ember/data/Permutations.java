package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;

import java.util.Objects;

/**
 * Random permutations drawn exactly as PyTorch 1.13 draws {@code torch.randperm(n, generator=g)} on the CPU, so that
 * shuffles and splits seeded in Ember equal those seeded in PyTorch.
 *
 * <pre>{@code
 * int[] p = Permutations.randperm(10, new Generator(0));   // [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]
 * Ember.manualSeed(0);
 * int[] q = Permutations.randperm(10);                     // the same, from the global generator
 * }</pre>
 *
 * <p>The algorithm (ATen's {@code randperm_cpu}): start from {@code 0, 1, ..., n-1}; for {@code i} from 0 to
 * {@code n-2}, draw one 32-bit value {@code r} ({@code generator->random()}), let {@code z = r mod (n - i)} and swap
 * the elements at {@code i} and {@code i + z}. So a permutation of {@code n >= 1} elements consumes exactly
 * {@code n - 1} 32-bit draws.
 */
public final class Permutations {
    private Permutations() {
    }

    /** A random permutation of {@code 0..n-1} from {@code generator}: {@code torch.randperm(n, generator=g)}. */
    public static int[] randperm(int n, Generator generator) {
        Objects.requireNonNull(generator, "randperm: the generator must not be null; use Generator.defaultGenerator()");
        if (n < 0) {
            throw new EmberException("randperm: n must be non-negative, got " + n);
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        synchronized (generator) { // one contiguous run of the stream, as PyTorch holds the generator's mutex
            for (int i = 0; i < n - 1; i++) {
                int z = (int) (generator.random() % (n - i));
                int saved = r[i];
                r[i] = r[z + i];
                r[z + i] = saved;
            }
        }
        return r;
    }

    /** A random permutation from Ember's global generator: {@code torch.randperm(n)} after the same seed. */
    public static int[] randperm(int n) {
        return randperm(n, Generator.defaultGenerator());
    }

    /** {@link #randperm(int, Generator)} as an int64 tensor of shape {@code [n]}. */
    public static Tensor randpermTensor(int n, Generator generator) {
        int[] p = randperm(n, generator);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = p[i];
        }
        return Ember.fromArray(values, n);
    }
}
