package dev.ember.nn.init;

import dev.ember.EmberException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The nonlinearities that {@link Init#calculateGain} knows, by PyTorch's names ({@code 'linear'}, {@code 'conv2d'},
 * {@code 'tanh'}, {@code 'relu'}, {@code 'leaky_relu'}, ...).
 *
 * <pre>{@code
 * double g = Init.calculateGain(Nonlinearity.TANH);              // 5/3
 * Nonlinearity n = Nonlinearity.fromName("leaky_relu");         // LEAKY_RELU
 * }</pre>
 */
public enum Nonlinearity {
    LINEAR("linear"),
    CONV1D("conv1d"),
    CONV2D("conv2d"),
    CONV3D("conv3d"),
    CONV_TRANSPOSE1D("conv_transpose1d"),
    CONV_TRANSPOSE2D("conv_transpose2d"),
    CONV_TRANSPOSE3D("conv_transpose3d"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    LEAKY_RELU("leaky_relu"),
    SELU("selu");

    private final String pytorchName;

    Nonlinearity(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's name, e.g. {@code "leaky_relu"}. */
    public String pytorchName() {
        return pytorchName;
    }

    /** The nonlinearity with PyTorch's name {@code name} (case-insensitive). */
    public static Nonlinearity fromName(String name) {
        for (Nonlinearity n : values()) {
            if (n.pytorchName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new EmberException("calculateGain: unsupported nonlinearity \"" + name + "\"; use one of "
                + Arrays.stream(values()).map(n -> n.pytorchName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return pytorchName;
    }
}
