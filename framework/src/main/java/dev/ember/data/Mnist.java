package dev.ember.data;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MNIST and Fashion-MNIST from their IDX files: images as float32 {@code [n, 1, 28, 28]} in {@code [0, 1]} (each byte
 * divided by 255 in float32, as torchvision's {@code ToTensor}) and labels as int64 {@code [n]}.
 *
 * <pre>{@code
 * SupervisedData train = Mnist.load(Mnist.Variant.FASHION_MNIST, Mnist.Split.TRAIN);
 * SupervisedData test = Mnist.builder(Mnist.Variant.MNIST).split(Mnist.Split.TEST)
 *         .path(Path.of("data/mnist"))      // tried first
 *         .download(true)                   // if found nowhere: fetch from the official mirrors, verified
 *         .load();
 * }</pre>
 *
 * <h2>Where the files are looked for, in order</h2>
 * <ol>
 *   <li>the explicit {@link Builder#path(Path) path}, a directory holding the files;</li>
 *   <li>{@code $EMBER_DATA/<dir>}, and torchvision's layout {@code $EMBER_DATA/<TorchvisionName>/raw};</li>
 *   <li>the user cache directory {@code <cache>/<dir>} (see {@link DataLocations}; {@code ~/.cache/ember/<dir>} on
 *       Linux), where downloads are saved;</li>
 *   <li>{@code /usr/share/datasets/<dir>}: Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST's four
 *       files in {@code /usr/share/datasets/fashion-mnist} (no Debian package ships MNIST).</li>
 * </ol>
 * {@code <dir>} is {@code mnist} or {@code fashion-mnist}. A directory qualifies when it holds both files of the split,
 * each either gzip-compressed ({@code train-images-idx3-ubyte.gz}) or not ({@code train-images-idx3-ubyte}). If none
 * does and downloading is off (the default), the {@link DatasetNotFoundException} names the files, every directory
 * searched and the download URLs. Downloads are checked against the publishers' MD5 sums; files found locally are
 * checked for structure only (Debian recompresses the files, so their MD5 sums differ from the published ones while
 * their contents are the same).
 */
public final class Mnist {
    private Mnist() {
    }

    /**
     * The two datasets in MNIST's format, with their directory names, mirrors, checksums and class names.
     *
     * <pre>{@code
     * Mnist.Variant v = Mnist.Variant.FASHION_MNIST;
     * String name = v.classes().get(9);                            // "Ankle boot"
     * Checksum md5 = v.checksum("t10k-labels-idx1-ubyte.gz");       // the published MD5
     * }</pre>
     */
    public enum Variant {
        /** LeCun, Cortes and Burges's handwritten digits. */
        MNIST("MNIST", "mnist", "MNIST",
                List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                        URI.create("http://yann.lecun.com/exdb/mnist/")),
                Map.of("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                        "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                        "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                        "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
        /** Zalando's Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; MIT licence). */
        FASHION_MNIST("Fashion-MNIST", "fashion-mnist", "FashionMNIST",
                List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
                Map.of("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                        "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                        "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                        "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
                List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                        "Ankle boot"));

        private final String displayName;
        private final String dirName;
        private final String torchvisionName;
        private final List<URI> mirrors;
        private final Map<String, String> md5;
        private final List<String> classes;

        Variant(String displayName, String dirName, String torchvisionName, List<URI> mirrors,
                Map<String, String> md5, List<String> classes) {
            this.displayName = displayName;
            this.dirName = dirName;
            this.torchvisionName = torchvisionName;
            this.mirrors = mirrors;
            this.md5 = md5;
            this.classes = classes;
        }

        /** The dataset's name, e.g. {@code Fashion-MNIST}. */
        public String displayName() {
            return displayName;
        }

        /** The directory name under each location: {@code mnist} or {@code fashion-mnist}. */
        public String dirName() {
            return dirName;
        }

        /** The official mirrors, in the order they are tried. */
        public List<URI> mirrors() {
            return mirrors;
        }

        /** The published checksum of a {@code .gz} file of this dataset. */
        public Checksum checksum(String gzFileName) {
            String hex = md5.get(gzFileName);
            if (hex == null) {
                throw new EmberException(displayName + " has no file " + gzFileName + "; its files are "
                        + md5.keySet());
            }
            return Checksum.md5(hex);
        }

        /** The ten class names, by label. */
        public List<String> classes() {
            return classes;
        }
    }

    /**
     * The training (60,000 samples) or test (10,000 samples) part, with its files' prefix.
     *
     * <pre>{@code
     * String f = Mnist.Split.TEST.imagesFile();                     // "t10k-images-idx3-ubyte.gz"
     * }</pre>
     */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** The images file's name, compressed: {@code train-images-idx3-ubyte.gz}. */
        public String imagesFile() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        /** The labels file's name, compressed: {@code train-labels-idx1-ubyte.gz}. */
        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte.gz";
        }
    }

    /**
     * The two files of a split, found, and where.
     *
     * <pre>{@code
     * Optional<Mnist.Located> where = Mnist.builder(Mnist.Variant.FASHION_MNIST).locate();
     * where.ifPresent(l -> System.out.println(l.images() + " (" + l.origin() + ")"));
     * }</pre>
     *
     * @param images the images file
     * @param labels the labels file
     * @param origin which location they were found in, e.g. {@code EMBER_DATA}
     */
    public record Located(Path images, Path labels, String origin) {
    }

    /** Loads a split from the default locations, without downloading. */
    public static SupervisedData load(Variant variant, Split split) {
        return builder(variant).split(split).load();
    }

    /** A loader for {@code variant}: the training split, default locations, no download. */
    public static Builder builder(Variant variant) {
        return new Builder(Objects.requireNonNull(variant, "Mnist: the variant must not be null"));
    }

    /**
     * Options of one load (see the class description for the lookup order).
     *
     * <pre>{@code
     * SupervisedData test = Mnist.builder(Mnist.Variant.FASHION_MNIST).split(Mnist.Split.TEST).load();
     * }</pre>
     */
    public static final class Builder {
        private final Variant variant;
        private Split split = Split.TRAIN;
        private Path path;
        private boolean download;
        private DataLocations locations;
        private List<URI> mirrors;
        private final Map<String, Checksum> checksums = new LinkedHashMap<>();

        private Builder(Variant variant) {
            this.variant = variant;
        }

        /** Which part (default {@link Split#TRAIN}). */
        public Builder split(Split split) {
            this.split = Objects.requireNonNull(split, "Mnist: the split must not be null");
            return this;
        }

        /** A directory holding the files, tried first. */
        public Builder path(Path directory) {
            this.path = Objects.requireNonNull(directory, "Mnist: the path must not be null");
            return this;
        }

        /** Whether to download missing files into the cache directory (default false). */
        public Builder download(boolean download) {
            this.download = download;
            return this;
        }

        /** Where to look instead of {@link DataLocations#defaults()}. */
        public Builder locations(DataLocations locations) {
            this.locations = Objects.requireNonNull(locations, "Mnist: the locations must not be null");
            return this;
        }

        /** Mirrors to download from instead of the official ones (base URIs; {@code file:} works). */
        public Builder mirrors(List<URI> mirrors) {
            this.mirrors = List.copyOf(mirrors);
            return this;
        }

        /** The checksum a downloaded {@code .gz} file must have, instead of the published one. */
        public Builder checksum(String gzFileName, Checksum checksum) {
            variant.checksum(gzFileName);
            checksums.put(gzFileName, Objects.requireNonNull(checksum, "Mnist: the checksum must not be null"));
            return this;
        }

        private DataLocations where() {
            return locations != null ? locations : DataLocations.defaults();
        }

        private List<URI> mirrorList() {
            return mirrors != null ? mirrors : variant.mirrors();
        }

        /** The two files, found in the first location that holds both, if any (nothing is downloaded). */
        public Optional<Located> locate() {
            return search(new ArrayList<>());
        }

        private Optional<Located> search(List<String> report) {
            for (Candidate c : candidates()) {
                if (c.dir == null) {
                    report.add(c.label + ": not set");
                    continue;
                }
                Path images = find(c.dir, split.imagesFile());
                Path labels = find(c.dir, split.labelsFile());
                if (images != null && labels != null) {
                    return Optional.of(new Located(images, labels, c.label));
                }
                String state = !Files.isDirectory(c.dir) ? "no such directory"
                        : images == null && labels == null ? "neither file" : "only " + (images != null
                        ? images.getFileName() : labels.getFileName());
                report.add(c.dir + " (" + c.label + "): " + state);
            }
            return Optional.empty();
        }

        private record Candidate(String label, Path dir) {
        }

        private List<Candidate> candidates() {
            DataLocations where = where();
            List<Candidate> out = new ArrayList<>();
            if (path != null) {
                out.add(new Candidate("explicit path", path));
            }
            Path emberData = where.emberData().orElse(null);
            out.add(new Candidate("$" + DataLocations.EMBER_DATA,
                    emberData == null ? null : emberData.resolve(variant.dirName())));
            if (emberData != null) {
                out.add(new Candidate("$" + DataLocations.EMBER_DATA + ", torchvision layout",
                        emberData.resolve(variant.torchvisionName).resolve("raw")));
            }
            out.add(new Candidate("user cache", where.cacheDir().resolve(variant.dirName())));
            out.add(new Candidate("system", where.systemDir().resolve(variant.dirName())));
            return out;
        }

        private static Path find(Path dir, String gzName) {
            Path gz = dir.resolve(gzName);
            if (Files.isRegularFile(gz)) {
                return gz;
            }
            Path raw = dir.resolve(gzName.substring(0, gzName.length() - 3));
            return Files.isRegularFile(raw) ? raw : null;
        }

        /**
         * Finds (or, if allowed, downloads) and reads the split.
         *
         * @throws DatasetNotFoundException if the files are nowhere and downloading is off
         * @throws EmberException           if a file is corrupt, or the download fails
         */
        public SupervisedData load() {
            List<String> report = new ArrayList<>();
            Optional<Located> found = search(report);
            if (found.isEmpty()) {
                if (!download) {
                    throw notFound(report);
                }
                found = Optional.of(downloadInto(where().cacheDir().resolve(variant.dirName()), report));
            }
            return read(found.get());
        }

        private Located downloadInto(Path dir, List<String> report) {
            List<Path> got = new ArrayList<>();
            for (String name : List.of(split.imagesFile(), split.labelsFile())) {
                Path existing = find(dir, name);
                if (existing != null) {
                    got.add(existing);
                    continue;
                }
                Checksum sum = checksums.getOrDefault(name, variant.checksum(name));
                try {
                    got.add(Download.fetch(mirrorList(), name, sum, dir));
                } catch (EmberException e) {
                    throw new EmberException(variant.displayName + " (" + split.name().toLowerCase() + " split): "
                            + "the download failed. " + e.getMessage() + "\n" + instructions(report), e);
                }
            }
            return new Located(got.get(0), got.get(1), "downloaded");
        }

        private DatasetNotFoundException notFound(List<String> report) {
            return new DatasetNotFoundException(variant.displayName + " (" + split.name().toLowerCase()
                    + " split) was not found and downloading is off.\n" + instructions(report)
                    + "\nOr let Ember download them (checked against the published MD5 sums) into "
                    + where().cacheDir().resolve(variant.dirName()) + ": Mnist.builder(Mnist.Variant." + variant.name()
                    + ").download(true).load()");
        }

        private String instructions(List<String> report) {
            StringBuilder b = new StringBuilder("Put these two files (gzip-compressed as published, or "
                    + "uncompressed without the .gz):\n");
            for (String name : List.of(split.imagesFile(), split.labelsFile())) {
                b.append("  ").append(name).append("   from ").append(mirrorList().get(0)).append(name).append('\n');
            }
            b.append("into ");
            if (path != null) {
                b.append(path).append(" (the explicit path), or into ");
            }
            Path emberData = where().emberData().orElse(null);
            b.append(emberData != null ? emberData.resolve(variant.dirName()) + " ($EMBER_DATA/" + variant.dirName()
                    + ")" : "$EMBER_DATA/" + variant.dirName() + " (after setting EMBER_DATA)");
            b.append(", or into ").append(where().cacheDir().resolve(variant.dirName())).append(" (user cache)");
            if (variant == Variant.FASHION_MNIST) {
                b.append(", or install Debian's package: apt-get install dataset-fashion-mnist (installs them in ")
                        .append(DataLocations.SYSTEM_DIR.resolve(variant.dirName())).append(')');
            }
            b.append(".\nSearched:\n");
            for (String line : report) {
                b.append("  ").append(line).append('\n');
            }
            return b.toString().stripTrailing();
        }

        private SupervisedData read(Located files) {
            IdxArray images = Idx.read(files.images());
            IdxArray labels = Idx.read(files.labels());
            return toData(images, labels, files.images().toString(), files.labels().toString(), variant);
        }
    }

    /**
     * Checks that {@code images} and {@code labels} form an MNIST-style split and converts them: images float32
     * {@code [n, 1, rows, cols]} divided by 255, labels int64 {@code [n]}.
     */
    public static SupervisedData toData(IdxArray images, IdxArray labels, String imagesName, String labelsName,
                                        Variant variant) {
        int[] id = images.dims();
        int[] ld = labels.dims();
        if (images.type() != IdxArray.Type.UNSIGNED_BYTE || id.length != 3) {
            throw new EmberException(variant.displayName + ": " + imagesName + " should hold images (magic number "
                    + "0x00000803: unsigned bytes, 3 dimensions [n, rows, cols]) but holds " + images.type() + " "
                    + Arrays.toString(id) + (ld.length == 3 && id.length == 1 ? "; are the images and labels files "
                    + "swapped?" : ""));
        }
        if (labels.type() != IdxArray.Type.UNSIGNED_BYTE || ld.length != 1) {
            throw new EmberException(variant.displayName + ": " + labelsName + " should hold labels (magic number "
                    + "0x00000801: unsigned bytes, 1 dimension [n]) but holds " + labels.type() + " "
                    + Arrays.toString(ld));
        }
        if (id[0] != ld[0]) {
            throw new EmberException(variant.displayName + ": " + imagesName + " holds " + id[0] + " images but "
                    + labelsName + " holds " + ld[0] + " labels; the two files must come from the same split");
        }
        byte[] px = images.rawBytes();
        byte[] lb = labels.rawBytes();
        long[] y = new long[ld[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = lb[i] & 0xFF;
            if (y[i] >= variant.classes.size()) {
                throw new EmberException(variant.displayName + ": label " + i + " in " + labelsName + " is " + y[i]
                        + " but labels must be in 0.." + (variant.classes.size() - 1) + "; the file is corrupt");
            }
        }
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (float) (px[i] & 0xFF) / 255f;
        }
        Tensor inputs = Ember.fromArray(x, id[0], 1, id[1], id[2]);
        return new SupervisedData(inputs, Ember.fromArray(y, y.length));
    }
}
