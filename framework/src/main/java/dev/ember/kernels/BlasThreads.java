package dev.ember.kernels;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * OpenBLAS's thread count, chosen per product: one thread for mid-sized products, all of them for large ones.
 * OpenBLAS itself runs a product on one thread below 262,144 multiply-adds and on every thread above; in a training
 * step, where Java work runs between the products, its worker threads have gone to sleep by the next product, and
 * waking them costs more than the second core gives back until products reach tens of millions of multiply-adds
 * (on 2 cores with other processes running, a W2-sized product of 6.4 million multiply-adds took 1.6 times longer on
 * two threads than on one in a loop with Java work between products, and W2's training steps ran 8–57% faster with
 * one thread for such products; see docs/BENCHMARKS.md).
 *
 * <p>The count is set through {@code openblas_set_num_threads} of the same library that {@link NativeBlas} calls
 * (ND4J's {@code openblas_nolapack}), reached through the JavaCPP presets' function-pointer class; where that is not
 * possible (another BLAS, the presets missing), products keep OpenBLAS's own choice. The count is process-wide: a
 * product that lowers it restores it afterwards, and products running at the same time in two Java threads may run
 * with either count (the results do not depend on it).
 *
 * <pre>{@code
 * BlasThreads t = BlasThreads.forLibrary(path);     // null when the count cannot be set
 * boolean single = t != null && t.lowerFor(multiplyAdds);
 * try { ... } finally { if (single) t.restore(); }
 * }</pre>
 */
final class BlasThreads {
    private static final Logger LOG = LoggerFactory.getLogger(BlasThreads.class);
    private static final String SET_NUM_THREADS = "org.bytedeco.openblas.presets.openblas_nolapack$SetNumThreads";

    /** Multiply-adds from which OpenBLAS 0.3.19 runs a GEMM on more than one thread (65,536 × 4). */
    static final long OPENBLAS_THREADED = 262_144L;

    /** Multiply-adds below which a product runs on one thread. */
    static final long SINGLE_THREAD_LIMIT = 1L << 25;

    private final MethodHandle set;
    private final int max;

    private BlasThreads(MethodHandle set, int max) {
        this.set = set;
        this.max = max;
    }

    /**
     * Control of the thread count of the OpenBLAS library at this path, or null when it cannot be had: the presets'
     * function-pointer class is missing, the symbol resolves into another library, or there is one thread anyway.
     */
    static BlasThreads forLibrary(String library) {
        int max = maxThreads(System.getenv(), Runtime.getRuntime().availableProcessors());
        if (max <= 1) {
            return null;
        }
        try {
            Pointer address = Loader.addressof("openblas_set_num_threads");
            if (address == null || address.isNull() || !within(address.address(), library)) {
                LOG.debug("openblas_set_num_threads does not resolve into {}: OpenBLAS picks its threads", library);
                return null;
            }
            Class<?> type = Class.forName(SET_NUM_THREADS);
            Constructor<?> make = type.getDeclaredConstructor();
            make.setAccessible(true);
            Object function = make.newInstance();
            type.getMethod("put", Pointer.class).invoke(function, address);
            MethodHandle call = MethodHandles.publicLookup().findVirtual(type, "call",
                    MethodType.methodType(void.class, int.class)).bindTo(function);
            return new BlasThreads(call, max);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("cannot set OpenBLAS's thread count ({}): OpenBLAS picks its threads", e.toString());
            return null;
        }
    }

    /**
     * OpenBLAS's count at start-up: OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else the processors; never more than
     * the processors, as OpenBLAS caps it (restoring a higher count would make OpenBLAS start more threads than there
     * are processors).
     */
    static int maxThreads(Map<String, String> env, int processors) {
        for (String variable : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}) {
            String v = env.get(variable);
            if (v != null && v.trim().matches("[1-9][0-9]{0,8}")) {
                return Math.min(Integer.parseInt(v.trim()), processors);
            }
        }
        return processors;
    }

    /** True when the address lies in a mapping of that library file (Linux's /proc/self/maps). */
    private static boolean within(long address, String library) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (!line.endsWith(library)) {
                    continue;
                }
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                if (Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
                        && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Lowers the count to one for a product of this size if it is mid-sized; true when it did (restore after). */
    boolean lowerFor(long multiplyAdds) {
        if (multiplyAdds < OPENBLAS_THREADED || multiplyAdds >= SINGLE_THREAD_LIMIT) {
            return false;
        }
        setCount(1);
        return true;
    }

    /** Back to the count OpenBLAS started with. */
    void restore() {
        setCount(max);
    }

    private void setCount(int n) {
        try {
            set.invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads(" + n + ") failed", e);
        }
    }
}
