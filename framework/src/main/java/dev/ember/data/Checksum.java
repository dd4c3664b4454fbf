package dev.ember.data;

import dev.ember.EmberException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The expected digest of a file: an algorithm ({@code MD5} or {@code SHA-256}) and its value in hex.
 *
 * <pre>{@code
 * Checksum c = Checksum.sha256("0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056");
 * boolean ok = c.matches(Path.of("train-labels-idx1-ubyte.gz"));
 * c.verify(Path.of("train-labels-idx1-ubyte.gz"));   // throws EmberException with both digests if not
 * }</pre>
 *
 * @param algorithm a {@link MessageDigest} algorithm name: {@code MD5} or {@code SHA-256}
 * @param hex       the expected digest, hexadecimal (stored in lower case)
 */
public record Checksum(String algorithm, String hex) {

    /** Checks the algorithm exists and the digest is hexadecimal of the algorithm's length. */
    public Checksum {
        Objects.requireNonNull(algorithm, "Checksum: the algorithm must not be null");
        Objects.requireNonNull(hex, "Checksum: the digest must not be null");
        hex = hex.trim().toLowerCase(Locale.ROOT);
        int length;
        try {
            length = MessageDigest.getInstance(algorithm).getDigestLength();
        } catch (NoSuchAlgorithmException e) {
            throw new EmberException("Checksum: unknown digest algorithm '" + algorithm + "'; use MD5 or SHA-256", e);
        }
        if (hex.length() != 2 * length || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new EmberException("Checksum: '" + hex + "' is not a " + algorithm + " digest (" + (2 * length)
                    + " hexadecimal digits)");
        }
    }

    /** An MD5 digest (what MNIST's and Fashion-MNIST's publishers give). */
    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /** A SHA-256 digest. */
    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    /** A fresh digest object for this algorithm. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new EmberException("Checksum: unknown digest algorithm '" + algorithm + "'", e);
        }
    }

    /** The file's digest with this checksum's algorithm, in lower-case hex. */
    public String digestOf(Path file) {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new EmberException("Checksum: cannot read " + file + ": " + e, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Whether the file's digest is this one. */
    public boolean matches(Path file) {
        return hex.equals(digestOf(file));
    }

    /** Throws an {@link EmberException} with both digests if the file's digest is not this one. */
    public void verify(Path file) {
        String actual = digestOf(file);
        if (!hex.equals(actual)) {
            throw new EmberException(mismatch(file.toString(), actual));
        }
    }

    String mismatch(String what, String actual) {
        return "checksum mismatch for " + what + ": expected " + algorithm + " " + hex + " but got " + actual;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
