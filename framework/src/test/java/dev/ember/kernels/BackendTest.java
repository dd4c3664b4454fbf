package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.DType;
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

    @Test
    void ndGemmAgreesWithTheJavaLoop() {
        Ember.manualSeed(1);
        Tensor a = Ember.randn(DType.FLOAT64, 40, 30);
        Tensor b = Ember.randn(DType.FLOAT64, 30, 50);
        TensorData big = Kernels.bmm(a.impl().unsqueeze(0), b.impl().unsqueeze(0));   // 60,000 MACs: ND4J
        double[] expected = new double[40 * 50];
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                for (int k = 0; k < 30; k++) {
                    expected[i * 50 + j] += x[i * 30 + k] * y[k * 50 + j];
                }
            }
        }
        assertArrayEquals(expected, Kernels.toDoubles(big), 1e-12);
    }

    @Test
    void transposedOperandsReachTheGemmWithoutChangingTheProduct() {
        Ember.manualSeed(3);
        Tensor a = Ember.randn(DType.FLOAT64, 30, 40);   // a.t() is [40, 30], the transpose of a contiguous matrix
        Tensor b = Ember.randn(DType.FLOAT64, 50, 30);   // b.t() is [30, 50]
        Tensor viaFlags = a.t().matmul(b.t());           // 60,000 multiply-adds: ND4J with both transpose flags
        Tensor viaCopies = a.t().contiguous().matmul(b.t().contiguous());
        double[] expected = new double[40 * 50];
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                for (int k = 0; k < 30; k++) {
                    expected[i * 50 + j] += x[k * 40 + i] * y[j * 30 + k];
                }
            }
        }
        assertArrayEquals(expected, viaFlags.toDoubleArray(), 1e-12);
        assertArrayEquals(expected, viaCopies.toDoubleArray(), 1e-12);
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
