package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void reportsTheActiveBackend() {
        String b = Ember.backend();
        assertTrue(b.startsWith("CPU (") || b.startsWith("CUDA ("), b);
    }

    @Test
    void reportsTheBackendsEnvironment() {
        java.util.Map<String, String> env = Nd4jBridge.environment();
        assertTrue(Ember.backend().startsWith(env.get("backend")), env.toString());
        assertTrue(env.containsKey("blas.vendor"), env.toString());
        assertTrue(Integer.parseInt(env.get("omp.threads")) >= 1, env.toString());
    }

    /** Runs only with the CUDA backend (./mvnw -Pcuda verify on a machine with a GPU). */
    @Test
    void gpuGemmAgreesWithTheCpuLoop() {
        assumeTrue(Nd4jBridge.isCuda(), "no CUDA backend active: GPU test skipped");
        Ember.manualSeed(2);
        Tensor a = Ember.randn(128, 64);
        Tensor b = Ember.randn(64, 32);
        float[] gpu = a.matmul(b).toFloatArray();
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 32; j++) {
                double s = 0;
                for (int k = 0; k < 64; k++) {
                    s += x[i * 64 + k] * y[k * 32 + j];
                }
                assertTrue(Math.abs(s - gpu[i * 32 + j]) < 1e-3 * (1 + Math.abs(s)));
            }
        }
    }
}
