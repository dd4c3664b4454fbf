package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Checkpoint;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.Sequential;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 002, "Day 1 - Part 3: Autograd Mechanics and Computation Graphs", section "Memory Optimization Strategies",
 * "1. Gradient Checkpointing": instead of storing all intermediate activations for the backward pass, keep the
 * inputs of √n segments and recompute the rest during backward; "Memory: Reduced by factor of √n for n layers;
 * Computation: Increased by ~33% (one extra forward pass)". The seed has no code; this program runs a deep tanh
 * network with and without {@code checkpoint_sequential} and prints what it costs and saves:
 * <ul>
 *   <li>the bytes of the tensors saved for backward ({@link Checkpoint#heldBytes}: every node's saved tensors plus the
 *       inputs each checkpoint keeps; the Python twin counts the same bytes with a
 *       {@code saved_tensors_hooks} pack hook, and gets the same numbers): 2.78 times fewer for 16 layers in 4
 *       segments, 5.43 times fewer for 64 layers in 8: the saving grows like √n, as the seed says, about 0.7 √n
 *       here (not √n itself: the last segment is not checkpointed, as in PyTorch, since backward needs its
 *       activations first, and each layer saves two activations where a segment keeps one input);</li>
 *   <li>the loss and the gradients, identical bit for bit;</li>
 *   <li>the layers run: all n in the forward pass, and again in backward those of every segment but the last, so
 *       three quarters of a forward pass (16 layers) and seven eighths (64) extra: with backward costing about two
 *       forward passes, the seed's "~33%" is the bound that one whole extra forward pass gives.</li>
 * </ul>
 * The bytes are those of the tensors saved for backward, not of an allocator: what the process holds also depends on
 * the JVM's (or PyTorch's caching allocator's) own bookkeeping.
 *
 * <pre>{@code
 * from torch.utils.checkpoint import checkpoint_sequential
 *
 * class Block(nn.Module):
 *     """One layer, Linear + Tanh, that counts how often it runs."""
 *     def __init__(self, width):
 *         super().__init__()
 *         self.fc = nn.Linear(width, width)
 *         self.calls = 0
 *
 *     def forward(self, h):
 *         self.calls += 1
 *         return torch.tanh(self.fc(h))
 *
 * def saved_bytes(forward):
 *     """Runs forward(), counting the bytes of every tensor saved for backward."""
 *     total = 0
 *     def pack(t):
 *         nonlocal total
 *         total += t.numel() * t.element_size()
 *         return t
 *     with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
 *         out = forward()
 *     return out, total
 *
 * def runs(model):
 *     return sum(block.calls for block in model)
 *
 * for n in (16, 64):
 *     torch.manual_seed(0)
 *     model = nn.Sequential(*[Block(32) for _ in range(n)])
 *     x = torch.randn(512, 32, requires_grad=True)
 *     segments = math.isqrt(n)
 *
 *     # Storing all intermediate activations for the backward pass
 *     loss, full = saved_bytes(lambda: model(x).pow(2).mean())
 *     loss.backward()
 *     grads = [p.grad.clone() for p in model.parameters()]
 *     plain_runs = runs(model)
 *
 *     # Gradient checkpointing: keep each segment's input, recompute its activations during backward
 *     model.zero_grad(set_to_none=True)
 *     loss_c, kept = saved_bytes(lambda: checkpoint_sequential(model, segments, x).pow(2).mean())
 *     forward_runs = runs(model) - plain_runs
 *     loss_c.backward()
 *     recomputed = runs(model) - plain_runs - forward_runs
 *     same = all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))
 *
 *     print(f"{n} layers, {segments} segments: loss {loss.item():.6f} / {loss_c.item():.6f}, same gradients: {same}")
 *     print(f"  saved for backward: {full} bytes without checkpointing, {kept} with: {full / kept:.2f} times less")
 *     print(f"  layers run: {forward_runs} forward, {recomputed} again in backward")
 * }</pre>
 */
public final class Checkpointing {
    private Checkpointing() {
    }

    /** One layer, Linear + Tanh, that counts how often it runs. */
    static final class Block extends Module {
        private final Linear fc;
        private int calls;

        Block(int width) {
            fc = registerModule("fc", new Linear(width, width));
        }

        @Override
        public Tensor forward(Tensor h) {
            calls++;
            return fc.forward(h).tanh();
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static int runs(Sequential model) {
        int total = 0;
        for (Module block : model) {
            total += ((Block) block).calls;
        }
        return total;
    }

    public static void run(PrintStream out) {
        for (int n : new int[] {16, 64}) {
            Ember.manualSeed(0);
            Sequential model = new Sequential();
            for (int i = 0; i < n; i++) {
                model.add(new Block(32));
            }
            Tensor x = Ember.randn(512, 32).requiresGrad_();
            int segments = (int) Math.sqrt(n);

            // Storing all intermediate activations for the backward pass
            Tensor loss = model.forward(x).pow(2).mean();
            long full = Checkpoint.heldBytes(loss);
            loss.backward();
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                grads.add(p.grad().clone());
            }
            int plainRuns = runs(model);

            // Gradient checkpointing: keep each segment's input, recompute its activations during backward
            model.zeroGrad(true);
            Tensor lossC = Checkpoint.checkpointSequential(model.modules(), segments, x).pow(2).mean();
            long kept = Checkpoint.heldBytes(lossC);
            int forwardRuns = runs(model) - plainRuns;
            lossC.backward();
            int recomputed = runs(model) - plainRuns - forwardRuns;
            boolean same = true;
            for (int i = 0; i < grads.size(); i++) {
                same &= model.parameters().get(i).grad().eq(grads.get(i)).all(); // torch.equal
            }

            out.println(String.format(Locale.ROOT, "%d layers, %d segments: loss %.6f / %.6f, same gradients: %s", n,
                    segments, loss.item(), lossC.item(), same));
            out.println(String.format(Locale.ROOT, "  saved for backward: %d bytes without checkpointing, %d with: "
                    + "%.2f times less", full, kept, (double) full / kept));
            out.println(String.format(Locale.ROOT, "  layers run: %d forward, %d again in backward", forwardRuns,
                    recomputed));
        }
    }
}
