package dev.ember.nn;

import dev.ember.DTypeException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.PoolOptions;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What the 2-d pooling layers {@link MaxPool2d} and {@link AvgPool2d} share: the kernel size and options as given
 * (PyTorch prints them so), the input check that names the layer, and PyTorch's printed forms of sizes.
 *
 * <pre>{@code
 * PoolLayer pool = new MaxPool2d(2);
 * pool.kernelSize();   // [2, 2]
 * }</pre>
 */
public abstract class PoolLayer extends Module {
    private final int[] kernelSize;
    private final PoolOptions options;

    PoolLayer(int[] kernelSize, PoolOptions options) {
        String name = getClass().getSimpleName();
        if (options == null) {
            throw new ShapeException(name + ": options must not be null; use PoolOptions.DEFAULT");
        }
        if (kernelSize == null || kernelSize.length == 0 || kernelSize.length > 2
                || Arrays.stream(kernelSize).anyMatch(k -> k <= 0)) {
            throw new ShapeException(name + ": the kernel size must be one or two positive values, got "
                    + Arrays.toString(kernelSize));
        }
        this.kernelSize = kernelSize.clone();
        this.options = options;
    }

    /** The window {height, width}. */
    public int[] kernelSize() {
        return pair(kernelSize);
    }

    /** The stride {height, width} (the kernel size unless the options set one). */
    public int[] stride() {
        return pair(strideAsGiven());
    }

    /** The options the layer was made with. */
    public PoolOptions options() {
        return options;
    }

    int[] kernelSizeAsGiven() {
        return kernelSize.clone();
    }

    int[] strideAsGiven() {
        return options.stride() == null ? kernelSize.clone() : options.stride();
    }

    private static int[] pair(int[] v) {
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** Checks the input's rank, naming the layer. */
    void checkInput(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": expected a "
                    + "4-d input [batch, channels, height, width] or an unbatched 3-d input [channels, height, width]");
        }
    }

    /** Runs f, prefixing the message of a shape or dtype error with this layer. */
    <T> T named(Supplier<T> f) {
        try {
            return f.get();
        } catch (DTypeException e) {
            throw new DTypeException(this + ": " + e.getMessage(), e);
        } catch (ShapeException e) {
            throw new ShapeException(this + ": " + e.getMessage(), e);
        }
    }

    /** A size as PyTorch prints what it was given: {@code 2} for one value, {@code (2, 3)} for two. */
    static String format(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }
}
