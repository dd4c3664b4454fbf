package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ember.DType;
import dev.ember.EmberException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** MNIST-format loading: lookup order, not-found message, downloads (file: and in-process HTTP), corrupt files. */
class MnistTest {

    @TempDir
    Path tmp;

    /** Writes a small split: n images of rows x cols bytes and labels {@code (i + shift) % 10}. */
    static void writeSplit(Path dir, Mnist.Split split, int n, int shift, boolean gz) {
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7 + shift);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i + shift) % 10);
        }
        String images = split.imagesFile();
        String lab = split.labelsFile();
        Idx.write(dir.resolve(gz ? images : images.replace(".gz", "")), IdxArray.unsignedBytes(px, n, 28, 28));
        Idx.write(dir.resolve(gz ? lab : lab.replace(".gz", "")), IdxArray.unsignedBytes(labels, n));
    }

    private DataLocations locations() {
        return new DataLocations(Optional.of(tmp.resolve("ember-data")), tmp.resolve("cache"), tmp.resolve("system"));
    }

    private Mnist.Builder fashion() {
        return Mnist.builder(Mnist.Variant.FASHION_MNIST).locations(locations());
    }

    @Test
    void loadsImagesAsToTensorWouldAndLabelsAsInt64() {
        Path d = tmp.resolve("explicit");
        writeSplit(d, Mnist.Split.TEST, 3, 4, true);
        SupervisedData data = fashion().split(Mnist.Split.TEST).path(d).load();
        assertArrayEquals(new int[] {3, 1, 28, 28}, data.inputs().shape());
        assertEquals(DType.FLOAT32, data.inputs().dtype());
        assertEquals(DType.INT64, data.targets().dtype());
        assertArrayEquals(new long[] {4, 5, 6}, data.targets().toLongArray());
        float[] x = data.inputs().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals((float) ((byte) (i * 7 + 4) & 0xFF) / 255f, x[i]); // torchvision: img.float().div(255)
        }
    }

    @Test
    void lookupOrderIsExplicitThenEmberDataThenCacheThenSystem() throws IOException {
        Path explicit = tmp.resolve("explicit");
        writeSplit(explicit, Mnist.Split.TRAIN, 2, 1, true);
        writeSplit(tmp.resolve("ember-data/fashion-mnist"), Mnist.Split.TRAIN, 2, 2, false);
        writeSplit(tmp.resolve("cache/fashion-mnist"), Mnist.Split.TRAIN, 2, 3, true);
        writeSplit(tmp.resolve("system/fashion-mnist"), Mnist.Split.TRAIN, 2, 4, true);
        assertEquals(1, fashion().path(explicit).load().targets().toLongArray()[0]);
        assertEquals("explicit path", fashion().path(explicit).locate().orElseThrow().origin());
        assertEquals(2, fashion().load().targets().toLongArray()[0]);       // $EMBER_DATA/fashion-mnist, raw files
        deleteTree(tmp.resolve("ember-data"));
        assertEquals(3, fashion().load().targets().toLongArray()[0]);       // user cache
        deleteTree(tmp.resolve("cache"));
        Mnist.Located sys = fashion().locate().orElseThrow();
        assertEquals("system", sys.origin());
        assertEquals(tmp.resolve("system/fashion-mnist/train-images-idx3-ubyte.gz"), sys.images());
        assertEquals(4, fashion().load().targets().toLongArray()[0]);
        // an explicit path without the files falls through to the next location
        assertEquals(4, fashion().path(tmp.resolve("nowhere")).load().targets().toLongArray()[0]);
    }

    @Test
    void torchvisionLayoutUnderEmberDataIsFound() {
        writeSplit(tmp.resolve("ember-data/MNIST/raw"), Mnist.Split.TEST, 2, 5, false);
        SupervisedData d = Mnist.builder(Mnist.Variant.MNIST).split(Mnist.Split.TEST).locations(locations()).load();
        assertArrayEquals(new long[] {5, 6}, d.targets().toLongArray());
    }

    @Test
    void notFoundSaysWhichFilesToPutWhere() {
        Path explicit = tmp.resolve("mine");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> fashion().path(explicit).split(Mnist.Split.TEST).load());
        String m = e.getMessage();
        for (String part : List.of("Fashion-MNIST (test split) was not found and downloading is off",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz",
                explicit + " (the explicit path)", tmp.resolve("ember-data/fashion-mnist") + " ($EMBER_DATA",
                tmp.resolve("cache/fashion-mnist") + " (user cache)", "apt-get install dataset-fashion-mnist",
                "/usr/share/datasets/fashion-mnist", "Searched:", explicit + " (explicit path): no such directory",
                tmp.resolve("ember-data/FashionMNIST/raw").toString(), "download(true)")) {
            assertTrue(m.contains(part), () -> "message lacks \"" + part + "\":\n" + m);
        }
        DatasetNotFoundException unset = assertThrows(DatasetNotFoundException.class,
                () -> Mnist.builder(Mnist.Variant.MNIST).locations(locations().withEmberData(null)).load());
        assertTrue(unset.getMessage().contains("$EMBER_DATA: not set"), unset.getMessage());
        assertTrue(unset.getMessage().contains("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"),
                unset.getMessage());
        assertFalse(unset.getMessage().contains("apt-get"), "no Debian package ships MNIST");
    }

    @Test
    void halfPresentSplitIsReported() throws IOException {
        Path d = tmp.resolve("cache/fashion-mnist");
        writeSplit(d, Mnist.Split.TRAIN, 1, 0, true);
        Files.delete(d.resolve("train-labels-idx1-ubyte.gz"));
        assertThrowsWith(DatasetNotFoundException.class, () -> fashion().load(),
                d + " (user cache): only train-images-idx3-ubyte.gz");
    }

    // ---- downloads --------------------------------------------------------------------------------------------

    private Path mirror(int shift) {
        Path m = tmp.resolve("mirror");
        writeSplit(m, Mnist.Split.TEST, 3, shift, true);
        return m;
    }

    @Test
    void downloadsFromAFileMirrorWithSha256AndMd5Checks() {
        Path m = mirror(6);
        Checksum images = Checksum.sha256(Checksum.sha256("0".repeat(64)).digestOf(m.resolve("t10k-images-idx3-ubyte.gz")));
        Checksum labels = Checksum.md5(Checksum.md5("0".repeat(32)).digestOf(m.resolve("t10k-labels-idx1-ubyte.gz")));
        SupervisedData d = fashion().split(Mnist.Split.TEST).download(true).mirrors(List.of(m.toUri()))
                .checksum("t10k-images-idx3-ubyte.gz", images).checksum("t10k-labels-idx1-ubyte.gz", labels).load();
        assertArrayEquals(new long[] {6, 7, 8}, d.targets().toLongArray());
        Path cached = tmp.resolve("cache/fashion-mnist");
        assertTrue(images.matches(cached.resolve("t10k-images-idx3-ubyte.gz")));
        assertTrue(labels.matches(cached.resolve("t10k-labels-idx1-ubyte.gz")));
        assertEquals("user cache", fashion().split(Mnist.Split.TEST).locate().orElseThrow().origin());
    }

    @Test
    void checksumMismatchFailsAndLeavesNoFile() throws IOException {
        Path m = mirror(0);
        EmberException e = assertThrows(EmberException.class, () -> fashion().split(Mnist.Split.TEST).download(true)
                .mirrors(List.of(m.toUri())).load()); // the published MD5 cannot match these small files
        assertTrue(e.getMessage().contains("checksum mismatch for the downloaded file: expected MD5 "
                + "bef4ecab320f06d8554ea6380940ec79 but got "), e.getMessage());
        assertTrue(e.getMessage().contains("Put these two files"), e.getMessage());
        Path cache = tmp.resolve("cache/fashion-mnist");
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "neither the file nor a .part file may remain");
        }
    }

    @Test
    void downloadsOverHttpTryingMirrorsInOrder() throws IOException {
        Path m = mirror(2);
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path f = m.resolve(path.substring(path.lastIndexOf('/') + 1));
            if (!path.startsWith("/good/") || !Files.isRegularFile(f)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(f);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Mnist.Builder b = Mnist.builder(Mnist.Variant.MNIST).split(Mnist.Split.TEST).locations(locations())
                    .download(true).mirrors(List.of(URI.create(base + "/missing/"), URI.create(base + "/good/")));
            for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
                b.checksum(name, Checksum.md5(Checksum.md5("0".repeat(32)).digestOf(m.resolve(name))));
            }
            SupervisedData d = b.load();
            assertArrayEquals(new long[] {2, 3, 4}, d.targets().toLongArray());
            assertEquals(List.of("/missing/t10k-images-idx3-ubyte.gz", "/good/t10k-images-idx3-ubyte.gz",
                    "/missing/t10k-labels-idx1-ubyte.gz", "/good/t10k-labels-idx1-ubyte.gz"), requests);
            assertTrue(Files.isRegularFile(tmp.resolve("cache/mnist/t10k-images-idx3-ubyte.gz")));

            EmberException e = assertThrows(EmberException.class, () -> Download.fetch(
                    List.of(URI.create(base + "/missing/")), "x.gz", Checksum.md5("0".repeat(32)), tmp.resolve("d")));
            assertTrue(e.getMessage().contains(base + "/missing/x.gz: java.io.IOException: HTTP status 404"),
                    e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void downloadRejectsBadArguments() {
        assertThrowsWith(EmberException.class, () -> Download.fetch(List.of(), "a.gz", Checksum.md5("0".repeat(32)),
                tmp), "no mirrors");
        assertThrowsWith(EmberException.class, () -> Download.fetch(List.of(tmp.toUri()), "../a.gz",
                Checksum.md5("0".repeat(32)), tmp), "not a plain file name");
        assertThrowsWith(EmberException.class, () -> Checksum.md5("abc"), "is not a MD5 digest (32 hexadecimal");
        assertThrowsWith(EmberException.class, () -> new Checksum("CRC-1", "00"), "unknown digest algorithm");
        assertThrowsWith(EmberException.class, () -> Mnist.builder(Mnist.Variant.MNIST).checksum("x.gz",
                Checksum.md5("0".repeat(32))), "MNIST has no file x.gz");
    }

    @Test
    void checksumVerifyNamesBothDigests() throws IOException {
        Path f = tmp.resolve("f");
        Files.writeString(f, "hello");
        Checksum right = Checksum.sha256("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        right.verify(f);
        assertThrowsWith(EmberException.class, () -> Checksum.md5("0".repeat(32)).verify(f),
                "expected MD5 00000000000000000000000000000000 but got 5d41402abc4b2a76b9719d911017c592");
    }

    // ---- corrupt content --------------------------------------------------------------------------------------

    @Test
    void inconsistentFilesAreRejected() {
        Path d = tmp.resolve("bad");
        writeSplit(d, Mnist.Split.TRAIN, 3, 0, true);
        Idx.write(d.resolve("train-labels-idx1-ubyte.gz"), IdxArray.unsignedBytes(new byte[] {1, 2}, 2));
        assertThrowsWith(EmberException.class, () -> fashion().path(d).load(), "holds 3 images but",
                "holds 2 labels", "same split");
        Idx.write(d.resolve("train-labels-idx1-ubyte.gz"), IdxArray.unsignedBytes(new byte[] {1, 10, 2}, 3));
        assertThrowsWith(EmberException.class, () -> fashion().path(d).load(), "label 1 in", "is 10",
                "must be in 0..9");
        Idx.write(d.resolve("train-labels-idx1-ubyte.gz"), IdxArray.unsignedBytes(new byte[28 * 28], 1, 28, 28));
        Idx.write(d.resolve("train-images-idx3-ubyte.gz"), IdxArray.unsignedBytes(new byte[3], 3));
        assertThrowsWith(EmberException.class, () -> fashion().path(d).load(), "should hold images",
                "0x00000803", "UNSIGNED_BYTE [3]", "swapped");
    }

    @Test
    void dataLocationsFollowThePlatform() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/home/u/.cache/ember"),
                DataLocations.fromEnvironment(Map.of(), "Linux", home).cacheDir());
        assertEquals(Path.of("/xdg/ember"),
                DataLocations.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), "Linux", home).cacheDir());
        assertEquals(Path.of("/home/u/.cache/ember"),
                DataLocations.fromEnvironment(Map.of("XDG_CACHE_HOME", "relative"), "Linux", home).cacheDir());
        assertEquals(Path.of("/home/u/Library/Caches/ember"),
                DataLocations.fromEnvironment(Map.of(), "Mac OS X", home).cacheDir());
        assertEquals(Path.of("/home/u/AppData/Local/ember/cache"),
                DataLocations.fromEnvironment(Map.of(), "Windows 11", home).cacheDir());
        DataLocations l = DataLocations.fromEnvironment(Map.of("EMBER_DATA", " /data "), "Linux", home);
        assertEquals(Optional.of(Path.of("/data")), l.emberData());
        assertEquals(Path.of("/usr/share/datasets"), l.systemDir());
        assertEquals(Optional.empty(), DataLocations.fromEnvironment(Map.of("EMBER_DATA", ""), "Linux", home)
                .emberData());
    }

    /**
     * The real Fashion-MNIST, where Debian's dataset-fashion-mnist installs it (or in the directory named by the
     * system property ember.test.fashionMnistDir); skipped when it is absent.
     */
    @Test
    void realFashionMnistFromDebiansPackage() {
        Path dir = Path.of(System.getProperty("ember.test.fashionMnistDir", "/usr/share/datasets/fashion-mnist"));
        assumeTrue(Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz")), "Fashion-MNIST not installed");
        SupervisedData test = Mnist.builder(Mnist.Variant.FASHION_MNIST).split(Mnist.Split.TEST).path(dir).load();
        assertArrayEquals(new int[] {10000, 1, 28, 28}, test.inputs().shape());
        assertArrayEquals(new long[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7},
                Arrays.copyOf(test.targets().toLongArray(), 10)); // numpy on the same files
        long sum = 0;
        for (float v : test.inputs().toFloatArray()) {
            sum += Math.round(v * 255);
        }
        assertEquals(573469082L, sum); // numpy: the sum of all pixel bytes
        assertEquals("Ankle boot", Mnist.Variant.FASHION_MNIST.classes().get(9));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
