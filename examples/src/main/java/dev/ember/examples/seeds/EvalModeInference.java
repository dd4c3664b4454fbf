package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.Dropout;
import dev.ember.nn.Linear;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;

import java.io.PrintStream;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", section 6 ("{@code torch.no_grad()}"): "When
 * testing/evaluating, we don't need gradients": {@code model.eval()} and a {@code no_grad} block around the
 * prediction; with seed 002's other form, the {@code @torch.no_grad()} decorator ("Detaching and Context Managers"),
 * which in Java is {@code Ember.noGrad(() -> ...)}. The seed leaves {@code model} and {@code x_test} undefined; here
 * the model has a dropout layer, so that evaluation mode visibly matters: in training mode two calls on the same
 * input differ (a new dropout mask each time) and record a graph; in evaluation mode under {@code no_grad} the
 * prediction is deterministic and has no graph.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1))
 * x_test = torch.tensor([[0.5, -1.0], [2.0, 0.0]])
 *
 * # Training mode: dropout draws a new mask at every call, and the graph is recorded
 * a = model(x_test)
 * b = model(x_test)
 * print(f"model.training: {model.training}")
 * print(f"two calls agree: {torch.allclose(a, b)}")
 * print(f"a.requires_grad: {a.requires_grad}")
 *
 * model.eval()  # Put model in evaluation mode
 *
 * with torch.no_grad():
 *     y_pred = model(x_test)
 *     # No computation graph is built
 *     # Memory efficient for inference
 * print(f"model.training: {model.training}")
 * print(f"y_pred: {y_pred}")
 * print(f"y_pred.requires_grad: {y_pred.requires_grad}")
 * print(f"y_pred.grad_fn: {y_pred.grad_fn}")
 *
 * @torch.no_grad()
 * def predict(x):
 *     return model(x)
 *
 * p = predict(x_test)
 * print(f"predict(x_test) agrees: {torch.allclose(p, y_pred)}, requires_grad: {p.requires_grad}")
 * }</pre>
 */
public final class EvalModeInference {
    private EvalModeInference() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    @SuppressWarnings("try") // the noGrad scope is only opened and closed, as Python's `with torch.no_grad():`
    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Sequential model = Sequential.of(new Linear(2, 8), new ReLU(), new Dropout(0.5), new Linear(8, 1));
        Tensor xTest = Ember.tensor(new double[][] {{0.5, -1.0}, {2.0, 0.0}});

        // Training mode: dropout draws a new mask at every call, and the graph is recorded
        Tensor a = model.forward(xTest);
        Tensor b = model.forward(xTest);
        out.println("model.training: " + model.isTraining());
        out.println("two calls agree: " + a.allclose(b));
        out.println("a.requires_grad: " + a.requiresGrad());

        model.eval(); // Put model in evaluation mode

        Tensor yPred;
        try (var noGrad = Ember.noGrad()) {
            yPred = model.forward(xTest);
            // No computation graph is built
            // Memory efficient for inference
        }
        out.println("model.training: " + model.isTraining());
        out.println("y_pred: " + yPred);
        out.println("y_pred.requires_grad: " + yPred.requiresGrad());
        out.println("y_pred.grad_fn: " + yPred.gradFn());

        // @torch.no_grad() on a function: Ember.noGrad(supplier) runs it without recording
        Tensor p = Ember.noGrad(() -> model.forward(xTest));
        out.println("predict(x_test) agrees: " + p.allclose(yPred) + ", requires_grad: " + p.requiresGrad());
    }
}
