package dev.ember.kernels;

/**
 * How many in-place writes a storage has seen, and which op made the latest one (with its call site when anomaly
 * mode recorded it). Shared by a tensor and all its views; saved tensors keep it to detect later writes.
 *
 * <pre>{@code
 * VersionCounter v = storage.versionCounter();
 * int before = v.value();
 * }</pre>
 */
public final class VersionCounter {
    private int value;
    private String lastWriter;
    private StackTraceElement[] lastWriteSite;

    public int value() {
        return value;
    }

    public String lastWriter() {
        return lastWriter;
    }

    /** Where the latest in-place write happened, if anomaly mode recorded it; else null. */
    public StackTraceElement[] lastWriteSite() {
        return lastWriteSite;
    }

    void bump(String writer, StackTraceElement[] site) {
        value++;
        lastWriter = writer;
        lastWriteSite = site;
    }
}
