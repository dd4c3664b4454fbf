package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.Linear;
import dev.ember.nn.MSELoss;
import dev.ember.optim.Optimizer;
import dev.ember.optim.SGD;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Seed 003, "Day 59: Autograd (Automatic Differentiation)", sections 1 and 10: "{@code loss.backward()} computes
 * the gradient, {@code optimizer.step()} performs the update" W_new = W_old - α ∇Loss(W), and "The Training Loop
 * Formula": forward() → loss() → backward() → step() → zero_grad(); with seed 001, section 4's "You must zero them
 * out: {@code optimizer.zero_grad()}". The seeds give the formula without a program; this one fits a line,
 * y = 2x + 1, with {@code nn.Linear(1, 1)}, and the weight and bias converge to 2 and 1.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * model = nn.Linear(1, 1)
 * x = torch.linspace(-1, 1, 16).reshape(16, 1)
 * y = 2 * x + 1  # the line to learn: weight 2, bias 1
 * loss_fn = nn.MSELoss()
 * optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
 *
 * for epoch in range(1, 101):
 *     y_pred = model(x)            # forward(): predict
 *     loss = loss_fn(y_pred, y)    # loss(): compare
 *     loss.backward()              # backward(): gradients
 *     optimizer.step()             # step(): update, W_new = W_old - lr * grad
 *     optimizer.zero_grad()        # zero_grad(): clear
 *     if epoch == 1 or epoch % 20 == 0:
 *         print(f"epoch {epoch}: loss={loss.item():.4f}, "
 *               f"weight={model.weight.item():.4f}, bias={model.bias.item():.4f}")
 * }</pre>
 */
public final class TrainingLoop {
    private TrainingLoop() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        Linear model = new Linear(1, 1);
        Tensor x = Ember.linspace(-1, 1, 16).reshape(16, 1);
        Tensor y = x.mul(2).add(1); // the line to learn: weight 2, bias 1
        MSELoss lossFn = new MSELoss();
        Optimizer optimizer = new SGD(model.parameters(), 0.1);

        for (int epoch = 1; epoch <= 100; epoch++) {
            Tensor yPred = model.forward(x);        // forward(): predict
            Tensor loss = lossFn.forward(yPred, y); // loss(): compare
            loss.backward();                        // backward(): gradients
            optimizer.step();                       // step(): update, W_new = W_old - lr * grad
            optimizer.zeroGrad();                   // zero_grad(): clear
            if (epoch == 1 || epoch % 20 == 0) {
                out.println(String.format(Locale.ROOT, "epoch %d: loss=%.4f, weight=%.4f, bias=%.4f", epoch,
                        loss.item(), model.weight().item(), model.bias().item()));
            }
        }
    }
}
