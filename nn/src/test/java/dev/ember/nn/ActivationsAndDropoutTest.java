package dev.ember.nn;

import static dev.ember.nn.ContainersAndReprTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.GradCheck;
import dev.ember.nn.functional.Activations;
import dev.ember.nn.functional.Dropouts;
import org.junit.jupiter.api.Test;

/** The activation modules and the dropouts: values at known points, in-place variants, train/eval, and errors. */
class ActivationsAndDropoutTest {
    private static final Tensor X = Ember.tensor(-2.0, -0.5, 0.0, 0.5, 2.0);

    @Test
    void valuesAtKnownPoints() {
        // torch.nn.functional.<f>(torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])), PyTorch 1.13
        assertArrayEquals(new float[] {-0.0455f, -0.1543f, 0f, 0.3457f, 1.9545f}, new GELU().forward(X).toFloatArray(),
                1e-4f);
        assertArrayEquals(new float[] {-0.0454f, -0.1543f, 0f, 0.3457f, 1.9546f},
                new GELU(GeluApproximation.TANH).forward(X).toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {-0.2384f, -0.1888f, 0f, 0.3112f, 1.7616f}, new SiLU().forward(X).toFloatArray(),
                1e-4f);
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0f, 0.5f, 2f}, new LeakyReLU().forward(X).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.8647f, -0.3935f, 0f, 0.5f, 2f}, new ELU().forward(X).toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 2f}, new ReLU().forward(X).toFloatArray());
        assertArrayEquals(new float[] {0.1192f, 0.3775f, 0.5f, 0.6225f, 0.8808f}, new Sigmoid().forward(X).toFloatArray(),
                1e-4f);
        assertArrayEquals(new float[] {-0.9640f, -0.4621f, 0f, 0.4621f, 0.9640f}, new Tanh().forward(X).toFloatArray(),
                1e-4f);
        assertEquals(1.0, new Softmax(0).forward(X).sum().item(), 1e-6);
        assertEquals(1.0, new LogSoftmax(0).forward(X).exp().sum().item(), 1e-6);
        assertEquals("GeluBackward", Activations.gelu(X.clone().requiresGrad_()).gradFn().name());
        assertEquals("EluBackward", Activations.elu(X.clone().requiresGrad_()).gradFn().name());
    }

    @Test
    void erfOfIntegersIsFloat32AsInPyTorch() {
        // torch.tensor([-2, 0, 1, 3]).erf() -> float32 tensor([-0.9953, 0.0000, 0.8427, 1.0000])
        Tensor e = Ember.tensor(DType.INT64, -2, 0, 1, 3).erf();
        assertEquals(DType.FLOAT32, e.dtype());
        assertArrayEquals(new float[] {-0.99532227f, 0f, 0.84270079f, 0.99997791f}, e.toFloatArray(), 1e-7f);
    }

    @Test
    void inPlaceVariantsOverwriteTheirInputAndStillDifferentiate() {
        Tensor w = Ember.tensor(-2.0, -0.5, 0.5, 2.0).requiresGrad_();
        for (Module m : new Module[] {new ReLU(true), new LeakyReLU(0.1, true), new ELU(1.0, true), new SiLU(true)}) {
            Tensor h = w.mul(1.0);
            Tensor out = m.forward(h);
            assertSame(h, out, m + " returns its input");
            w.setGrad(null);
            out.sum().backward();
            Tensor h2 = w.mul(1.0);
            Module copy = m instanceof ReLU ? new ReLU() : m instanceof LeakyReLU ? new LeakyReLU(0.1)
                    : m instanceof ELU ? new ELU() : new SiLU();
            Tensor w2 = w.detach().clone().requiresGrad_();
            copy.forward(w2).sum().backward();
            assertArrayEquals(w2.grad().toFloatArray(), w.grad().toFloatArray(), 1e-6f, m.toString());
            assertTrue(h2.requiresGrad());
        }
        AutogradException e = assertThrows(AutogradException.class, () -> new ReLU(true).forward(w));
        assertMessage(e, "leaf tensor that requires grad");
    }

    @Test
    void activationsRejectIntegerInputs() {
        Tensor ints = Ember.tensor(DType.INT64, 1, 2);
        for (Module m : new Module[] {new GELU(), new SiLU(), new LeakyReLU(), new ELU()}) {
            DTypeException e = assertThrows(DTypeException.class, () -> m.forward(ints));
            assertMessage(e, "int64", ".to(DType.FLOAT32)");
        }
        assertThrows(EmberException.class, () -> new GELU(null));
        assertThrows(EmberException.class, () -> Activations.relu(null));
    }

    @Test
    void activationsPassGradcheckAndGradgradcheck() {
        Tensor x = Ember.tensor(DType.FLOAT64, -1.7, -0.4, 0.3, 1.1, 2.6).requiresGrad_();
        for (Module m : new Module[] {new GELU(), new GELU(GeluApproximation.TANH), new SiLU(), new LeakyReLU(0.3),
            new ELU(0.8), new Softmax(0), new LogSoftmax(0)}) {
            assertTrue(GradCheck.gradcheck(m::forward, x), m.toString());
            assertTrue(GradCheck.gradgradcheck(m::forward, x), m.toString());
        }
    }

    @Test
    void dropoutFollowsTrainAndEval() {
        Dropout d = new Dropout(0.5);
        Tensor x = Ember.ones(1000);
        Ember.manualSeed(0);
        Tensor y = d.forward(x);
        double kept = y.ne(0.0).to(DType.FLOAT32).sum().item();
        assertTrue(kept > 430 && kept < 570, "about half kept: " + kept);
        for (double v : y.toDoubleArray()) {
            assertTrue(v == 0.0 || v == 2.0, "survivors are scaled by 1 / (1 - p): " + v);
        }
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertSame(x, new Dropout(0.0).forward(x));
        assertEquals(0.0, new Dropout(1.0).forward(x).abs().sum().item());
        // the same seed gives the same mask
        Ember.manualSeed(0);
        assertArrayEquals(y.toFloatArray(), d.forward(x).toFloatArray());
    }

    @Test
    void dropoutInPlaceAndGradient() {
        Tensor w = Ember.ones(DType.FLOAT64, 20).requiresGrad_();
        Tensor h = w.mul(3.0);
        Ember.manualSeed(3);
        Tensor y = new Dropout(0.25, true).forward(h);
        assertSame(h, y);
        y.sum().backward();
        double[] g = w.grad().toDoubleArray();
        double[] v = y.detach().toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(v[i] == 0 ? 0.0 : 3.0 / 0.75, g[i], 1e-12);
        }
    }

    @Test
    void dropoutErrors() {
        EmberException e = assertThrows(EmberException.class, () -> new Dropout(1.5));
        assertMessage(e, "Dropout", "between 0 and 1", "1.5");
        assertThrows(EmberException.class, () -> new Dropout(-0.1));
        assertThrows(EmberException.class, () -> new Dropout(Double.NaN));
        assertThrows(EmberException.class, () -> Dropouts.dropout(Ember.ones(2), 2.0, false));
        DTypeException d = assertThrows(DTypeException.class,
                () -> Dropouts.dropout(Ember.tensor(DType.INT64, 1, 2), 0.5, true));
        assertMessage(d, "dropout", "int64");
    }

    @Test
    void channelDropoutZeroesWholeChannels() {
        Tensor x = Ember.ones(DType.FLOAT64, 4, 6, 3, 5).requiresGrad_();
        Ember.manualSeed(1);
        Tensor y = new Dropout2d(0.5).forward(x);
        Tensor perChannel = y.detach().sum(new int[] {2, 3}, false);   // [4, 6]: 0 or 15 * 2 each
        for (double v : perChannel.toDoubleArray()) {
            assertTrue(v == 0.0 || v == 30.0, "a channel is kept whole (and scaled) or dropped whole: " + v);
        }
        // exactly 4 * 6 draws: the next draw is the 25th of the seed's stream
        Tensor next = Ember.rand(DType.FLOAT64, 1);
        Ember.manualSeed(1);
        assertEquals(Ember.rand(DType.FLOAT64, 25).toDoubleArray()[24], next.item());
        y.sum().backward();
        assertArrayEquals(y.detach().toDoubleArray(), x.grad().toDoubleArray());
        // unbatched [C, L] for dropout1d, [C, D, H, W] for dropout3d: one draw per channel, in place alike
        Tensor u = Ember.ones(3, 4);
        assertSame(u, Dropouts.dropout1d(u, 0.5, true, true));
        for (float[] row : new float[][] {row(u, 0), row(u, 1), row(u, 2)}) {
            assertTrue(row[0] == row[1] && row[1] == row[2] && row[2] == row[3]);
        }
        assertArrayEquals(new int[] {2, 2, 2, 2}, Dropouts.dropout3d(Ember.ones(2, 2, 2, 2), 0.5).shape());
        Dropout1d eval = new Dropout1d();
        eval.eval();
        assertSame(u, eval.forward(u));
    }

    private static float[] row(Tensor t, int i) {
        return t.select(0, i).toFloatArray();
    }

    @Test
    void alphaDropoutKeepsMeanAndVariance() {
        Ember.manualSeed(0);
        Tensor x = Ember.randn(DType.FLOAT64, 200_000);
        Tensor y = Dropouts.alphaDropout(x, 0.3, true);
        assertEquals(0.0, y.mean().item(), 0.01);
        assertEquals(1.0, y.var().item(), 0.01);
        assertSame(x, Dropouts.alphaDropout(x, 0.3, false));
        // p = 1 gives zeros, as PyTorch's
        assertEquals(0.0, new AlphaDropout(1.0).forward(x).abs().sum().item());
    }

    @Test
    void channelDropoutErrors() {
        // F.dropout1d(torch.ones(2, 3, 4, 5)):
        // RuntimeError: dropout1d: Expected 2D or 3D input, but received a 4D input
        assertMessage(assertThrows(EmberException.class, () -> Dropouts.dropout1d(Ember.ones(2, 3, 4, 5), 0.5)),
                "dropout1d: expected a 2-d [channels, length] or 3-d [batch, channels, length] input, but got shape "
                        + "[2, 3, 4, 5]");
        // F.dropout2d(torch.ones(5)): Feature dropout requires at least 2 dimensions in the input
        assertMessage(assertThrows(EmberException.class, () -> new Dropout2d().forward(Ember.ones(5))),
                "dropout2d: channel dropout needs at least 2 dimensions", "[5]");
        // F.dropout3d(torch.tensor(1.0), 0.5): Feature dropout requires at least 2 dimensions in the input (after
        // its unsqueeze(0) of an unbatched input)
        assertMessage(assertThrows(EmberException.class, () -> Dropouts.dropout3d(Ember.scalar(1.0), 0.5)),
                "dropout3d: channel dropout needs at least 1 dimension [channels, ...], got shape []");
        assertMessage(assertThrows(EmberException.class, () -> new Dropout3d(1.2)), "Dropout3d", "between 0 and 1");
        assertMessage(assertThrows(EmberException.class, () -> Dropouts.alphaDropout(Ember.ones(2), -1, true)),
                "alphaDropout", "between 0 and 1");
    }
}
