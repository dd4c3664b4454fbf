package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thousands of forward+backward steps, with every matmul on ND4J's GEMM (the route that allocates off-heap INDArrays;
 * the native BLAS route works on the Java arrays and allocates nothing off-heap): every saved tensor is released
 * after each backward, and memory outside the JVM's managed areas does not grow. ND4J allocates its buffers without
 * JavaCPP's count ({@link NativeMemory#totalBytes()} stays 0 while INDArrays are alive), so the native figure is the
 * process's resident memory minus the JVM's committed heap and non-heap, from step 1,500 (after the JIT's own
 * native memory settled) to the end; one leaked INDArray of 128 KiB per step grows it by about 124 MiB and fails.
 */
class LongTrainingLoopMemoryTest {

    @Test
    void savedTensorsAreReleasedAndOffHeapMemoryStaysFlat() {
        Ember.manualSeed(0);
        Tensor w1 = Ember.randn(64, 64).mul(0.1).requiresGrad_();
        Tensor w2 = Ember.randn(64, 1).mul(0.1).requiresGrad_();
        Tensor x = Ember.randn(16, 64);
        Tensor y = Ember.randn(16, 1);
        long baseline = 0;
        int steps = 3000;
        for (int step = 0; step < steps; step++) {
            Tensor loss;
            try (Gemm.Scope s = Gemm.force(Gemm.Route.ND4J)) {
                loss = x.matmul(w1).tanh().matmul(w2).sub(y).pow(2).mean();
                loss.backward();
            }
            assertEquals(0, savedBytes(loss.gradFn()), "saved tensors left after backward at step " + step);
            try (var g = Ember.noGrad()) {
                w1.sub_(w1.grad().mul(0.01));
                w2.sub_(w2.grad().mul(0.01));
            }
            w1.grad().zero_();
            w2.grad().zero_();
            if (step == 1500) {
                System.gc();
                baseline = nativeBytes();
            }
        }
        System.gc();
        long end = nativeBytes();
        assertTrue(end - baseline < 64L << 20,
                "native memory grew by " + (end - baseline) + " bytes over " + steps + " steps");
    }

    /** Resident memory outside the JVM's committed heap and non-heap areas: where ND4J's buffers live. */
    private static long nativeBytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long committed = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        return NativeMemory.physicalBytes() - committed;
    }

    /** The bytes still held by saved tensors anywhere in the graph below root. */
    private static long savedBytes(Node root) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        long bytes = 0;
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n)) {
                continue;
            }
            bytes += n.savedBytes();
            for (Edge e : n.nextFunctions()) {
                if (e != null) {
                    stack.push(e.node());
                }
            }
        }
        return bytes;
    }
}
