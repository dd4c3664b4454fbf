package dev.ember.nn;

import dev.ember.Tensor;
import dev.ember.nn.functional.Dropouts;

/**
 * Zeroes each element with probability p during training and scales the rest by 1 / (1 - p); in evaluation mode
 * ({@link #eval()}) returns its input unchanged (PyTorch's {@code nn.Dropout}, default p = 0.5). The masks come from
 * the global generator exactly as PyTorch's on the CPU, so after the same {@code manualSeed} they are PyTorch's (see
 * {@link Dropouts}).
 *
 * <pre>{@code
 * Sequential model = Sequential.of(new Linear(784, 256), new ReLU(), new Dropout(0.2), new Linear(256, 10));
 * model.train();   // dropout active
 * model.eval();    // dropout off, for evaluation and inference
 * }</pre>
 */
public class Dropout extends DropoutNd {
    public Dropout() {
        this(0.5, false);
    }

    public Dropout(double p) {
        this(p, false);
    }

    public Dropout(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    Tensor drop(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.dropout(input, p, training, inplace);
    }
}
