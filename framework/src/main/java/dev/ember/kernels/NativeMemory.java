package dev.ember.kernels;

import org.bytedeco.javacpp.Pointer;

/**
 * Memory figures of the native side, as JavaCPP (which allocates ND4J's buffers) counts them: for benchmarks and
 * checks that a long run does not leak. Ember's own storage is Java arrays on the heap; off-heap memory is what
 * ND4J's calls allocate, and each call frees what it allocated.
 *
 * <pre>{@code
 * long offHeap = NativeMemory.totalBytes();        // JavaCPP's allocations not yet freed
 * long resident = NativeMemory.physicalBytes();    // the whole process's resident memory
 * }</pre>
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    /** Bytes allocated through JavaCPP (ND4J's native buffers) and not yet freed: JavaCPP's Pointer.totalBytes(). */
    public static long totalBytes() {
        return Pointer.totalBytes();
    }

    /**
     * The physical memory the whole process uses (its resident set, Java heap included), as JavaCPP reads it from
     * the operating system: Pointer.physicalBytes().
     */
    public static long physicalBytes() {
        return Pointer.physicalBytes();
    }

    /** JavaCPP's limit on {@link #totalBytes()} (org.bytedeco.javacpp.maxbytes; 0 means none). */
    public static long maxBytes() {
        return Pointer.maxBytes();
    }

    /**
     * JavaCPP's limit on {@link #physicalBytes()} (org.bytedeco.javacpp.maxphysicalbytes; 0 means none, and also
     * that JavaCPP skips reading the process's memory on every allocation).
     */
    public static long maxPhysicalBytes() {
        return Pointer.maxPhysicalBytes();
    }
}
