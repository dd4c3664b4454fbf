package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thread count that BlasThreads restores after a product it ran on one thread. */
class BlasThreadsTest {

    @Test
    void theRestoredCountIsOpenBlasOwnNeverMoreThanTheProcessors() {
        assertEquals(2, BlasThreads.maxThreads(Map.of(), 2));
        assertEquals(1, BlasThreads.maxThreads(Map.of("OPENBLAS_NUM_THREADS", "1"), 2));
        assertEquals(3, BlasThreads.maxThreads(Map.of("OMP_NUM_THREADS", "3"), 4));
        assertEquals(1, BlasThreads.maxThreads(Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "4"), 4));
        // OpenBLAS caps a larger request at the processors: restoring the request would start extra threads
        assertEquals(2, BlasThreads.maxThreads(Map.of("OPENBLAS_NUM_THREADS", "8"), 2));
        // a count too large for an int is not a number OpenBLAS uses either
        assertEquals(2, BlasThreads.maxThreads(Map.of("OPENBLAS_NUM_THREADS", "99999999999"), 2));
        assertEquals(2, BlasThreads.maxThreads(Map.of("OPENBLAS_NUM_THREADS", "many"), 2));
    }
}
