package dev.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.EmberException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void writesBytesAndReplacesAnEarlierFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        AtomicFiles.write(file, "test file", "{}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, "test file", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertTrue(listing.allMatch(file::equals), "no temporary file is left behind");
        }
    }

    @Test
    void aMissingDirectoryIsAnErrorThatNamesTheFile(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("config.json");
        EmberException e = assertThrows(EmberException.class,
                () -> AtomicFiles.write(file, "test file", new byte[] {1}));
        assertTrue(e.getMessage().contains("cannot write test file " + file), e.getMessage());
    }
}
