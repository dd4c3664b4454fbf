package dev.ember.data;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed-arity group of tensors: one sample of a {@link TensorDataset}, or one batch of them after the
 * {@link DataLoader}'s default collate (PyTorch's tuple {@code (x, y)} and the list {@code [xb, yb]}).
 *
 * <pre>{@code
 * TensorTuple sample = new TensorTuple(Ember.tensor(1.0, 2.0), Ember.scalar(DType.INT64, 1));
 * Tensor x = sample.input();     // sample.get(0)
 * Tensor y = sample.target();    // sample.get(1)
 * }</pre>
 *
 * @param tensors the tensors, in order (an unmodifiable copy; no nulls)
 */
public record TensorTuple(List<Tensor> tensors) {

    /** Copies the list and checks it holds at least one tensor and no nulls. */
    public TensorTuple {
        Objects.requireNonNull(tensors, "TensorTuple: the list of tensors must not be null");
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i) == null) {
                throw new EmberException("TensorTuple: tensor " + i + " is null; every position needs a tensor");
            }
        }
        if (tensors.isEmpty()) {
            throw new EmberException("TensorTuple: needs at least one tensor");
        }
        tensors = List.copyOf(tensors);
    }

    /** A tuple of the given tensors. */
    public TensorTuple(Tensor... tensors) {
        this(Arrays.asList(Objects.requireNonNull(tensors, "TensorTuple: the tensors must not be null")));
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** The tensor at position i. */
    public Tensor get(int i) {
        if (i < 0 || i >= tensors.size()) {
            throw new EmberException("TensorTuple.get: position " + i + " is out of range for a tuple of "
                    + tensors.size() + " tensor(s); valid positions are 0.." + (tensors.size() - 1));
        }
        return tensors.get(i);
    }

    /** The first tensor (the inputs, by convention): {@code get(0)}. */
    public Tensor input() {
        return get(0);
    }

    /** The second tensor (the targets, by convention): {@code get(1)}. */
    public Tensor target() {
        if (tensors.size() < 2) {
            throw new EmberException("TensorTuple.target: this tuple holds only " + tensors.size()
                    + " tensor; build the TensorDataset from inputs and targets, e.g. new TensorDataset(x, y)");
        }
        return tensors.get(1);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TensorTuple(");
        for (int i = 0; i < tensors.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            Tensor t = tensors.get(i);
            b.append(t.dtype()).append(Arrays.toString(t.shape()));
        }
        return b.append(')').toString();
    }
}
