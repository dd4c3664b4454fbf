package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thousands of forward+backward steps, with every matmul on ND4J's GEMM (the route that allocates off-heap INDArrays):
 * every saved tensor is released after each backward. Native memory over a long run is measured by the
 * SteadyStateMemory benchmark, not here: ND4J's buffers are not in JavaCPP's count, and the process's resident memory
 * moves by tens of MiB in a test JVM (the JIT's own arenas) whether or not anything leaks.
 */
class LongTrainingLoopMemoryTest {

    @Test
    void savedTensorsAreReleasedAfterEveryBackward() {
        Ember.manualSeed(0);
        Tensor w1 = Ember.randn(64, 64).mul(0.1).requiresGrad_();
        Tensor w2 = Ember.randn(64, 1).mul(0.1).requiresGrad_();
        Tensor x = Ember.randn(16, 64);
        Tensor y = Ember.randn(16, 1);
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
        }
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
