package dev.ember.nn.init;

/**
 * Which fan the kaiming initialisers scale by: {@link #FAN_IN} (PyTorch's default, {@code mode='fan_in'}) keeps the
 * variance of the forward activations, {@link #FAN_OUT} that of the backward gradients.
 *
 * <pre>{@code
 * Init.kaimingNormal_(w, 0.0, FanMode.FAN_OUT, Nonlinearity.RELU);
 * }</pre>
 */
public enum FanMode {
    /** fan_in = size(1) times the receptive field (the product of the sizes after the first two). */
    FAN_IN,
    /** fan_out = size(0) times the receptive field. */
    FAN_OUT
}
