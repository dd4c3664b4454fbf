package dev.ember.nn;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.ValuesAndIndices;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradOptions;
import dev.ember.nn.functional.ConvOptions;
import dev.ember.nn.functional.ConvPadding;
import dev.ember.nn.functional.Convolutions;
import dev.ember.nn.functional.PoolOptions;
import dev.ember.nn.functional.Pooling;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution and pooling layers: PyTorch's initialisation, printed form and parameters, unbatched inputs, and
 * every documented error (naming the layer or function and the shapes). Values and gradients against PyTorch are in
 * the tests module's ConvConformanceTest and ConvGradCheckTest.
 */
class ConvLayersTest {
    @Test
    void conv2dMatchesPyTorchsInitialisationAfterTheSameSeed() {
        // torch.manual_seed(0); c = torch.nn.Conv2d(1, 2, 2); c.weight, c.bias
        Ember.manualSeed(0);
        Conv2d c = new Conv2d(1, 2, 2);
        assertArrayEquals(new float[] {-0.003743410110473633f, 0.26822179555892944f, -0.4115225672721863f,
                -0.3679695129394531f, -0.19257718324661255f, 0.13407868146896362f, -0.009906589984893799f,
                0.39644473791122437f}, c.weight().toFloatArray());
        assertArrayEquals(new float[] {-0.04437202215194702f, 0.1323062777519226f}, c.bias().toFloatArray());
        assertArrayEquals(new int[] {2, 1, 2, 2}, c.weight().shape());
    }

