package dev.ember.kernels.random;

import java.util.Locale;
import java.util.Objects;

/**
 * Fills a contiguous run of a Java array with random numbers exactly as PyTorch 1.13.1 fills a contiguous CPU tensor
 * with that many elements: {@code normal_} (randn), {@code uniform_} (rand) and {@code random_(from, to)} (randint),
 * drawing from a {@link Generator} seeded like PyTorch's.
 *
 * <pre>{@code
 * Generator g = new Generator(0);                      // torch.manual_seed(0)
 * float[] x = new float[3];
 * RandomFill.normal(g, x, 0, x.length, 0.0, 1.0);      // torch.randn(3)        -> [1.5410, -0.2934, -2.1788]
 * double[] u = new double[2];
 * RandomFill.uniform(g, u, 0, u.length, 0.0, 1.0);     // torch.rand(2, dtype=torch.float64)
 * long[] k = new long[4];
 * RandomFill.randint(g, k, 0, k.length, 0, 10);        // torch.randint(0, 10, (4,))
 * }</pre>
 *
 * <h2>The algorithms (PyTorch 1.13.1, CPU)</h2>
 * <ul>
 *   <li><b>Engine.</b> MT19937 ({@link Mt19937}); {@code random()} is one 32-bit draw, {@code random64()} two, the first
 *       in the high half.</li>
 *   <li><b>uniform_(from, to).</b> Bounds are first cast to the tensor's type. Per element, float: {@code x = (r & (2^24-1))
 *       * 2^-24} from one 32-bit draw; double: {@code x = (r & (2^53-1)) * 2^-53} from one 64-bit draw; the value is
 *       {@code x * (to - from) + from} in the tensor's type.</li>
 *   <li><b>normal_(mean, std), fewer than 16 elements (float or double).</b> One element at a time with the scalar
 *       double Box-Muller sampler: if the generator holds a cached double sample, take it (and clear it); otherwise draw
 *       {@code u1, u2} as 53-bit doubles, {@code r = sqrt(-2 log(1 - u2))}, {@code theta = 2 pi u1}, cache
 *       {@code r sin(theta)} and use {@code r cos(theta)}. The value is {@code sample * std + mean} in double, cast to
 *       the tensor's type. The cache lives in the generator, so it carries over between calls, and only
 *       {@link Generator#manualSeed(long)} (or {@link Generator#setState}) clears it.</li>
 *   <li><b>normal_, 16 or more elements.</b> First all n elements are filled with uniform [0, 1) draws (24-bit for
 *       float, 53-bit for double), then each block of 16 is transformed in place: for j &lt; 8, {@code u1 = 1 - d[j]},
 *       {@code u2 = d[j + 8]}, {@code radius = sqrt(-2 log(u1))}, {@code theta = 2 pi u2},
 *       {@code d[j] = radius cos(theta) std + mean}, {@code d[j + 8] = radius sin(theta) std + mean}. When
 *       {@code n % 16 != 0}, the last 16 elements are re-drawn (16 fresh uniforms) and transformed again, so the
 *       overlap with the last full block is overwritten. The cached scalar sample is neither used nor changed.</li>
 *   <li><b>random_(from, to).</b> {@code range = to - from} as an unsigned 64-bit number; when range &ge; 2^32 each
 *       element takes one 64-bit draw, otherwise one 32-bit draw; the value is {@code draw % range + from}
 *       (unsigned remainder). Float and double tensors first move {@code from}/{@code to} inward to values the type
 *       represents exactly, then cast the int64 result.</li>
 * </ul>
 *
 * <h2>CPU capability</h2>
 * PyTorch's CPU kernels are compiled once per CPU capability and its results depend on which one runs. In the AVX2
 * build (used on any x86-64 CPU with AVX2; the AVX-512 build gives the same results, and normal_ has no AVX-512 kernel)
 * the compiler fuses {@code a * b + c} into one fused multiply-add in the affine steps above, and float normal_ with 16
 * or more elements runs an 8-wide single-precision kernel ({@code avx_mathfun.h}: Cephes polynomials for log and
 * sincos). In the baseline build ({@link Capability#DEFAULT}: x86-64 without AVX2, or
 * {@code ATEN_CPU_CAPABILITY=default}) nothing is fused and that kernel is scalar single precision with the C library's
 * {@code logf}/{@code sincosf}. Builds for other architectures were not checked. {@link Capability#AVX2} is the default
 * here; set the system property {@code ember.random.capability=default} or call {@link #setCapability} for the other.
 *
 * <h2>Exactness</h2>
 * Everything built from draws, integer arithmetic, +, *, fused multiply-add and sqrt is bit-exact, and so is the AVX2
 * float normal kernel (its polynomials are evaluated with the same operations, in the same order, with the same fused
 * multiply-adds as PyTorch's compiled kernel; checked on 1.4 million elements). Double-precision log, sin and cos
 * (the scalar sampler, and double tensors of 16 or more elements) come from {@link Math}, which on HotSpot x86-64
 * agrees with glibc's libm for all but about 0.1-0.2% of arguments and is then 1 ulp away; so about 0.2% of double
 * normal values differ from PyTorch's in the last bits (a few ulps of {@code sample * std}). Float values from the
 * scalar sampler are rounded from those doubles and practically never differ (none in 61,000 checked). The
 * {@link Capability#DEFAULT} float kernel uses correctly rounded float log/sin/cos where glibc's {@code logf} and
 * {@code sincosf} are not correctly rounded for about 1% of arguments, so about 1.4% of its values differ by an ulp
 * or a few.
 *
 * <h2>Errors and threads</h2>
 * Invalid arguments throw {@link IllegalArgumentException} (a null generator or array: {@link NullPointerException}).
 * Each fill holds the generator's lock throughout, as PyTorch holds its generator's mutex.
 */
