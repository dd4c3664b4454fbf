package dev.ember.kernels;

import org.bytedeco.javacpp.Pointer;

/**
 * Memory figures of the native side, for benchmarks and checks that a long run does not leak. Ember's own storage is
 * Java arrays on the heap; off-heap memory is what ND4J's calls allocate, and each call frees what it allocated.
 * ND4J 1.0.0-M2.1 allocates its buffers without JavaCPP's count, so {@link #totalBytes()} does not see them: to
 * watch them, compare {@link #physicalBytes()} with the JVM's committed heap and non-heap.
 *
 * <pre>{@code
 * long offHeap = NativeMemory.totalBytes();        // JavaCPP's allocations not yet freed
 * long resident = NativeMemory.physicalBytes();    // the whole process's resident memory
 * }</pre>
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    /** Bytes allocated through JavaCPP's own Pointer constructors and not yet freed: Pointer.totalBytes(). */
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
}
