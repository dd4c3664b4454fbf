package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CheckpointTest {
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Checkpoint.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        logger.setAdditive(false);   // keep the expected warnings off the console
    }

    @AfterEach
    void releaseLogs() {
        logger.setAdditive(true);
        logger.detachAppender(logs);
        logs.stop();
    }

    private List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            if (e.getLevel() == Level.WARN) {
                out.add(e.getFormattedMessage());
            }
        }
        return out;
    }

    /** Two tanh layers with a product of their input, a function that saves several tensors of each kind. */
    private static Tensor block(Tensor x, Tensor w1, Tensor w2) {
        Tensor h = x.matmul(w1).tanh();
        return h.matmul(w2).sigmoid().mul(x).exp();
    }

    private static Tensor[] params(long seed) {
        Ember.manualSeed(seed);
        Tensor x = Ember.randn(4, 5).requiresGrad_();
        Tensor w1 = Ember.randn(5, 5).mul(0.3).requiresGrad_();
        Tensor w2 = Ember.randn(5, 5).mul(0.3).requiresGrad_();
        return new Tensor[] {x, w1, w2};
    }

    private static void assertSameBits(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), "values differ from the uncheckpointed run");
    }

    /** Every node reachable from t (leaves' accumulators included). */
    private static List<Node> graph(Tensor t) {
        List<Node> out = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(t.gradFn());
        seen.put(t.gradFn(), true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            for (Edge e : n.nextFunctions()) {
                if (e != null && seen.put(e.node(), true) == null) {
                    stack.push(e.node());
                }
            }
        }
        return out;
    }

    @Test
    void gradientsAreBitForBitThoseOfTheUncheckpointedCallAndTheFunctionRunsAgainInBackward() {
        Tensor[] p = params(1);
        Tensor plain = block(p[0], p[1], p[2]);
        plain.sum().backward();

        Tensor[] q = params(1);
        AtomicInteger runs = new AtomicInteger();
        Tensor y = Checkpoint.checkpoint(x -> {
            runs.incrementAndGet();
            return block(x, q[1], q[2]);
        }, q[0]);
        assertEquals(1, runs.get());
        assertSameBits(plain, y);
        assertEquals("ExpBackward", y.gradFn().name());
        y.sum().backward();
        assertEquals(2, runs.get(), "backward recomputes the function once");
        for (int i = 0; i < 3; i++) {
            assertSameBits(p[i].grad(), q[i].grad());
        }
        assertTrue(warnings().isEmpty());
    }

    @Test
    void nodesInsideTheCheckpointKeepOnlyHandles() {
        Tensor[] p = params(2);
        Tensor plain = block(p[0], p[1], p[2]);
        Tensor y = Checkpoint.checkpoint(x -> block(x, p[1], p[2]), p[0]);
        long plainSaved = 0;
        int plainCount = 0;
        for (Node n : graph(plain)) {
            plainSaved += n.savedBytes();
            plainCount += n.savedTensors().size();
        }
        long saved = 0;
        int count = 0;
        for (Node n : graph(y)) {
            saved += n.savedBytes();
            count += n.savedTensors().size();
        }
        assertTrue(plainSaved > 0);
        assertEquals(0, saved, "the checkpointed graph holds no saved tensor itself");
        assertEquals(plainCount, count, "the same tensors are saved, as handles");
        // what the checkpoint holds is its input (x: 4x5 float32)
        assertEquals(4 * 5 * 4, Checkpoint.heldBytes(y));
        assertEquals(plainSaved, Checkpoint.heldBytes(plain));
    }

    @Test
    void randomNumbersAreReproducedAndTheGeneratorStateIsPutBack() {
        Function<Tensor[], Tensor> dropoutBlock = in -> {
            Tensor h = in[0].matmul(in[1]).tanh();
            Tensor mask = Ember.rand(h.shape()).gt(0.4).to(DType.FLOAT32).div(0.6);
            return h.mul(mask).matmul(in[1]).relu();
        };
        Tensor[] p = params(3);
        Tensor plain = dropoutBlock.apply(new Tensor[] {p[0], p[1]});
        plain.sum().backward();

        Tensor[] q = params(3);
        Tensor y = Checkpoint.checkpoint(dropoutBlock, q[0], q[1]);
        assertSameBits(plain, y);
        Ember.manualSeed(99);               // the stream moves on between forward and backward
        Tensor expectedNext = Ember.rand(8);
        Ember.manualSeed(99);
        y.sum().backward();                 // recomputation draws the forward's mask again ...
        assertSameBits(expectedNext, Ember.rand(8));   // ... and leaves the stream where it was
        assertSameBits(p[0].grad(), q[0].grad());
        assertSameBits(p[1].grad(), q[1].grad());
    }

    @Test
    void gradAndBackwardWithInputsWork() {
        Tensor[] p = params(4);
        Tensor[] expected = Autograd.grad(block(p[0], p[1], p[2]).sum(), p[0], p[2]);

        Tensor[] q = params(4);
        Tensor loss = Checkpoint.checkpoint(in -> block(in[0], in[1], in[2]), q).sum();
        Tensor[] got = Autograd.grad(loss, q[0], q[2]);
        assertSameBits(expected[0], got[0]);
        assertSameBits(expected[1], got[1]);
        assertNull(q[0].grad());

        Tensor loss2 = Checkpoint.checkpoint((x, w) -> block(x, w, q[2]), q[0], q[1]).sum();
        loss2.backward(null, GradOptions.DEFAULT, q[2]);
        assertSameBits(expected[1], q[2].grad());
        assertNull(q[0].grad(), "backward(inputs) accumulates only into the inputs given");
        assertNull(q[1].grad());
    }

    @Test
    void severalCheckpointsInOneGraphAndASecondBackwardWithRetainGraph() {
        Tensor[] p = params(5);
        Tensor plain = block(p[0], p[1], p[2]).add(block(p[0].mul(2.0), p[2], p[1]));
        plain.sum().backward(GradOptions.retainGraph());
        plain.sum().backward();

        Tensor[] q = params(5);
        AtomicInteger runs = new AtomicInteger();
        Tensor a = Checkpoint.checkpoint(x -> {
            runs.incrementAndGet();
            return block(x, q[1], q[2]);
        }, q[0]);
        Tensor b = Checkpoint.checkpoint(x -> {
            runs.incrementAndGet();
            return block(x, q[2], q[1]);
        }, q[0].mul(2.0));
        Tensor y = a.add(b);
        assertSameBits(plain, y);
        y.sum().backward(GradOptions.retainGraph());
        assertEquals(4, runs.get());
        y.sum().backward();
        assertEquals(6, runs.get(), "the second backward recomputes again");
        for (int i = 0; i < 3; i++) {
            assertSameBits(p[i].grad(), q[i].grad());
        }
        // and a third backward finds the graph freed, as without checkpointing
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "backward through the graph a second time");
    }

    @Test
    void doubleBackwardThroughACheckpoint() {
        Tensor x = Ember.tensor(2.0).requiresGrad_();
        Tensor y = Checkpoint.checkpoint(t -> t.pow(3), x);
        Tensor g1 = Autograd.grad(y, x, GradOptions.createGraph())[0];
        assertValues(g1, 12);
        Tensor g2 = Autograd.grad(g1, x)[0];
        assertValues(g2, 12);
    }

    @Test
    void nestedCheckpoints() {
        Tensor[] p = params(6);
        Tensor plain = block(block(p[0], p[1], p[2]).tanh(), p[2], p[1]);
        plain.sum().backward();

        Tensor[] q = params(6);
        AtomicInteger inner = new AtomicInteger();
        Tensor y = Checkpoint.checkpoint(x -> {
            Tensor h = Checkpoint.checkpoint(t -> {
                inner.incrementAndGet();
                return block(t, q[1], q[2]);
            }, x);
            return block(h.tanh(), q[2], q[1]);
        }, q[0]);
        assertSameBits(plain, y);
        y.sum().backward();
        for (int i = 0; i < 3; i++) {
            assertSameBits(p[i].grad(), q[i].grad());
        }
        // forward, the outer recomputation (which re-creates the inner checkpoint), the inner recomputation
        assertEquals(3, inner.get());
    }

    @Test
    void multipleOutputs() {
        Tensor[] p = params(7);
        Tensor h = p[0].matmul(p[1]);
        Tensor plain = h.tanh().mul(h.sigmoid()).sum();
        plain.backward();

        Tensor[] q = params(7);
        Tensor[] outs = Checkpoint.checkpointMulti(in -> {
            Tensor k = in[0].matmul(in[1]);
            return new Tensor[] {k.tanh(), k.sigmoid(), null};
        }, q[0], q[1]);
        assertEquals(3, outs.length);
        assertNull(outs[2]);
        outs[0].mul(outs[1]).sum().backward();
        assertSameBits(p[0].grad(), q[0].grad());
        assertSameBits(p[1].grad(), q[1].grad());
    }

    @Test
    void noInputRequiresGradWarnsButParametersInTheClosureStillGetGradients() {
        Tensor[] p = params(8);
        Tensor x0 = p[0].detach();
        Tensor plain = block(x0, p[1], p[2]);
        plain.sum().backward();

        Tensor[] q = params(8);
        Tensor x = q[0].detach();
        Tensor y = Checkpoint.checkpoint(t -> block(t, q[1], q[2]), x);
        // the uncheckpointed call requires grad (through w1, w2), so the checkpointed one does too
        assertEquals(plain.requiresGrad(), y.requiresGrad());
        assertTrue(y.requiresGrad());
        List<String> w = warnings();
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("none of the inputs requires grad"), w.get(0));
        assertTrue(w.get(0).contains("None of the inputs have requires_grad=True. Gradients will be None"));
        assertTrue(w.get(0).contains("checkpoint #"), w.get(0));
        assertTrue(w.get(0).contains("CheckpointTest.java"), "the warning names the call site: " + w.get(0));
        assertEquals("dev.ember.autograd.Checkpoint", logs.list.get(0).getLoggerName());
        y.sum().backward();
        assertSameBits(p[1].grad(), q[1].grad());
        assertSameBits(p[2].grad(), q[2].grad());
        assertNull(x.grad());
    }

    @Test
    void withNothingRequiringGradTheResultDoesNotRequireGradEither() {
        Tensor x = Ember.randn(3, 3);
        Tensor w = Ember.randn(3, 3);
        Tensor plain = x.matmul(w).tanh();
        Tensor y = Checkpoint.checkpoint(t -> t.matmul(w).tanh(), x);
        assertFalse(plain.requiresGrad());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        assertSameBits(plain, y);
        assertEquals(1, warnings().size());
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "does not require grad");
    }

    @Test
    void theWarningIsLoggedOncePerCallSite() {
        Tensor w = Ember.randn(2, 2).requiresGrad_();
        for (int i = 0; i < 3; i++) {
            Checkpoint.checkpoint(t -> t.matmul(w), Ember.randn(2, 2));
        }
        assertEquals(1, warnings().size());
        Checkpoint.checkpoint(t -> t.matmul(w), Ember.randn(2, 2));   // another call site
        assertEquals(2, warnings().size());
        Checkpoint.checkpoint(t -> t.matmul(w), Ember.randn(2, 2).requiresGrad_());
        assertEquals(2, warnings().size(), "no warning when an input requires grad");
    }

    @Test
    void underNoGradTheFunctionJustRuns() {
        Tensor x = Ember.randn(2, 2).requiresGrad_();
        AtomicInteger runs = new AtomicInteger();
        Tensor y;
        try (var g = Ember.noGrad()) {
            y = Checkpoint.checkpoint(t -> {
                runs.incrementAndGet();
                return t.exp();
            }, x);
        }
        assertFalse(y.requiresGrad());
        assertEquals(1, runs.get());
        assertTrue(warnings().isEmpty());
    }

    @Test
    void recomputationThatSavesADifferentNumberOfTensorsFailsNamingTheCheckpoint() {
        Tensor x = Ember.randn(3).requiresGrad_();
        AtomicBoolean training = new AtomicBoolean(true);
        Tensor y = Checkpoint.checkpoint(t -> training.get() ? t.exp().sin() : t.exp(), x);
        training.set(false);
        AutogradException e = assertThrowsWith(AutogradException.class, () -> y.sum().backward(),
                "torch.utils.checkpoint", "checkpoint #", "CheckpointTest.java", "number of saved tensors",
                "differs", "saved 2 tensors", "but 1 when it ran again", "do not branch on state");
        assertNull(x.grad());
        assertTrue(e.getMessage().contains("called at"), e.getMessage());
    }

    @Test
    void recomputationWithADifferentShapeFailsNamingTheTensor() {
        Tensor w = Ember.randn(4, 4).requiresGrad_();
        AtomicInteger cols = new AtomicInteger(4);
        Tensor y = Checkpoint.checkpoint(t -> t.matmul(w.narrow(1, 0, cols.get())).tanh().sum(), Ember.randn(2, 4));
        cols.set(3);
        assertThrowsWith(AutogradException.class, y::backward, "torch.utils.checkpoint", "saved tensor",
                "float32 tensor of shape [2, 4]", "in the recomputation");
    }

    @Test
    void anInputModifiedInPlaceBeforeBackwardIsDetected() {
        Tensor w = Ember.randn(3).requiresGrad_();
        Tensor x = Ember.randn(3);
        Tensor y = Checkpoint.checkpoint(t -> t.add(w).exp(), x);   // x itself is not saved by any op
        x.mul_(2.0);
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "checkpoint #", "input 0",
                "modified in place", "version is 1, expected 0", "mul_()", "clone()");
        assertNull(w.grad());
    }

    @Test
    void anInputModifiedInPlaceByTheFunctionItselfIsDetected() {
        Tensor a = Ember.randn(3).requiresGrad_();
        Tensor x = a.mul(1.0);
        Tensor y = Checkpoint.checkpoint(t -> t.mul_(2.0).exp(), x);
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "checkpoint #", "input 0",
                "modified in place by the checkpointed function itself", "from 0 to 1", "mul_()", "out-of-place");
    }

    @Test
    void aSavedInputModifiedInPlaceFailsAsWithoutCheckpointing() {
        Tensor w = Ember.randn(3).requiresGrad_();
        Tensor x = Ember.randn(3);
        Tensor y = Checkpoint.checkpoint(t -> t.mul(w), x);
        x.add_(1.0);
        assertThrowsWith(AutogradException.class, () -> y.sum().backward(), "modified by an inplace operation",
                "MulBackward", "add_()");
    }

    @Test
    void backwardInsideTheCheckpointedFunctionThroughItsOwnTensorsFailsClearly() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        assertThrowsWith(AutogradException.class,
                () -> Checkpoint.checkpoint(t -> Autograd.grad(t.pow(2).sum(), t)[0], x),
                "checkpoint #", "before the function returned", "still running");
    }

    @Test
    void badArguments() {
        Tensor x = Ember.randn(2);
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpoint((UnaryOperator<Tensor>) null, x),
                "function to checkpoint is null");
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpoint(t -> null, x), "returned null");
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpointMulti(in -> null, x), "returned null");
        UnaryOperator<Tensor> f = t -> t.mul(2.0);
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpointSequential(List.of(), 1, x),
                "empty list of functions");
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpointSequential(List.of(f, f, f), 0, x),
                "segments = 0 for 3 functions", "between 1 and the number of functions (3)");
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpointSequential(List.of(f, f, f), 4, x),
                "segments = 4 for 3 functions");
        List<UnaryOperator<Tensor>> withNull = new ArrayList<>(List.of(f));
        withNull.add(null);
        assertThrowsWith(EmberException.class, () -> Checkpoint.checkpointSequential(withNull, 1, x),
                "function 1 of 2 is null");
    }

    @Test
    void checkpointSequentialMatchesThePlainChainAndCheckpointsAllButTheLastSegment() {
        Ember.manualSeed(10);
        List<Tensor> ws = new ArrayList<>();
        List<UnaryOperator<Tensor>> layers = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            Tensor w = Ember.randn(4, 4).mul(0.5).requiresGrad_();
            ws.add(w);
            layers.add(h -> {
                calls.incrementAndGet();
                return h.matmul(w).tanh();
            });
        }
        Tensor x = Ember.randn(3, 4).requiresGrad_();
        Tensor plain = x;
        for (UnaryOperator<Tensor> l : layers) {
            plain = l.apply(plain);
        }
        plain.sum().backward();
        List<Tensor> plainGrads = new ArrayList<>();
        for (Tensor w : ws) {
            plainGrads.add(w.grad());
            w.setGrad(null);
        }
        Tensor xGrad = x.grad();
        x.setGrad(null);
        calls.set(0);

        // 10 functions in 3 segments: 3 + 3 checkpointed, the last 4 run normally
        Tensor y = Checkpoint.checkpointSequential(layers, 3, x);
        assertEquals(10, calls.get());
        assertSameBits(plain, y);
        y.sum().backward();
        assertEquals(16, calls.get(), "only the 6 checkpointed layers run again");
        for (int i = 0; i < ws.size(); i++) {
            assertSameBits(plainGrads.get(i), ws.get(i).grad());
        }
        assertSameBits(xGrad, x.grad());
        assertTrue(warnings().isEmpty());
    }

    @Test
    void checkpointSequentialErrorsNameTheSegment() {
        Tensor x2 = Ember.randn(3).requiresGrad_();
        AtomicBoolean more = new AtomicBoolean(false);
        List<UnaryOperator<Tensor>> layers2 = List.of(t -> more.get() ? t.exp().exp() : t.exp(), t -> t.sin());
        Tensor y2 = Checkpoint.checkpointSequential(layers2, 2, x2);
        more.set(true);
        assertThrowsWith(AutogradException.class, () -> y2.sum().backward(),
                "checkpointSequential segment 1 of 2 (functions 0..0", "number of saved tensors");
    }

    @Test
    void theClassJavadocSnippetRunsWithTheNumbersItPrints() {
        Ember.manualSeed(0);
        Tensor w1 = Ember.randn(16, 16).mul(0.25).requiresGrad_();
        Tensor w2 = Ember.randn(16, 16).mul(0.25).requiresGrad_();
        Tensor x = Ember.randn(8, 16).requiresGrad_();
        Tensor y = Checkpoint.checkpoint(h -> h.matmul(w1).tanh().matmul(w2).tanh(), x);
        y.sum().backward();
        assertTrue(x.grad() != null && w1.grad() != null && w2.grad() != null);

        List<UnaryOperator<Tensor>> layers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Tensor w = Ember.randn(16, 16).mul(0.25).requiresGrad_();
            layers.add(h -> h.matmul(w).tanh());
        }
        Tensor loss = Checkpoint.checkpointSequential(layers, 8, x).pow(2).mean();
        assertEquals(20480, Checkpoint.heldBytes(loss));
        Tensor plain = x;
        for (UnaryOperator<Tensor> l : layers) {
            plain = l.apply(plain);
        }
        assertEquals(131584, Checkpoint.heldBytes(plain.pow(2).mean()));
        loss.backward();
    }

    @Test
    void anIdentityFunctionSavesNothingAndHoldsNothing() {
        Tensor x = Ember.randn(3).requiresGrad_();
        Tensor y = Checkpoint.checkpoint(t -> t, x);
        assertSame(x, y);
        Tensor z = y.mul(2.0);
        z.sum().backward();
        assertValues(x.grad(), 2, 2, 2);
    }
}
