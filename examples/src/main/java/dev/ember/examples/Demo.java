package dev.ember.examples;

import dev.ember.Ember;
import dev.ember.examples.seeds.SeedProgram;
import dev.ember.examples.seeds.SeedPrograms;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs every seed program that Ember supports today, each under a header line, and prints the active backend at
 * the end. {@code ./mvnw -q -pl examples exec:java} runs it.
 *
 * <pre>{@code
 * Demo.run(System.out);
 * }</pre>
 *
 * <p>Each program is a class of {@link dev.ember.examples.seeds} that reads like the seed's Python and prints
 * what PyTorch 1.13 prints (with Java's spelling: {@code true}, {@code null}, {@code SumBackward}).
 *
 * <p>Programs of the seeds that need later work, and will join the demo then:
 * <ul>
 *   <li>seed 002, gradient checkpointing (theory only in the seed; {@code dev.ember.autograd.Checkpoint} implements
 *       it): an example showing the memory it saves comes with the examples;</li>
 *   <li>seed 003 section 6, {@code model.eval()} with {@code no_grad()}: needs {@code nn.Module};</li>
 *   <li>seed 003 section 7, {@code optimizer.zero_grad()}: needs {@code optim} (shown here with
 *       {@code w.grad().zero_()});</li>
 *   <li>seed 003 section 8, {@code torch.nn.utils.clip_grad_norm_}: needs {@code nn} utilities;</li>
 *   <li>seed 003 section 9, Exercise 2, {@code torchviz.make_dot(model(x), params=dict(model.named_parameters()))}:
 *       needs {@code nn.Module} (graph export itself is {@code dev.ember.autograd.graph.GraphExport}).</li>
 * </ul>
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        run(System.out);
        System.out.flush();
    }

    /** Runs every seed program under a header line, then prints the backend. */
    public static void run(PrintStream out) {
        List<SeedProgram> programs = SeedPrograms.all();
        for (int i = 0; i < programs.size(); i++) {
            SeedProgram p = programs.get(i);
            out.println("=== [" + (i + 1) + "/" + programs.size() + "] " + p.name() + " (" + p.source() + ")");
            p.run(out);
            out.println();
        }
        out.println("Backend: " + Ember.backend());
    }
}
