package dev.ember.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The versions of Ember and of the ND4J it was built against, recorded at build time (the resource
 * {@code dev/ember/cli/versions.properties}, filled in by Maven), and of the running Java; {@code ember --version}
 * prints them.
 *
 * <pre>{@code
 * String v = Versions.ember();   // "0.1.0-SNAPSHOT"
 * }</pre>
 */
public final class Versions implements IVersionProvider {
    private static final Properties BUILT = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as "unknown" below
        }
        return p;
    }

    private static String get(String key) {
        String v = BUILT.getProperty(key);
        return v == null || v.startsWith("${") ? "unknown" : v;
    }

    /** Ember's version. */
    public static String ember() {
        return get("ember");
    }

    /** The ND4J version Ember was built against. */
    public static String nd4j() {
        return get("nd4j");
    }

    /** The running Java: version, vendor and VM. */
    public static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ember " + ember(), "ND4J " + nd4j(), "Java " + java()};
    }
}
