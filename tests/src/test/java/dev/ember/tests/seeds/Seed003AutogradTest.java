package dev.ember.tests.seeds;

import static dev.ember.tests.seeds.SeedOutput.assertPrintsLikePyTorch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.autograd.graph.Graphviz;
import dev.ember.examples.seeds.BackwardTwice;
import dev.ember.examples.seeds.EvalModeInference;
import dev.ember.examples.seeds.ForgettingToZeroGradients;
import dev.ember.examples.seeds.GradientClipping;
import dev.ember.examples.seeds.LossGradient;
import dev.ember.examples.seeds.ManualGradientCheck;
import dev.ember.examples.seeds.ManualGradientDescent;
import dev.ember.examples.seeds.TrainingLoop;
import dev.ember.examples.seeds.VisualizeGraph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)". Each expected block is PyTorch 1.13's stdout for the
 * program's Python twin ({@code /usr/bin/python3 tests/src/test/python/seed_programs.py NAME}); see {@link SeedOutput} for how it is
 * respelled.
 */
class Seed003AutogradTest {

    /** Sections 2 to 4: the seed prints {@code tensor([9.], grad_fn=<PowBackward0>)} and derives dL/dw = -12. */
    @Test
    void lossAndItsGradient() {
        assertPrintsLikePyTorch("""
                tensor([9.], grad_fn=<PowBackward0>)
                tensor([-12.])
                """, LossGradient::run);
    }

    /** Section 5: the seed prints no numbers, only that w converges to 2.5. */
    @Test
    void manualGradientDescentConvergesToTwoAndAHalf() {
        assertPrintsLikePyTorch("""
                Iter 1: w=4.0000, loss=225.0000
                Iter 2: w=2.8000, loss=9.0000
                Iter 3: w=2.5600, loss=0.3600
                Iter 4: w=2.5120, loss=0.0144
                Iter 5: w=2.5024, loss=0.0006
                Iter 6: w=2.5005, loss=0.0000
                Iter 7: w=2.5001, loss=0.0000
                Iter 8: w=2.5000, loss=0.0000
                Iter 9: w=2.5000, loss=0.0000
                Iter 10: w=2.5000, loss=0.0000
                Iter 11: w=2.5000, loss=0.0000
                Iter 12: w=2.5000, loss=0.0000
                Iter 13: w=2.5000, loss=0.0000
                Iter 14: w=2.5000, loss=0.0000
                Iter 15: w=2.5000, loss=0.0000
                Iter 16: w=2.5000, loss=0.0000
                Iter 17: w=2.5000, loss=0.0000
                Iter 18: w=2.5000, loss=0.0000
                Iter 19: w=2.5000, loss=0.0000
                Iter 20: w=2.5000, loss=0.0000
                """, ManualGradientDescent::run);
    }

    /**
     * Section 7, Mistake 1. The seed's sketch ({@code loss.backward()} on one loss, ten times) stops in PyTorch
     * at its second call with "Trying to backward through the graph a second time"; the program runs a forward
     * pass per epoch, so the gradients accumulate as the seed means.
     */
    @Test
    void forgettingToZeroGradientsAccumulatesThem() {
        assertPrintsLikePyTorch("""
                epoch 0: w.grad = tensor([-12.])
                epoch 1: w.grad = tensor([-24.])
                epoch 2: w.grad = tensor([-36.])
                epoch 0: w.grad = tensor([-12.])
                epoch 1: w.grad = tensor([-12.])
                epoch 2: w.grad = tensor([-12.])
                """, ForgettingToZeroGradients::run);
    }

    /**
     * Section 7, Mistake 2: the second backward fails ("ERROR! Graph was freed"); PyTorch's message goes on with
     * " (or directly access saved tensors after they have already been freed). ...", Ember's with its own.
     */
    @Test
    void backwardTwiceFailsUnlessTheGraphIsRetained() {
        List<String> lines = assertPrintsLikePyTorch("""
                w.grad: tensor([-12.])
                caught RuntimeError: Trying to backward through the graph a second time...
                w.grad: tensor([-24.])
                """, BackwardTwice::run);
        String message = lines.get(1);
        assertTrue(message.contains("PowBackward"), "names the node whose saved tensors were freed: " + message);
        assertTrue(message.contains("retainGraph"), "says how to fix it: " + message);
    }

    /** Section 9, Exercise 1: the seed's "Should be 12.0". */
    @Test
    void cubeHasGradientTwelveAtTwo() {
        assertPrintsLikePyTorch("""
                tensor([12.])
                """, ManualGradientCheck::run);
    }

    /**
     * Sections 1 and 10, "The Training Loop Formula" forward() → loss() → backward() → step() → zero_grad(): the
     * seed gives no program; a linear layer fits y = 2x + 1 with SGD, the same numbers as PyTorch at every epoch
     * shown.
     */
    @Test
    void trainingLoopWithAnOptimizer() {
        assertPrintsLikePyTorch("""
                epoch 1: loss=1.7373, weight=0.1442, bias=0.6292
                epoch 20: loss=0.0770, weight=1.5829, bias=0.9947
                epoch 40: loss=0.0033, weight=1.9133, bias=0.9999
                epoch 60: loss=0.0001, weight=1.9820, bias=1.0000
                epoch 80: loss=0.0000, weight=1.9963, bias=1.0000
                epoch 100: loss=0.0000, weight=1.9992, bias=1.0000
                """, TrainingLoop::run);
    }

