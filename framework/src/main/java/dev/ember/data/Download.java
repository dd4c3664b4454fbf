package dev.ember.data;

import dev.ember.EmberException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Downloads a file from the first mirror that serves it with the expected checksum. The file appears in the target
 * directory only once complete and verified (written to a temporary file, checked, then renamed), so an interrupted or
 * corrupted download never leaves a file that a later run would trust.
 *
 * <pre>{@code
 * Path p = Download.fetch(List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/")),
 *         "t10k-labels-idx1-ubyte.gz", Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c"),
 *         Path.of(System.getProperty("user.home"), ".cache", "ember", "mnist"));
 * }</pre>
 *
 * <p>Mirrors are base URIs ending in {@code /}; {@code http}, {@code https} and {@code file} URIs work. Each failure
 * (unreachable, HTTP status other than 200, checksum mismatch) moves on to the next mirror; if all fail, the
 * {@link EmberException} lists every mirror with its failure.
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private Download() {
    }

    /**
     * Fetches {@code fileName} into {@code targetDir} (created if needed) and returns its path.
     *
     * @throws EmberException if no mirror delivers the file with the expected checksum
     */
    public static Path fetch(List<URI> mirrors, String fileName, Checksum checksum, Path targetDir) {
        Objects.requireNonNull(mirrors, "Download.fetch: the mirrors must not be null");
        Objects.requireNonNull(fileName, "Download.fetch: the file name must not be null");
        Objects.requireNonNull(checksum, "Download.fetch: the checksum must not be null; downloads are always verified");
        Objects.requireNonNull(targetDir, "Download.fetch: the target directory must not be null");
        if (mirrors.isEmpty()) {
            throw new EmberException("Download.fetch: no mirrors given for " + fileName);
        }
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new EmberException("Download.fetch: '" + fileName + "' is not a plain file name");
        }
        try {
            Files.createDirectories(targetDir);
        } catch (IOException e) {
            throw new EmberException("Download.fetch: cannot create the directory " + targetDir + " for " + fileName
                    + ": " + e, e);
        }
        Path target = targetDir.resolve(fileName);
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = resolve(mirror, fileName);
            Path tmp = null;
            try {
                tmp = Files.createTempFile(targetDir, "." + fileName, ".part");
                LOG.info("Downloading {} to {}", uri, target);
                String actual = copyWithDigest(uri, tmp, checksum.newDigest());
                if (!checksum.hex().equals(actual)) {
                    failures.add(uri + ": " + checksum.mismatch("the downloaded file", actual));
                    continue;
                }
                Idx.moveAtomically(tmp, target);
                tmp = null;
                return target;
            } catch (IOException | RuntimeException e) {
                failures.add(uri + ": " + e);
            } finally {
                Idx.deleteQuietly(tmp);
            }
        }
        throw new EmberException("Download.fetch: could not download " + fileName + " with " + checksum
                + " from any mirror:\n  " + String.join("\n  ", failures));
    }

    private static URI resolve(URI mirror, String fileName) {
        String s = mirror.toString();
        return URI.create(s.endsWith("/") ? s + fileName : s + "/" + fileName);
    }

    private static String copyWithDigest(URI uri, Path tmp, MessageDigest md) throws IOException {
        URLConnection c = uri.toURL().openConnection();
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) READ_TIMEOUT.toMillis());
        c.setRequestProperty("User-Agent", "Ember");
        if (c instanceof HttpURLConnection http) {
            http.setInstanceFollowRedirects(true);
            int status = http.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                http.disconnect();
                throw new IOException("HTTP status " + status + " " + http.getResponseMessage());
            }
        }
        try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                md.update(buf, 0, r);
                out.write(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
