package dev.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The embedded UCI digits; expected values from scikit-learn's load_digits() on the same file. */
class DigitsTest {

    @Test
    void equalsScikitLearnsLoadDigits() {
        SupervisedData d = Digits.load();
        assertArrayEquals(new int[] {1797, 64}, d.inputs().shape());
        assertEquals(DType.FLOAT32, d.inputs().dtype());
        assertArrayEquals(new int[] {1797}, d.targets().shape());
        assertEquals(DType.INT64, d.targets().dtype());
        float[] x = d.inputs().toFloatArray();
        assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0}, Arrays.copyOf(x, 16));
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        assertEquals(561718.0, sum);
        long[] y = d.targets().toLongArray();
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, Arrays.copyOf(y, 12));
        assertEquals(8, y[1796]);
        long[] counts = new long[10];
        for (long v : y) {
            counts[(int) v]++;
        }
        assertArrayEquals(new long[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts); // UCI's test set
    }

    @Test
    void imagesLayoutIsTheSameDataAs8x8() {
        SupervisedData flat = Digits.load();
        SupervisedData images = Digits.loadImages();
        assertArrayEquals(new int[] {1797, 1, 8, 8}, images.inputs().shape());
        assertArrayEquals(flat.inputs().toFloatArray(), images.inputs().toFloatArray());
        assertNotSame(flat.inputs(), Digits.load().inputs()); // fresh tensors every call
    }

    @Test
    void trainTestSplitIsDeterministicAndEqualsTorchRandperm() {
        SupervisedData.TrainTest tt = Digits.trainTestSplit();
        assertEquals(1347, tt.train().size());
        assertEquals(450, tt.test().size());
        // labels at torch.randperm(1797, generator=torch.Generator().manual_seed(0))[:10] and [450:460]
        assertArrayEquals(new long[] {6, 5, 5, 7, 9, 9, 8, 4, 6, 8}, Arrays.copyOf(tt.test().targets().toLongArray(), 10));
        assertArrayEquals(new long[] {1, 3, 5, 2, 1, 3, 3, 6, 4, 6}, Arrays.copyOf(tt.train().targets().toLongArray(), 10));
        SupervisedData.TrainTest again = Digits.trainTestSplit(0.25, 0);
        assertArrayEquals(tt.train().inputs().toFloatArray(), again.train().inputs().toFloatArray());
        SupervisedData.TrainTest other = Digits.trainTestSplit(0.2, 1);
        assertEquals(360, other.test().size()); // ceil(0.2 * 1797), as scikit-learn's train_test_split
    }

    @Test
    void citationAndNoticeShipWithTheData() throws IOException {
        assertTrue(Digits.citation().contains("Alpaydin"));
        assertTrue(Digits.citation().contains("10.24432/C50P49"));
        assertTrue(Digits.citation().contains("CC BY 4.0"));
        try (InputStream in = Digits.class.getResourceAsStream("DIGITS-NOTICE.txt")) {
            assertNotNull(in, "DIGITS-NOTICE.txt ships beside digits.csv.gz");
            String notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(notice.contains("Kaynak") && notice.contains("CC BY 4.0"), notice);
            assertTrue(notice.contains("46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"));
        }
        try (InputStream in = Digits.class.getResourceAsStream("digits.csv.gz")) {
            assertEquals("46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a",
                    java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(in.readAllBytes())));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