    /**
     * Section 6: {@code model.eval()} and {@code torch.no_grad()} for inference (the seed's model and x_test are
     * undefined; here a model with dropout, whose two training-mode calls differ), and seed 002's
     * {@code @torch.no_grad()} decorator as {@code Ember.noGrad(supplier)}.
     */
    @Test
    void evalModeAndNoGradForInference() {
        assertPrintsLikePyTorch("""
                model.training: True
                two calls agree: False
                a.requires_grad: True
                model.training: False
                y_pred: tensor([[-0.1596],
                        [-0.2880]])
                y_pred.requires_grad: False
                y_pred.grad_fn: None
                predict(x_test) agrees: True, requires_grad: False
                """, EvalModeInference::run);
    }

    /**
     * Section 8: {@code clip_grad_norm_(model.parameters(), max_norm=1.0)} (the seed's model is undefined; here a
     * linear layer whose gradient has norm 10.2), checked against seed 002's formula g × min(1, threshold / ||g||).
     */
    @Test
    void gradientClipping() {
        assertPrintsLikePyTorch("""
                gradient norm: 10.2208
                clip_grad_norm_ returned: 10.2208
                gradient norm after: 1.0000
                g * min(1, 1 / ||g||): True
                max_norm=5: returned 1.0000, unchanged: True
                """, GradientClipping::run);
    }

    /**
     * Section 9, Exercise 2: {@code make_dot(output, params=dict(model.named_parameters())).render("graph",
     * format="png")}. The program writes graph.dot (and graph.png when Graphviz is installed) and prints the graph
     * as an outline, output first, each node above its inputs. The expected outline is PyTorch's, with one
     * difference, made explicit by {@link #weightsWithoutTranspose}: both record a linear layer on a batch as one
     * node, AddmmBackward0(bias, input, weight), but PyTorch reaches the weight through a TBackward0 node and Ember's
     * fused op takes the weight itself.
     * The DOT file labels each parameter with its name and shape as torchviz does, and the output with its shape.
     */
    @Test
    void graphOfAModelDrawnLikeTorchviz(@TempDir Path dir) throws IOException {
        String pytorch = """
                output (2, 1)
                  AddmmBackward0
                    AccumulateGrad 2.bias (1)
                    ReluBackward0
                      AddmmBackward0
                        AccumulateGrad 0.bias (4)
                        TBackward0
                          AccumulateGrad 0.weight (4, 3)
                    TBackward0
                      AccumulateGrad 2.weight (1, 4)
                """;
        List<String> lines = SeedOutput.lines(SeedOutput.capture(out -> VisualizeGraph.run(out, dir)));
        List<String> expected = SeedOutput.lines(SeedOutput.toEmber(weightsWithoutTranspose(pytorch)));
        assertEquals(expected, lines.subList(0, lines.size() - 1));

        Path dot = dir.resolve("graph.dot");
        String source = Files.readString(dot, StandardCharsets.UTF_8);
        assertTrue(source.startsWith("digraph {"), source);
        for (String label : List.of("0.weight\\n(4, 3)", "0.bias\\n(4)", "2.weight\\n(1, 4)", "2.bias\\n(1)")) {
            assertTrue(source.contains("[label=\"" + label + "\" fillcolor=lightblue]"), label + " in\n" + source);
        }
        assertTrue(source.contains("[label=\"(2, 1)\" fillcolor=darkolivegreen1]"), source);

        String last = lines.get(lines.size() - 1);
        if (Graphviz.find().isAvailable()) {
            Path png = dir.resolve("graph.png");
            assertEquals("wrote " + dot + " and " + png, last);
            byte[] image = Files.readAllBytes(png);
            assertTrue(image.length > 8 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG file");
        } else {
            assertTrue(last.startsWith("wrote " + dot + " (Graphviz's dot program was not found"), last);
            assertFalse(Files.exists(dir.resolve("graph.png")));
        }
    }

    /** The rewrite of the outline that the test above explains; it changes nothing else. */
    @Test
    void weightsWithoutTransposeRemovesOnlyTransposeNodes() {
        assertEquals("""
                output (2, 1)
                  AddmmBackward0
                    b
                    x
                    w
                  MulBackward0
                    w
                  SinBackward0
                """, weightsWithoutTranspose("""
                output (2, 1)
                  AddmmBackward0
                    b
                    x
                    TBackward0
                      w
                  MulBackward0
                    TBackward0
                      w
                  SinBackward0
                """));
    }

    /** An outline node: its label and its inputs. */
    private record OutlineNode(String label, List<OutlineNode> inputs) {
    }

    /** Replaces every {@code TBackward0} node of an outline by its input. */
    static String weightsWithoutTranspose(String outline) {
        List<String> lines = SeedOutput.lines(outline);
        List<OutlineNode> roots = new ArrayList<>();
        Deque<OutlineNode> open = new ArrayDeque<>();
        for (String line : lines) {
            int depth = (line.length() - line.stripLeading().length()) / 2;
            OutlineNode node = new OutlineNode(line.strip(), new ArrayList<>());
            while (open.size() > depth) {
                open.pop();
            }
            (open.isEmpty() ? roots : open.peek().inputs()).add(node);
            open.push(node);
        }
        StringBuilder out = new StringBuilder();
        for (OutlineNode root : roots) {
            print(rewrite(root), 0, out);
        }
        return out.toString();
    }

    private static OutlineNode rewrite(OutlineNode node) {
        List<OutlineNode> inputs = new ArrayList<>();
        for (OutlineNode in : node.inputs()) {
            inputs.add(rewrite(in));
        }
        if (node.label().equals("TBackward0") && inputs.size() == 1) {
            return inputs.get(0);
        }
        return new OutlineNode(node.label(), inputs);
    }

    private static void print(OutlineNode node, int depth, StringBuilder out) {
        out.append("  ".repeat(depth)).append(node.label()).append('\n');
        for (OutlineNode in : node.inputs()) {
            print(in, depth + 1, out);
        }
    }
}
