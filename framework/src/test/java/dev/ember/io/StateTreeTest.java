package dev.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateTreeTest {
    @TempDir
    Path dir;

    /** What an SGD-with-momentum or Adam optimizer's state dict looks like (PyTorch's layout, Java types). */
    static Map<String, Object> optimizerState() {
        Map<Integer, Object> perParam = new LinkedHashMap<>();
        perParam.put(0, Map.of("momentum_buffer", Ember.fromArray(new float[] {0.5f, -1.25f}, 2)));
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("step", Ember.scalar(3));
        adam.put("exp_avg", Ember.fromArray(new double[] {1e-300, -0.0}, 2));
        adam.put("max_exp_avg_sq", null);
        perParam.put(1, adam);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 0.1);
        group.put("betas", new double[] {0.9, 0.999});
        group.put("eps", 1e-8f);
        group.put("weight_decay", 0);
        group.put("nesterov", false);
        group.put("foreach", null);
        group.put("anneal_strategy", "cos");
        group.put("best", Double.POSITIVE_INFINITY);
        group.put("nan", Double.NaN);
        group.put("neg_inf", Float.NEGATIVE_INFINITY);
        group.put("params", List.of(0, 1));
        group.put("total_steps", 12_345_678_901L);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", perParam);
        state.put("param_groups", List.of(group));
        return state;
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimizerStateRoundTripsWithItsTypes() {
        Path p = dir.resolve("model.optim.safetensors");
        StateTree.save(optimizerState(), p);
        Map<String, Object> back = StateTree.load(p);

        assertEquals(List.of("state", "param_groups"), List.copyOf(back.keySet()));
        Map<String, Object> perParam = (Map<String, Object>) back.get("state");
        assertEquals(List.of("0", "1"), List.copyOf(perParam.keySet()), "integer keys come back as strings");
        Tensor momentum = (Tensor) ((Map<String, Object>) perParam.get("0")).get("momentum_buffer");
        assertEquals(DType.FLOAT32, momentum.dtype());
        assertArrayEquals(new float[] {0.5f, -1.25f}, momentum.toFloatArray());
        Map<String, Object> adam = (Map<String, Object>) perParam.get("1");
        assertEquals(0, ((Tensor) adam.get("step")).dim());
        assertEquals(3.0, ((Tensor) adam.get("step")).item());
        assertArrayEquals(new double[] {1e-300, -0.0}, ((Tensor) adam.get("exp_avg")).toDoubleArray());
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(((Tensor) adam.get("exp_avg")).toDoubleArray()[1]));
        assertTrue(adam.containsKey("max_exp_avg_sq"));
        assertNull(adam.get("max_exp_avg_sq"));

        Map<String, Object> group = (Map<String, Object>) ((List<Object>) back.get("param_groups")).get(0);
        assertEquals(0.1, group.get("lr"));
        assertEquals(List.of(0.9, 0.999), group.get("betas"));
        assertEquals((double) 1e-8f, group.get("eps"), "a float comes back as the double of the same value");
        assertEquals(0L, group.get("weight_decay"));
        assertEquals(false, group.get("nesterov"));
        assertNull(group.get("foreach"));
        assertEquals("cos", group.get("anneal_strategy"));
        assertEquals(Double.POSITIVE_INFINITY, group.get("best"));
        assertTrue(Double.isNaN((Double) group.get("nan")));
        assertEquals(Double.NEGATIVE_INFINITY, group.get("neg_inf"));
        assertEquals(List.of(0L, 1L), group.get("params"));
        assertEquals(12_345_678_901L, group.get("total_steps"));

        ((List<Object>) group.get("params")).add(2L);   // what comes back is the caller's to change
    }

    @Test
    void theFileIsPlainSafetensorsWithDottedNamesAndTheTreeInMetadata() {
        Path p = dir.resolve("opt.safetensors");
        StateTree.save(optimizerState(), p);
        SafeTensorsFile f = SafeTensors.read(p);
        assertEquals(List.of("state.0.momentum_buffer", "state.1.step", "state.1.exp_avg"),
                List.copyOf(f.tensors().keySet()));
        assertEquals(List.of(StateTree.TREE_KEY), List.copyOf(f.metadata().keySet()));
        assertTrue(f.metadata().get(StateTree.TREE_KEY).startsWith(
                "{\"state\":{\"0\":{\"momentum_buffer\":{\"$tensor\":\"state.0.momentum_buffer\"}},"), f.metadata()
                .get(StateTree.TREE_KEY));
        assertTrue(f.metadata().get(StateTree.TREE_KEY).contains("\"best\":{\"$float\":\"Infinity\"}"));
    }

    @Test
    void aCheckpointCanHoldAModelsStateDictWithDottedKeysBesideTheOptimizer() {
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("model", Map.of("fc1.weight", Ember.ones(2, 2)));
        ckpt.put("model.fc1", Map.of("weight", Ember.zeros(1)));   // flattens to the same dotted name
        ckpt.put("epoch", 7);
        Path p = dir.resolve("ckpt.safetensors");
        StateTree.save(ckpt, p);
        Map<String, Object> back = StateTree.load(p);
        assertEquals(4, ((Tensor) ((Map<?, ?>) back.get("model")).get("fc1.weight")).numel());
        assertEquals(1, ((Tensor) ((Map<?, ?>) back.get("model.fc1")).get("weight")).numel());
        assertEquals(7L, back.get("epoch"));
        assertEquals(List.of("model.fc1.weight", "model.fc1.weight#1"),
                List.copyOf(SafeTensors.load(p).keySet()));
    }

    @Test
    void refusesWhatItCannotSaveWithClearMessages() {
        Path p = dir.resolve("x.safetensors");
        EmberException e = assertThrows(EmberException.class,
                () -> StateTree.save(Map.of("a", Map.of("$tensor", 1)), p));
        assertEquals("StateTree: the key \"$tensor\" at \"a\" is reserved by the file encoding; rename it",
                e.getMessage());
        e = assertThrows(EmberException.class, () -> StateTree.save(Map.of("a", List.of(new StringBuilder())), p));
        assertEquals("StateTree: cannot save the value at \"a.0\", of type java.lang.StringBuilder; a state tree holds "
                + "maps, lists, arrays of primitives, tensors, numbers, booleans, strings and nulls", e.getMessage());
        e = assertThrows(EmberException.class, () -> StateTree.save(Map.of("a", Map.of(1.5, 1)), p));
        assertEquals("StateTree: map keys must be strings or integers, but the map at \"a\" has the key 1.5 of type "
                + "java.lang.Double", e.getMessage());
        Map<String, Object> cycle = new HashMap<>();
        cycle.put("self", cycle);
        e = assertThrows(EmberException.class, () -> StateTree.save(cycle, p));
        assertTrue(e.getMessage().startsWith("StateTree: the tree nests deeper than 62 levels at \"self.self.self"),
                e.getMessage());
        Map<Object, Object> clash = new LinkedHashMap<>();
        clash.put(1, "int");
        clash.put("1", "string");
        e = assertThrows(EmberException.class, () -> StateTree.save(Map.of("m", clash), p));
        assertEquals("StateTree: the map at \"m\" has two keys that both read \"1\"", e.getMessage());
        assertThrows(EmberException.class, () -> StateTree.save(null, p));
    }

    @Test
    void loadingAFileWithoutATreeOrWithACorruptTreeFails() {
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(Map.of("w", Ember.zeros(1)), plain);
        EmberException e = assertThrows(EmberException.class, () -> StateTree.load(plain));
        assertEquals("safetensors file " + plain + " holds no state tree (its metadata has no \"ember.state_tree\"); "
                + "it holds plain tensors: read them with SafeTensors.load", e.getMessage());

        Map<String, Tensor> one = Map.of("w", Ember.zeros(1));
        assertCorrupt(one, "{\"a\":{\"$tensor\":\"v\"},\"b\":{\"$tensor\":\"w\"}}",
                "the state tree refers at \"a\" to the tensor v, which the file does not hold");
        assertCorrupt(one, "{\"a\":{\"$tensor\":\"w\"},\"b\":{\"$tensor\":\"w\"}}",
                "refers to the tensor \"w\" twice");
        assertCorrupt(one, "{}", "the tensor \"w\" is not part of the state tree");
        assertCorrupt(Map.of(), "[1]", "the state tree must be a JSON object, but it is an array");
        assertCorrupt(Map.of(), "{\"a\":", "the state tree in its metadata is not valid JSON");
        assertCorrupt(Map.of(), "{\"a\":{\"$float\":\"1.5\"}}", "holds the float 1.5; only NaN, Infinity");
        assertCorrupt(Map.of(), "{\"a\":99999999999999999999}",
                "the integer 99999999999999999999 at \"a\" does not fit");
    }

    private void assertCorrupt(Map<String, Tensor> tensors, String tree, String fragment) {
        Path p = dir.resolve("corrupt.safetensors");
        SafeTensors.save(tensors, p, Map.of(StateTree.TREE_KEY, tree));
        EmberException e = assertThrows(EmberException.class, () -> StateTree.load(p));
        assertTrue(e.getMessage().startsWith("safetensors file " + p + ": ") && e.getMessage().contains(fragment),
                e.getMessage());
    }

    @Test
    void flattenAndUnflattenWorkInMemory() {
        List<Object> list = new ArrayList<>();
        list.add(Ember.arange(3));
        list.add(new long[] {1, 2});
        list.add(new boolean[] {true});
        list.add(new Object[] {"x", null});
        list.add(new int[] {4});
        list.add(new float[] {0.5f});
        SafeTensorsFile flat = StateTree.flatten(Map.of("l", list));
        assertEquals(List.of("l.0"), List.copyOf(flat.tensors().keySet()));
        List<?> back = (List<?>) StateTree.unflatten(
                SafeTensors.deserialize(SafeTensors.serialize(flat.tensors(), flat.metadata()))).get("l");
        assertArrayEquals(new long[] {0, 1, 2}, ((Tensor) back.get(0)).toLongArray());
        assertEquals(List.of(1L, 2L), back.get(1));
        assertEquals(List.of(true), back.get(2));
        assertEquals(java.util.Arrays.asList("x", null), back.get(3));
        assertEquals(List.of(4L), back.get(4));
        assertEquals(List.of(0.5), back.get(5));
    }
}
