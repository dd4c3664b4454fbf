package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.GradientFlow;
import dev.ember.nn.LeakyReLU;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.Sigmoid;
import dev.ember.nn.init.FanMode;
import dev.ember.nn.init.Init;
import dev.ember.nn.init.Nonlinearity;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs", section "Gradient Flow Analysis" (dead
 * neurons, vanishing and exploding gradients; "Detection: Monitor gradient magnitudes across layers"), and seed
 * 003, "Day 59: Autograd", section 8 ("Preview: Gradient Problems"): the causes and solutions the seeds list, each
 * run on a deep network and shown with the gradient-flow report ({@link GradientFlow}), one row per weight, from
 * the first layer (top) to the last.
 * <ul>
 *   <li>Vanishing gradients, "deep networks + saturating activations (Sigmoid)": through eight sigmoid layers the
 *       gradient shrinks about eightfold per layer (from 2.7e-1 at the last to 1.1e-8 at the first), and the first
 *       layer's falls below 1e-7;</li>
 *   <li>exploding gradients, "deep networks + bad initialization": ReLU layers with N(0, 1) weights, gradient norms
 *       of about 1e7 in every layer;</li>
 *   <li>the solution, "ReLU, proper initialization": with Kaiming's normal initialisation every layer's gradient
 *       has the same order of magnitude; but the report finds dead neurons, "activation functions with zero
 *       gradients (ReLU saturation)": units whose pre-activation is negative for all 32 inputs;</li>
 *   <li>their solution, "LeakyReLU": its gradient is never zero, and the report has nothing to flag.</li>
 * </ul>
 * The seeds give no code for this section; the Python twin below builds the same networks in PyTorch and prints the
 * same table (the report's layout is Ember's; its numbers are PyTorch's to the four digits shown).
 *
 * <pre>{@code
 * def deep_network(activation, depth=8, width=16):
 *     layers = []
 *     for _ in range(depth):
 *         layers += [nn.Linear(width, width), activation()]
 *     return nn.Sequential(*layers, nn.Linear(width, 1))
 *
 * def backward_and_report(title, model, x):
 *     model(x).pow(2).mean().backward()
 *     print(title)
 *     print(gradient_flow({n: p for n, p in model.named_parameters() if n.endswith("weight")}))
 *
 * torch.manual_seed(0)
 * x = torch.randn(32, 16)
 *
 * # Vanishing gradients: deep networks + saturating activations (Sigmoid)
 * backward_and_report("sigmoid, default init:", deep_network(nn.Sigmoid), x)
 *
 * # Exploding gradients: deep networks + bad initialization
 * model = deep_network(nn.ReLU)
 * for m in model:
 *     if isinstance(m, nn.Linear):
 *         nn.init.normal_(m.weight, std=1.0)
 * backward_and_report("relu, N(0, 1) init:", model, x)
 *
 * # Solution: ReLU, proper initialization; but some ReLU units die (zero gradient for every input of the batch)
 * model = deep_network(nn.ReLU)
 * for m in model:
 *     if isinstance(m, nn.Linear):
 *         nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
 *         nn.init.zeros_(m.bias)
 * backward_and_report("relu, Kaiming init:", model, x)
 *
 * # Dead neurons: solution LeakyReLU, whose gradient is never zero
 * model = deep_network(nn.LeakyReLU)
 * for m in model:
 *     if isinstance(m, nn.Linear):
 *         nn.init.kaiming_normal_(m.weight, a=0.01, nonlinearity="leaky_relu")
 *         nn.init.zeros_(m.bias)
 * backward_and_report("leaky relu, Kaiming init:", model, x)
 * }</pre>
 */
public final class VanishingAndExplodingGradients {
    private VanishingAndExplodingGradients() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** depth x (Linear(width, width), activation), then Linear(width, 1). */
    static Sequential deepNetwork(Supplier<Module> activation, int depth, int width) {
        Sequential model = new Sequential();
        for (int i = 0; i < depth; i++) {
            model.add(new Linear(width, width));
            model.add(activation.get());
        }
        return model.add(new Linear(width, 1));
    }

    /** The weights (not the biases), by name, in the order of the layers. */
    static Map<String, Tensor> weights(Module model) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (name.endsWith("weight")) {
                weights.put(name, p);
            }
        });
        return weights;
    }

    static void backwardAndReport(PrintStream out, String title, Module model, Tensor x) {
        model.forward(x).pow(2).mean().backward();
        out.println(title);
        out.print(GradientFlow.of(weights(model)));
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Tensor x = Ember.randn(32, 16);

        // Vanishing gradients: deep networks + saturating activations (Sigmoid)
        backwardAndReport(out, "sigmoid, default init:", deepNetwork(Sigmoid::new, 8, 16), x);

        // Exploding gradients: deep networks + bad initialization
        Sequential model = deepNetwork(ReLU::new, 8, 16);
        for (Module m : model) {
            if (m instanceof Linear linear) {
                Init.normal_(linear.weight(), 0.0, 1.0);
            }
        }
        backwardAndReport(out, "relu, N(0, 1) init:", model, x);

        // Solution: ReLU, proper initialization; but some ReLU units die (zero gradient for every input of the batch)
        model = deepNetwork(ReLU::new, 8, 16);
        for (Module m : model) {
            if (m instanceof Linear linear) {
                Init.kaimingNormal_(linear.weight(), 0.0, FanMode.FAN_IN, Nonlinearity.RELU);
                Init.zeros_(linear.bias());
            }
        }
        backwardAndReport(out, "relu, Kaiming init:", model, x);

        // Dead neurons: solution LeakyReLU, whose gradient is never zero
        model = deepNetwork(LeakyReLU::new, 8, 16);
        for (Module m : model) {
            if (m instanceof Linear linear) {
                Init.kaimingNormal_(linear.weight(), 0.01, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
                Init.zeros_(linear.bias());
            }
        }
        backwardAndReport(out, "leaky relu, Kaiming init:", model, x);
    }
}
