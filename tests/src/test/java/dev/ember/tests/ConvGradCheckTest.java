package dev.ember.tests;

import dev.ember.Tensor;
import dev.ember.kernels.ConvKernels;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.Convolutions;
import dev.ember.nn.functional.PoolOptions;
import dev.ember.nn.functional.Pooling;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Finite-difference checks of convolution and pooling through the public checker
 * ({@link dev.ember.autograd.GradCheck}, via the adapter {@link GradCheck}) in float64: the full Jacobian with respect
 * to input, weight and bias in reverse and forward mode, and the Jacobian of the gradients (with respect to the
 * inputs and the output gradient) reverse over reverse and forward over reverse, for stride, padding, dilation and
 * groups, 1-d and 2-d, batched and unbatched. The convolution cases run twice, on the direct Java loops and on
 * im2col; the cases marked ND4J force ND4J's kernels and check a random sample of Jacobian elements (ND4J costs a
 * hundred microseconds or more per call). Max-pooling inputs have no ties and no two values closer than about 0.1,
 * so that no finite difference crosses a change of the maximum.
 */
class ConvGradCheckTest {
    private final Random random = new Random(4321);
    private final List<DynamicTest> tests = new ArrayList<>();

    private void add(String name, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(name, f, inputs)));
    }

    /** A full check run twice: with every convolution on the direct Java loops, then on im2col and GEMMs. */
    private void addConv(String name, GradCheck.Fn f, Tensor... inputs) {
        for (ConvKernels.Path p : List.of(ConvKernels.Path.JAVA, ConvKernels.Path.IM2COL)) {
            tests.add(DynamicTest.dynamicTest(name + " (" + p + ")", () -> {
                try (var scope = ConvKernels.forcePath(p)) {
                    GradCheck.check(name, f, inputs);
                }
            }));
        }
    }

    /** A check with every convolution on ND4J's kernels, of a random sample of Jacobian elements (ND4J is slow per call). */
    private void addNd4j(String name, GradCheck.Fn f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name + " (ND4J)", () -> {
            try (var scope = ConvKernels.forcePath(ConvKernels.Path.ND4J)) {
                GradCheck.check(name, 12, f, inputs);
            }
        }));
    }

    private Tensor rand(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return GradCheck.input(v, shape);
    }

    /** A shuffle of evenly spaced values 0.1 apart, with random signs: no ties, no near-ties. */
    private Tensor distinct(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add((i - n / 2.0) * 0.1);
        }
        Collections.shuffle(v, random);
        return GradCheck.input(v.stream().mapToDouble(Double::doubleValue).toArray(), shape);
    }

    @TestFactory
    Stream<DynamicTest> convolutionAndPooling() {
        addConv("conv2d", x -> Convolutions.conv2d(x[0], x[1], x[2]), rand(2, 2, 4, 4), rand(3, 2, 2, 2), rand(3));
        addConv("conv2d stride padding dilation", x -> Convolutions.conv2d(x[0], x[1], x[2],
                ConvOptions.DEFAULT.stride(2, 1).padding(1, 2).dilation(2, 1)), rand(1, 2, 5, 4), rand(2, 2, 2, 3),
                rand(2));
        addConv("conv2d groups", x -> Convolutions.conv2d(x[0], x[1], null, ConvOptions.DEFAULT.groups(2).padding(1)),
                rand(2, 4, 3, 3), rand(4, 2, 2, 2));
        addConv("conv2d unbatched", x -> Convolutions.conv2d(x[0], x[1], x[2], ConvOptions.DEFAULT.stride(2)),
                rand(2, 5, 4), rand(2, 2, 3, 2), rand(2));
        addConv("conv2d weight only", x -> Convolutions.conv2d(x[0], x[1]), rand(1, 2, 3, 3).detach(),
                rand(2, 2, 2, 2));
        addConv("conv1d", x -> Convolutions.conv1d(x[0], x[1], x[2], ConvOptions.DEFAULT.stride(2).padding(1).dilation(2)
                .groups(2)), rand(2, 4, 7), rand(4, 2, 2), rand(4));
        addConv("conv1d unbatched", x -> Convolutions.conv1d(x[0], x[1], null), rand(2, 5), rand(3, 2, 3));
        addNd4j("conv2d groups stride padding dilation", x -> Convolutions.conv2d(x[0], x[1], x[2],
                ConvOptions.DEFAULT.groups(2).stride(2, 1).padding(1).dilation(1, 2)), rand(2, 4, 5, 5),
                rand(4, 2, 2, 2), rand(4));
        addNd4j("conv1d", x -> Convolutions.conv1d(x[0], x[1], x[2], ConvOptions.DEFAULT.padding(1)), rand(2, 2, 6),
                rand(3, 2, 3), rand(3));
        addConv("conv2d then max pooling", x -> Pooling.maxPool2d(Convolutions.conv2d(x[0], x[1]).tanh(), 2),
                rand(1, 1, 5, 5), rand(2, 1, 2, 2));

        add("maxPool2d", x -> Pooling.maxPool2d(x[0], 2), distinct(2, 2, 4, 4));
        add("maxPool2d stride padding dilation ceil", x -> Pooling.maxPool2d(x[0], new int[] {3, 2},
                PoolOptions.DEFAULT.stride(2, 1).padding(1).dilation(1, 2).ceilMode(true)), distinct(1, 2, 6, 5));
        add("maxPool2d unbatched overlapping", x -> Pooling.maxPool2d(x[0], new int[] {2},
                PoolOptions.DEFAULT.stride(1)), distinct(2, 4, 4));
        add("avgPool2d", x -> Pooling.avgPool2d(x[0], 2), rand(2, 2, 4, 4));
        add("avgPool2d padding ceil exclude", x -> Pooling.avgPool2d(x[0], new int[] {3},
                PoolOptions.DEFAULT.stride(2).padding(1).ceilMode(true).countIncludePad(false)), rand(1, 2, 6, 5));
        add("avgPool2d divisor override unbatched", x -> Pooling.avgPool2d(x[0], new int[] {2, 3},
                PoolOptions.DEFAULT.stride(1).divisorOverride(4)), rand(2, 4, 5));
        add("adaptiveAvgPool2d", x -> Pooling.adaptiveAvgPool2d(x[0], 2, 3), rand(2, 2, 5, 4));
        add("adaptiveAvgPool2d larger than input", x -> Pooling.adaptiveAvgPool2d(x[0], 4, 3), rand(1, 2, 3, 2));
        add("adaptiveAvgPool2d global", x -> Pooling.adaptiveAvgPool2d(x[0], 1), rand(2, 3, 3, 2));
        org.junit.jupiter.api.Assertions.assertFalse(tests.isEmpty(), "no cases were built");
        return tests.stream();
    }
}
