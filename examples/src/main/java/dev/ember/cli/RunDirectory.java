package dev.ember.cli;

import dev.ember.EmberException;
import dev.ember.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The directory of one training run and the files in it:
 * <ul>
 *   <li>{@code config.json}: the run's configuration ({@link RunConfig});</li>
 *   <li>{@code checkpoint.safetensors}: everything to resume ({@link TrainingCheckpoint}), after every epoch;</li>
 *   <li>{@code model.safetensors}: the model's weights alone, after every epoch (what {@code ember eval} reads, and
 *       what PyTorch's {@code safetensors.torch.load_file} reads);</li>
 *   <li>{@code metrics.csv}: one row per epoch ({@link MetricsCsv});</li>
 *   <li>{@code loss.png}, {@code accuracy.png}: the curves ({@link TrainingPlots}).</li>
 * </ul>
 *
 * <pre>{@code
 * RunDirectory run = RunDirectory.create(Path.of("runs/first"), "runs/first");
 * run.writeConfig(config);
 * RunDirectory again = RunDirectory.open(Path.of("runs/first"), "runs/first");
 * RunConfig same = again.readConfig();
 * }</pre>
 */
public final class RunDirectory {
    /** The configuration's file name. */
    public static final String CONFIG = "config.json";
    /** The model weights' file name. */
    public static final String MODEL = "model.safetensors";
    /** The metrics' file name. */
    public static final String METRICS = "metrics.csv";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    private final Path dir;
    private final String shown;

    private RunDirectory(Path dir, String shown) {
        this.dir = dir;
        this.shown = shown;
    }

    /** A new directory for a run under {@code workDir/runs}, named by the time: {@code runs/2025-01-31_14-05-09}. */
    public static Path defaultPath(Path workDir, LocalDateTime now) {
        Path base = workDir.resolve("runs").resolve(now.format(STAMP));
        Path candidate = base;
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return candidate;
    }

    /**
     * Creates the directory of a new run (and its parents) and checks that files can be written in it.
     *
     * @param shown how messages name the directory
     * @throws CommandException if it already holds a run, or cannot be created or written
     */
    public static RunDirectory create(Path dir, String shown) {
        if (Files.exists(dir.resolve(CONFIG))) {
            throw new CommandException("the run directory " + shown + " already holds a run; continue it with "
                    + "--resume " + shown + ", or choose another --out");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CommandException("cannot use " + shown + " as the run directory: it is a file; choose another "
                    + "--out");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new CommandException("cannot create the run directory " + shown + ": " + reason(e)
                    + "; choose another --out", e);
        } catch (IOException e) {
            throw new CommandException("cannot create the run directory " + shown + ": " + e + "; choose another --out",
                    e);
        }
        if (!Files.isWritable(dir)) {
            throw new CommandException("the run directory " + shown + " is not writable; choose another --out");
        }
        return new RunDirectory(dir, shown);
    }

    /**
     * The directory of an existing run.
     *
     * @param shown how messages name the directory
     * @throws CommandException if it does not exist or holds no {@code config.json}
     */
    public static RunDirectory open(Path dir, String shown) {
        if (!Files.isDirectory(dir)) {
            throw new CommandException("there is no run directory " + shown);
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new CommandException(shown + " is not a run directory of ember train: it has no " + CONFIG);
        }
        return new RunDirectory(dir, shown);
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** A file in the directory. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Reads {@code config.json}.
     *
     * @throws CommandException if it cannot be read or is not a valid configuration
     */
    public RunConfig readConfig() {
        Path file = file(CONFIG);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException("cannot read " + file + ": " + e, e);
        }
        try {
            return RunConfig.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(file + " is not a valid run configuration: " + e.getMessage(), e);
        }
    }

    /** Writes {@code config.json} atomically. */
    public void writeConfig(RunConfig config) {
        write(() -> AtomicFiles.write(file(CONFIG), "run configuration",
                config.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs a write into this directory, turning Ember's I/O errors into one-line command errors. */
    public void write(Runnable write) {
        try {
            write.run();
        } catch (EmberException e) {
            throw new CommandException(CommandException.firstLine(e.getMessage()), e);
        }
    }

    /** Why a file operation failed, e.g. {@code Not a directory (/home/ada/notes/run)}. */
    private static String reason(FileSystemException e) {
        String why = e.getReason() != null ? e.getReason()
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof FileAlreadyExistsException ? "a file of that name exists"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName();
        return e.getFile() == null ? why : why + " (" + e.getFile() + ")";
    }

    /** The directory as messages name it. */
    @Override
    public String toString() {
        return shown;
    }
}
