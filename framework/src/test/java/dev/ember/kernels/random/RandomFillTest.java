package dev.ember.kernels.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link RandomFill} against PyTorch 1.13.1 (Debian python3-torch 1.13.1+dfsg-4, CPU, x86-64 with AVX2, glibc
 * 2.36). Every expected array below was printed by the Python in the comment above it, run with
 * {@code torch.set_num_threads(1)}; float32 values are printed with 9 significant digits and float64 values with
 * {@code repr}, so each literal is exactly PyTorch's value.
 *
 * <p>float32 results, uniform and randint results are compared bit for bit. Double-precision normal results go
 * through log, sin and cos in double: Ember takes them from {@link Math}, PyTorch from glibc, and the two disagree by
 * 1 ulp for about 0.1-0.2% of arguments (measured on 200,000 arguments of this distribution: log 0.08%, sin 0.2%,
 * cos 0.19%), so those are compared within a few ulps (see {@link #assertNormal64}). float32 normal results of the
 * scalar sampler are rounded from those doubles and are still compared exactly; the AVX2 float kernel uses no libm at
 * all.
 */
class RandomFillTest {


    // ------------------------------------------------------------------------------------------------ helpers

    private static float[] randn32(Generator g, int n) {
        float[] out = new float[n];
        RandomFill.normal(g, out, 0, n, 0.0, 1.0);
        return out;
    }

    private static double[] randn64(Generator g, int n) {
        double[] out = new double[n];
        RandomFill.normal(g, out, 0, n, 0.0, 1.0);
        return out;
    }

    /**
     * Double normal values: sample * std + mean where the sample is r cos(theta) or r sin(theta) from libm's log,
     * sin and cos. One ulp of difference in each of log, sqrt's input and sin/cos moves the sample by at most ~3 ulp,
     * scaled by std into the result, plus the final rounding: 4 ulp of |value - mean| plus 1 ulp of the value.
     */
    private static void assertNormal64(double[] expected, double[] actual, double mean) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 4 * Math.ulp(Math.abs(expected[i] - mean)) + Math.ulp(expected[i]);
            double diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= tolerance, "element " + i + ": expected " + expected[i] + " but was " + actual[i]
                    + " (diff " + diff + " > tolerance " + tolerance + ")");
        }
    }

    private static float[] concat(float[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- the engine

    @Test
    void mt19937MatchesStdMt19937() {
        // The C++ standard: the 10000th output of a default-constructed std::mt19937 (seed 5489) is 4123659995.
        Mt19937 mt = new Mt19937(5489);
        assertEquals(3499211612L, mt.nextUnsignedInt());
        for (int i = 2; i < 10000; i++) {
            mt.nextInt();
        }
        assertEquals(4123659995L, mt.nextUnsignedInt());
    }

    @Test
    void randomAndRandom64() {
        // torch.Generator().manual_seed(0) draws the same 32-bit words as std::mt19937(0): 2357136044, 2546248239, ...
        Generator g = new Generator(0);
        assertEquals(2357136044L, g.random());
        assertEquals(2546248239L, g.random());
        Generator h = new Generator(0);
        assertEquals((2357136044L << 32) | 2546248239L, h.random64(), "random64: first draw in the high half");
    }

    @Test
    void seedsUseTheLow32BitsButReportAll64() {
        Generator g = new Generator().manualSeed((1L << 32) + 7);
        float[] x = new float[3];
        RandomFill.uniform(g, x, 0, 3, 0.0, 1.0);
        assertArrayEquals(BIG_SEED, x);
        assertEquals((1L << 32) + 7, g.initialSeed());

        g.manualSeed(-3); // torch.manual_seed(-3): the seed 2^64 - 3
        RandomFill.uniform(g, x, 0, 3, 0.0, 1.0);
        assertArrayEquals(NEG_SEED, x);
        assertEquals("18446744073709551613", Long.toUnsignedString(g.initialSeed()));
    }

    @Test
    void unseededGeneratorUsesPyTorchsDefaultSeed() {
        Generator g = new Generator();
        assertEquals(67280421310721L, g.initialSeed());
        float[] x = new float[3];
        RandomFill.uniform(g, x, 0, 3, 0.0, 1.0);
        assertArrayEquals(GEN_DEFAULT, x);
    }

    @Test
    void defaultGeneratorIsSharedAndManualSeedMakesItDeterministic() {
        Generator g = Generator.defaultGenerator();
        assertTrue(g == Generator.defaultGenerator());
        synchronized (g) { // other tests in the same JVM may use it
            g.manualSeed(0);
            assertArrayEquals(RANDN3, randn32(g, 3));
        }
    }

    // ------------------------------------------------------------------------------------------------- randn

    @Test
    void randn3Float32() {
        assertArrayEquals(RANDN3, randn32(new Generator(0), 3));
    }

    @Test
    void randnFloat32EverySizeClass() {
        // n < 16: scalar double Box-Muller; n >= 16: 16-wide kernel, with the last 16 re-drawn when n % 16 != 0.
        int[] sizes = {1, 2, 15, 16, 17, 31, 32, 33, 100};
        float[][] expected = {F32_1, F32_2, F32_15, F32_16, F32_17, F32_31, F32_32, F32_33, F32_100};
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(expected[i], randn32(new Generator(0), sizes[i]), "randn(" + sizes[i] + ")");
        }
    }

    @Test
    void randnFloat64EverySizeClass() {
        int[] sizes = {1, 2, 3, 16, 17, 33};
        double[][] expected = {F64_1, F64_2, F64_3, F64_16, F64_17, F64_33};
        for (int i = 0; i < sizes.length; i++) {
            assertNormal64(expected[i], randn64(new Generator(0), sizes[i]), 0.0);
        }
    }

    @Test
    void fillsOnlyTheGivenRange() {
        float[] out = new float[20];
        Arrays.fill(out, 42f);
        RandomFill.normal(new Generator(0), out, 2, 16, 0.0, 1.0);
        assertEquals(42f, out[0]);
        assertEquals(42f, out[1]);
        assertArrayEquals(F32_16, Arrays.copyOfRange(out, 2, 18));
        assertEquals(42f, out[18]);
        assertEquals(42f, out[19]);

        double[] d = new double[5];
        RandomFill.normal(new Generator(0), d, 1, 3, 0.0, 1.0);
        assertEquals(0.0, d[0]);
        assertNormal64(F64_3, Arrays.copyOfRange(d, 1, 4), 0.0);
        assertEquals(0.0, d[4]);
    }

    @Test
    void zeroElementsDrawNothing() {
        Generator g = new Generator(0);
        RandomFill.normal(g, new float[0], 0, 0, 0.0, 1.0);
        RandomFill.uniform(g, new double[0], 0, 0, 0.0, 1.0);
        RandomFill.randint(g, new long[0], 0, 0, 0, 10);
        assertArrayEquals(RANDN3, randn32(g, 3));
    }

    @Test
    void normalWithMeanAndStd() {
        // On AVX2 PyTorch fuses sample * std + mean into one fused multiply-add; these values depend on that.
        float[] f5 = new float[5];
        RandomFill.normal(new Generator(1), f5, 0, 5, 1.5, 0.25);
        assertArrayEquals(MS_F32_5, f5);
        float[] f20 = new float[20];
        RandomFill.normal(new Generator(1), f20, 0, 20, 1.5, 0.25);
        assertArrayEquals(MS_F32_20, f20);
        double[] d5 = new double[5];
        RandomFill.normal(new Generator(1), d5, 0, 5, 1.5, 0.25);
        assertNormal64(MS_F64_5, d5, 1.5);
        double[] d20 = new double[20];
        RandomFill.normal(new Generator(1), d20, 0, 20, 1.5, 0.25);
        assertNormal64(MS_F64_20, d20, 1.5);
    }

    @Test
    void zeroStdGivesTheMean() {
        float[] out = new float[40];
        RandomFill.normal(new Generator(3), out, 0, 40, 2.5, 0.0);
        for (float v : out) {
            assertEquals(2.5f, v);
        }
    }

    @Test
    void cachedNormalSampleCarriesAcrossCalls() {
        // randn(1) caches r sin(theta); the next randn(1) returns it; randn(16) neither uses nor clears the cache; a
        // float64 call shares the same double cache; randn(3) starts with the cached sample.
        Generator g = new Generator(0);
        float[] a = randn32(g, 1);
        float[] b = randn32(g, 1);
        float[] c = randn32(g, 16);
        double[] d = randn64(g, 1);
        float[] e = randn32(g, 3);
        assertArrayEquals(SEQ, concat(a, b, c, new float[] {(float) d[0]}, e));

        Generator h = new Generator(0);
        float[] first = randn32(h, 1);
        assertTrue(h.nextDoubleNormalSample().isPresent());
        float[] vector = randn32(h, 16);
        assertTrue(h.nextDoubleNormalSample().isPresent(), "the 16-wide kernel leaves the cache alone");
        double[] pair = randn64(h, 2);
        assertTrue(h.nextDoubleNormalSample().isPresent(), "the second element drew a new pair and cached its sin");
        double[] got = new double[19];
        got[0] = first[0];
        for (int i = 0; i < 16; i++) {
            got[1 + i] = vector[i];
        }
        got[17] = pair[0];
        got[18] = pair[1];
        assertNormal64(SEQ_F64, got, 0.0);
        assertEquals(SEQ_F64[17], pair[0], "the cached sample itself is exact: it was stored, not recomputed");
    }

    @Test
    void manualSeedClearsTheCachedSample() {
        Generator g = new Generator(0);
        float[] a = randn32(g, 1);
        assertTrue(g.nextDoubleNormalSample().isPresent());
        g.manualSeed(0);
        assertFalse(g.nextDoubleNormalSample().isPresent());
        assertFalse(g.nextFloatNormalSample().isPresent());
        float[] b = randn32(g, 2);
        assertArrayEquals(RESEED, concat(a, b));
    }

    // ------------------------------------------------------------------------------------------------ uniform

    @Test
    void randFloat32AndFloat64() {
        float[] f5 = new float[5];
        RandomFill.uniform(new Generator(0), f5, 0, 5, 0.0, 1.0);
        assertArrayEquals(RAND_F32_5, f5);
        float[] f20 = new float[20];
        RandomFill.uniform(new Generator(3), f20, 0, 20, 0.0, 1.0);
        assertArrayEquals(RAND_F32_20, f20);
        double[] d5 = new double[5];
        RandomFill.uniform(new Generator(0), d5, 0, 5, 0.0, 1.0);
        assertArrayEquals(RAND_F64_5, d5); // 53-bit uniforms from random64(): exact
        double[] d20 = new double[20];
        RandomFill.uniform(new Generator(3), d20, 0, 20, 0.0, 1.0);
        assertArrayEquals(RAND_F64_20, d20);
    }

    @Test
    void uniformWithBounds() {
        // x * (to - from) + from, fused on AVX2: several of these floats differ by 1 ulp without the fusing.
        float[] f = new float[12];
        RandomFill.uniform(new Generator(7), f, 0, 12, -3.7, 2.3);
        assertArrayEquals(UNI_F32, f);
        double[] d = new double[12];
        RandomFill.uniform(new Generator(7), d, 0, 12, -3.7, 2.3);
        assertArrayEquals(UNI_F64, d);
    }

    // ------------------------------------------------------------------------------------------------ randint

    @Test
    void randintSmallRanges() {
        long[] a = new long[12];
        RandomFill.randint(new Generator(0), a, 0, 12, 0, 10);
        assertArrayEquals(RI_SMALL, a);
        long[] b = new long[8];
        RandomFill.randint(new Generator(0), b, 0, 8, -5, 5);
        assertArrayEquals(RI_NEG, b);
    }

    @Test
    void randintSwitchesTo64BitDrawsAtRange2To32() {
        long[] a = new long[4];
        RandomFill.randint(new Generator(0), a, 0, 4, 0, (1L << 32) - 1); // range 2^32 - 1: 32-bit draws
        assertArrayEquals(RI_2P32M1, a);
        long[] b = new long[4];
        RandomFill.randint(new Generator(0), b, 0, 4, -5, (1L << 32) - 5); // range 2^32: 64-bit draws
        assertArrayEquals(RI_2P32, b);
        long[] c = new long[6];
        RandomFill.randint(new Generator(0), c, 0, 6, -(1L << 40), 1L << 40);
        assertArrayEquals(RI_HUGE, c);
        long[] d = new long[4];
        RandomFill.randint(new Generator(0), d, 0, 4, -(1L << 62), 1L << 62);
        assertArrayEquals(RI_FULLISH, d);
    }

    @Test
    void randintIntoFloatingArrays() {
        float[] a = new float[6];
        RandomFill.randint(new Generator(0), a, 0, 6, 0, 10);
        assertArrayEquals(RI_F32, a);
        float[] b = new float[4];
        RandomFill.randint(new Generator(0), b, 0, 4, 0, 1L << 40);
        assertArrayEquals(RI_F32_HUGE, b);
        double[] c = new double[4];
        RandomFill.randint(new Generator(0), c, 0, 4, -(1L << 40), 1L << 40);
        assertArrayEquals(RI_F64_HUGE, c);
    }

    // ------------------------------------------------------------------------------------------------- state

    @Test
    void getStateSetStateRoundTrip() {
        Generator g = new Generator(11);
        randn32(g, 1); // leaves a cached double sample in the state
        RandomFill.randint(g, new long[700], 0, 700, 0, 1000); // crosses an MT19937 regeneration
        Generator.State saved = g.getState();
        assertTrue(saved.nextDoubleNormalSample().isPresent());

        float[] a = randn32(g, 5);
        float[] b = randn32(g, 40);
        double[] c = new double[9];
        RandomFill.uniform(g, c, 0, 9, -1.0, 1.0);

        Generator other = new Generator(99);
        other.setState(saved);
        g.setState(saved);
        for (Generator h : new Generator[] {g, other}) {
            assertArrayEquals(a, randn32(h, 5));
            assertArrayEquals(b, randn32(h, 40));
            double[] c2 = new double[9];
            RandomFill.uniform(h, c2, 0, 9, -1.0, 1.0);
            assertArrayEquals(c, c2);
        }
        assertEquals(11, other.initialSeed());
        assertEquals(g.getState(), other.getState());
        assertNotEquals(saved, g.getState());
    }

    @Test
    void stateIsADeepCopy() {
        Generator g = new Generator(5);
        Generator.State s = g.getState();
        int[] words = s.words();
        words[0] ^= 1;
        assertNotEquals(words[0], s.words()[0], "words() returns a copy");
        Generator.State built = new Generator.State(s.seed(), words, s.left(), s.next(), Optional.of(0.5f),
                OptionalDouble.of(-1.25));
        words[1] ^= 1;
        assertNotEquals(words[1], built.words()[1], "the constructor copies its words");
        g.setState(built);
        assertEquals(Optional.of(0.5f), g.nextFloatNormalSample());
        assertEquals(OptionalDouble.of(-1.25), g.nextDoubleNormalSample());
        assertEquals(built, g.getState());
    }

    @Test
    void invalidStatesAreRejected() {
        Generator.State s = new Generator(5).getState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Generator.State(
                s.seed(), new int[10], s.left(), s.next(), Optional.empty(), OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("624") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Generator.State(
                s.seed(), s.words(), 0, s.next(), Optional.empty(), OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("left=0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ threads

    @Test
    void concurrentFillsTakeWholeContiguousParts() throws Exception {
        int n = 5000;
        float[] sequential = new float[2 * n];
        RandomFill.uniform(new Generator(8), sequential, 0, 2 * n, 0.0, 1.0);
        float[] first = Arrays.copyOfRange(sequential, 0, n);
        float[] second = Arrays.copyOfRange(sequential, n, 2 * n);

        Generator g = new Generator(8);
        float[] x = new float[n];
        float[] y = new float[n];
        CountDownLatch start = new CountDownLatch(1);
        Thread t1 = new Thread(() -> {
            await(start);
            RandomFill.uniform(g, x, 0, n, 0.0, 1.0);
        });
        Thread t2 = new Thread(() -> {
            await(start);
            RandomFill.uniform(g, y, 0, n, 0.0, 1.0);
        });
        t1.start();
        t2.start();
        start.countDown();
        t1.join();
        t2.join();
        boolean xFirst = Arrays.equals(x, first) && Arrays.equals(y, second);
        boolean yFirst = Arrays.equals(y, first) && Arrays.equals(x, second);
        assertTrue(xFirst || yFirst, "each fill must take one contiguous part of the stream");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ capabilities

    @Test
    void defaultCapabilityMatchesPyTorchsBaselineKernels() {
        RandomFill.Capability before = RandomFill.capability();
        try {
            RandomFill.setCapability(RandomFill.Capability.DEFAULT);
            float[] f = new float[12];
            RandomFill.uniform(new Generator(7), f, 0, 12, -3.7, 2.3);
            assertArrayEquals(UNI_F32_DEFAULT, f); // no fusing: exact
            // The baseline float kernel uses glibc's logf/sincosf, which are not correctly rounded for about 1% of
            // arguments (measured: logf 0.7%, sinf 1.3%, cosf 1.3% of 200,000); Ember's are, so allow a few ulps.
            float[] r = randn32(new Generator(0), 16);
            for (int i = 0; i < 16; i++) {
                assertEquals(F32_16_DEFAULT[i], r[i], 4 * Math.ulp(F32_16_DEFAULT[i]), "element " + i);
            }
        } finally {
            RandomFill.setCapability(before);
        }
        assertEquals(RandomFill.Capability.AVX2, RandomFill.capability());
    }

    // ------------------------------------------------------------------------------------------------- errors

    @Test
    void negativeStdIsRejected() {
        // PyTorch: "normal expects std >= 0.0, but found std -1"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.normal(new Generator(0), new float[3], 0, 3, 0.0, -1.0));
        assertTrue(e.getMessage().startsWith("normal expects std >= 0.0, but found std -1.0"), e.getMessage());
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.normal(new Generator(0), new double[3], 0, 3, 0.0, Double.NaN));
        assertTrue(e.getMessage().contains("found std NaN"), e.getMessage());
    }

    @Test
    void emptyIntegerRangeIsRejected() {
        // PyTorch: "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.randint(new Generator(0), new long[3], 0, 3, 5, 5));
        assertTrue(e.getMessage().contains("low < high") && e.getMessage().contains("low=5 >= high=5")
                && e.getMessage().contains("high=6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.randint(new Generator(0), new double[3], 0, 3, 7, 2));
        assertTrue(e.getMessage().contains("low=7 >= high=2"), e.getMessage());
        // PyTorch: "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got
        // from=8589934592 >= to=8589934592" for torch.randint(2**33, 2**33 + 1000, (3,), dtype=torch.float32):
        // 2**33 + 999 is not a float32, so 'to' moves down to 2**33
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.randint(new Generator(0), new float[3], 0, 3, 1L << 33, (1L << 33) + 1000));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("low=8589934592 >= high=8589934592"),
                e.getMessage());
    }

    @Test
    void badUniformBoundsAreRejected() {
        // PyTorch: "uniform_ expects to return a [from, to) range, but found from=2 > to=1"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new float[3], 0, 3, 2.0, 1.0));
        assertTrue(e.getMessage().contains("from=2.0 > to=1.0") && e.getMessage().contains("swap"), e.getMessage());
        // PyTorch: "to is out of bounds for float"
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new float[3], 0, 3, 0.0, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("to=Infinity is out of bounds for float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new float[3], 0, 3, 0.0, 1e39));
        assertTrue(e.getMessage().contains("to=1.0E39 is out of bounds for float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new double[3], 0, 3, Double.NaN, 1.0));
        assertTrue(e.getMessage().contains("from=NaN is out of bounds for float64"), e.getMessage());
        // PyTorch: "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and
        // from=-3e+38 which result in to-from to exceed the limit"
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new float[3], 0, 3, -3e38, 3e38));
        assertTrue(e.getMessage().contains("to=3.0E38 and from=-3.0E38"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new double[3], 0, 3, -1.7e308, 1.7e308));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void badCountsAndRangesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.normal(new Generator(0), new float[3], 0, -1, 0.0, 1.0));
        assertTrue(e.getMessage().contains("n must be >= 0") && e.getMessage().contains("n=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.uniform(new Generator(0), new double[3], 2, 2, 0.0, 1.0));
        assertTrue(e.getMessage().contains("[2, 4)") && e.getMessage().contains("length 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomFill.randint(new Generator(0), new long[3], -1, 1, 0, 2));
        assertTrue(e.getMessage().contains("[-1, 0)"), e.getMessage());
        assertThrows(NullPointerException.class, () -> RandomFill.normal(null, new float[1], 0, 1, 0.0, 1.0));
        assertThrows(NullPointerException.class,
                () -> RandomFill.normal(new Generator(0), (float[]) null, 0, 1, 0.0, 1.0));
    }

    @Test
    void argumentErrorsDrawNothing() {
        Generator g = new Generator(0);
        assertThrows(IllegalArgumentException.class, () -> RandomFill.normal(g, new float[3], 0, 3, 0.0, -1.0));
        assertThrows(IllegalArgumentException.class, () -> RandomFill.randint(g, new long[3], 0, 3, 1, 1));
        assertArrayEquals(RANDN3, randn32(g, 3));
    }

    // -------------------------------------------------------------------------------- expected (from PyTorch)

    // torch.manual_seed(0); torch.randn(3)
    private static final float[] RANDN3 = {
            1.54099607f, -0.293428898f, -2.17878938f};

    // torch.manual_seed(0); torch.randn(1)
    private static final float[] F32_1 = {
            1.54099607f};

    // torch.manual_seed(0); torch.randn(2)
    private static final float[] F32_2 = {
            1.54099607f, -0.293428898f};

    // torch.manual_seed(0); torch.randn(15)
    private static final float[] F32_15 = {
            1.54099607f, -0.293428898f, -2.17878938f, 0.568431258f, -1.08452237f, -1.39859545f, 0.403346837f,
            0.838026345f, -0.719257593f, -0.403343529f, -0.596635342f, 0.182036489f, -0.856674612f, 1.10060418f,
            -1.07118738f};

    // torch.manual_seed(0); torch.randn(16)
    private static final float[] F32_16 = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878809f, 0.848710358f, 0.692009151f, -0.31601277f,
            -2.11521935f, 0.322274923f, -1.26333475f, 0.349983186f, 0.30813393f, 0.119841509f, 1.2376579f,
            1.11677718f, -0.247278154f};

    // torch.manual_seed(0); torch.randn(17)
    private static final float[] F32_17 = {
            -1.12583983f, -1.6959312f, 0.566650629f, 0.793508351f, 0.598839462f, -1.55509508f, -0.34136039f,
            1.85300612f, 0.468096405f, -0.585497558f, -0.173396751f, 0.183477938f, 1.38936615f, 1.58633423f,
            0.946298361f, -0.843676746f, 0.931826591f};

    // torch.manual_seed(0); torch.randn(31)
    private static final float[] F32_31 = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878809f, 0.848710358f, 0.692009151f, -0.31601277f,
            -2.11521935f, 0.322274923f, -1.26333475f, 0.349983186f, 0.30813393f, 0.119841509f, 1.2376579f,
            1.11677718f, -0.111609332f, -0.613583088f, 0.0315927416f, -0.492676973f, 0.248414755f, 0.439695835f,
            0.112411186f, 0.64079237f, -2.31604195f, -0.102309652f, 0.792443991f, -0.289667696f, 0.0525074862f,
            0.522860467f, 2.30220532f, -1.46889389f};

    // torch.manual_seed(0); torch.randn(32)
    private static final float[] F32_32 = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878809f, 0.848710358f, 0.692009151f, -0.31601277f,
            -2.11521935f, 0.322274923f, -1.26333475f, 0.349983186f, 0.30813393f, 0.119841509f, 1.2376579f,
            1.11677718f, -0.247278154f, -1.35265374f, -1.6959312f, 0.566650629f, 0.793508351f, 0.598839462f,
            -1.55509508f, -0.34136039f, 1.85300612f, 0.750189483f, -0.585497558f, -0.173396751f, 0.183477938f,
            1.38936615f, 1.58633423f, 0.946298361f, -0.843676746f};

    // torch.manual_seed(0); torch.randn(33)
    private static final float[] F32_33 = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878809f, 0.848710358f, 0.692009151f, -0.31601277f,
            -2.11521935f, 0.322274923f, -1.26333475f, 0.349983186f, 0.30813393f, 0.119841509f, 1.2376579f,
            1.11677718f, -0.247278154f, -1.35265374f, 0.0315927416f, -0.492676973f, 0.248414755f, 0.439695835f,
            0.112411186f, 0.64079237f, 0.441156268f, -0.215863258f, 0.792443991f, -0.289667696f, 0.0525074862f,
            0.522860467f, 2.30220532f, -1.46889389f, -1.58668876f, 1.20322371f};

    // torch.manual_seed(0); torch.randn(100)
    private static final float[] F32_100 = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878809f, 0.848710358f, 0.692009151f, -0.31601277f,
            -2.11521935f, 0.322274923f, -1.26333475f, 0.349983186f, 0.30813393f, 0.119841509f, 1.2376579f,
            1.11677718f, -0.247278154f, -1.35265374f, -1.6959312f, 0.566650629f, 0.793508351f, 0.598839462f,
            -1.55509508f, -0.34136039f, 1.85300612f, 0.750189483f, -0.585497558f, -0.173396751f, 0.183477938f,
            1.38936615f, 1.58633423f, 0.946298361f, -0.843676746f, -0.613583088f, 0.0315927416f, -0.492676973f,
            0.248414755f, 0.439695835f, 0.112411186f, 0.64079237f, 0.441156268f, -0.102309652f, 0.792443991f,
            -0.289667696f, 0.0525074862f, 0.522860467f, 2.30220532f, -1.46889389f, -1.58668876f, -0.673089921f,
            0.872831225f, 1.05535746f, 0.17784372f, -0.230335474f, -0.391754389f, 0.543294728f, -0.395157546f,
            -0.446217179f, 0.7440207f, 1.52097952f, 3.41050267f, -1.53118432f, -1.23413503f, 1.81972528f,
            -0.551528692f, -0.56924808f, 0.919971406f, 1.11081612f, 1.28987408f, -1.47817397f, 2.56723285f,
            -0.473119795f, 0.335550755f, -1.62932599f, -0.549743652f, -0.479834259f, -0.499681532f, -1.06698036f,
            1.11493957f, -0.140671432f, 0.805753589f, -0.0933482349f, 0.687050223f, -0.838315368f, 0.00089182175f,
            -2.6133225f, -1.69647443f, -0.228241786f, 0.279955f, 0.0732460469f, 1.11331844f, 0.282267243f,
            0.434225649f, 0.456940144f, -0.865371346f, 0.781307936f, -0.926789403f, 0.206416309f, -0.333447874f,
            -0.428829998f, 0.232918292f};

    // torch.manual_seed(0); torch.randn(1, dtype=torch.float64)
    private static final double[] F64_1 = {
            1.5409961082440433};

    // torch.manual_seed(0); torch.randn(2, dtype=torch.float64)
    private static final double[] F64_2 = {
            1.5409961082440433, -0.2934289057609464};

    // torch.manual_seed(0); torch.randn(3, dtype=torch.float64)
    private static final double[] F64_3 = {
            1.5409961082440433, -0.2934289057609464, -2.1787893820745574};

    // torch.manual_seed(0); torch.randn(16, dtype=torch.float64)
    private static final double[] F64_16 = {
            -2.310411800234176, -0.3732508612577643, -1.0608166785462863, 0.9995093547811761, -0.8840250045832653,
            -1.2755469302148053, -0.623224579866079, -0.8664416019125772, -1.2956271403277857, 1.52363162310635,
            0.3236605664983738, 2.0177260314861085, 1.1357423400213507, -1.226881339001083, 0.07138847120511693,
            0.3380174030507378};

    // torch.manual_seed(0); torch.randn(17, dtype=torch.float64)
    private static final double[] F64_17 = {
            -2.310411800234176, -0.6332746088675096, -1.2609246557194385, -0.726951062065411, -0.019964750907762653,
            0.2102998901016947, 0.17718935139366584, -0.830510051008449, 0.23871805816817063, -0.2426793824588577,
            -0.7730112772958181, -1.5951814880783068, -0.6870036940435463, 1.4880743158106724, -0.4484158047114511,
            -0.8910030351707375, 0.6748575435940039};

    // torch.manual_seed(0); torch.randn(33, dtype=torch.float64)
    private static final double[] F64_33 = {
            -2.310411800234176, -0.3732508612577643, -1.0608166785462863, 0.9995093547811761, -0.8840250045832653,
            -1.2755469302148053, -0.623224579866079, -0.8664416019125772, -1.2956271403277857, 1.52363162310635,
            0.3236605664983738, 2.0177260314861085, 1.1357423400213507, -1.226881339001083, 0.07138847120511693,
            0.3380174030507378, 0.15351883531544036, 0.5563227724483105, -0.009446277892507904, -1.21768777910687,
            -1.2654653080284903, -1.1195351830271254, 1.1664857205254855, 0.9262324572968778, 0.7970100169250297,
            0.14821544548810084, -1.1461092231976013, 1.8727763768553416, -0.30991497424174674, 0.24018023403782535,
            -1.3487610270963772, 0.2443990933828689, -0.013720701456433322};

    // torch.manual_seed(0); torch.rand(5)
    private static final float[] RAND_F32_5 = {
            0.49625659f, 0.768221796f, 0.0884774327f, 0.132030487f, 0.307422817f};

    // torch.manual_seed(3); torch.rand(20)
    private static final float[] RAND_F32_20 = {
            0.00426352024f, 0.105569363f, 0.285842478f, 0.0269548297f, 0.471614361f, 0.060116291f, 0.771865845f,
            0.743699372f, 0.594421208f, 0.887856662f, 0.451031327f, 0.799490631f, 0.149840891f, 0.401468813f,
            0.0541769266f, 0.459405243f, 0.175605237f, 0.949182868f, 0.847318649f, 0.874856234f};

    // torch.manual_seed(0); torch.rand(5, dtype=torch.float64)
    private static final double[] RAND_F64_5 = {
            0.9700530018065531, 0.707819864399788, 0.45938294312745087, 0.9207476841219603, 0.6450241201227648};

    // torch.manual_seed(3); torch.rand(20, dtype=torch.float64)
    private static final double[] RAND_F64_20 = {
            0.03410819565052048, 0.28674022672130695, 0.7729149443285843, 0.17492702928129467, 0.7553698716458989,
            0.608250626920705, 0.198727150264138, 0.4334155311051854, 0.40484194448065547, 0.7785495256536756,
            0.18648345249659892, 0.5944401994573114, 0.44701777247286434, 0.3419577378774037, 0.9700424636058431,
            0.08703752198288572, 0.1148971394664643, 0.533166872810493, 0.9490077029994213, 0.1272499812946074};

    // torch.manual_seed(7); torch.empty(12).uniform_(-3.7, 2.3)
    private static final float[] UNI_F32 = {
            -0.490464807f, -2.50718093f, 0.255270123f, 0.241341591f, -2.30343056f, -1.14963162f, -2.45748377f,
            0.0784181356f, -1.50810313f, 1.40761006f, 1.42965889f, -0.394388795f};

    // torch.manual_seed(7); torch.empty(12, dtype=torch.float64).uniform_(-3.7, 2.3)
    private static final double[] UNI_F64 = {
            -2.023717420561576, -2.0578377180894063, 1.4725577685057527, 0.24013058352920802, 1.835176204717923,
            1.3372722545743196, -1.9317273519226978, -0.3356704157670669, 0.878260467272832, 0.8561433632796986,
            -3.3218732772785495, -3.354665000421768};

    // torch.manual_seed(0); torch.randint(0, 10, (12,))
    private static final long[] RI_SMALL = {
            4L, 9L, 3L, 0L, 3L, 9L, 7L, 3L, 7L, 3L, 1L, 6L};

    // torch.manual_seed(0); torch.randint(-5, 5, (8,))
    private static final long[] RI_NEG = {
            -1L, 4L, -2L, -5L, -2L, 4L, 2L, -2L};

    // torch.manual_seed(0); torch.randint(0, 2**32 - 1, (4,))
    private static final long[] RI_2P32M1 = {
            2357136044L, 2546248239L, 3071714933L, 3626093760L};

    // torch.manual_seed(0); torch.randint(-5, 2**32 - 5, (4,))
    private static final long[] RI_2P32 = {
            2546248234L, 3626093755L, 3684848374L, 3638918498L};

    // torch.manual_seed(0); torch.randint(-2**40, 2**40, (6,))
    private static final long[] RI_HUGE = {
            -358231004625L, -593374360384L, 291447657211L, -258354086553L, -1058178736429L, 91845220082L};

    // torch.manual_seed(0); torch.randint(-2**62, 2**62, (4,))
    private static final long[] RI_FULLISH = {
            -3711235831533098449L, -642142871786238784L, -2716036421228801285L, -3783737528391729817L};

    // torch.manual_seed(0); torch.randint(0, 10, (6,), dtype=torch.float32)
    private static final float[] RI_F32 = {
            4f, 9f, 3f, 0f, 3f, 9f};

    // torch.manual_seed(0); torch.randint(0, 2**40, (4,), dtype=torch.float32)
    private static final float[] RI_F32_HUGE = {
            2.4519585e+11f, 1.92984695e+11f, 9.54192953e+11f, 3.40751319e+11f};

    // torch.manual_seed(0); torch.randint(-2**40, 2**40, (4,), dtype=torch.float64)
    private static final double[] RI_F64_HUGE = {
            -358231004625.0, -593374360384.0, 291447657211.0, -258354086553.0};

    // torch.manual_seed(1); torch.empty(5).normal_(1.5, 0.25)
    private static final float[] MS_F32_5 = {
            1.66533804f, 1.56673098f, 1.51541936f, 1.65532935f, 1.38702357f};

    // torch.manual_seed(1); torch.empty(20).normal_(1.5, 0.25)
    private static final float[] MS_F32_20 = {
            1.11860108f, 1.31244206f, 1.33650482f, 1.09762883f, 1.71642303f, 1.56110096f, 1.33427215f, 1.70182705f,
            1.60978544f, 1.79280019f, 1.94185686f, 1.47615957f, 1.51528883f, 1.34556389f, 1.30048251f, 1.46709418f,
            1.30039001f, 1.58393264f, 1.56883335f, 1.92907572f};

    // torch.manual_seed(1); torch.empty(5, dtype=torch.float64).normal_(1.5, 0.25)
    private static final double[] MS_F64_5 = {
            1.665338042892613, 1.5667310245731296, 1.515419314559337, 1.6553293321713554, 1.3870235088240292};

    // torch.manual_seed(1); torch.empty(20, dtype=torch.float64).normal_(1.5, 0.25)
    private static final double[] MS_F64_20 = {
            1.422177611452492, 1.321742430789972, 1.317732961776156, 1.4251994174889797, 1.7183613962356694,
            0.5738340499481428, 1.0464615023531996, 1.039357180153898, 1.5235319664774212, 1.6279857887822469,
            1.6490548979413275, 1.8227787368916062, 0.9747486484476939, 1.8949352797867256, 1.7708393252159587,
            1.7224186289571892, 1.0178541614979806, 1.4322480116837013, 1.466019866485203, 2.1436365445559797};

    // torch.manual_seed(0); a = torch.randn(1); b = torch.randn(1); c = torch.randn(16); d = torch.randn(1, dtype=torch.float64); e = torch.randn(3); torch.cat([a, b, c, d.float(), e])
    private static final float[] SEQ = {
            1.54099607f, -0.293428898f, 0.848710358f, 0.692009151f, -0.31601277f, -2.11521935f, -0.356128365f,
            0.437222719f, 0.491304964f, -0.204101726f, 0.119841509f, 1.2376579f, 1.11677718f, -0.247278154f,
            -1.0437516f, -1.3453052f, 0.785355628f, 0.992837489f, -0.596635342f, 0.182036489f, -0.856674612f,
            1.10060418f};

    // torch.manual_seed(0); a = torch.randn(1); b = torch.randn(16); d = torch.randn(2, dtype=torch.float64); torch.cat([a.double(), b.double(), d])
    private static final double[] SEQ_F64 = {
            1.5409960746765137, 0.8487103581428528, 0.6920091509819031, -0.31601276993751526, -2.1152193546295166,
            -0.35612836480140686, 0.4372227191925049, 0.4913049638271332, -0.20410172641277313, 0.11984150856733322,
            1.237657904624939, 1.1167771816253662, -0.2472781538963318, -1.04375159740448, -1.3453052043914795,
            0.7853556275367737, 0.9928374886512756, -0.2934289057609464, -0.5966353626151273};

    // torch.manual_seed(0); a = torch.randn(1); torch.manual_seed(0); b = torch.randn(2); torch.cat([a, b])
    private static final float[] RESEED = {
            1.54099607f, 1.54099607f, -0.293428898f};

    // torch.manual_seed(2**32 + 7); torch.rand(3)
    private static final float[] BIG_SEED = {
            0.53492254f, 0.198803186f, 0.659211695f};

    // torch.manual_seed(-3); torch.rand(3)
    private static final float[] NEG_SEED = {
            0.624864757f, 0.507561147f, 0.0156777501f};

    // g = torch.Generator(); torch.rand(3, generator=g) (ATEN_CPU_CAPABILITY=default)
    private static final float[] GEN_DEFAULT = {
            0.267295241f, 0.872528315f, 0.335288823f};

    // torch.manual_seed(7); torch.empty(12).uniform_(-3.7, 2.3) (ATEN_CPU_CAPABILITY=default)
    private static final float[] UNI_F32_DEFAULT = {
            -0.490464926f, -2.50718093f, 0.255270243f, 0.241341591f, -2.30343056f, -1.14963174f, -2.45748377f,
            0.0784180164f, -1.50810313f, 1.40761018f, 1.42965865f, -0.394388914f};

    // torch.manual_seed(0); torch.randn(16) (ATEN_CPU_CAPABILITY=default)
    private static final float[] F32_16_DEFAULT = {
            -1.12583983f, -1.1523602f, -0.250578582f, -0.433878839f, 0.848710358f, 0.692009211f, -0.31601277f,
            -2.11521959f, 0.322274923f, -1.26333475f, 0.349983186f, 0.3081339f, 0.119841509f, 1.2376579f, 1.11677718f,
            -0.247277647f};
}
