package dev.ember.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where a data set's files are looked for first, and whether a missing one may be downloaded: shared by
 * {@code ember train}, {@code eval} and {@code graph} (a picocli mixin).
 *
 * <pre>{@code
 * SupervisedData.TrainTest parts = dataset.load(env.dataLocations(), data.dataDir(env), data.download());
 * }</pre>
 */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory that holds the data set's files, "
            + "looked at first")
    private Path dataDir;

    @Option(names = "--download", description = "download mnist or fashion-mnist (checked against the published "
            + "MD5 sums) into the user cache if it is not found")
    private boolean download;

    /** {@code --data-dir} resolved against the working directory, or null if not given. */
    public Path dataDir(Environment env) {
        return dataDir == null ? null : env.resolve(dataDir);
    }

    /** {@code --data-dir} resolved against the working directory, or else the run's, or null if neither. */
    public Path dataDir(Environment env, RunConfig run) {
        Path given = dataDir(env);
        return given != null || run.dataDir() == null ? given : Path.of(run.dataDir());
    }

    /** Whether {@code --download} was given. */
    public boolean download() {
        return download;
    }
}
