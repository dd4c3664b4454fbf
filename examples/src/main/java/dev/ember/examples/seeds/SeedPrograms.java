package dev.ember.examples.seeds;

import java.util.List;

/**
 * Every program of the seed documents, in the order of a lesson: the graph and its leaves, gradients and where
 * they are stored, the chain rule and accumulation, vector-Jacobian products, hooks, grad mode, higher-order
 * derivatives, the common mistakes, forward mode, training loops (with an optimizer, evaluation mode, truncated
 * backpropagation through time), and the tools against gradient and memory problems: clipping, the gradient-flow
 * report, checkpointing, and the graph drawn as a picture.
 *
 * <p>The seed documents are five lessons on autograd:
 * <ul>
 *   <li>000 "Day 2: Autograd - Deep Dive"</li>
 *   <li>001 "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation"</li>
 *   <li>002 "Day 1 - Part 3: Autograd Mechanics and Computation Graphs (Theory)"</li>
 *   <li>003 "Day 59: Autograd (Automatic Differentiation)"</li>
 *   <li>004 "Autograd Fundamentals"</li>
 * </ul>
 *
 * <pre>{@code
 * SeedPrograms.all().forEach(p -> p.run(System.out));
 * }</pre>
 */
public final class SeedPrograms {
    private SeedPrograms() {
    }

    private static final List<SeedProgram> ALL = List.of(
            new SeedProgram("RequiresGradAndGraph", "seed 001, sections 3-4: requires_grad and the backward pass",
                    RequiresGradAndGraph::run),
            new SeedProgram("LeafTensors", "seed 004, Core Concepts: Leaf Tensors", LeafTensors::run),
            new SeedProgram("NonLeafTensors", "seed 004, Core Concepts: Non-Leaf Tensors", NonLeafTensors::run),
            new SeedProgram("RequiresGradPropagation", "seed 004, Core Concepts: The requires_grad Attribute",
                    RequiresGradPropagation::run),
            new SeedProgram("ComputingGradients", "seed 004, Computing Gradients: Example", ComputingGradients::run),
            new SeedProgram("GradientStorage", "seed 004, Computing Gradients: Gradient Storage Behavior",
                    GradientStorage::run),
            new SeedProgram("RetainGrad", "seed 004, Computing Gradients: Retaining Gradients for Non-Leaf Tensors",
                    RetainGrad::run),
            new SeedProgram("LossGradient", "seed 003, sections 2-4: the computation graph and the backward pass",
                    LossGradient::run),
            new SeedProgram("ManualGradientCheck", "seed 003, section 9: Exercise 1, Manual Gradient Check",
                    ManualGradientCheck::run),
            new SeedProgram("ChainRuleExample", "seed 002, Gradient Flow Mechanics: Mathematical Example",
                    ChainRuleExample::run),
            new SeedProgram("GradientAccumulation", "seed 002, Gradient Flow Mechanics: Gradient Accumulation",
                    GradientAccumulation::run),
            new SeedProgram("GraphStructure", "seed 002, Computational Graph Representation: f = (x + y) * sin(x)",
                    GraphStructure::run),
            new SeedProgram("ImplicitVjp", "seed 004, VJP Framework: Implicit VJP for Scalar Outputs",
                    ImplicitVjp::run),
            new SeedProgram("ExplicitVjp", "seed 004, VJP Framework: Explicit VJP for Non-Scalar Outputs",
                    ExplicitVjp::run),
            new SeedProgram("MatrixVjp", "seed 000, section 1: Vector-Jacobian Product (VJP) Explained",
                    MatrixVjp::run),
            new SeedProgram("GradientHook", "seed 000, section 3: Hooks", GradientHook::run),
            new SeedProgram("NoGradAndDetach", "seed 001, section 5: Controlling the Flow", NoGradAndDetach::run),
            new SeedProgram("HigherOrderDerivatives", "seed 000, section 2: Higher-Order Derivatives",
                    HigherOrderDerivatives::run),
            new SeedProgram("MixedPartials", "seed 002, Advanced Autograd Concepts: Higher-Order Derivatives",
                    MixedPartials::run),
            new SeedProgram("ForgettingToZeroGradients", "seed 003, section 7: Mistake 1, Forgetting to Zero Gradients",
                    ForgettingToZeroGradients::run),
            new SeedProgram("BackwardTwice", "seed 003, section 7: Mistake 2, Calling .backward() Twice",
                    BackwardTwice::run),
            new SeedProgram("InPlaceVersionCounter", "seed 000, section 4: In-Place Operations and Version Counter",
                    InPlaceVersionCounter::run),
            new SeedProgram("TrainableParameters", "seed 004, Common Patterns", TrainableParameters::run),
            new SeedProgram("CustomFunction", "seed 001, section 6: Custom Autograd Functions", CustomFunction::run),
            new SeedProgram("ForwardModeJvp", "seed 000, section 5: Forward Mode Autograd", ForwardModeJvp::run),
            new SeedProgram("ForwardModeRules", "seed 002, Forward Mode Differentiation: Propagation Rules",
                    ForwardModeRules::run),
            new SeedProgram("ManualGradientDescent", "seed 003, section 5: Manual Gradient Descent",
                    ManualGradientDescent::run),
            new SeedProgram("TrainingLoop", "seed 003, sections 1 and 10: the training loop formula",
                    TrainingLoop::run),
            new SeedProgram("EvalModeInference", "seed 003, section 6: torch.no_grad()", EvalModeInference::run),
            new SeedProgram("TruncatedBptt", "seed 001, section 5: detach() for truncated backpropagation through time",
                    TruncatedBptt::run),
            new SeedProgram("GradientClipping", "seed 003, section 8: Gradient Clipping", GradientClipping::run),
            new SeedProgram("VanishingAndExplodingGradients",
                    "seed 002, Gradient Flow Analysis; seed 003, section 8: Preview: Gradient Problems",
                    VanishingAndExplodingGradients::run),
            new SeedProgram("Checkpointing", "seed 002, Memory Optimization Strategies: Gradient Checkpointing",
                    Checkpointing::run),
            new SeedProgram("VisualizeGraph", "seed 003, section 9: Exercise 2, Visualize the Computation Graph",
                    VisualizeGraph::run));

    /** The programs, in lesson order. */
    public static List<SeedProgram> all() {
        return ALL;
    }
}
