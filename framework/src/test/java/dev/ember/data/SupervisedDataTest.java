package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import org.junit.jupiter.api.Test;

/** SupervisedData: selection and the seeded split. */
class SupervisedDataTest {

    private static SupervisedData tenRows() {
        return new SupervisedData(Ember.arange(20).to(DType.FLOAT32).reshape(10, 2), Ember.arange(10));
    }

    @Test
    void splitTakesTheTestSetFromTheFrontOfTorchRandperm() {
        // torch.randperm(10, generator=torch.Generator().manual_seed(0)) = [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]
        SupervisedData.TrainTest tt = tenRows().split(0.25, 0);
        assertArrayEquals(new long[] {4, 1, 7}, tt.test().targets().toLongArray()); // ceil(2.5) = 3
        assertArrayEquals(new long[] {5, 3, 9, 0, 8, 6, 2}, tt.train().targets().toLongArray());
        assertArrayEquals(new float[] {8, 9, 2, 3, 14, 15}, tt.test().inputs().toFloatArray());
    }

    @Test
    void selectAndDataset() {
        SupervisedData d = tenRows().select(new int[] {9, 0});
        assertArrayEquals(new long[] {9, 0}, d.targets().toLongArray());
        assertEquals(2, d.dataset().size());
        assertEquals("SupervisedData(inputs=float32[2, 2], targets=int64[2])", d.toString());
    }

    @Test
    void badInputIsRejected() {
        assertThrowsWith(ShapeException.class, () -> new SupervisedData(Ember.zeros(3, 2), Ember.zeros(4)),
                "inputs of shape [3, 2] and targets of shape [4]", "same size in dimension 0");
        assertThrowsWith(EmberException.class, () -> tenRows().split(1.0, 0), "testFraction must be in (0, 1)");
        assertThrowsWith(EmberException.class, () -> tenRows().split(0.95, 0), "leaves nothing to train on");
        assertThrowsWith(EmberException.class, () -> tenRows().select(new int[] {10}), "index 10 is out of range");
    }
}
