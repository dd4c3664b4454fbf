package dev.ember.cli;

import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.io.StateTree;
import dev.ember.kernels.random.Generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything a run needs to continue exactly where it stopped, in one safetensors file
 * ({@code checkpoint.safetensors}, written atomically after every epoch): the model's state dict, the optimizer's and
 * the scheduler's state, both random generators (Ember's global one and the one that orders the batches), the
 * metrics of every completed epoch and the training time so far. One file, so that it is never half of one epoch and
 * half of another.
 *
 * <pre>{@code
 * TrainingCheckpoint c = TrainingCheckpoint.load(dir.resolve("checkpoint.safetensors"));
 * model.loadStateDict(c.model());
 * optimizer.loadStateDict(c.optimizer());
 * }</pre>
 *
 * @param epoch           the number of completed epochs
 * @param model           the model's state dict
 * @param optimizer       the optimizer's state dict
 * @param scheduler       the scheduler's state dict, or null without a schedule
 * @param globalGenerator the state of Ember's global generator
 * @param batchGenerator  the state of the generator that shuffles the training batches
 * @param history         the metrics of epochs 1 to epoch
 * @param trainingSeconds the wall-clock time of those epochs
 */
public record TrainingCheckpoint(int epoch, Map<String, Tensor> model, Map<String, Object> optimizer,
                                 Map<String, Object> scheduler, Generator.State globalGenerator,
                                 Generator.State batchGenerator, List<EpochMetrics> history,
                                 double trainingSeconds) {

    /** The file name in a run directory. */
    public static final String FILE = "checkpoint.safetensors";

    private static final String FORMAT = "ember-train-checkpoint-1";

    /** Writes the checkpoint to file, atomically. */
    public void save(Path file) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("format", FORMAT);
        tree.put("epoch", (long) epoch);
        tree.put("model", model);
        tree.put("optimizer", optimizer);
        if (scheduler != null) {
            tree.put("scheduler", scheduler);
        }
        tree.put("global_generator", generatorToMap(globalGenerator));
        tree.put("batch_generator", generatorToMap(batchGenerator));
        tree.put("history", history.stream().map(EpochMetrics::toMap).toList());
        tree.put("training_seconds", trainingSeconds);
        StateTree.save(tree, file);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws CommandException in one line if the file is missing, corrupt, or not such a checkpoint
     */
    @SuppressWarnings("unchecked")
    public static TrainingCheckpoint load(Path file) {
        Map<String, Object> tree;
        try {
            tree = StateTree.load(file);
        } catch (EmberException e) {
            throw new CommandException("the checkpoint " + file + " cannot be read: "
                    + CommandException.reason(e.getMessage(), file) + "; the run cannot be resumed from it", e);
        }
        try {
            if (!FORMAT.equals(tree.get("format"))) {
                throw new IllegalArgumentException("it is not a training checkpoint of the ember command (format "
                        + tree.get("format") + ")");
            }
            Map<String, Object> modelTree = map(tree, "model");
            Map<String, Tensor> model = new LinkedHashMap<>();
            modelTree.forEach((k, v) -> {
                if (!(v instanceof Tensor t)) {
                    throw new IllegalArgumentException("model entry '" + k + "' is not a tensor");
                }
                model.put(k, t);
            });
            List<EpochMetrics> history = new ArrayList<>();
            for (Object o : list(tree, "history")) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("history holds " + o + " instead of an epoch's metrics");
                }
                history.add(EpochMetrics.fromMap(m));
            }
            int epoch = Math.toIntExact(number(tree, "epoch").longValue());
            if (history.size() != epoch) {
                throw new IllegalArgumentException("it is at epoch " + epoch + " but has the metrics of "
                        + history.size() + " epochs");
            }
            return new TrainingCheckpoint(epoch, model, map(tree, "optimizer"),
                    tree.containsKey("scheduler") ? map(tree, "scheduler") : null,
                    generatorFromMap(map(tree, "global_generator")), generatorFromMap(map(tree, "batch_generator")),
                    history, number(tree, "training_seconds").doubleValue());
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw new CommandException("the checkpoint " + file + " is not valid: " + e.getMessage()
                    + "; the run cannot be resumed from it", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Map<?, ?> v)) {
            throw new IllegalArgumentException("it has no '" + key + "' section");
        }
        return (Map<String, Object>) v;
    }

    private static List<?> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> v)) {
            throw new IllegalArgumentException("it has no list '" + key + "'");
        }
        return v;
    }

    private static Number number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number v)) {
            throw new IllegalArgumentException("it has no number '" + key + "'");
        }
        return v;
    }

    private static Map<String, Object> generatorToMap(Generator.State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", s.seed());
        m.put("words", s.words());
        m.put("left", (long) s.left());
        m.put("next", (long) s.next());
        m.put("next_float_normal", s.nextFloatNormalSample().map(Float::doubleValue).orElse(null));
        m.put("next_double_normal", s.nextDoubleNormalSample().isPresent()
                ? s.nextDoubleNormalSample().getAsDouble() : null);
        return m;
    }

    private static Generator.State generatorFromMap(Map<String, Object> m) {
        List<?> words = list(m, "words");
        int[] w = new int[words.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.toIntExact(((Number) words.get(i)).longValue());
        }
        Object f = m.get("next_float_normal");
        Object d = m.get("next_double_normal");
        return new Generator.State(number(m, "seed").longValue(), w, Math.toIntExact(number(m, "left").longValue()),
                Math.toIntExact(number(m, "next").longValue()),
                f == null ? Optional.empty() : Optional.of(((Number) f).floatValue()),
                d == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) d).doubleValue()));
    }
}
