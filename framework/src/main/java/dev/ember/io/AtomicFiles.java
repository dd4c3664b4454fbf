package dev.ember.io;

import dev.ember.EmberException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Atomic file replacement: the content goes to a temporary file in the target's directory, is forced to the disk,
 * and is then renamed over the target in one atomic step. A crash or an error at any point leaves either the old
 * file or the new one, never a mixture; an error removes the temporary file (a crash may leave one behind, named
 * {@code .<name>.<random>.tmp}, which is harmless and may be deleted).
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("config.json"), "run configuration", json.getBytes(StandardCharsets.UTF_8));
 * }</pre>
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content to a channel. */
    @FunctionalInterface
    interface Content {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /**
     * Replaces target with the given bytes, atomically.
     *
     * @param what how errors name the file, e.g. "run configuration"
     * @throws EmberException if the directory is missing or the file cannot be written; the previous file, if any,
     *                        is then unchanged
     */
    public static void write(Path target, String what, byte[] content) {
        Objects.requireNonNull(content, "AtomicFiles.write: the content must not be null");
        write(target, what, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }, UnaryOperator.identity());
    }

    /**
     * Replaces target with what content writes, atomically.
     *
     * @param what   how errors name the file, e.g. "safetensors file"
     * @param filter wraps the temporary file's channel (tests inject failures with it; identity otherwise)
     */
    static void write(Path target, String what, Content content, UnaryOperator<WritableByteChannel> filter) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path name = abs.getFileName();
        if (dir == null || name == null) {
            throw new EmberException("cannot write " + what + " " + target + ": the path names no file");
        }
        if (Files.isDirectory(abs)) {
            throw new EmberException("cannot write " + what + " " + target + ": it is a directory; give a file "
                    + "name such as " + target.resolve("model.safetensors"));
        }
        if (!Files.isDirectory(dir)) {
            throw new EmberException("cannot write " + what + " " + target + ": the directory " + dir
                    + " does not exist; create it first (Files.createDirectories)");
        }
        Path tmp = null;
        boolean done = false;
        try {
            tmp = createTemp(dir, name.toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                WritableByteChannel out = filter.apply(ch);
                content.writeTo(out);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new EmberException("cannot write " + what + " " + target + ": the file system does not support "
                    + "atomic renames, which Ember needs so that a crash never leaves a half-written file; the "
                    + "previous file, if any, is unchanged", e);
        } catch (IOException e) {
            throw new EmberException("cannot write " + what + " " + target + ": " + describe(e)
                    + "; the previous file, if any, is unchanged", e);
        } finally {
            if (!done && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temporary file is harmless
                }
            }
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                // CREATE_NEW, not createTempFile: the final file gets the usual permissions (umask), not 0600
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable (POSIX); silently skipped where directories cannot be opened. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows and some file systems do not allow this; the rename has happened either way
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null ? type : type + ": " + m;
    }
}
