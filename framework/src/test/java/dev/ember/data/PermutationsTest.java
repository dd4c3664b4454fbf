package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

/** torch.randperm's CPU algorithm; expected values from pytorch_reference.py (PyTorch 1.13). */
class PermutationsTest {

    @Test
    void smallPermutationsEqualPyTorch() {
        assertArrayEquals(new int[0], Permutations.randperm(0, new Generator(0)));
        assertArrayEquals(new int[] {0}, Permutations.randperm(1, new Generator(0)));
        assertArrayEquals(new int[] {0, 1}, Permutations.randperm(2, new Generator(0)));
        assertArrayEquals(new int[] {4, 0, 1, 3, 2}, Permutations.randperm(5, new Generator(0)));
        assertArrayEquals(new int[] {4, 1, 7, 5, 3, 9, 0, 8, 6, 2}, Permutations.randperm(10, new Generator(0)));
        assertArrayEquals(new int[] {2, 9, 14, 15, 16, 7, 8, 5, 19, 0, 11, 18, 10, 17, 12, 6, 1, 13, 3, 4},
                Permutations.randperm(20, new Generator(123)));
    }

    @Test
    void largePermutationEqualsPyTorch() {
        int[] p = Permutations.randperm(60000, new Generator(1));
        assertArrayEquals(new int[] {35845, 27522, 33254, 23645, 11299, 16178, 58355, 27002}, Arrays.copyOf(p, 8));
        long weighted = 0;
        for (int i = 0; i < p.length; i++) {
            weighted += (long) (i + 1) * p[i];
        }
        assertEquals(54053341573727L, weighted);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void globalGeneratorStreamContinuesAsInPyTorch() {
        Ember.manualSeed(0);
        assertArrayEquals(new int[] {4, 1, 7, 5, 3, 9, 0, 8, 6, 2}, Permutations.randperm(10));
        // torch.manual_seed(0); torch.randperm(10); torch.randn(3)
        assertArrayEquals(new double[] {0.6472479701042175, 0.24900221824645996, -0.33539512753486633},
                Ember.randn(3).toDoubleArray(), 1e-7);
    }

    @Test
    void consumesNMinusOneDraws() {
        Generator a = new Generator(3);
        Generator b = new Generator(3);
        Permutations.randperm(17, a);
        for (int i = 0; i < 16; i++) {
            b.random();
        }
        assertEquals(b.random(), a.random());
    }

    @Test
    void tensorForm() {
        Tensor t = Permutations.randpermTensor(5, new Generator(0));
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(new long[] {4, 0, 1, 3, 2}, t.toLongArray());
    }

    @Test
    void negativeSizeIsRejected() {
        assertThrowsWith(EmberException.class, () -> Permutations.randperm(-1, new Generator(0)),
                "randperm", "non-negative", "-1");
    }
}
