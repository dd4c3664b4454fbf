package dev.ember.examples.bench;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.cli.ModelKind;
import dev.ember.kernels.ConvKernels;
import dev.ember.nn.Module;
import dev.ember.nn.functional.Losses;
import dev.ember.optim.Adam;

import java.util.List;

/**
 * The training step of {@code ember train --model cnn} (two 3x3 convolution blocks with 16 and 32 channels, max
 * pooling, two linear layers; Adam) on random 28x28 images at batch 64: forward, backward and the optimizer's step,
 * timed for a number of seconds on each convolution path, printed as samples per second.
 *
 * <pre>
 * ./ember info    # builds examples/target/classes and examples/target/runtime-classpath.txt
 * java -cp "examples/target/classes:$(cat examples/target/runtime-classpath.txt)" \
 *     dev.ember.examples.bench.ConvBench 20 AUTO ND4J JAVA
 * </pre>
 *
 * The arguments are the seconds to time each path and the {@link ConvKernels.Path} names (default: 20, AUTO).
 */
public final class ConvBench {
    private static final int BATCH = 64;

    private ConvBench() {
    }

    /** Arguments: the seconds to time each path (default 20), then the paths to time (default AUTO). */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        List<String> paths = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("AUTO");
        for (String p : paths) {
            try (ConvKernels.PathScope s = ConvKernels.forcePath(ConvKernels.Path.valueOf(p))) {
                System.out.printf("%-8s %8.1f samples/s%n", p, samplesPerSecond(seconds));
            }
        }
    }

    /** Trains the CNN on one fixed random batch for about the given seconds (after a warm-up) and returns its rate. */
    static double samplesPerSecond(double seconds) {
        Ember.manualSeed(0);
        Module model = ModelKind.CNN.build(List.of(1, 28, 28), 10, ModelKind.CNN.defaultHidden());
        Adam opt = new Adam(model.parameters());
        Tensor x = Ember.randn(BATCH, 1, 28, 28);
        Tensor y = Ember.randint(0, 10, BATCH);
        long warmEnd = System.nanoTime() + (long) (Math.min(5, seconds / 4) * 1e9);
        while (System.nanoTime() < warmEnd) {
            step(model, opt, x, y);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int steps = 0;
        float loss = 0;
        while (System.nanoTime() < end) {
            loss = step(model, opt, x, y);
            steps++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!Float.isFinite(loss)) {
            throw new IllegalStateException("the training loss is " + loss);
        }
        return steps * BATCH / elapsed;
    }

    private static float step(Module model, Adam opt, Tensor x, Tensor y) {
        opt.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.apply(x), y);
        loss.backward();
        opt.step();
        return (float) loss.item();
    }
}
