package dev.ember.nn.init;

/**
 * The fan-in and fan-out of a weight tensor, as PyTorch's {@code _calculate_fan_in_and_fan_out} computes them:
 * {@code fanIn = size(1) * receptiveField}, {@code fanOut = size(0) * receptiveField}, the receptive field being the
 * product of the sizes after the first two (1 for a matrix).
 *
 * <pre>{@code
 * Fans f = Init.calculateFanInAndFanOut(Ember.zeros(16, 3, 5, 5));   // Fans[fanIn=75, fanOut=400]
 * }</pre>
 *
 * @param fanIn  the number of inputs each output sees
 * @param fanOut the number of outputs each input feeds
 */
public record Fans(int fanIn, int fanOut) {
}