    @Test
    void conv1dMatchesPyTorchsInitialisationWithGroupsAndNoBias() {
        // torch.manual_seed(0); torch.nn.Conv1d(2, 2, 2, groups=2, bias=False).weight
        Ember.manualSeed(0);
        Conv1d c = new Conv1d(2, 2, 2, ConvOptions.DEFAULT.groups(2), false);
        assertArrayEquals(new float[] {-0.005293981172144413f, 0.37932288646698f, -0.5819807648658752f,
                -0.5203874707221985f}, c.weight().toFloatArray());
        assertNull(c.bias());
        assertEquals(List.of("weight"), List.copyOf(c.namedParameters().keySet()));
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1))", new Conv2d(3, 16, 3).toString());
        assertEquals("Conv2d(3, 16, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)",
                new Conv2d(3, 16, new int[] {3, 5}, ConvOptions.DEFAULT.stride(2).padding(1).dilation(2), false)
                        .toString());
        assertEquals("Conv1d(4, 8, kernel_size=(3,), stride=(1,), groups=2)",
                new Conv1d(4, 8, 3, ConvOptions.DEFAULT.groups(2)).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=(2, 3), stride=1, padding=1, dilation=1, ceil_mode=True)",
                new MaxPool2d(new int[] {2, 3}, PoolOptions.DEFAULT.stride(1).padding(1).ceilMode(true)).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(new int[] {3},
                PoolOptions.DEFAULT.stride(2).padding(1).ceilMode(true).countIncludePad(false).divisorOverride(2))
                .toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d(2, 3).toString());
    }

    /** A small CNN's tree, as PyTorch prints the same model. */
    @Test
    void aSmallCnnPrintsItsTree() {
        final class Cnn extends Module {
            final Conv2d conv = registerModule("conv", new Conv2d(1, 4, 3, ConvOptions.DEFAULT.padding(1)));
            final MaxPool2d pool = registerModule("pool", new MaxPool2d(2));
            final AdaptiveAvgPool2d gap = registerModule("gap", new AdaptiveAvgPool2d(1));

            @Override
            public Tensor forward(Tensor x) {
                return gap.forward(pool.forward(conv.forward(x).relu())).flatten();
            }
        }
        Cnn m = new Cnn();
        assertEquals("Cnn(\n  (conv): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
                + "  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                + "  (gap): AdaptiveAvgPool2d(output_size=1)\n)", m.toString());
        assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(m.namedParameters().keySet()));
        m.forward(Ember.randn(2, 1, 8, 8)).sum().backward();
        assertArrayEquals(new int[] {4, 1, 3, 3}, m.conv.weight().grad().shape());
    }

    /** Conv, ReLU, max pooling, global average pooling and a linear head learn to tell bars apart (plain SGD). */
    @Test
    void aSmallCnnLearnsHorizontalFromVerticalBars() {
        Ember.manualSeed(7);
        java.util.Random random = new java.util.Random(7);
        int n = 64;
        float[] images = new float[n * 8 * 8];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = 1 + random.nextInt(6);
            for (int j = 0; j < 64; j++) {
                int r = j / 8;
                int c = j % 8;
                boolean bar = labels[i] == 0 ? r == at : c == at;
                images[i * 64 + j] = (bar ? 1f : 0f) + (float) (random.nextGaussian() * 0.1);
            }
        }
        Tensor x = Ember.fromArray(images, n, 1, 8, 8);
        Tensor y = Ember.fromArray(labels, n, 1);
        Conv2d conv = new Conv2d(1, 4, 3, ConvOptions.DEFAULT.padding(1));
        MaxPool2d pool = new MaxPool2d(2);
        AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);
        Linear head = new Linear(4, 2);
        List<Tensor> params = List.of(conv.weight(), conv.bias(), head.weight(), head.bias());
        double first = 0;
        double last = 0;
        for (int step = 0; step < 60; step++) {
            Tensor logits = head.forward(gap.forward(pool.forward(conv.forward(x).relu())).flatten(1, -1));
            Tensor loss = logits.logSoftmax(1).gather(1, y).mean().neg();
            first = step == 0 ? loss.item() : first;
            last = loss.item();
            for (Tensor p : params) {
                p.setGrad(null);
            }
            loss.backward();
            try (var g = Ember.noGrad()) {
                for (Tensor p : params) {
                    p.sub_(p.grad().mul(0.5));
                }
            }
        }
        Tensor predicted = head.forward(gap.forward(pool.forward(conv.forward(x).relu())).flatten(1, -1)).argmax(1, true);
        double accuracy = predicted.eq(y).to(DType.FLOAT32).mean().item();
        assertTrue(last < first / 3, "the loss should fall: " + first + " -> " + last);
        assertTrue(accuracy >= 0.95, "training accuracy " + accuracy);
    }

    @Test
    void knownValuesOfStrideAndPadding() {
        // F.conv2d(torch.arange(16.).reshape(1, 1, 4, 4), torch.ones(1, 1, 2, 2), stride=2, padding=1)
        Tensor x = Ember.arange(16).to(DType.FLOAT32).reshape(1, 1, 4, 4);
        Tensor y = Convolutions.conv2d(x, Ember.ones(1, 1, 2, 2), null, ConvOptions.DEFAULT.stride(2).padding(1));
        assertArrayEquals(new float[] {0, 3, 3, 12, 30, 18, 12, 27, 15}, y.toFloatArray());
    }

    @Test
    void unbatchedInputsAsPyTorch113() {
        Conv2d conv = new Conv2d(3, 4, 3);
        assertArrayEquals(new int[] {4, 6, 6}, conv.forward(Ember.randn(3, 8, 8)).shape());
        assertArrayEquals(new int[] {5, 8}, new Conv1d(2, 5, 3).forward(Ember.randn(2, 10)).shape());
        assertArrayEquals(new int[] {3, 4, 4}, new MaxPool2d(2).forward(Ember.randn(3, 8, 8)).shape());
        assertArrayEquals(new int[] {3, 2, 2}, new AdaptiveAvgPool2d(2).forward(Ember.randn(3, 5, 5)).shape());
    }

    @Test
    void maxPoolReturnsIndicesWithinEachPlane() {
        Tensor x = Ember.fromArray(new float[] {1, 5, 2, 0, 3, 4, 7, 1, 9, 9, 0, 2, 8, 1, 3, 6}, 1, 1, 4, 4);
        ValuesAndIndices r = new MaxPool2d(2).forwardWithIndices(x);
        assertArrayEquals(new float[] {5, 7, 9, 6}, r.values().toFloatArray());
        assertArrayEquals(new long[] {1, 6, 8, 15}, r.indices().toLongArray());   // the first of the tied 9s
    }

    @Test
    void convolutionIsDifferentiableTwice() {
        Conv2d conv = new Conv2d(2, 3, 3, ConvOptions.DEFAULT.padding(1));
        conv.to(DType.FLOAT64);
        Tensor x = Ember.randn(DType.FLOAT64, 2, 2, 5, 5).requiresGrad_();
        Tensor gx = Autograd.grad(conv.forward(x).pow(2).sum(), x, GradOptions.createGraph())[0];
        assertEquals("ConvolutionBackwardBackward", gx.gradFn().name());
        gx.pow(2).sum().backward();   // a gradient penalty: second derivatives reach the weight
        assertArrayEquals(new int[] {3, 2, 3, 3}, conv.weight().grad().shape());
        assertTrue(conv.weight().grad().abs().sum().item() > 0);
    }

    @Test
    void savedMaxPoolIndicesAreVersionChecked() {
        Tensor x = Ember.randn(1, 1, 4, 4).requiresGrad_();
        ValuesAndIndices r = Pooling.maxPool2dWithIndices(x, new int[] {2}, PoolOptions.DEFAULT);
        r.indices().zero_();
        assertError(AutogradException.class, () -> r.values().sum().backward(), "MaxPool2DWithIndicesBackward",
                "modified by an inplace operation");
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @Test
    void conv2dNamesItselfAndTheShapesOnBadInputs() {
        Conv2d conv = new Conv2d(3, 16, 3);
        String name = "Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1))";
        assertError(ShapeException.class, () -> conv.forward(Ember.zeros(28, 28)), name + " got input of shape "
                + "[28, 28]: expected a 4-d input [batch, 3, height, width] or an unbatched 3-d input");
        assertError(ShapeException.class, () -> conv.forward(Ember.zeros(2, 5, 8, 8)), name + " got input of shape "
                + "[2, 5, 8, 8]: expected 3 channels in dimension 1, found 5");
        // a batch of 8 single-channel images without the channel dimension reads as one 8-channel image
        assertError(ShapeException.class, () -> conv.forward(Ember.zeros(8, 28, 28)), name + " got input of shape "
                + "[8, 28, 28]: expected 3 channels in dimension 0, found 8", "unsqueeze(1)");
        assertError(ShapeException.class, () -> conv.forward(Ember.zeros(1, 3, 2, 8)), name + ": conv2d: the input "
                + "of shape [1, 3, 2, 8]", "has size 2 in dimension 2, less than the kernel's extent 3");
        assertError(DTypeException.class, () -> conv.forward(Ember.zeros(DType.FLOAT64, 1, 3, 4, 4)), name,
                "the input is float64 but the weight is float32", ".to(DType.FLOAT32)");
        assertError(ShapeException.class, () -> new Conv1d(2, 4, 3).forward(Ember.zeros(1, 2, 5, 5)),
                "Conv1d(2, 4, kernel_size=(3,), stride=(1,)) got input of shape [1, 2, 5, 5]: expected a 3-d input "
                        + "[batch, 2, length]");
    }

    @Test
    void poolingLayersNameThemselves() {
        assertError(ShapeException.class, () -> new MaxPool2d(2).forward(Ember.zeros(4, 4)),
                "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False) got input of shape "
                        + "[4, 4]: expected a 4-d input");
        assertError(ShapeException.class, () -> new MaxPool2d(3).forward(Ember.zeros(1, 1, 2, 2)),
                "MaxPool2d(kernel_size=3", "maxPool2d: the input of shape [1, 1, 2, 2] is too small", "output "
                        + "would be 0x0");
        assertError(ShapeException.class, () -> new AvgPool2d(new int[] {2}, PoolOptions.DEFAULT.padding(2))
                .forward(Ember.zeros(1, 1, 6, 6)), "AvgPool2d(kernel_size=2, stride=2, padding=2)",
                "padding [2, 2] must be at most half of the kernel size [2, 2]");
        assertError(ShapeException.class, () -> new AdaptiveAvgPool2d(2).forward(Ember.zeros(2, 3, 4, 4, 4)),
                "AdaptiveAvgPool2d(output_size=2) got input of shape [2, 3, 4, 4, 4]");
        assertError(DTypeException.class, () -> new AvgPool2d(2).forward(Ember.zeros(DType.INT64, 1, 1, 4, 4)),
                "AvgPool2d(kernel_size=2, stride=2, padding=0): avgPool2d needs a floating-point tensor but got int64");
    }

    @Test
    void badConstructorArguments() {
        assertError(ShapeException.class, () -> new Conv2d(3, 4, 3, ConvOptions.DEFAULT.groups(2)),
                "Conv2d: in_channels=3 and out_channels=4 must both be divisible by groups=2");
        assertError(ShapeException.class, () -> new Conv2d(0, 4, 3), "Conv2d: in_channels and out_channels must be "
                + "positive, got in_channels=0");
        assertError(ShapeException.class, () -> new Conv2d(1, 4, 0), "Conv2d: the kernel size must be one or 2 "
                + "positive values, got [0]");
        assertError(ShapeException.class, () -> new Conv1d(1, 4, 3, ConvOptions.DEFAULT.stride(1, 2)),
                "Conv1d: stride [1, 2] has 2 values but the convolution has 1 spatial dimension");
        assertError(ShapeException.class, () -> ConvOptions.DEFAULT.stride(0), "stride [0] must be at least 1");
        assertError(ShapeException.class, () -> ConvOptions.DEFAULT.padding(-1), "padding [-1] must be 0 or more");
        assertError(ShapeException.class, () -> ConvOptions.DEFAULT.groups(0), "groups must be at least 1");
        assertError(ShapeException.class, () -> new AvgPool2d(new int[] {2}, PoolOptions.DEFAULT.dilation(2)),
                "AvgPool2d: average pooling has no dilation");
        assertError(ShapeException.class, () -> new MaxPool2d(new int[] {2}, PoolOptions.DEFAULT.countIncludePad(false)),
                "MaxPool2d: countIncludePad and divisorOverride apply to average pooling only");
        assertError(ShapeException.class, () -> new MaxPool2d(new int[] {2, 2, 2}, PoolOptions.DEFAULT),
                "MaxPool2d: the kernel size must be one or two positive values, got [2, 2, 2]");
        assertError(ShapeException.class, () -> new AdaptiveAvgPool2d(0), "AdaptiveAvgPool2d: the output size must "
                + "be one or two positive values, got [0]");
    }

    @Test
    void functionalConvolutionErrors() {
        Tensor x = Ember.zeros(2, 4, 8, 8);
        assertError(ShapeException.class, () -> Convolutions.conv2d(x, Ember.zeros(4, 3, 3)), "conv2d: the weight "
                + "must be 4-d [out_channels, in_channels/groups, kH, kW], got shape [4, 3, 3]");
        assertError(ShapeException.class, () -> Convolutions.conv2d(x, Ember.zeros(4, 3, 3, 3), null,
                ConvOptions.DEFAULT.groups(2)), "conv2d: given groups=2 and a weight of shape [4, 3, 3, 3], the input "
                + "of shape [2, 4, 8, 8] should have 6 channels (dimension 1), but has 4");
        assertError(ShapeException.class, () -> Convolutions.conv2d(x, Ember.zeros(3, 2, 3, 3), null,
                ConvOptions.DEFAULT.groups(2)), "conv2d: the weight of shape [3, 2, 3, 3] has 3 output channels, "
                + "which is not divisible by groups=2");
        assertError(ShapeException.class, () -> Convolutions.conv2d(x, Ember.zeros(5, 4, 3, 3), Ember.zeros(3)),
                "conv2d: given a weight of shape [5, 4, 3, 3], the bias must be 1-d with 5 elements, but has shape [3]");
        assertError(ShapeException.class, () -> Convolutions.conv2d(Ember.zeros(2, 2, 2, 4, 8, 8),
                Ember.zeros(5, 4, 3, 3)), "conv2d: expected a 4-d input", "[2, 2, 2, 4, 8, 8]");
        assertError(DTypeException.class, () -> Convolutions.conv2d(Ember.zeros(DType.INT64, 1, 1, 3, 3),
                Ember.zeros(1, 1, 2, 2)), "conv2d needs a floating-point tensor but got int64");
        assertError(DTypeException.class, () -> Convolutions.conv2d(x, Ember.zeros(5, 4, 3, 3),
                Ember.zeros(DType.FLOAT64, 5)), "conv2d: the input is float32 but the bias is float64");
        assertError(ShapeException.class, () -> Convolutions.conv1d(Ember.zeros(1, 2, 4), Ember.zeros(1, 2, 3), null,
                ConvOptions.DEFAULT.dilation(2).padding(0)), "conv1d: the input of shape [1, 2, 4] has size 4 in "
                + "dimension 2, less than the dilated kernel's extent 5");
        assertError(ShapeException.class, () -> Convolutions.conv2d(Ember.zeros(1, 1, 2, 9), Ember.zeros(1, 1, 5, 3),
                null, ConvOptions.DEFAULT.padding(1)), "conv2d: the input of shape [1, 1, 2, 9] has size 2 in "
                + "dimension 2 (4 with padding), less than the kernel's extent 5");
    }

    @Test
    void functionalPoolingErrors() {
        Tensor x = Ember.zeros(1, 1, 5, 5);
        assertError(ShapeException.class, () -> Pooling.avgPool2d(x, new int[] {2}, PoolOptions.DEFAULT.dilation(2)),
                "avgPool2d: average pooling has no dilation");
        assertError(ShapeException.class, () -> Pooling.maxPool2d(x, new int[] {2},
                PoolOptions.DEFAULT.divisorOverride(3)), "maxPool2d: countIncludePad and divisorOverride apply to "
                + "average pooling only");
        assertError(ShapeException.class, () -> Pooling.maxPool2d(x, 0), "maxPool2d: kernel size [0, 0] must be at "
                + "least 1");
        assertError(ShapeException.class, () -> Pooling.maxPool2d(Ember.zeros(1, 0, 5, 5), 2), "maxPool2d: the input "
                + "of shape [1, 0, 5, 5] has an empty channel or spatial dimension");
        assertError(ShapeException.class, () -> Pooling.adaptiveAvgPool2d(x, 1, 2, 3), "adaptiveAvgPool2d: output "
                + "size takes one or two values");
        // a dilated window that starts in the padding and steps over the whole input holds no element
        assertError(ShapeException.class, () -> Pooling.maxPool2d(Ember.zeros(1, 1, 3, 3), new int[] {2},
                PoolOptions.DEFAULT.stride(1).padding(1).dilation(4)), "covers only padding");
    }

    @Test
    void samePaddingKeepsTheSizeAndPrintsAsPyTorch() {
        // nn.Conv2d(1, 2, (2, 3), padding='same'): 'same' is printed as given; padding holds the zeros before
        Conv2d same = new Conv2d(1, 2, new int[] {2, 3}, ConvOptions.DEFAULT.padding(ConvPadding.SAME), true);
        assertEquals("Conv2d(1, 2, kernel_size=(2, 3), stride=(1, 1), padding=same)", same.toString());
        assertArrayEquals(new int[] {0, 1}, same.padding());
        assertArrayEquals(new int[] {3, 2, 7, 5}, same.forward(Ember.randn(3, 1, 7, 5)).shape());
        assertArrayEquals(new int[] {2, 7, 5}, same.forward(Ember.randn(1, 7, 5)).shape());
        Conv1d valid = new Conv1d(1, 2, 4, ConvOptions.DEFAULT.padding(ConvPadding.VALID).dilation(2));
        assertEquals("Conv1d(1, 2, kernel_size=(4,), stride=(1,), padding=valid, dilation=(2,))", valid.toString());
        assertArrayEquals(new int[] {1, 2, 4}, valid.forward(Ember.randn(1, 1, 10)).shape());
        // F.conv1d(torch.ones(1, 1, 4), torch.ones(1, 1, 4), padding='same'): one zero before, two after
        assertArrayEquals(new float[] {3, 4, 3, 2}, Convolutions.conv1d(Ember.ones(1, 1, 4), Ember.ones(1, 1, 4), null,
                ConvOptions.DEFAULT.padding(ConvPadding.SAME)).toFloatArray());
        assertEquals("ConvOptions[stride=[1], padding=same, dilation=[1], groups=1]",
                ConvOptions.DEFAULT.padding(ConvPadding.SAME).toString());
        assertEquals(ConvOptions.DEFAULT.padding(0), ConvOptions.DEFAULT.padding(ConvPadding.SAME).padding(0));
        assertTrue(!ConvOptions.DEFAULT.equals(ConvOptions.DEFAULT.padding(ConvPadding.VALID)));
    }

    @Test
    void samePaddingRefusesStridesAsPyTorchDoes() {
        // nn.Conv2d(1, 2, 3, padding='same', stride=2): ValueError: padding='same' is not supported for strided
        // convolutions; F.conv2d(..., padding='same', stride=2): the same as a RuntimeError
        ConvOptions strided = ConvOptions.DEFAULT.padding(ConvPadding.SAME).stride(1, 2);
        assertError(ShapeException.class, () -> new Conv2d(1, 2, 3, strided),
                "Conv2d: padding='same' is not supported for strided convolutions (stride [1, 2])");
        assertError(ShapeException.class, () -> Convolutions.conv1d(Ember.zeros(1, 1, 5), Ember.zeros(1, 1, 3), null,
                ConvOptions.DEFAULT.stride(2).padding(ConvPadding.SAME)),
                "conv1d: padding='same' is not supported for strided convolutions (stride [2])");
        assertError(ShapeException.class, () -> ConvOptions.DEFAULT.padding((ConvPadding) null),
                "the padding mode is null");
        // errors of the convolution itself name the input as given, not as padded
        assertError(ShapeException.class, () -> Convolutions.conv2d(Ember.zeros(2, 3, 5, 5), Ember.zeros(4, 2, 2, 2),
                null, ConvOptions.DEFAULT.padding(ConvPadding.SAME)), "the input of shape [2, 3, 5, 5] should have "
                + "2 channels");
    }

    @Test
    void convertsToFloat64WithTheModule() {
        Conv2d conv = new Conv2d(1, 2, 3);
        conv.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, conv.forward(Ember.randn(DType.FLOAT64, 1, 1, 4, 4)).dtype());
        assertTrue(conv.stateDict().keySet().containsAll(List.of("weight", "bias")));
    }

    static void assertError(Class<? extends EmberException> type, Runnable r, String... fragments) {
        EmberException e = assertThrows(type, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "the message should contain \"" + f + "\": " + e.getMessage());
        }
    }
}
