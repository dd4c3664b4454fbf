package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.kernels.random.Generator;
import dev.ember.kernels.random.RandomFill;

import java.util.Objects;

/**
 * Small generated datasets for experiments and tests, each reproducible from its seed: spirals, two moons, Gaussian
 * blobs and a linear regression set. Each is described by an option record with defaults; change what you need and
 * call {@code generate()}.
 *
 * <pre>{@code
 * SupervisedData spirals = Synthetic.spirals().classes(3).pointsPerClass(100).seed(0).generate();  // [300, 2], [300]
 * SupervisedData moons = Synthetic.moons().samples(500).noise(0.1).generate();
 * SupervisedData blobs = Synthetic.blobs().centers(4).features(2).generate();
 * Synthetic.RegressionData reg = Synthetic.regression().samples(100).features(3).generate();
 * Tensor trueWeights = reg.weights();
 * }</pre>
 *
 * <p>Every set draws from its own {@code new Generator(seed)} (never from the global generator), and its values equal
 * those of the PyTorch program given with each record, computed in float64 and converted to float32 at the end (up to
 * the last bit of float32 where PyTorch's vectorised sin, cos or matrix products round differently). Inputs are float32,
 * class labels int64 {@code [n]}, regression targets float32 {@code [n, 1]}.
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** Spirals with the defaults: 100 points per class, 3 classes, noise 0.2, seed 0. */
    public static Spirals spirals() {
        return new Spirals(100, 3, 0.2, 0);
    }

    /** Two moons with the defaults: 200 samples, noise 0.1, shuffled, seed 0. */
    public static Moons moons() {
        return new Moons(200, 0.1, true, 0);
    }

    /** Blobs with the defaults: 300 samples, 3 centers in 2 features, standard deviation 1, box (-10, 10), seed 0. */
    public static Blobs blobs() {
        return new Blobs(300, 3, 2, 1.0, -10.0, 10.0, true, 0);
    }

    /** Linear regression with the defaults: 200 samples, 3 features, noise 0.1, bias 0.5, seed 0. */
    public static Regression regression() {
        return new Regression(200, 3, 0.1, 0.5, 0);
    }

    /**
     * Interleaved spiral arms, one per class (the CS231n classic): point {@code i} of class {@code j} has radius
     * {@code r_i = linspace(0, 1, n)[i]} and angle {@code t_i = linspace(4j, 4(j+1), n)[i] + noise * N(0, 1)}, and sits
     * at {@code (r sin t, r cos t)}. Equal to:
     * <pre>{@code
     * g = torch.Generator().manual_seed(seed)
     * X = torch.zeros(n * k, 2, dtype=torch.float64); y = torch.zeros(n * k, dtype=torch.int64)
     * for j in range(k):
     *     r = torch.linspace(0, 1, n, dtype=torch.float64)
     *     t = torch.linspace(j * 4, (j + 1) * 4, n, dtype=torch.float64) \
     *         + torch.randn(n, dtype=torch.float64, generator=g) * noise
     *     X[j * n:(j + 1) * n] = torch.stack([r * torch.sin(t), r * torch.cos(t)], 1); y[j * n:(j + 1) * n] = j
     * X = X.float()
     * }</pre>
     * In Java:
     * <pre>{@code
     * SupervisedData s = Synthetic.spirals().classes(5).noise(0.1).seed(3).generate();
     * }</pre>
     *
     * @param pointsPerClass points in each arm (at least 1)
     * @param classes        the number of arms (at least 1)
     * @param noise          the standard deviation of the angle's noise (at least 0)
     * @param seed           the seed of the generator
     */
    public record Spirals(int pointsPerClass, int classes, double noise, long seed) {
        /** Checks the options. */
        public Spirals {
            positive("Synthetic.spirals", "pointsPerClass", pointsPerClass);
            positive("Synthetic.spirals", "classes", classes);
            nonNegative("Synthetic.spirals", "noise", noise);
            if ((long) pointsPerClass * classes * 2 > Integer.MAX_VALUE) {
                throw new EmberException("Synthetic.spirals: " + classes + " x " + pointsPerClass + " points is too many");
            }
        }

        /** A copy with {@code pointsPerClass} set to {@code value}. */
        public Spirals pointsPerClass(int value) {
            return new Spirals(value, classes, noise, seed);
        }

        /** A copy with {@code classes} set to {@code value}. */
        public Spirals classes(int value) {
            return new Spirals(pointsPerClass, value, noise, seed);
        }

        /** A copy with {@code noise} set to {@code value}. */
        public Spirals noise(double value) {
            return new Spirals(pointsPerClass, classes, value, seed);
        }

        /** A copy with {@code seed} set to {@code value}. */
        public Spirals seed(long value) {
            return new Spirals(pointsPerClass, classes, noise, value);
        }

        /** Inputs float32 {@code [classes * pointsPerClass, 2]}, labels int64. */
        public SupervisedData generate() {
            Generator g = new Generator(seed);
            int n = pointsPerClass;
            float[] x = new float[n * classes * 2];
            long[] y = new long[n * classes];
            double[] r = linspace(0, 1, n);
            double[] eps = new double[n];
            for (int j = 0; j < classes; j++) {
                double[] t = linspace(j * 4.0, (j + 1) * 4.0, n);
                RandomFill.normal(g, eps, 0, n, 0.0, 1.0);
                for (int i = 0; i < n; i++) {
                    double angle = t[i] + eps[i] * noise;
                    int row = j * n + i;
                    x[2 * row] = (float) (r[i] * Math.sin(angle));
                    x[2 * row + 1] = (float) (r[i] * Math.cos(angle));
                    y[row] = j;
                }
            }
            return new SupervisedData(Ember.fromArray(x, n * classes, 2), Ember.fromArray(y, n * classes));
        }
    }

    /**
     * Two interleaving half circles (scikit-learn's {@code make_moons}): {@code samples / 2} points (rounded down) on the
     * upper one, labelled 0, the rest on the lower one, labelled 1; then, if asked, shuffled; then Gaussian noise added.
     * Equal to:
     * <pre>{@code
     * g = torch.Generator().manual_seed(seed)
     * n_out = n // 2; n_in = n - n_out
     * a = torch.linspace(0, math.pi, n_out, dtype=torch.float64)
     * b = torch.linspace(0, math.pi, n_in, dtype=torch.float64)
     * X = torch.cat([torch.stack([a.cos(), a.sin()], 1), torch.stack([1 - b.cos(), 1 - b.sin() - 0.5], 1)])
     * y = torch.cat([torch.zeros(n_out, dtype=torch.int64), torch.ones(n_in, dtype=torch.int64)])
     * if shuffle: p = torch.randperm(n, generator=g); X, y = X[p], y[p]
     * if noise > 0: X = X + noise * torch.randn(n, 2, dtype=torch.float64, generator=g)
     * X = X.float()
     * }</pre>
     * In Java:
     * <pre>{@code
     * SupervisedData m = Synthetic.moons().samples(1000).noise(0.2).generate();
     * }</pre>
     *
     * @param samples the number of points (at least 2)
     * @param noise   the standard deviation of the noise (at least 0)
     * @param shuffle whether to shuffle the points
     * @param seed    the seed of the generator
     */
    public record Moons(int samples, double noise, boolean shuffle, long seed) {
        /** Checks the options. */
        public Moons {
            if (samples < 2) {
                throw new EmberException("Synthetic.moons: samples must be at least 2 (one per moon), got " + samples);
            }
            nonNegative("Synthetic.moons", "noise", noise);
        }

        /** A copy with {@code samples} set to {@code value}. */
        public Moons samples(int value) {
            return new Moons(value, noise, shuffle, seed);
        }

        /** A copy with {@code noise} set to {@code value}. */
        public Moons noise(double value) {
            return new Moons(samples, value, shuffle, seed);
        }

        /** A copy with {@code shuffle} set to {@code value}. */
        public Moons shuffle(boolean value) {
            return new Moons(samples, noise, value, seed);
        }

        /** A copy with {@code seed} set to {@code value}. */
        public Moons seed(long value) {
            return new Moons(samples, noise, shuffle, value);
        }

        /** Inputs float32 {@code [samples, 2]}, labels int64. */
        public SupervisedData generate() {
            Generator g = new Generator(seed);
            int n = samples;
            int nOut = n / 2;
            int nIn = n - nOut;
            double[] x = new double[2 * n];
            long[] y = new long[n];
            double[] a = linspace(0, Math.PI, nOut);
            double[] b = linspace(0, Math.PI, nIn);
            for (int i = 0; i < nOut; i++) {
                x[2 * i] = Math.cos(a[i]);
                x[2 * i + 1] = Math.sin(a[i]);
            }
            for (int i = 0; i < nIn; i++) {
                x[2 * (nOut + i)] = 1 - Math.cos(b[i]);
                x[2 * (nOut + i) + 1] = 1 - Math.sin(b[i]) - 0.5;
                y[nOut + i] = 1;
            }
            if (shuffle) {
                int[] p = Permutations.randperm(n, g);
                double[] xs = new double[2 * n];
                long[] ys = new long[n];
                for (int i = 0; i < n; i++) {
                    xs[2 * i] = x[2 * p[i]];
                    xs[2 * i + 1] = x[2 * p[i] + 1];
                    ys[i] = y[p[i]];
                }
                x = xs;
                y = ys;
            }
            addNoise(g, x, noise);
            return new SupervisedData(toFloat(x, n, 2), Ember.fromArray(y, n));
        }
    }

    /**
     * Isotropic Gaussian clusters (scikit-learn's {@code make_blobs} with random centers): centers uniform in the box,
     * {@code samples / centers} points around each (the first {@code samples % centers} centers get one more), then, if
     * asked, shuffled. Equal to:
     * <pre>{@code
     * g = torch.Generator().manual_seed(seed)
     * C = torch.rand(centers, features, dtype=torch.float64, generator=g) * (high - low) + low
     * X, y = [], []
     * for i in range(centers):
     *     c = n // centers + (1 if i < n % centers else 0)
     *     X.append(C[i] + std * torch.randn(c, features, dtype=torch.float64, generator=g)); y += [i] * c
     * X = torch.cat(X); y = torch.tensor(y)
     * if shuffle: p = torch.randperm(n, generator=g); X, y = X[p], y[p]
     * X = X.float()
     * }</pre>
     * In Java:
     * <pre>{@code
     * SupervisedData b = Synthetic.blobs().centers(5).features(10).std(2.0).generate();
     * }</pre>
     *
     * @param samples    the number of points (at least {@code centers})
     * @param centers    the number of clusters (at least 1)
     * @param features   the dimension of each point (at least 1)
     * @param std        the clusters' standard deviation (at least 0)
     * @param centerLow  the lower bound of the centers' box
     * @param centerHigh the upper bound of the centers' box (greater than centerLow)
     * @param shuffle    whether to shuffle the points
     * @param seed       the seed of the generator
     */
    public record Blobs(int samples, int centers, int features, double std, double centerLow, double centerHigh,
                        boolean shuffle, long seed) {
        /** Checks the options. */
        public Blobs {
            positive("Synthetic.blobs", "centers", centers);
            positive("Synthetic.blobs", "features", features);
            if (samples < centers) {
                throw new EmberException("Synthetic.blobs: samples (" + samples + ") must be at least the number of "
                        + "centers (" + centers + ")");
            }
            nonNegative("Synthetic.blobs", "std", std);
            if (!(centerLow < centerHigh) || !Double.isFinite(centerLow) || !Double.isFinite(centerHigh)) {
                throw new EmberException("Synthetic.blobs: the centers' box needs finite centerLow < centerHigh, got ("
                        + centerLow + ", " + centerHigh + ")");
            }
            if ((long) samples * features > Integer.MAX_VALUE) {
                throw new EmberException("Synthetic.blobs: " + samples + " x " + features + " values is too many");
            }
        }

        /** A copy with {@code samples} set to {@code value}. */
        public Blobs samples(int value) {
            return new Blobs(value, centers, features, std, centerLow, centerHigh, shuffle, seed);
        }

        /** A copy with {@code centers} set to {@code value}. */
        public Blobs centers(int value) {
            return new Blobs(samples, value, features, std, centerLow, centerHigh, shuffle, seed);
        }

        /** A copy with {@code features} set to {@code value}. */
        public Blobs features(int value) {
            return new Blobs(samples, centers, value, std, centerLow, centerHigh, shuffle, seed);
        }

        /** A copy with {@code std} set to {@code value}. */
        public Blobs std(double value) {
            return new Blobs(samples, centers, features, value, centerLow, centerHigh, shuffle, seed);
        }

        /** The box the centers are drawn from. */
        public Blobs centerBox(double low, double high) {
            return new Blobs(samples, centers, features, std, low, high, shuffle, seed);
        }

        /** A copy with {@code shuffle} set to {@code value}. */
        public Blobs shuffle(boolean value) {
            return new Blobs(samples, centers, features, std, centerLow, centerHigh, value, seed);
        }

        /** A copy with {@code seed} set to {@code value}. */
        public Blobs seed(long value) {
            return new Blobs(samples, centers, features, std, centerLow, centerHigh, shuffle, value);
        }

        /** Inputs float32 {@code [samples, features]}, labels int64 (the center's index). */
        public SupervisedData generate() {
            Generator g = new Generator(seed);
            int n = samples;
            int d = features;
            double[] c = new double[centers * d];
            RandomFill.uniform(g, c, 0, c.length, 0.0, 1.0);
            for (int i = 0; i < c.length; i++) {
                c[i] = c[i] * (centerHigh - centerLow) + centerLow;
            }
            double[] x = new double[n * d];
            long[] y = new long[n];
            int row = 0;
            for (int k = 0; k < centers; k++) {
                int count = n / centers + (k < n % centers ? 1 : 0);
                double[] eps = new double[count * d];
                RandomFill.normal(g, eps, 0, eps.length, 0.0, 1.0);
                for (int i = 0; i < count; i++, row++) {
                    for (int f = 0; f < d; f++) {
                        x[row * d + f] = c[k * d + f] + std * eps[i * d + f];
                    }
                    y[row] = k;
                }
            }
            if (shuffle) {
                int[] p = Permutations.randperm(n, g);
                double[] xs = new double[n * d];
                long[] ys = new long[n];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x, p[i] * d, xs, i * d, d);
                    ys[i] = y[p[i]];
                }
                x = xs;
                y = ys;
            }
            return new SupervisedData(toFloat(x, n, d), Ember.fromArray(y, n));
        }
    }

    /**
     * A linear regression problem {@code y = X w + bias + noise * N(0, 1)} with standard normal inputs and weights.
     * Equal to:
     * <pre>{@code
     * g = torch.Generator().manual_seed(seed)
     * X = torch.randn(n, features, dtype=torch.float64, generator=g)
     * w = torch.randn(features, dtype=torch.float64, generator=g)
     * y = X @ w + bias
     * if noise > 0: y = y + noise * torch.randn(n, dtype=torch.float64, generator=g)
     * X, y, w = X.float(), y.float().unsqueeze(1), w.float()
     * }</pre>
     * In Java:
     * <pre>{@code
     * Synthetic.RegressionData r = Synthetic.regression().features(8).noise(0.5).generate();
     * }</pre>
     *
     * @param samples  the number of samples (at least 1)
     * @param features the number of input features (at least 1)
     * @param noise    the standard deviation of the targets' noise (at least 0)
     * @param bias     the intercept
     * @param seed     the seed of the generator
     */
    public record Regression(int samples, int features, double noise, double bias, long seed) {
        /** Checks the options. */
        public Regression {
            positive("Synthetic.regression", "samples", samples);
            positive("Synthetic.regression", "features", features);
            nonNegative("Synthetic.regression", "noise", noise);
            if (!Double.isFinite(bias)) {
                throw new EmberException("Synthetic.regression: bias must be finite, got " + bias);
            }
            if ((long) samples * features > Integer.MAX_VALUE) {
                throw new EmberException("Synthetic.regression: " + samples + " x " + features + " values is too many");
            }
        }

        /** A copy with {@code samples} set to {@code value}. */
        public Regression samples(int value) {
            return new Regression(value, features, noise, bias, seed);
        }

        /** A copy with {@code features} set to {@code value}. */
        public Regression features(int value) {
            return new Regression(samples, value, noise, bias, seed);
        }

        /** A copy with {@code noise} set to {@code value}. */
        public Regression noise(double value) {
            return new Regression(samples, features, value, bias, seed);
        }

        /** A copy with {@code bias} set to {@code value}. */
        public Regression bias(double value) {
            return new Regression(samples, features, noise, value, seed);
        }

        /** A copy with {@code seed} set to {@code value}. */
        public Regression seed(long value) {
            return new Regression(samples, features, noise, bias, value);
        }

        /** Inputs float32 {@code [samples, features]}, targets float32 {@code [samples, 1]}, and the true weights. */
        public RegressionData generate() {
            Generator g = new Generator(seed);
            int n = samples;
            int d = features;
            double[] x = new double[n * d];
            RandomFill.normal(g, x, 0, x.length, 0.0, 1.0);
            double[] w = new double[d];
            RandomFill.normal(g, w, 0, d, 0.0, 1.0);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    s += x[i * d + f] * w[f];
                }
                y[i] = s + bias;
            }
            addNoise(g, y, noise);
            return new RegressionData(new SupervisedData(toFloat(x, n, d), toFloat(y, n, 1)), toFloat(w, d), bias);
        }
    }

    /**
     * A generated regression problem and the truth behind it.
     *
     * <pre>{@code
     * Synthetic.RegressionData r = Synthetic.regression().features(2).noise(0).generate();
     * Tensor fit = r.data().inputs().matmul(r.weights().unsqueeze(1)).add(r.bias());   // equals r.data().targets()
     * }</pre>
     *
     * @param data    inputs {@code [n, features]} and targets {@code [n, 1]}, float32
     * @param weights the true weights, float32 {@code [features]}
     * @param bias    the true intercept
     */
    public record RegressionData(SupervisedData data, Tensor weights, double bias) {
        /** Checks for nulls. */
        public RegressionData {
            Objects.requireNonNull(data, "RegressionData: data must not be null");
            Objects.requireNonNull(weights, "RegressionData: weights must not be null");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** PyTorch's linspace in float64: the first half counts up from start, the second half down from end. */
    static double[] linspace(double start, double end, int steps) {
        double[] out = new double[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        double step = (end - start) / (steps - 1);
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    private static void addNoise(Generator g, double[] values, double noise) {
        if (noise > 0) {
            double[] eps = new double[values.length];
            RandomFill.normal(g, eps, 0, eps.length, 0.0, 1.0);
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] + noise * eps[i];
            }
        }
    }

    private static Tensor toFloat(double[] values, int... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return Ember.fromArray(f, shape);
    }

    private static void positive(String where, String name, int value) {
        if (value < 1) {
            throw new EmberException(where + ": " + name + " must be at least 1, got " + value);
        }
    }

    private static void nonNegative(String where, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new EmberException(where + ": " + name + " must be finite and at least 0, got " + value);
        }
    }
}
