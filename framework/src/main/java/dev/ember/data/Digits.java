package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits, embedded in Ember: 1,797 images of 8x8 pixels with values 0..16, labels 0..9 (the test
 * set of "Optical Recognition of Handwritten Digits"; scikit-learn's {@code load_digits()}). Small enough to train on in
 * seconds, real enough to need a network; available offline.
 *
 * <pre>{@code
 * SupervisedData digits = Digits.load();                   // inputs [1797, 64] float32, targets [1797] int64
 * SupervisedData images = Digits.loadImages();             // inputs [1797, 1, 8, 8], for convolutions
 * SupervisedData.TrainTest tt = Digits.trainTestSplit();   // 1347 / 450, the same every run
 * Tensor x = tt.train().inputs().div(16);                  // scale to [0, 1]
 * }</pre>
 *
 * <p>Pixel values are kept as in the data (0..16, as scikit-learn returns them); divide by 16 to scale them to
 * {@code [0, 1]}. Sample order is the file's (and scikit-learn's).
 *
 * <p>Citation: Alpaydin, E. and Kaynak, C. (1998). Optical Recognition of Handwritten Digits. UCI Machine Learning
 * Repository. https://doi.org/10.24432/C50P49. Licensed CC BY 4.0; see {@link #citation()} and the resource
 * {@code dev/ember/data/DIGITS-NOTICE.txt}.
 */
public final class Digits {
    /** The number of samples. */
    public static final int SAMPLES = 1797;
    /** Pixels per image (8 x 8). */
    public static final int FEATURES = 64;
    /** The default test fraction of {@link #trainTestSplit()}. */
    public static final double DEFAULT_TEST_FRACTION = 0.25;

    private static final String RESOURCE = "digits.csv.gz";

    private Digits() {
    }

    /** The data's citation and licence. */
    public static String citation() {
        return "Alpaydin, E. and Kaynak, C. (1998). Optical Recognition of Handwritten Digits. UCI Machine Learning "
                + "Repository. https://doi.org/10.24432/C50P49. Licence: CC BY 4.0 "
                + "(https://creativecommons.org/licenses/by/4.0/).";
    }

    /** Inputs float32 {@code [1797, 64]} (values 0..16), targets int64 {@code [1797]}. Fresh tensors every call. */
    public static SupervisedData load() {
        Parsed p = parsed();
        return new SupervisedData(Ember.fromArray(p.pixels, SAMPLES, FEATURES), Ember.fromArray(p.labels, SAMPLES));
    }

    /** Inputs float32 {@code [1797, 1, 8, 8]} (values 0..16), targets int64 {@code [1797]}. */
    public static SupervisedData loadImages() {
        Parsed p = parsed();
        return new SupervisedData(Ember.fromArray(p.pixels, SAMPLES, 1, 8, 8), Ember.fromArray(p.labels, SAMPLES));
    }

    /**
     * {@code load().split(0.25, 0)}: 1,347 training and 450 test samples, shuffled by
     * {@code torch.randperm(1797, generator=torch.Generator().manual_seed(0))} (see {@link SupervisedData#split}).
     */
    public static SupervisedData.TrainTest trainTestSplit() {
        return load().split(DEFAULT_TEST_FRACTION, 0);
    }

    /** {@code load().split(testFraction, seed)}. */
    public static SupervisedData.TrainTest trainTestSplit(double testFraction, long seed) {
        return load().split(testFraction, seed);
    }

    private record Parsed(float[] pixels, long[] labels) {
    }

    private static Parsed parsed;

    /** Parses the resource once; a failure is reported again on the next call instead of being cached. */
    private static synchronized Parsed parsed() {
        if (parsed == null) {
            parsed = parse();
        }
        return parsed;
    }

    private static Parsed parse() {
        InputStream raw = Digits.class.getResourceAsStream(RESOURCE);
        if (raw == null) {
            throw new EmberException("Digits: the resource dev/ember/data/" + RESOURCE + " is missing from the "
                    + "classpath; it ships inside ember-framework's jar, so the jar is incomplete or was repackaged "
                    + "without its resources");
        }
        float[] pixels = new float[SAMPLES * FEATURES];
        long[] labels = new long[SAMPLES];
        int row = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                if (row >= SAMPLES) {
                    throw corrupt("more than " + SAMPLES + " rows");
                }
                String[] cells = line.split(",");
                if (cells.length != FEATURES + 1) {
                    throw corrupt("row " + row + " has " + cells.length + " values instead of " + (FEATURES + 1));
                }
                for (int j = 0; j <= FEATURES; j++) {
                    int v;
                    try {
                        v = Integer.parseInt(cells[j].trim());
                    } catch (NumberFormatException e) {
                        throw corrupt("row " + row + ", column " + j + " is '" + cells[j] + "', not an integer");
                    }
                    int max = j < FEATURES ? 16 : 9;
                    if (v < 0 || v > max) {
                        throw corrupt("row " + row + ", column " + j + " is " + v + ", outside 0.." + max);
                    }
                    if (j < FEATURES) {
                        pixels[row * FEATURES + j] = v;
                    } else {
                        labels[row] = v;
                    }
                }
                row++;
            }
        } catch (IOException e) {
            throw new EmberException("Digits: cannot read the resource dev/ember/data/" + RESOURCE + ": " + e, e);
        }
        if (row != SAMPLES) {
            throw corrupt("only " + row + " rows instead of " + SAMPLES);
        }
        return new Parsed(pixels, labels);
    }

    private static EmberException corrupt(String what) {
        return new EmberException("Digits: the embedded resource dev/ember/data/" + RESOURCE + " is corrupt: " + what);
    }
}
