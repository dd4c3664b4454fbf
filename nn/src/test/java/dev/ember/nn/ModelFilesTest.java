package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.io.SafeTensors;
import dev.ember.io.SafeTensorsFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    static final class Net extends Module {
        final Linear fc1;
        final Linear fc2;
        final Tensor steps = registerBuffer("steps", Ember.scalar(DType.INT64, 0));

        Net(int hidden) {
            fc1 = registerModule("fc1", new Linear(3, hidden));
            fc2 = registerModule("fc2", new Linear(hidden, 2));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).tanh());
        }
    }

    @Test
    void aSavedAndReloadedModelPredictsIdentically() {
        Ember.manualSeed(1);
        Net trained = new Net(8);
        trained.steps.fill_(41);
        Path p = dir.resolve("net.safetensors");
        ModelFiles.save(trained, p, Map.of("epoch", "3"));

        Ember.manualSeed(2);
        Net fresh = new Net(8);
        Tensor x = Ember.randn(5, 3);
        assertFalse(fresh.forward(x).allclose(trained.forward(x)));
        ModelFiles.load(fresh, p);
        assertArrayEquals(trained.forward(x).toFloatArray(), fresh.forward(x).toFloatArray(), "bit for bit");
        assertEquals(41, fresh.steps.item());
        assertTrue(fresh.fc1.weight().isLeaf() && fresh.fc1.weight().requiresGrad(), "still a trainable parameter");

        SafeTensorsFile f = SafeTensors.read(p);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "steps"),
                List.copyOf(f.tensors().keySet()), "the state dict's names and order");
        assertEquals(Map.of("format", "pt", "epoch", "3"), f.metadata());
    }

    @Test
    void strictLoadingListsEveryMismatchNamesTheFileAndChangesNothing() {
        Path p = dir.resolve("small.safetensors");
        ModelFiles.save(new Net(4), p);
        Net other = new Net(8);
        float[] before = other.fc1.weight().toFloatArray();
        ShapeException e = assertThrows(ShapeException.class, () -> ModelFiles.load(other, p));
        assertTrue(e.getMessage().startsWith("ModelFiles.load: the safetensors file " + p + " does not fit Net. "
                + "Error(s) in loading state dict for Net:"), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatch: fc1.weight: checkpoint [4, 3], model [8, 3]; fc1.bias: "
                + "checkpoint [4], model [8]; fc2.weight: checkpoint [2, 4], model [2, 8]"), e.getMessage());
        assertArrayEquals(before, other.fc1.weight().toFloatArray(), "nothing was loaded");

        Linear single = new Linear(3, 4);
        ShapeException keys = assertThrows(ShapeException.class, () -> ModelFiles.load(single, p));
        assertTrue(keys.getMessage().contains("missing keys: weight, bias")
                && keys.getMessage().contains("unexpected keys: fc1.weight, fc1.bias, fc2.weight, fc2.bias, steps"),
                keys.getMessage());
    }

    @Test
    void nonStrictLoadingSkipsKeysOnlyOneSideHas() {
        Ember.manualSeed(5);
        Linear l = new Linear(3, 4);
        Path p = dir.resolve("fc.safetensors");
        ModelFiles.save(l, p);
        Linear noBias = new Linear(3, 4, false);
        ModelFiles.load(noBias, p, false);
        assertArrayEquals(l.weight().toFloatArray(), noBias.weight().toFloatArray());
    }

    @Test
    void valuesAreConvertedToTheModelsDType() {
        Ember.manualSeed(6);
        Linear l = new Linear(2, 2);
        Path p = dir.resolve("f32.safetensors");
        ModelFiles.save(l, p);
        Linear wide = new Linear(2, 2);
        wide.to(DType.FLOAT64);
        ModelFiles.load(wide, p);
        assertEquals(DType.FLOAT64, wide.weight().dtype());
        float[] w = l.weight().toFloatArray();
        double[] d = wide.weight().toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], d[i]);
        }
    }

    @Test
    void misuseIsExplained() {
        Path missing = dir.resolve("none.safetensors");
        EmberException e = assertThrows(EmberException.class, () -> ModelFiles.load(new Linear(1, 1), missing));
        assertTrue(e.getMessage().startsWith("safetensors file " + missing + " does not exist"), e.getMessage());
        assertThrows(EmberException.class, () -> ModelFiles.save(null, missing));
        assertThrows(EmberException.class, () -> ModelFiles.load(null, missing));
        assertThrows(EmberException.class, () -> ModelFiles.save(new Linear(1, 1), missing, null));
    }
}
