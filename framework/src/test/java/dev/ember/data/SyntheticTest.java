package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

/** Synthetic sets against the PyTorch programs in their Javadoc (values printed by pytorch_reference.py). */
class SyntheticTest {

    private static double sum(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += v;
        }
        return s;
    }

    private static double absSum(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += Math.abs(v);
        }
        return s;
    }

    private static double[] head(Tensor t, int n) {
        return Arrays.copyOf(t.toDoubleArray(), n);
    }

    @Test
    void spiralsEqualPyTorch() {
        SupervisedData s = Synthetic.spirals().pointsPerClass(4).classes(3).noise(0.2).seed(0).generate();
        assertArrayEquals(new int[] {12, 2}, s.inputs().shape());
        assertEquals(DType.FLOAT32, s.inputs().dtype());
        assertArrayEquals(new double[] {0.0, 0.0, 0.3188225030899048, 0.09727960079908371, 0.5266155004501343,
                -0.408803790807724, -0.8260673880577087, -0.5635713338851929, -0.0, -0.0, -0.31411510705947876,
                0.1115473210811615, 0.29844236373901367, 0.5961347222328186, 0.9512218832969666, -0.3085075318813324,
                0.0, -0.0, 0.057088278234004974, -0.3284083306789398, -0.6008090376853943, -0.28891685605049133,
                -0.5055016875267029, 0.8628256320953369}, s.inputs().toDoubleArray(), 1e-6);
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, s.targets().toLongArray());

        // 40 points per arm: the normal draws take PyTorch's vectorised path (16 or more at once)
        SupervisedData big = Synthetic.spirals().pointsPerClass(40).classes(2).noise(0.3).seed(5).generate();
        assertArrayEquals(new double[] {0.0, 0.0, -0.003071432001888752, 0.02545640431344509, 0.0013741919538006186,
                0.05126363784074783}, head(big.inputs(), 6), 1e-6);
        assertEquals(6.929601166746579, sum(big.inputs()), 1e-4);
        assertEquals(50.41270429769065, absSum(big.inputs()), 1e-4);
    }

    @Test
    void moonsEqualPyTorch() {
        SupervisedData m = Synthetic.moons().samples(7).noise(0.1).shuffle(true).seed(1).generate();
        assertArrayEquals(new double[] {1.0563551187515259, 0.11430564522743225, 2.0859007835388184,
                0.5705592036247253, -0.034055501222610474, 0.8728010058403015, -0.11948245018720627,
                0.5025023221969604, 1.4237300157546997, -0.22633114457130432, -1.0324509143829346,
                0.028786946088075638, 0.6057869791984558, -0.2698201835155487}, m.inputs().toDoubleArray(), 1e-6);
        assertArrayEquals(new long[] {0, 1, 0, 1, 1, 0, 1}, m.targets().toLongArray());

        SupervisedData plain = Synthetic.moons().samples(5).noise(0).shuffle(false).generate();
        assertArrayEquals(new double[] {1.0, 0.0, -1.0, 1.2246468525851679e-16, 0.0, 0.5, 1.0, -0.5, 2.0, 0.5},
                plain.inputs().toDoubleArray(), 1e-7);
        assertArrayEquals(new long[] {0, 0, 1, 1, 1}, plain.targets().toLongArray());

        SupervisedData big = Synthetic.moons().samples(100).noise(0.2).seed(2).generate();
        assertArrayEquals(new double[] {-0.9901342391967773, -0.10848569869995117, 2.140620231628418,
                0.403744101524353}, head(big.inputs(), 4), 1e-6);
        assertArrayEquals(new long[] {0, 1, 0, 1, 1, 0, 0, 0, 0, 0}, Arrays.copyOf(big.targets().toLongArray(), 10));
        assertEquals(75.74202443752438, sum(big.inputs()), 1e-4);
    }

    @Test
    void blobsEqualPyTorch() {
        SupervisedData b = Synthetic.blobs().samples(10).centers(3).features(2).std(1.0).centerBox(-10, 10)
                .shuffle(true).seed(2).generate();
        assertArrayEquals(new double[] {9.669830322265625, -7.314056873321533, 4.072218418121338,
                -0.14453312754631042, 7.959307670593262, -9.104374885559082, 7.788585662841797, 0.7622852921485901,
                4.793128490447998, 0.5667549967765808, 4.199532508850098, 0.31400030851364136, 7.02473258972168,
                -9.302992820739746, 8.924320220947266, -7.520748138427734, 8.690958976745605, -0.9675564169883728,
                8.20602035522461, -1.05101478099823}, b.inputs().toDoubleArray(), 1e-5);
        assertArrayEquals(new long[] {0, 1, 0, 2, 1, 1, 0, 0, 2, 2}, b.targets().toLongArray());

        SupervisedData big = Synthetic.blobs().samples(200).centers(4).features(3).std(0.5).centerBox(-5, 5)
                .seed(8).generate();
        assertArrayEquals(new int[] {200, 3}, big.inputs().shape());
        assertArrayEquals(new double[] {1.944811224937439, 1.0005475282669067, -4.044575214385986,
                2.3598544597625732, 0.40716126561164856, -3.8473010063171387}, head(big.inputs(), 6), 1e-5);
        assertArrayEquals(new long[] {0, 0, 0, 3, 3, 3, 0, 1, 3, 2}, Arrays.copyOf(big.targets().toLongArray(), 10));
        assertEquals(-164.08320980286226, sum(big.inputs()), 1e-3);
    }

    @Test
    void regressionEqualsPyTorch() {
        Synthetic.RegressionData r = Synthetic.regression().samples(6).features(3).noise(0.1).bias(0.5).seed(3)
                .generate();
        assertArrayEquals(new double[] {-0.21774879097938538, 0.1466771364212036, -2.2236366271972656,
                -0.4724361002445221, -1.3464356660842896, -0.2841692566871643, 0.1679447442293167, 0.7580573558807373,
                1.0784353017807007, 0.3436338007450104, 1.003793716430664, -0.22139637172222137, -0.5840098857879639,
                -1.2249853610992432, -0.269718736410141, 0.20366863906383514, 0.028752867132425308,
                0.24243710935115814}, r.data().inputs().toDoubleArray(), 1e-6);
        assertArrayEquals(new int[] {6, 1}, r.data().targets().shape());
        assertArrayEquals(new double[] {-0.44594627618789673, -2.445716142654419, 2.32527494430542,
                2.2382047176361084, -2.224693775177002, 0.8156378269195557}, r.data().targets().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {1.3420355319976807, 1.4620037078857422, 0.43616098165512085},
                r.weights().toDoubleArray(), 1e-6);
        assertEquals(0.5, r.bias());

        Synthetic.RegressionData exact = Synthetic.regression().noise(0).generate();
        Tensor fit = exact.data().inputs().matmul(exact.weights().unsqueeze(1)).add(exact.bias());
        assertArrayEquals(exact.data().targets().toDoubleArray(), fit.toDoubleArray(), 1e-5);
    }

    @Test
    void setsDependOnlyOnTheirSeed() {
        Ember.manualSeed(1);
        SupervisedData a = Synthetic.spirals().generate();
        Ember.manualSeed(2);
        SupervisedData b = Synthetic.spirals().generate();
        assertArrayEquals(a.inputs().toFloatArray(), b.inputs().toFloatArray());
        assertNotEquals(Arrays.toString(a.inputs().toFloatArray()),
                Arrays.toString(Synthetic.spirals().seed(1).generate().inputs().toFloatArray()));
        assertArrayEquals(new int[] {300, 2}, a.inputs().shape());
        assertArrayEquals(new int[] {200, 2}, Synthetic.moons().generate().inputs().shape());
        assertArrayEquals(new int[] {300, 2}, Synthetic.blobs().generate().inputs().shape());
    }

    @Test
    void badOptionsAreRejected() {
        assertThrowsWith(EmberException.class, () -> Synthetic.spirals().classes(0), "classes must be at least 1");
        assertThrowsWith(EmberException.class, () -> Synthetic.spirals().noise(-1), "noise must be finite and at "
                + "least 0, got -1.0");
        assertThrowsWith(EmberException.class, () -> Synthetic.moons().samples(1), "samples must be at least 2");
        assertThrowsWith(EmberException.class, () -> Synthetic.blobs().samples(2).centers(3),
                "samples (2) must be at least the number of centers (3)");
        assertThrowsWith(EmberException.class, () -> Synthetic.blobs().centerBox(1, 1), "centerLow < centerHigh");
        assertThrowsWith(EmberException.class, () -> Synthetic.regression().features(0), "features must be at least 1");
        assertThrowsWith(EmberException.class, () -> Synthetic.regression().bias(Double.NaN), "bias must be finite");
    }
}
