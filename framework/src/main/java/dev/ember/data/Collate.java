package dev.ember.data;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Collate functions: how a {@link DataLoader} turns the list of samples of one batch into a batch.
 *
 * <pre>{@code
 * Function<List<TensorTuple>, TensorTuple> stack = Collate.defaultCollate();   // what the loader uses by default
 * TensorTuple batch = stack.apply(List.of(ds.get(0), ds.get(1)));              // (x[0:2], y[0:2])
 *
 * record Pair(Tensor image, Tensor label) {}
 * Function<List<Pair>, Pair> pairs = Collate.defaultCollate();                // records are stacked field by field
 *
 * var loader = DataLoader.builder(Dataset.of(List.of(1, 2, 3))).batchSize(2).collate(Collate.toList()).build();
 * }</pre>
 *
 * <h2>The default collate</h2>
 * PyTorch's {@code default_collate}, for Java's types. Given samples of one type, it returns one value of that type:
 * <ul>
 *   <li>{@link Tensor}: the samples stacked along a new dimension 0 (all must have the same shape and dtype);</li>
 *   <li>{@link TensorTuple}: each position collated (all must have the same size);</li>
 *   <li>a Java {@code record}: each component collated, then the record rebuilt with its canonical constructor
 *       (PyTorch keeps a namedtuple's type the same way);</li>
 *   <li>a {@link List} or {@link Map} (inside a sample): element by element, key by key;</li>
 *   <li>a number or boolean, where a {@code Tensor} may stand in its place (a list element, a map value, a record
 *       component declared {@code Object} or {@code Tensor}): a 1-d tensor, int64 for integers, float64 for floating
 *       point (as PyTorch makes {@code torch.tensor(batch, dtype=torch.float64)}), bool for booleans.</li>
 * </ul>
 * Anything else fails with a message that asks for a collate function of your own ({@link DataLoader.Builder#collate}).
 */
public final class Collate {
    private Collate() {
    }

    private static final Function<List<Object>, Object> DEFAULT = new Function<>() {
        @Override
        public Object apply(List<Object> samples) {
            checkNotEmpty(samples);
            Object first = samples.get(0);
            if (first instanceof Number || first instanceof Boolean) {
                throw new EmberException("default collate: the samples are " + first.getClass().getSimpleName()
                        + "s, which cannot be batched into a value of the same type; pass "
                        + ".collate(Collate.numbers()) to get a tensor, or .collate(Collate.toList()) to get a list");
            }
            return collate(samples, "sample");
        }

        @Override
        public String toString() {
            return "Collate.defaultCollate()";
        }
    };

    /** PyTorch's {@code default_collate}: see the class description. */
    @SuppressWarnings("unchecked")
    public static <T> Function<List<T>, T> defaultCollate() {
        return (Function<List<T>, T>) (Function<?, ?>) DEFAULT;
    }

    static boolean isDefault(Function<?, ?> fn) {
        return fn == DEFAULT;
    }

    /** The samples as an unmodifiable list: no batching at all. */
    public static <T> Function<List<T>, List<T>> toList() {
        return List::copyOf;
    }

    /**
     * Numbers as a 1-d tensor: int64 when every sample is an Integer, Long, Short or Byte, float64 otherwise (as PyTorch
     * collates Python ints and floats).
     */
    public static <T extends Number> Function<List<T>, Tensor> numbers() {
        return samples -> {
            checkNotEmpty(samples);
            return numbersToTensor(new ArrayList<>(samples), "sample");
        };
    }

    /** Tensors stacked along a new dimension 0, with the shapes checked first (names the mismatching samples). */
    public static Function<List<Tensor>, Tensor> stack() {
        return samples -> {
            checkNotEmpty(samples);
            return stackTensors(new ArrayList<>(samples), "sample");
        };
    }

    // ---- the recursive default -------------------------------------------------------------------------------

    private static void checkNotEmpty(List<?> samples) {
        Objects.requireNonNull(samples, "collate: the list of samples must not be null");
        if (samples.isEmpty()) {
            throw new EmberException("collate: got an empty batch; a batch holds at least one sample");
        }
    }

    private static Object collate(List<Object> items, String where) {
        Object first = items.get(0);
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            if (o == null) {
                throw new EmberException("default collate: " + where + " " + i + " of the batch is null");
            }
            if (o.getClass() != first.getClass() && !(o instanceof List && first instanceof List)
                    && !(o instanceof Map && first instanceof Map) && !(o instanceof Number && first instanceof Number)) {
                throw new EmberException("default collate: " + where + " 0 of the batch is a "
                        + first.getClass().getName() + " but " + where + " " + i + " is a " + o.getClass().getName()
                        + "; all samples of a batch must have the same type");
            }
        }
        if (first instanceof Tensor) {
            return stackTensors(items, where);
        }
        if (first instanceof TensorTuple t0) {
            int n = t0.size();
            List<Tensor> out = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                List<Object> column = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    TensorTuple t = (TensorTuple) items.get(i);
                    if (t.size() != n) {
                        throw new ShapeException("default collate: each " + where + " of a batch must have the same "
                                + "size, but " + where + " 0 is a TensorTuple of " + n + " tensors and " + where + " "
                                + i + " one of " + t.size());
                    }
                    column.add(t.get(p));
                }
                out.add(stackTensors(column, "position " + p + " of " + where));
            }
            return new TensorTuple(out);
        }
        if (first instanceof Record) {
            return collateRecord(items, where);
        }
        if (first instanceof List<?> l0) {
            int n = l0.size();
            List<Object> out = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                List<Object> column = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    List<?> l = (List<?>) items.get(i);
                    if (l.size() != n) {
                        throw new ShapeException("default collate: each element in list of batch should be of equal "
                                + "size, but " + where + " 0 is a list of " + n + " and " + where + " " + i
                                + " a list of " + l.size());
                    }
                    column.add(l.get(p));
                }
                out.add(collateSlot(column, "element " + p + " of " + where));
            }
            return Collections.unmodifiableList(out);
        }
        if (first instanceof Map<?, ?> m0) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : m0.keySet()) {
                List<Object> column = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    Map<?, ?> m = (Map<?, ?>) items.get(i);
                    if (!m.containsKey(key) || m.size() != m0.size()) {
                        throw new EmberException("default collate: " + where + " " + i + " has keys " + m.keySet()
                                + " but " + where + " 0 has keys " + m0.keySet() + "; all maps of a batch need the same keys");
                    }
                    column.add(m.get(key));
                }
                out.put(key, collateSlot(column, "key '" + key + "' of " + where));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new EmberException("default collate: cannot batch values of type " + first.getClass().getName()
                + " (" + where + " 0 of the batch); the default collate handles Tensor, TensorTuple, records, lists and maps of those (and numbers "
                + "inside them); pass your own function with DataLoader.Builder.collate(samples -> ...)");
    }

    /** A slot that may hold a Tensor instead of the samples' type (list element, map value, Object component). */
    private static Object collateSlot(List<Object> column, String where) {
        Object first = column.get(0);
        if (first instanceof Number || first instanceof Boolean) {
            return numbersToTensor(column, where);
        }
        return collate(column, where);
    }

    private static Object collateRecord(List<Object> items, String where) {
        Class<?> type = items.get(0).getClass();
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int c = 0; c < components.length; c++) {
            RecordComponent rc = components[c];
            types[c] = rc.getType();
            List<Object> column = new ArrayList<>(items.size());
            try {
                var accessor = rc.getAccessor();
                accessor.setAccessible(true);
                for (Object item : items) {
                    column.add(accessor.invoke(item));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new EmberException("default collate: cannot read component '" + rc.getName() + "' of record "
                        + type.getName() + " (" + e + "); make the record public or pass your own collate function", e);
            }
            String at = "component '" + rc.getName() + "' of " + where;
            Object first = column.get(0);
            if ((first instanceof Number || first instanceof Boolean) && rc.getType().isAssignableFrom(Tensor.class)) {
                values[c] = numbersToTensor(column, at);
            } else if (rc.getType().isPrimitive() || first instanceof Number || first instanceof Boolean
                    || first instanceof String) {
                throw new EmberException("default collate: component '" + rc.getName() + "' of record "
                        + type.getSimpleName() + " is a " + rc.getType().getSimpleName() + ", which cannot hold a batch"
                        + "; declare it as Tensor (samples can hold 0-d tensors, e.g. Ember.scalar(DType.INT64, label))"
                        + " or pass your own collate function");
            } else {
                values[c] = collate(column, at);
            }
            if (!rc.getType().isInstance(values[c])) {
                throw new EmberException("default collate: the batch of component '" + rc.getName() + "' of record "
                        + type.getSimpleName() + " is a " + values[c].getClass().getSimpleName()
                        + ", which does not fit its declared type " + rc.getType().getSimpleName());
            }
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new EmberException("default collate: the constructor of record " + type.getName()
                    + " failed on the batched components: " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new EmberException("default collate: cannot build record " + type.getName() + " from the batched "
                    + "components (" + e + "); make the record public or pass your own collate function", e);
        }
    }

    private static Tensor stackTensors(List<Object> items, String where) {
        Tensor t0 = (Tensor) items.get(0);
        int[] shape = t0.shape();
        List<Tensor> tensors = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Tensor t)) {
                throw new EmberException("default collate: " + where + " 0 is a Tensor but " + where + " " + i
                        + " is a " + items.get(i).getClass().getName());
            }
            if (!Arrays.equals(shape, t.shape())) {
                throw new ShapeException("default collate: stack expects each tensor to be of equal shape, but "
                        + where + " 0 has shape " + Arrays.toString(shape) + " and " + where + " " + i + " has shape "
                        + Arrays.toString(t.shape()) + "; resize or pad the samples, or pass your own collate function");
            }
            if (t.dtype() != t0.dtype()) {
                throw new dev.ember.DTypeException("default collate: " + where + " 0 is " + t0.dtype() + " but "
                        + where + " " + i + " is " + t.dtype() + "; convert the samples to one dtype");
            }
            tensors.add(t);
        }
        return Ember.stack(tensors, 0);
    }

    private static Tensor numbersToTensor(List<Object> items, String where) {
        int n = items.size();
        Object first = items.get(0);
        if (first instanceof Boolean) {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (!(items.get(i) instanceof Boolean b)) {
                    throw mixed(items, i, where);
                }
                v[i] = b;
            }
            return Ember.fromArray(v, n);
        }
        boolean integral = true;
        for (int i = 0; i < n; i++) {
            Object o = items.get(i);
            if (!(o instanceof Number)) {
                throw mixed(items, i, where);
            }
            integral &= o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte;
        }
        if (integral) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = ((Number) items.get(i)).longValue();
            }
            return Ember.fromArray(v, n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((Number) items.get(i)).doubleValue();
        }
        return Ember.fromArray(v, n).to(DType.FLOAT64);
    }

    private static EmberException mixed(List<Object> items, int i, String where) {
        Object o = items.get(i);
        return new EmberException("default collate: " + where + " 0 is a " + items.get(0).getClass().getSimpleName()
                + " but " + where + " " + i + " is " + (o == null ? "null" : "a " + o.getClass().getSimpleName()));
    }
}
