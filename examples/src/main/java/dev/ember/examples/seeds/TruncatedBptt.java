package dev.ember.examples.seeds;

import dev.ember.AutogradException;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.nn.Linear;
import dev.ember.nn.MSELoss;
import dev.ember.nn.RNN;
import dev.ember.nn.RecurrentOptions;
import dev.ember.nn.RnnOutput;
import dev.ember.optim.Optimizer;
import dev.ember.optim.SGD;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 001, "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation", section 5: {@code detach()}
 * "cuts the graph ... Useful for Truncated Backpropagation through Time (TBPTT) in RNNs". A small RNN learns to
 * predict the next value of a sine wave, one chunk of 16 steps at a time: the hidden state carries over from chunk to
 * chunk, and is detached at the start of each, so backward goes back through 16 steps only. The loss falls from 0.53
 * to 0.002 in ten epochs. Then the same loop without {@code detach()}: the second chunk's backward reaches back
 * into the first chunk's graph, which its backward already freed, and fails. The seed names the technique without
 * code; the program is the textbook loop, the same in the Python twin below.
 *
 * <pre>{@code
 * torch.manual_seed(0)
 * rnn = nn.RNN(1, 16, batch_first=True)
 * head = nn.Linear(16, 1)
 * optimizer = torch.optim.SGD(list(rnn.parameters()) + list(head.parameters()), lr=0.1)
 * loss_fn = nn.MSELoss()
 *
 * wave = torch.sin(torch.linspace(0, 8 * math.pi, 129))
 * x = wave[:-1].reshape(1, 128, 1)  # the input at each step ...
 * y = wave[1:].reshape(1, 128, 1)   # ... and the next value, to predict
 * chunk = 16
 *
 * for epoch in range(1, 11):
 *     h = torch.zeros(1, 1, 16)
 *     total = 0.0
 *     for start in range(0, 128, chunk):
 *         h = h.detach()  # keep the value, cut the graph: backward stops at the chunk's start
 *         out, h = rnn(x[:, start:start + chunk], h)
 *         loss = loss_fn(head(out), y[:, start:start + chunk])
 *         optimizer.zero_grad()
 *         loss.backward()
 *         optimizer.step()
 *         total += loss.item()
 *     if epoch == 1 or epoch % 2 == 0:
 *         print(f"epoch {epoch}: loss={total / (128 // chunk):.4f}")
 *
 * # Without detach(), the second chunk's graph reaches into the first one's, already freed by its backward
 * h = torch.zeros(1, 1, 16)
 * try:
 *     for start in range(0, 128, chunk):
 *         out, h = rnn(x[:, start:start + chunk], h)
 *         loss = loss_fn(head(out), y[:, start:start + chunk])
 *         loss.backward()
 * except RuntimeError as e:
 *     print(f"step {start}: caught {type(e).__name__}: {e}")
 * }</pre>
 */
public final class TruncatedBptt {
    private TruncatedBptt() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Ember.manualSeed(0);
        RNN rnn = new RNN(1, 16, RecurrentOptions.DEFAULT.batchFirst(true));
        Linear head = new Linear(16, 1);
        List<Tensor> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Optimizer optimizer = new SGD(params, 0.1);
        MSELoss lossFn = new MSELoss();

        Tensor wave = Ember.linspace(0, 8 * Math.PI, 129).sin();
        Tensor x = wave.slice(0, 0, 128).reshape(1, 128, 1); // the input at each step ...
        Tensor y = wave.slice(0, 1, 129).reshape(1, 128, 1); // ... and the next value, to predict
        int chunk = 16;

        for (int epoch = 1; epoch <= 10; epoch++) {
            Tensor h = Ember.zeros(1, 1, 16);
            double total = 0.0;
            for (int start = 0; start < 128; start += chunk) {
                h = h.detach(); // keep the value, cut the graph: backward stops at the chunk's start
                RnnOutput step = rnn.forward(x.slice(1, start, start + chunk), h);
                h = step.hidden();
                Tensor loss = lossFn.forward(head.forward(step.output()), y.slice(1, start, start + chunk));
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                total += loss.item();
            }
            if (epoch == 1 || epoch % 2 == 0) {
                out.println(String.format(Locale.ROOT, "epoch %d: loss=%.4f", epoch, total / (128 / chunk)));
            }
        }

        // Without detach(), the second chunk's graph reaches into the first one's, already freed by its backward
        Tensor h = Ember.zeros(1, 1, 16);
        int start = 0;
        try {
            for (; start < 128; start += chunk) {
                RnnOutput step = rnn.forward(x.slice(1, start, start + chunk), h);
                h = step.hidden();
                Tensor loss = lossFn.forward(head.forward(step.output()), y.slice(1, start, start + chunk));
                loss.backward();
            }
        } catch (AutogradException e) {
            out.println("step " + start + ": caught " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
