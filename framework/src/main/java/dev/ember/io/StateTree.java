package dev.ember.io;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves nested state (maps and lists of tensors, numbers, booleans, strings and nulls), such as an optimizer's or a
 * learning-rate scheduler's state dict, or a whole training checkpoint, in one safetensors file. The tensors are
 * stored as the file's tensors under their dotted path ({@code state.0.exp_avg}); everything else, and the shape
 * of the tree, is a JSON document in the metadata entry {@value #TREE_KEY}, where each tensor appears as
 * {@code {"$tensor": "state.0.exp_avg"}}. PyTorch users can read such a file with any safetensors reader.
 *
 * <pre>{@code
 * Map<String, Object> state = Map.of(
 *         "state", Map.of(0, Map.of("momentum_buffer", Ember.zeros(3))),
 *         "param_groups", List.of(Map.of("lr", 0.1, "momentum", 0.9, "nesterov", false, "params", List.of(0))));
 * StateTree.save(state, Path.of("model.optim.safetensors"));
 * Map<String, Object> back = StateTree.load(Path.of("model.optim.safetensors"));
 * double lr = (Double) ((Map<?, ?>) ((List<?>) back.get("param_groups")).get(0)).get("lr");   // 0.1
 * }</pre>
 *
 * <p>What comes back: maps as insertion-ordered {@code Map<String, Object>} (keys that were Integers or Longs come
 * back as their decimal strings: JSON keys are strings), lists (and Java arrays of primitives) as
 * {@code List<Object>}, every integer type as {@code Long}, {@code float} and {@code double} as {@code Double}
 * (the same value, NaN and infinities included), booleans, strings, nulls and tensors (same dtype, shape and values)
 * as they were. Map keys must be strings or integers and may not be {@code "$tensor"} or {@code "$float"}, which
 * the encoding reserves. Loading checks the file like {@link SafeTensors#read}, and the tree against its tensors.
 */
public final class StateTree {
    /** The metadata key that holds the tree's JSON. */
    public static final String TREE_KEY = "ember.state_tree";

    private static final String TENSOR = "$tensor";
    private static final String FLOAT = "$float";

    private StateTree() {
    }

    /** Writes the tree to path, atomically (see {@link SafeTensors#save}). */
    public static void save(Map<String, ?> tree, Path path) {
        SafeTensorsFile flat = flatten(tree);
        SafeTensors.save(flat.tensors(), path, flat.metadata());
    }

    /** Reads a tree written by {@link #save}. */
    public static Map<String, Object> load(Path path) {
        return unflatten(SafeTensors.read(path), "safetensors file " + path);
    }

    /** The tensors and metadata that {@link #save} writes for the tree. */
    public static SafeTensorsFile flatten(Map<String, ?> tree) {
        if (tree == null) {
            throw new EmberException("StateTree: the tree is null");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Object skeleton = encode(tree, "", tensors, 0);
        return new SafeTensorsFile(tensors, Map.of(TREE_KEY, Json.write(skeleton)));
    }

    /** The tree held by tensors and metadata that {@link #flatten} made. */
    public static Map<String, Object> unflatten(SafeTensorsFile file) {
        return unflatten(file, "state tree");
    }

    // ---- encoding ---------------------------------------------------------------------------------------------

    private static Object encode(Object v, String path, Map<String, Tensor> tensors, int depth) {
        if (depth > Json.MAX_DEPTH - 2) {
            throw new EmberException("StateTree: the tree nests deeper than " + (Json.MAX_DEPTH - 2) + " levels at \""
                    + path + "\" (does a map contain itself?)");
        }
        if (v == null) {
            return Json.NULL;
        }
        if (v instanceof Tensor t) {
            String name = path;
            for (int i = 1; tensors.containsKey(name); i++) {
                name = path + "#" + i;   // only when two different paths flatten to the same dotted name
            }
            tensors.put(name, t);
            return Map.of(TENSOR, name);
        }
        if (v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? (Object) d : Map.of(FLOAT, Double.toString(d));
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = key(e.getKey(), path);
                String child = path.isEmpty() ? key : path + "." + key;
                if (out.put(key, encode(e.getValue(), child, tensors, depth + 1)) != null) {
                    throw new EmberException("StateTree: the map at \"" + path + "\" has two keys that both read "
                            + Json.quote(key));
                }
            }
            return out;
        }
        List<?> list = asList(v);
        if (list != null) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(encode(list.get(i), path.isEmpty() ? Integer.toString(i) : path + "." + i, tensors,
                        depth + 1));
            }
            return out;
        }
        throw new EmberException("StateTree: cannot save the value at \"" + path + "\", of type "
                + v.getClass().getName() + "; a state tree holds maps, lists, arrays of primitives, tensors, "
                + "numbers, booleans, strings and nulls");
    }

    private static String key(Object k, String path) {
        if (k instanceof String s) {
            if (s.equals(TENSOR) || s.equals(FLOAT)) {
                throw new EmberException("StateTree: the key " + Json.quote(s) + " at \"" + path + "\" is reserved by "
                        + "the file encoding; rename it");
            }
            return s;
        }
        if (k instanceof Integer || k instanceof Long || k instanceof Short || k instanceof Byte) {
            return k.toString();
        }
        throw new EmberException("StateTree: map keys must be strings or integers, but the map at \"" + path
                + "\" has the key " + k + (k == null ? "" : " of type " + k.getClass().getName()));
    }

    private static List<?> asList(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        if (v instanceof double[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
        if (v instanceof float[] a) {
            List<Object> out = new ArrayList<>();
            for (float f : a) {
                out.add(f);
            }
            return out;
        }
        if (v instanceof long[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
        if (v instanceof boolean[] a) {
            List<Object> out = new ArrayList<>();
            for (boolean b : a) {
                out.add(b);
            }
            return out;
        }
        return null;
    }

    // ---- decoding ---------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> unflatten(SafeTensorsFile file, String where) {
        String text = file.metadata().get(TREE_KEY);
        if (text == null) {
            throw new EmberException(where + " holds no state tree (its metadata has no " + Json.quote(TREE_KEY)
                    + "); it holds plain tensors: read them with SafeTensors.load");
        }
        Object skeleton;
        try {
            skeleton = Json.parse(text);
        } catch (EmberException e) {
            throw new EmberException(where + ": the state tree in its metadata is not valid JSON: " + e.getMessage(),
                    e);
        }
        if (!(skeleton instanceof Map)) {
            throw new EmberException(where + ": the state tree must be a JSON object, but it is "
                    + Json.typeName(skeleton));
        }
        Set<String> used = new HashSet<>();
        Object tree = decode(skeleton, file.tensors(), used, where, "");
        for (String name : file.tensors().keySet()) {
            if (!used.contains(name)) {
                throw new EmberException(where + ": the tensor " + Json.quote(name) + " is not part of the state tree; "
                        + "the file is corrupt");
            }
        }
        return (Map<String, Object>) tree;
    }

    private static Object decode(Object v, Map<String, Tensor> tensors, Set<String> used, String where, String path) {
        if (v == Json.NULL) {
            return null;
        }
        if (v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Json.JsonNumber n) {
            if (!n.isInteger()) {
                return n.doubleValue();
            }
            Long l = n.longValue();
            if (l == null) {
                throw new EmberException(where + ": the integer " + n + " at \"" + path + "\" does not fit a long; "
                        + "the file is corrupt");
            }
            return l;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(decode(l.get(i), tensors, used, where, path.isEmpty() ? "" + i : path + "." + i));
            }
            return out;
        }
        Map<?, ?> m = (Map<?, ?>) v;
        if (m.size() == 1 && m.containsKey(TENSOR)) {
            if (!(m.get(TENSOR) instanceof String name) || !tensors.containsKey(name)) {
                throw new EmberException(where + ": the state tree refers at \"" + path + "\" to the tensor "
                        + m.get(TENSOR) + ", which the file does not hold; the file is corrupt");
            }
            if (!used.add(name)) {
                throw new EmberException(where + ": the state tree refers to the tensor " + Json.quote(name)
                        + " twice; the file is corrupt");
            }
            return tensors.get(name);
        }
        if (m.size() == 1 && m.containsKey(FLOAT)) {
            Object s = m.get(FLOAT);
            if ("NaN".equals(s) || "Infinity".equals(s) || "-Infinity".equals(s)) {
                return Double.parseDouble((String) s);
            }
            throw new EmberException(where + ": at \"" + path + "\" the state tree holds the float " + s
                    + "; only NaN, Infinity and -Infinity are written this way; the file is corrupt");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = (String) e.getKey();
            out.put(k, decode(e.getValue(), tensors, used, where, path.isEmpty() ? k : path + "." + k));
        }
        return out;
    }
}
