package dev.ember.data;

import dev.ember.EmberException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed (recognised by its content,
 * not its name).
 *
 * <pre>{@code
 * IdxArray images = Idx.read(Path.of("data/fashion-mnist/train-images-idx3-ubyte.gz"));
 * Tensor x = images.toTensor(DType.FLOAT32).div(255);                   // [60000, 28, 28]
 * Idx.write(Path.of("labels-idx1-ubyte.gz"), IdxArray.unsignedBytes(new byte[] {1, 2}, 2));
 * }</pre>
 *
 * <h2>The format</h2>
 * A 4-byte magic number: two zero bytes, the element type's code (0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 * 0x0C int, 0x0D float, 0x0E double) and the number of dimensions; then each dimension as a big-endian 32-bit integer;
 * then the elements, big-endian, in row-major order, and nothing after them. MNIST's images are {@code 0x00000803}
 * (2051: unsigned bytes, 3 dimensions), its labels {@code 0x00000801} (2049).
 *
 * <p>Every violation is an {@link EmberException} naming the file and what was expected: a wrong magic number, an
 * unknown type, a header cut short, data shorter or longer than the dimensions say (with both byte counts), a truncated
 * or corrupt gzip stream, or dimensions too large for one Java array.
 */
public final class Idx {
    private Idx() {
    }

    /** Reads an IDX file, raw or gzip-compressed. */
    public static IdxArray read(Path file) {
        Objects.requireNonNull(file, "Idx.read: the path must not be null");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    return parse(in, file + " (gzip)", -1);
                }
            }
            return parse(raw, file.toString(), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new EmberException("Idx.read: no such file: " + file, e);
        } catch (EOFException e) {
            throw new EmberException("IDX file " + file + ": the gzip stream is truncated (" + e.getMessage()
                    + "); the file is incomplete, perhaps from an interrupted download: delete it and fetch it again", e);
        } catch (ZipException e) {
            throw new EmberException("IDX file " + file + ": corrupt gzip data (" + e.getMessage()
                    + "); delete the file and fetch it again", e);
        } catch (IOException e) {
            throw new EmberException("IDX file " + file + ": cannot read it: " + e, e);
        }
    }

    /**
     * Reads IDX data from a stream (already decompressed), naming it {@code source} in errors. Does not close the
     * stream.
     */
    public static IdxArray read(InputStream in, String source) {
        try {
            return parse(in, source, -1);
        } catch (IOException e) {
            throw new EmberException("IDX data " + source + ": cannot read it: " + e, e);
        }
    }

    /**
     * Parses the stream.
     *
     * @param length the total length if known (raw files), to check before allocating, else -1
     */
    private static IdxArray parse(InputStream in, String source, long length) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new EmberException("IDX file " + source + ": only " + magic.length + " bytes long; an IDX file starts"
                    + " with a 4-byte magic number (two zero bytes, a type code, the number of dimensions)");
        }
        int magicValue = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8)
                | (magic[3] & 0xFF);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new EmberException(String.format("IDX file %s: bad magic number 0x%08X; an IDX file starts with two "
                    + "zero bytes (MNIST's images start 0x00000803, its labels 0x00000801). This is not an IDX file%s",
                    source, magicValue, looksLikeText(magic) ? " (it looks like text: an HTML error page saved by a "
                            + "failed download?)" : ""));
        }
        IdxArray.Type type = IdxArray.Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new EmberException(String.format("IDX file %s: unknown type code 0x%02X in magic number 0x%08X; "
                    + "IDX types are 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (short), 0x0C (int), 0x0D (float) "
                    + "and 0x0E (double)", source, magic[2] & 0xFF, magicValue));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new EmberException(String.format("IDX file %s: magic number 0x%08X declares 0 dimensions; IDX arrays"
                    + " have at least one", source, magicValue));
        }
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw new EmberException("IDX file " + source + ": the header declares " + rank + " dimensions ("
                    + (4 * rank) + " bytes) but the file ends after " + header.length + " of them; the file is "
                    + "truncated");
        }
        int[] dims = new int[rank];
        long elements = 1;
        boolean overflow = false;
        for (int d = 0; d < rank; d++) {
            long v = ((header[4 * d] & 0xFFL) << 24) | ((header[4 * d + 1] & 0xFF) << 16)
                    | ((header[4 * d + 2] & 0xFF) << 8) | (header[4 * d + 3] & 0xFF);
            dims[d] = (int) Math.min(v, Integer.MAX_VALUE);
            overflow |= v > Integer.MAX_VALUE;
            elements = Math.min(elements * v, Long.MAX_VALUE / 16);
        }
        long payload = elements * type.bytes();
        if (overflow || payload > Integer.MAX_VALUE - 8) {
            throw IdxArray.tooLarge(source, dims, type);
        }
        long headerBytes = 4 + 4L * rank;
        if (length >= 0 && length != headerBytes + payload) {
            throw lengthMismatch(source, dims, type, headerBytes, payload, length - headerBytes);
        }
        byte[] data = in.readNBytes((int) payload);
        if (data.length < payload) {
            throw lengthMismatch(source, dims, type, headerBytes, payload, data.length);
        }
        if (length < 0) {
            long extra = countRemaining(in);
            if (extra > 0) {
                throw lengthMismatch(source, dims, type, headerBytes, payload, payload + extra);
            }
        }
        return new IdxArray(type, dims, data);
    }

    private static long countRemaining(InputStream in) throws IOException {
        long extra = 0;
        byte[] buf = new byte[8192];
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
            extra += r;
        }
        return extra;
    }

    private static EmberException lengthMismatch(String source, int[] dims, IdxArray.Type type, long headerBytes,
                                                 long expected, long actual) {
        String what = actual < expected
                ? "the file is truncated: it ends after " + actual + " of them (" + (expected - actual) + " missing)"
                : "the file has " + (actual - expected) + " bytes more than that after them";
        return new EmberException("IDX file " + source + ": the header (" + headerBytes + " bytes) declares dimensions "
                + Arrays.toString(dims) + " of " + type + ", so " + expected + " bytes of data should follow, but "
                + what + "; the file is damaged or not what its name says: delete it and fetch it again");
    }

    private static boolean looksLikeText(byte[] b) {
        for (byte x : b) {
            if (x < 0x09 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The IDX bytes of an array (header and data, uncompressed). */
    public static byte[] encode(IdxArray array) {
        Objects.requireNonNull(array, "Idx.encode: the array must not be null");
        int[] dims = array.dims();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * dims.length + array.rawBytes().length);
        out.write(0);
        out.write(0);
        out.write(array.type().code());
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(array.rawBytes());
        return out.toByteArray();
    }

    /**
     * Writes an IDX file, gzip-compressed if the name ends with {@code .gz}. The file appears whole or not at all (a
     * temporary file in the same directory, then a rename).
     */
    public static void write(Path file, IdxArray array) {
        Objects.requireNonNull(file, "Idx.write: the path must not be null");
        byte[] bytes = encode(array);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                if (file.getFileName().toString().endsWith(".gz")) {
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(bytes);
                    }
                } else {
                    out.write(bytes);
                }
            }
            moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new EmberException("Idx.write: cannot write " + file + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a leftover .part file is harmless
            }
        }
    }
}