public final class RandomFill {

    /**
     * Which of PyTorch's per-CPU-capability kernels to reproduce.
     *
     * <pre>{@code
     * RandomFill.setCapability(RandomFill.Capability.DEFAULT); // like ATEN_CPU_CAPABILITY=default
     * float[] u = new float[4];
     * RandomFill.uniform(new Generator(7), u, 0, 4, -3.7, 2.3);
     * RandomFill.setCapability(RandomFill.Capability.AVX2);    // back to the default
     * }</pre>
     */
    public enum Capability {
        /** PyTorch on x86-64 with AVX2 (and AVX-512): fused multiply-adds, 8-wide Cephes float normal kernel. */
        AVX2,
        /** PyTorch's baseline kernels (non-x86, or ATEN_CPU_CAPABILITY=default): no fusing, scalar float kernel. */
        DEFAULT
    }

    private static volatile Capability capability = initialCapability();

    private RandomFill() {
    }

    private static Capability initialCapability() {
        String value = System.getProperty("ember.random.capability", "avx2").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "avx2":
            case "avx512":
                return Capability.AVX2;
            case "default":
                return Capability.DEFAULT;
            default:
                throw new IllegalArgumentException("system property ember.random.capability must be 'avx2' or 'default'"
                        + " (as PyTorch's ATEN_CPU_CAPABILITY), but was '" + value + "'; remove it to use avx2");
        }
    }

    /** The PyTorch CPU capability whose random kernels are reproduced (AVX2 unless configured otherwise). */
    public static Capability capability() {
        return capability;
    }

    /** Chooses the PyTorch CPU capability whose random kernels are reproduced, for every later fill. */
    public static void setCapability(Capability value) {
        capability = Objects.requireNonNull(value, "capability must be AVX2 or DEFAULT, not null");
    }

    // ================================================================================================= normal

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.empty(n).normal_(mean, std)} (float32) fills its tensor;
     * {@code normal(g, out, 0, n, 0, 1)} is {@code torch.randn(n)}.
     *
     * @throws IllegalArgumentException if {@code std} is negative or NaN, or the range does not fit the array
     */
    public static void normal(Generator g, float[] out, int offset, int n, double mean, double std) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkStd(std);
        boolean fused = capability == Capability.AVX2;
        synchronized (g) {
            if (n >= 16) {
                float meanF = (float) mean;
                float stdF = (float) std;
                for (int i = 0; i < n; i++) {
                    out[offset + i] = uniformFloat01(g);
                }
                for (int i = 0; i + 16 <= n; i += 16) {
                    normal16Float(out, offset + i, meanF, stdF, fused);
                }
                if (n % 16 != 0) {
                    int tail = offset + n - 16;
                    for (int i = 0; i < 16; i++) {
                        out[tail + i] = uniformFloat01(g);
                    }
                    normal16Float(out, tail, meanF, stdF, fused);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = (float) scalarNormal(g, mean, std, fused);
                }
            }
        }
    }

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.empty(n, dtype=torch.float64).normal_(mean, std)} fills
     * its tensor; {@code normal(g, out, 0, n, 0, 1)} is {@code torch.randn(n, dtype=torch.float64)}.
     *
     * @throws IllegalArgumentException if {@code std} is negative or NaN, or the range does not fit the array
     */
    public static void normal(Generator g, double[] out, int offset, int n, double mean, double std) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkStd(std);
        boolean fused = capability == Capability.AVX2;
        synchronized (g) {
            if (n >= 16) {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = uniformDouble01(g);
                }
                for (int i = 0; i + 16 <= n; i += 16) {
                    normal16Double(out, offset + i, mean, std, fused);
                }
                if (n % 16 != 0) {
                    int tail = offset + n - 16;
                    for (int i = 0; i < 16; i++) {
                        out[tail + i] = uniformDouble01(g);
                    }
                    normal16Double(out, tail, mean, std, fused);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = scalarNormal(g, mean, std, fused);
                }
            }
        }
    }

    /** PyTorch's {@code at::normal_distribution<double>}: Box-Muller with the second sample cached in the generator. */
    private static double scalarNormal(Generator g, double mean, double std, boolean fused) {
        double sample;
        if (g.hasNextDoubleNormal()) {
            sample = g.takeNextDoubleNormal();
        } else {
            double u1 = uniformDouble01(g);
            double u2 = uniformDouble01(g);
            double r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
            double theta = TWO_PI * u1;
            g.putNextDoubleNormal(r * Math.sin(theta));
            sample = r * Math.cos(theta);
        }
        return fused ? Math.fma(sample, std, mean) : sample * std + mean;
    }

    /** 2 * pi as a double: {@code 2.0 * c10::pi<double>} (exact doubling). */
    private static final double TWO_PI = 2.0 * Math.PI;

    /** PyTorch's {@code normal_fill_16<double>} on {@code d[base, base + 16)}. */
    private static void normal16Double(double[] d, int base, double mean, double std, boolean fused) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1.0 - d[base + j];
            double u2 = d[base + j + 8];
            double radius = Math.sqrt(-2.0 * Math.log(u1));
            double theta = TWO_PI * u2;
            double c = radius * Math.cos(theta);
            double s = radius * Math.sin(theta);
            d[base + j] = fused ? Math.fma(c, std, mean) : c * std + mean;
            d[base + j + 8] = fused ? Math.fma(s, std, mean) : s * std + mean;
        }
    }

    private static void normal16Float(float[] d, int base, float mean, float std, boolean avx2) {
        if (avx2) {
            normal16FloatAvx2(d, base, mean, std);
        } else {
            normal16FloatScalar(d, base, mean, std);
        }
    }

    /** PyTorch's {@code normal_fill_16<float>} (baseline capability), with correctly rounded float log/sin/cos. */
    private static void normal16FloatScalar(float[] d, int base, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - d[base + j];
            float u2 = d[base + j + 8];
            float radius = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
            float theta = (float) (TWO_PI * u2);
            d[base + j] = radius * (float) Math.cos(theta) * std + mean;
            d[base + j + 8] = radius * (float) Math.sin(theta) * std + mean;
        }
    }

    // ---- PyTorch's AVX2 kernel (normal_fill_16_AVX2 with avx_mathfun.h's log256_ps and sincos256_ps), one lane at a
    // time. The operation order and the fused multiply-adds are those of the compiled libtorch_cpu 1.13.1 kernel.

    private static final float TWO_PI_F = (float) (2.0 * Math.PI);
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292E-2f;
    private static final float LOG_P1 = -1.1514610310E-1f;
    private static final float LOG_P2 = 1.1676998740E-1f;
    private static final float LOG_P3 = -1.2420140846E-1f;
    private static final float LOG_P4 = 1.4249322787E-1f;
    private static final float LOG_P5 = -1.6668057665E-1f;
    private static final float LOG_P6 = 2.0000714765E-1f;
    private static final float LOG_P7 = -2.4999993993E-1f;
    private static final float LOG_P8 = 3.3333331174E-1f;
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;
    private static final float FOUR_OVER_PI = 1.27323954473516f;
    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float SIN_P0 = -1.9515295891E-4f;
    private static final float SIN_P1 = 8.3321608736E-3f;
    private static final float SIN_P2 = -1.6666654611E-1f;
    private static final float COS_P0 = 2.443315711809948E-005f;
    private static final float COS_P1 = -1.388731625493765E-003f;
    private static final float COS_P2 = 4.166664568298827E-002f;

    private static void normal16FloatAvx2(float[] d, int base, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - d[base + j];
            float u2 = d[base + j + 8];
            float radius = (float) Math.sqrt(-2.0f * cephesLog(u1));
            float theta = TWO_PI_F * u2;
            // sincos: theta >= 0 here, but the sign handling is kept for fidelity.
            int thetaBits = Float.floatToRawIntBits(theta);
            float x = Float.intBitsToFloat(thetaBits & 0x7fffffff);
            int signSin = thetaBits & 0x80000000;
            int k = (int) (x * FOUR_OVER_PI);
            k = (k + 1) & ~1;
            float y = (float) k;
            signSin ^= (k & 4) << 29;
            boolean sinPolyForSin = (k & 2) == 0;
            int signCos = (~(k - 2) & 4) << 29;
            x = Math.fma(y, MINUS_DP1, x);
            x = Math.fma(y, MINUS_DP2, x);
            x = Math.fma(y, MINUS_DP3, x);
            float z = x * x;
            float yc = Math.fma(z, COS_P0, COS_P1);
            yc = Math.fma(z, yc, COS_P2);
            float halfZ = z * 0.5f;
            yc = z * yc;
            yc = Math.fma(yc, z, -halfZ);
            yc = yc + 1.0f;
            float ys = Math.fma(SIN_P0, z, SIN_P1);
            ys = Math.fma(z, ys, SIN_P2);
            ys = z * ys;
            ys = Math.fma(ys, x, x);
            float sinFromSin = sinPolyForSin ? ys : 0.0f;
            float sinFromCos = sinPolyForSin ? 0.0f : yc;
            float sin = sinFromSin + sinFromCos;
            float cos = (yc - sinFromCos) + (ys - sinFromSin);
            sin = Float.intBitsToFloat(Float.floatToRawIntBits(sin) ^ signSin);
            cos = Float.intBitsToFloat(Float.floatToRawIntBits(cos) ^ signCos);
            d[base + j] = Math.fma(radius * cos, std, mean);
            d[base + j + 8] = Math.fma(radius * sin, std, mean);
        }
    }

    /** avx_mathfun's log256_ps for one lane, with the compiled kernel's fused multiply-adds. */
    private static float cephesLog(float v) {
        if (!(v > 0.0f)) {
            return Float.NaN; // the kernel ORs an all-ones mask in; u1 = 1 - u is never <= 0 here
        }
        float x = Math.max(v, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 127) + 1.0f;
        x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000); // mantissa with exponent of 0.5: [0.5, 1)
        boolean small = x < SQRT_HALF;
        float tmp = small ? x : 0.0f;
        x = x - 1.0f;
        e = e - (small ? 1.0f : 0.0f);
        x = tmp + x;
        float eQ1 = e * LOG_Q1;
        float p = Math.fma(LOG_P0, x, LOG_P1);
        p = Math.fma(p, x, LOG_P2);
        p = Math.fma(p, x, LOG_P3);
        p = Math.fma(p, x, LOG_P4);
        p = Math.fma(p, x, LOG_P5);
        p = Math.fma(p, x, LOG_P6);
        p = Math.fma(p, x, LOG_P7);
        p = Math.fma(p, x, LOG_P8);
        float z = x * x;
        p = x * p;
        p = Math.fma(p, z, eQ1);
        p = Math.fma(-z, 0.5f, p);
        x = x + p;
        return Math.fma(e, LOG_Q2, x);
    }

    // ================================================================================================ uniform

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.empty(n).uniform_(from, to)} (float32) fills its tensor;
     * {@code uniform(g, out, 0, n, 0, 1)} is {@code torch.rand(n)}.
     *
     * @throws IllegalArgumentException if a bound is not a finite float32, {@code from > to}, {@code to - from}
     *                                  overflows float32, or the range does not fit the array
     */
    public static void uniform(Generator g, float[] out, int offset, int n, double from, double to) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkUniformBounds(from, to, -Float.MAX_VALUE, Float.MAX_VALUE, "float32");
        float lo = (float) from;
        float width = (float) to - lo;
        boolean fused = capability == Capability.AVX2;
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                float x = (g.nextInt32() & 0xFFFFFF) * 0x1p-24f;
                out[offset + i] = fused ? Math.fma(x, width, lo) : x * width + lo;
            }
        }
    }

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.empty(n, dtype=torch.float64).uniform_(from, to)} fills its
     * tensor; {@code uniform(g, out, 0, n, 0, 1)} is {@code torch.rand(n, dtype=torch.float64)}.
     *
     * @throws IllegalArgumentException if a bound is not finite, {@code from > to}, {@code to - from} overflows, or the
     *                                  range does not fit the array
     */
    public static void uniform(Generator g, double[] out, int offset, int n, double from, double to) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkUniformBounds(from, to, -Double.MAX_VALUE, Double.MAX_VALUE, "float64");
        double width = to - from;
        boolean fused = capability == Capability.AVX2;
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                double x = (g.nextLong64() & 0x1FFFFFFFFFFFFFL) * 0x1p-53;
                out[offset + i] = fused ? Math.fma(x, width, from) : x * width + from;
            }
        }
    }

    private static float uniformFloat01(Generator g) {
        return (g.nextInt32() & 0xFFFFFF) * 0x1p-24f;
    }

    private static double uniformDouble01(Generator g) {
        return (g.nextLong64() & 0x1FFFFFFFFFFFFFL) * 0x1p-53;
    }

    // ================================================================================================ randint

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.randint(low, high, (n,))} (int64) fills its tensor: each
     * value uniform in [low, high).
     *
     * @throws IllegalArgumentException if {@code low >= high} or the range does not fit the array
     */
    public static void randint(Generator g, long[] out, int offset, int n, long low, long high) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkLowHigh(low, high, "");
        long range = high - low; // unsigned
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = nextInt(g, range, low, wide);
            }
        }
    }

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.randint(low, high, (n,), dtype=torch.float32)} fills its
     * tensor. As in PyTorch, {@code low} and {@code high} are first moved inward to the nearest integers that float32
     * holds exactly (this changes them only beyond 2^24), so a value never rounds to {@code high}.
     *
     * @throws IllegalArgumentException if {@code low >= high} (before or after that adjustment) or the range does not
     *                                  fit the array
     */
    public static void randint(Generator g, float[] out, int offset, int n, long low, long high) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkLowHigh(low, high, "");
        long from = adjustFrom(low, 24);
        long to = adjustTo(high, 24);
        checkLowHigh(from, to, "float32");
        long range = to - from;
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = (float) nextInt(g, range, from, wide);
            }
        }
    }

    /**
     * Fills {@code out[offset, offset + n)} as {@code torch.randint(low, high, (n,), dtype=torch.float64)} fills its
     * tensor. As in PyTorch, {@code low} and {@code high} are first moved inward to the nearest integers that float64
     * holds exactly (this changes them only beyond 2^53).
     *
     * @throws IllegalArgumentException if {@code low >= high} (before or after that adjustment) or the range does not
     *                                  fit the array
     */
    public static void randint(Generator g, double[] out, int offset, int n, long low, long high) {
        Objects.requireNonNull(g, "generator must not be null; use Generator.defaultGenerator()");
        Objects.requireNonNull(out, "out must not be null");
        checkRange(out.length, offset, n);
        checkLowHigh(low, high, "");
        long from = adjustFrom(low, 53);
        long to = adjustTo(high, 53);
        checkLowHigh(from, to, "float64");
        long range = to - from;
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = (double) nextInt(g, range, from, wide);
            }
        }
    }

    private static long nextInt(Generator g, long range, long base, boolean wide) {
        long draw = wide ? g.nextLong64() : Integer.toUnsignedLong(g.nextInt32());
        return Long.remainderUnsigned(draw, range) + base;
    }

    /** PyTorch's {@code update_from<T>}: the smallest value >= from that survives the cast to a type of that many
     * significand digits without falling below from. */
    private static long adjustFrom(long from, int digits) {
        long fromPlus1 = castThroughFloating(from + 1, digits);
        if (fromPlus1 < from) {
            long magnitude = Math.abs(from + 1);
            int bits = magnitude == 0 ? 0 : 63 - Long.numberOfLeadingZeros(magnitude); // floor(log2(magnitude))
            from = fromPlus1 + (1L << (bits - digits + 1));
        }
        return from;
    }

    /** PyTorch's {@code update_to<T>}. */
    private static long adjustTo(long to, int digits) {
        long toMinus1 = castThroughFloating(to - 1, digits);
        if (toMinus1 >= to) {
            long magnitude = Math.abs(to - 1);
            int bits = magnitude == 0 ? 0 : 63 - Long.numberOfLeadingZeros(magnitude);
            to = toMinus1 - (1L << (bits - digits + 1));
        }
        return to;
    }

    /** {@code static_cast<int64_t>(static_cast<T>(v))} for T = float (24 digits) or double (53). */
    private static long castThroughFloating(long v, int digits) {
        double rounded = digits == 24 ? (double) (float) v : (double) v;
        if (rounded >= 0x1p63) {
            return Long.MIN_VALUE; // what x86-64's cvttsd2si gives for out-of-range values
        }
        return (long) rounded;
    }

    // ================================================================================================= checks

    private static void checkRange(int length, int offset, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 (the number of elements to fill), but got n=" + n
                    + "; pass the element count of the tensor");
        }
        if (offset < 0 || offset > length - n) {
            throw new IllegalArgumentException("the range [offset, offset + n) = [" + offset + ", " + ((long) offset + n)
                    + ") does not fit in an array of length " + length
                    + "; pass 0 <= offset and offset + n <= array length");
        }
    }

    private static void checkStd(double std) {
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std
                    + "; pass a non-negative standard deviation (the spread, not the variance)");
        }
    }

    private static void checkUniformBounds(double from, double to, double min, double max, String dtype) {
        if (!(from >= min && from <= max)) {
            throw new IllegalArgumentException("uniform: from=" + from + " is out of bounds for " + dtype
                    + " (it must be finite, within [" + min + ", " + max + "]); pass a finite lower bound");
        }
        if (!(to >= min && to <= max)) {
            throw new IllegalArgumentException("uniform: to=" + to + " is out of bounds for " + dtype
                    + " (it must be finite, within [" + min + ", " + max + "]); pass a finite upper bound");
        }
        if (from > to) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from
                    + " > to=" + to + "; swap the bounds so that from <= to");
        }
        if (!(to - from <= max)) {
            throw new IllegalArgumentException("uniform_ expects to - from <= the largest " + dtype
                    + " (" + max + "), but found to=" + to + " and from=" + from
                    + " which result in to - from exceeding it; narrow the range");
        }
    }

    private static void checkLowHigh(long low, long high, String castTo) {
        if (low >= high) {
            if (castTo.isEmpty()) {
                throw new IllegalArgumentException("randint expects low < high (high is exclusive), but got low=" + low
                        + " >= high=" + high + "; pass a high greater than low, e.g. high=" + (low == Long.MAX_VALUE
                        ? "(no int64 is greater)" : String.valueOf(low + 1)) + " for the single value " + low);
            }
            throw new IllegalArgumentException("randint expects low < high after moving them to values " + castTo
                    + " holds exactly, but got low=" + low + " >= high=" + high
                    + "; widen the range or use int64");
        }
    }
}
