package dev.ember.cli;

import dev.ember.data.DataLocations;
import dev.ember.data.DatasetNotFoundException;
import dev.ember.data.Digits;
import dev.ember.data.Mnist;
import dev.ember.data.SupervisedData;
import dev.ember.data.Synthetic;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The data sets {@code ember train --dataset} trains on, with their train/test parts and a default number of epochs.
 *
 * <pre>{@code
 * SupervisedData.TrainTest parts = DatasetKind.DIGITS.load(DataLocations.defaults(), null, false);
 * }</pre>
 *
 * <ul>
 *   <li>{@code digits}: the UCI digits embedded in Ember, 8x8 images (1,347 to train, 450 to test);</li>
 *   <li>{@code fashion-mnist}, {@code mnist}: 28x28 images, 60,000 to train, 10,000 to test, from their IDX files,
 *       looked for where {@link Mnist} looks (an explicit directory, {@code $EMBER_DATA}, the user cache, then
 *       {@code /usr/share/datasets}), downloaded into the cache only when asked;</li>
 *   <li>{@code spirals}: three interleaved spiral arms of 500 points each in the plane (1,200 to train, 300 to
 *       test).</li>
 * </ul>
 */
public enum DatasetKind implements Choice {
    DIGITS(20, 10, null),
    FASHION_MNIST(2, 10, Mnist.Variant.FASHION_MNIST),
    MNIST(2, 10, Mnist.Variant.MNIST),
    SPIRALS(100, 3, null);

    private static final int SPIRAL_POINTS = 500;
    private static final double SPIRAL_TEST_FRACTION = 0.2;

    private final int defaultEpochs;
    private final int classes;
    private final Mnist.Variant variant;

    DatasetKind(int defaultEpochs, int classes, Mnist.Variant variant) {
        this.defaultEpochs = defaultEpochs;
        this.classes = classes;
        this.variant = variant;
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** The number of epochs when {@code --epochs} is not given. */
    public int defaultEpochs() {
        return defaultEpochs;
    }

    /** The number of classes (labels are 0 to classes - 1). */
    public int classes() {
        return classes;
    }

    /** The IDX files' data set (MNIST or Fashion-MNIST), or null for one that Ember embeds or generates. */
    public Mnist.Variant idxVariant() {
        return variant;
    }

    /** The classes' names, by label. */
    public List<String> classNames() {
        if (variant != null) {
            return variant.classes();
        }
        return IntStream.range(0, classes).mapToObj(c -> this == SPIRALS ? "arm " + c : Integer.toString(c)).toList();
    }

    /**
     * The training and test parts: inputs float32 ({@code [n, 1, h, w]} images or {@code [n, 2]} points), targets
     * int64 class indices. The same every time (the splits do not depend on the run's seed).
     *
     * @param where    where to look for files (MNIST and Fashion-MNIST)
     * @param dataDir  a directory to look in first, or null
     * @param download whether to download missing files into the cache
     * @throws CommandException when the files are nowhere and downloading is off
     */
    public SupervisedData.TrainTest load(DataLocations where, Path dataDir, boolean download) {
        return switch (this) {
            case DIGITS -> Digits.loadImages().split(Digits.DEFAULT_TEST_FRACTION, 0);
            case SPIRALS -> Synthetic.spirals().pointsPerClass(SPIRAL_POINTS).generate()
                    .split(SPIRAL_TEST_FRACTION, 0);
            case FASHION_MNIST, MNIST -> new SupervisedData.TrainTest(
                    idx(Mnist.Split.TRAIN, where, dataDir, download), idx(Mnist.Split.TEST, where, dataDir, download));
        };
    }

    private SupervisedData idx(Mnist.Split split, DataLocations where, Path dataDir, boolean download) {
        Mnist.Builder b = Mnist.builder(variant).split(split).locations(where).download(download);
        if (dataDir != null) {
            b.path(dataDir);
        }
        try {
            return b.load();
        } catch (DatasetNotFoundException e) {
            throw new CommandException(variant.displayName() + " was not found: put its four files ("
                    + split.imagesFile() + " and the others) in " + (dataDir != null ? dataDir + " (--data-dir), in "
                    : "") + "$" + DataLocations.EMBER_DATA + "/" + variant.dirName() + ", in "
                    + where.cacheDir().resolve(variant.dirName()) + " or in "
                    + where.systemDir().resolve(variant.dirName())
                    + (this == FASHION_MNIST ? " (apt-get install dataset-fashion-mnist)" : "")
                    + ", or add --download", e);
        }
    }
}
