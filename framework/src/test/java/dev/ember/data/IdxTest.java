package dev.ember.data;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** The IDX reader and writer, on small files built here byte by byte. */
class IdxTest {

    @TempDir
    Path dir;

    /** Header bytes: 0, 0, type, rank, then the dimensions big-endian. */
    static byte[] header(int type, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void readsRawAndGzipUnsignedBytes() throws IOException {
        byte[] data = {0, 1, (byte) 200, (byte) 255, 7, 8};
        byte[] bytes = concat(header(0x08, 2, 3), data);
        for (Path p : new Path[] {file("raw-idx2-ubyte", bytes), file("any-name", gzip(bytes))}) {
            IdxArray a = Idx.read(p);
            assertEquals(IdxArray.Type.UNSIGNED_BYTE, a.type());
            assertArrayEquals(new int[] {2, 3}, a.dims());
            assertEquals(6, a.count());
            assertEquals(200, a.get(2));
            assertEquals(255, a.get(3));
            Tensor t = a.toTensor(DType.FLOAT32);
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertArrayEquals(new float[] {0, 1, 200, 255, 7, 8}, t.toFloatArray());
            assertArrayEquals(new long[] {0, 1, 200, 255, 7, 8}, a.toTensor(DType.INT64).toLongArray());
        }
    }

    @Test
    void writeThenReadRoundTripsEveryType() {
        IdxArray floats = IdxArray.floats(new float[] {1.5f, -2f, 3.25f, 0f}, 2, 2);
        for (String name : new String[] {"f.idx", "f.idx.gz"}) {
            Path p = dir.resolve(name);
            Idx.write(p, floats);
            IdxArray back = Idx.read(p);
            assertEquals(IdxArray.Type.FLOAT, back.type());
            assertArrayEquals(new double[] {1.5, -2, 3.25, 0}, back.toTensor(DType.FLOAT64).toDoubleArray());
        }
        IdxArray shorts = IdxArray.of(IdxArray.Type.SHORT, ByteBuffer.allocate(4).putShort((short) -3)
                .putShort((short) 300).array(), 2);
        IdxArray ints = IdxArray.of(IdxArray.Type.INT, ByteBuffer.allocate(4).putInt(-70000).array(), 1);
        IdxArray doubles = IdxArray.of(IdxArray.Type.DOUBLE, ByteBuffer.allocate(8).putDouble(Math.PI).array(), 1);
        IdxArray signed = IdxArray.of(IdxArray.Type.SIGNED_BYTE, new byte[] {-5}, 1);
        Idx.write(dir.resolve("s"), shorts);
        assertArrayEquals(new long[] {-3, 300}, Idx.read(dir.resolve("s")).toTensor(DType.INT64).toLongArray());
        Idx.write(dir.resolve("i"), ints);
        assertEquals(-70000, Idx.read(dir.resolve("i")).get(0));
        Idx.write(dir.resolve("d"), doubles);
        assertEquals(Math.PI, Idx.read(dir.resolve("d")).get(0));
        Idx.write(dir.resolve("b"), signed);
        assertEquals(-5, Idx.read(dir.resolve("b")).get(0));
    }

    @Test
    void encodeWritesTheMnistMagicNumber() {
        byte[] e = Idx.encode(IdxArray.unsignedBytes(new byte[] {1, 2}, 2));
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1, 2}, e);
        assertEquals(2049, ByteBuffer.wrap(e).getInt()); // MNIST labels' magic number
    }

    @Test
    void badMagicNumbers() throws IOException {
        assertThrowsWith(EmberException.class, () -> Idx.read(file("html", "<html><body>404</body>".getBytes())),
                "bad magic number 0x3C68746D", "two zero bytes", "HTML error page");
        assertThrowsWith(EmberException.class, () -> Idx.read(file("type", concat(header(0x0A, 1), new byte[1]))),
                "unknown type code 0x0A", "0x08 (unsigned byte)");
        assertThrowsWith(EmberException.class, () -> Idx.read(file("rank0", header(0x08))), "declares 0 dimensions");
        assertThrowsWith(EmberException.class, () -> Idx.read(file("short", new byte[] {0, 0})),
                "only 2 bytes long");
        assertThrowsWith(EmberException.class, () -> Idx.read(file("empty", new byte[0])), "only 0 bytes long");
    }

    @Test
    void truncatedHeaderAndData() throws IOException {
        byte[] h = header(0x08, 10, 28, 28);
        assertThrowsWith(EmberException.class, () -> Idx.read(file("hdr", Arrays.copyOf(h, 9))),
                "declares 3 dimensions (12 bytes) but the file ends after 5 of them", "truncated");
        byte[] full = concat(h, new byte[7840]);
        Path raw = file("images-raw", Arrays.copyOf(full, full.length - 100));
        assertThrowsWith(EmberException.class, () -> Idx.read(raw), "images-raw", "declares dimensions [10, 28, 28] "
                + "of UNSIGNED_BYTE, so 7840 bytes of data should follow", "it ends after 7740 of them (100 missing)");
        Path gz = file("images.gz", gzip(Arrays.copyOf(full, full.length - 100)));
        assertThrowsWith(EmberException.class, () -> Idx.read(gz), "images.gz (gzip)", "7740 of them (100 missing)");
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] bytes = concat(header(0x08, 3), new byte[] {1, 2, 3, 4, 5});
        assertThrowsWith(EmberException.class, () -> Idx.read(file("extra", bytes)),
                "3 bytes of data should follow", "has 2 bytes more than that");
        assertThrowsWith(EmberException.class, () -> Idx.read(file("extra.gz", gzip(bytes))),
                "has 2 bytes more than that");
    }

    @Test
    void truncatedAndCorruptGzip() throws IOException {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 3));
        }
        byte[] gz = gzip(concat(header(0x08, 5000), data));
        Path cut = file("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThrowsWith(EmberException.class, () -> Idx.read(cut), "cut.gz", "gzip stream is truncated",
                "fetch it again");
        byte[] bad = gz.clone();
        for (int i = 20; i < bad.length - 20; i += 7) {
            bad[i] ^= 0x5A;
        }
        EmberException e = org.junit.jupiter.api.Assertions.assertThrows(EmberException.class,
                () -> Idx.read(file("bad.gz", bad)));
        assertTrue(e.getMessage().contains("bad.gz") && (e.getMessage().contains("corrupt gzip data")
                || e.getMessage().contains("truncated")), e.getMessage());
    }

    @Test
    void absurdDimensionsFailBeforeAllocating() throws IOException {
        Path p = file("huge", concat(header(0x0E, 60000, 60000, 60000), new byte[16]));
        assertThrowsWith(EmberException.class, () -> Idx.read(p), "[60000, 60000, 60000]",
                "more than one Java array can hold", "header is probably corrupt");
        Path q = file("big-but-short", concat(header(0x08, 100000, 28, 28), new byte[16]));
        assertThrowsWith(EmberException.class, () -> Idx.read(q), "78400000 bytes of data should follow",
                "ends after 16 of them");
    }

    @Test
    void missingFileAndBadConversions() {
        assertThrowsWith(EmberException.class, () -> Idx.read(dir.resolve("nope")), "no such file", "nope");
        assertThrowsWith(DTypeException.class, () -> IdxArray.floats(new float[] {1}, 1).toTensor(DType.INT64),
                "FLOAT", "not INT64");
        assertThrowsWith(DTypeException.class,
                () -> IdxArray.unsignedBytes(new byte[] {1}, 1).toTensor(DType.BOOL), "cannot convert");
        assertThrowsWith(ShapeException.class, () -> IdxArray.unsignedBytes(new byte[3], 2, 2),
                "dimensions [2, 2] of UNSIGNED_BYTE need 4 bytes but 3 were given");
        assertThrowsWith(ShapeException.class, () -> IdxArray.unsignedBytes(new byte[0]), "1 to 255 dimensions");
    }
}
