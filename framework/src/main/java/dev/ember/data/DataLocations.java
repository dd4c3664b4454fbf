package dev.ember.data;

import dev.ember.EmberException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Ember looks for dataset files, after an explicit path: the directory named by the {@code EMBER_DATA}
 * environment variable, a per-user cache directory (also where downloads go), then a system-wide directory. A dataset
 * called {@code name} (e.g. {@code fashion-mnist}) lives in a subdirectory of that name in each.
 *
 * <pre>{@code
 * DataLocations where = DataLocations.defaults();
 * Path cache = where.cacheDir();                      // ~/.cache/ember on Linux
 * DataLocations forTests = new DataLocations(Optional.empty(), tmp.resolve("cache"), tmp.resolve("system"));
 * }</pre>
 *
 * <p>The cache directory is {@code $XDG_CACHE_HOME/ember} or {@code ~/.cache/ember} on Linux and other Unix systems,
 * {@code ~/Library/Caches/ember} on macOS and {@code %LOCALAPPDATA%\ember\cache} on Windows. The system directory is
 * {@code /usr/share/datasets}, where Debian's {@code dataset-fashion-mnist} package puts
 * {@code /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz} and its three siblings.
 *
 * @param emberData the directory of {@code EMBER_DATA}, if set
 * @param cacheDir  the per-user cache directory
 * @param systemDir the system-wide datasets directory
 */
public record DataLocations(Optional<Path> emberData, Path cacheDir, Path systemDir) {

    /** The environment variable naming a directory of datasets. */
    public static final String EMBER_DATA = "EMBER_DATA";

    /** Debian's datasets directory. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets");

    /** Checks for nulls. */
    public DataLocations {
        Objects.requireNonNull(emberData, "DataLocations: emberData must be Optional.empty(), not null");
        Objects.requireNonNull(cacheDir, "DataLocations: the cache directory must not be null");
        Objects.requireNonNull(systemDir, "DataLocations: the system directory must not be null");
    }

    /** The locations of this process: its environment, operating system and home directory. */
    public static DataLocations defaults() {
        return fromEnvironment(System.getenv(), System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home", ".")));
    }

    /** The locations for the given environment variables, {@code os.name} and home directory. */
    public static DataLocations fromEnvironment(Map<String, String> env, String osName, Path home) {
        Objects.requireNonNull(env, "DataLocations: env must not be null");
        Objects.requireNonNull(osName, "DataLocations: osName must not be null");
        Objects.requireNonNull(home, "DataLocations: home must not be null");
        Optional<Path> emberData = Optional.ofNullable(env.get(EMBER_DATA)).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Path::of);
        return new DataLocations(emberData, cacheDir(env, osName, home), SYSTEM_DIR);
    }

    private static Path cacheDir(Map<String, String> env, String osName, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            Path base = local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
            return base.resolve("ember").resolve("cache");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Caches").resolve("ember");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) { // the XDG spec ignores relative paths
            return Path.of(xdg).resolve("ember");
        }
        return home.resolve(".cache").resolve("ember");
    }

    /** A copy with another cache directory. */
    public DataLocations withCacheDir(Path dir) {
        return new DataLocations(emberData, dir, systemDir);
    }

    /** A copy with {@code EMBER_DATA} set to {@code dir} (or unset, with null). */
    public DataLocations withEmberData(Path dir) {
        return new DataLocations(Optional.ofNullable(dir), cacheDir, systemDir);
    }

    /** A copy with another system directory. */
    public DataLocations withSystemDir(Path dir) {
        return new DataLocations(emberData, cacheDir, dir);
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new EmberException("DataLocations: '" + name + "' is not a dataset directory name");
        }
    }
}
