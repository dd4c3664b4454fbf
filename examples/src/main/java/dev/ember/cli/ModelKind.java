package dev.ember.cli;

import dev.ember.nn.Conv2d;
import dev.ember.nn.Flatten;
import dev.ember.nn.Linear;
import dev.ember.nn.MaxPool2d;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.functional.ConvOptions;

import java.util.List;

/**
 * The networks {@code ember train --model} builds, for samples of a given shape and a number of classes.
 *
 * <pre>{@code
 * Module m = ModelKind.CNN.build(List.of(1, 28, 28), 10, 128);
 * }</pre>
 */
public enum ModelKind implements Choice {
    /** Flatten, then Linear(in, h), ReLU, Linear(h, h), ReLU, Linear(h, classes): any input shape. */
    MLP(128),
    /**
     * Two blocks of Conv2d(3x3, padding 1), ReLU, MaxPool2d(2) with 16 and 32 channels, then Linear(32·H/4·W/4, h),
     * ReLU, Linear(h, classes): images {@code [channels, height, width]} of at least 4x4 pixels.
     */
    CNN(128),
    /** A GRU that reads an image row by row (see {@link RowRnn}), then Linear(h, classes). */
    RNN(64);

    private final int defaultHidden;

    ModelKind(int defaultHidden) {
        this.defaultHidden = defaultHidden;
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** The width of the hidden layers when {@code --hidden} is not given. */
    public int defaultHidden() {
        return defaultHidden;
    }

    /**
     * Checks that this network can take samples of the given shape (before anything is built or trained).
     *
     * @throws CommandException naming the model, the data set's shape and what fits
     */
    public void checkInput(List<Integer> sampleShape, DatasetKind dataset) {
        boolean image = sampleShape.size() == 3;
        if (this == CNN && !(image && sampleShape.get(1) >= 4 && sampleShape.get(2) >= 4)) {
            throw new CommandException("--model cnn needs images of at least 4x4 pixels, but " + dataset.cliName()
                    + " samples have the shape " + sampleShape + "; use --model mlp for it");
        }
        if (this == RNN && !image) {
            throw new CommandException("--model rnn reads images row by row, but " + dataset.cliName()
                    + " samples have the shape " + sampleShape + "; use --model mlp for it");
        }
    }

    /** A freshly initialised network (from Ember's global generator) for samples of the given shape. */
    public Module build(List<Integer> sampleShape, int classes, int hidden) {
        int features = sampleShape.stream().reduce(1, Math::multiplyExact);
        return switch (this) {
            case MLP -> Sequential.of(new Flatten(), new Linear(features, hidden), new ReLU(),
                    new Linear(hidden, hidden), new ReLU(), new Linear(hidden, classes));
            case CNN -> {
                int channels = sampleShape.get(0);
                int h = sampleShape.get(1) / 4;
                int w = sampleShape.get(2) / 4;
                ConvOptions same = ConvOptions.DEFAULT.padding(1);
                yield Sequential.of(new Conv2d(channels, 16, 3, same), new ReLU(), new MaxPool2d(2),
                        new Conv2d(16, 32, 3, same), new ReLU(), new MaxPool2d(2), new Flatten(),
                        new Linear(32 * h * w, hidden), new ReLU(), new Linear(hidden, classes));
            }
            case RNN -> new RowRnn(sampleShape.get(0) * sampleShape.get(2), hidden, classes);
        };
    }
}
