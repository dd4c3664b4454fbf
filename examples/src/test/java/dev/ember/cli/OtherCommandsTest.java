package dev.ember.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ember.autograd.graph.Graphviz;
import dev.ember.examples.seeds.SeedProgram;
import dev.ember.examples.seeds.SeedPrograms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ember} without a command, {@code eval}, {@code graph}, {@code examples}, {@code bench} and {@code info}. */
class OtherCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void withoutACommandItPrintsTheUsage() {
        Cli.Result r = Cli.in(tmp).run().ok();
        assertTrue(r.out().startsWith("Usage: ember [-hV] [--verbose] [COMMAND]"), r.out());
        for (String command : List.of("train", "eval", "graph", "examples", "bench", "info")) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " in:\n" + r.out());
        }
        assertEquals("", r.err());
    }

    @Test
    void everyCommandHasHelp() {
        Cli cli = Cli.in(tmp);
        for (String command : List.of("train", "eval", "graph", "examples", "bench", "info")) {
            Cli.Result r = cli.run(command, "--help").ok();
            assertTrue(r.out().contains("Usage: ember " + command + " "), r.out());
            assertEquals("", r.err());
        }
        String help = cli.run("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("(about 98% test accuracy in a few seconds)"), help);
    }

    @Test
    void versionNamesEmberNd4jAndJava() {
        Cli.Result r = Cli.in(tmp).run("--version").ok();
        assertEquals(List.of("ember " + Versions.ember(), "ND4J " + Versions.nd4j(), "Java " + Versions.java()),
                r.out().lines().toList());
        assertTrue(Versions.ember().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.ember());
        assertTrue(Versions.nd4j().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.nd4j());
    }

    @Test
    void evalReproducesTheTestAccuracyOfTheRunsLastEpoch() throws IOException {
        Cli cli = Cli.in(tmp);
        cli.run(TrainCommandTest.train("--epochs", "2", "--out", "run")).ok();
        String[] last = TrainCommandTest.metrics(tmp.resolve("run")).get(1);

        Cli.Result r = cli.run("eval", "run", "--samples", "100").ok();
        List<String> lines = r.out().lines().toList();
        assertEquals("mlp of run (epoch 2) on digits, test split: 100 samples", lines.get(0));
        double accuracy = Double.parseDouble(last[4]);
        String expected = String.format(Locale.ROOT, "loss %.4f, accuracy %.2f%% (%d correct)",
                Double.parseDouble(last[3]), 100 * accuracy, Math.round(accuracy * 100));
        assertTrue(lines.get(1).startsWith(expected), lines.get(1) + " should start with " + expected);
        assertTrue(lines.get(2).startsWith("per class: 0 ") && lines.get(2).contains(", 9 "), lines.get(2));

        Cli.Result all = cli.run("eval", "run", "--split", "train").ok();
        assertTrue(all.out().startsWith("mlp of run (epoch 2) on digits, train split: 1,347 samples"), all.out());
    }

    @Test
    void evalRefusesADataSetOfAnotherShape() {
        Cli cli = Cli.in(tmp);
        cli.run(TrainCommandTest.train("--epochs", "1", "--out", "run")).ok();
        String line = cli.run("eval", "run", "--dataset", "spirals").oneLineError(ExitCodes.FAILURE);
        assertEquals("ember eval: the model of run takes samples of shape [1, 8, 8] in 10 classes, but spirals has "
                + "[2] in 3 classes", line);
    }

    @Test
    void graphWritesDotWithTheParametersNamesEvenWithoutGraphviz() throws IOException {
        Cli.Result r = Cli.in(tmp).run("graph", "--out", "step.dot").ok();
        String dot = Files.readString(tmp.resolve("step.dot"));
        assertTrue(dot.startsWith("digraph {"), dot);
        for (String name : List.of("1.weight", "1.bias", "3.weight", "5.bias", "loss")) {
            assertTrue(dot.contains(name), name + " in\n" + dot);
        }
        assertTrue(r.out().contains("wrote " + tmp.resolve("step.dot")), r.out());
        assertTrue(r.out().contains("Graphviz's dot program was not found, so no png was drawn"), r.out());
        assertFalse(Files.exists(tmp.resolve("step.png")));
    }

    @Test
    void graphRendersAPngWithGraphviz() throws IOException {
        Graphviz graphviz = Graphviz.find();
        assumeTrue(graphviz.isAvailable(), "Graphviz is not installed");
        Cli cli = Cli.in(tmp);
        cli = cli.with(cli.env().withGraphviz(() -> graphviz));
        Cli.Result r = cli.run("graph", "--model", "cnn", "--out", "cnn.dot").ok();
        assertTrue(r.out().contains("rendered " + tmp.resolve("cnn.png")), r.out());
        assertNotNull(ImageIO.read(tmp.resolve("cnn.png").toFile()));
        assertTrue(Files.readString(tmp.resolve("cnn.dot")).contains("ConvolutionBackward"));
    }

    @Test
    void examplesListsEveryProgramAndRunsOneByName() {
        Cli cli = Cli.in(tmp);
        String list = cli.run("examples").ok().out();
        for (SeedProgram p : SeedPrograms.all()) {
            assertTrue(list.contains("  " + p.name() + " "), p.name() + " in\n" + list);
        }
        SeedProgram first = SeedPrograms.all().get(0);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        first.run(new PrintStream(direct, true, StandardCharsets.UTF_8));
        assertEquals(direct.toString(StandardCharsets.UTF_8),
                cli.run("examples", first.name().toLowerCase(Locale.ROOT)).ok().out());

        SeedProgram second = SeedPrograms.all().get(1);
        String two = cli.run("examples", first.name(), second.name()).ok().out();
        assertTrue(two.startsWith("=== [1/2] " + first.name() + " (" + first.source() + ")\n"), two);
        assertTrue(two.contains("\n=== [2/2] " + second.name() + " (" + second.source() + ")\n"), two);

        String line = cli.run("examples", "NoSuchProgram").oneLineError(ExitCodes.FAILURE);
        assertEquals("ember examples: there is no seed program named 'NoSuchProgram' ('ember examples' lists them)",
                line);
    }

    @Test
    void benchPrintsEmberAndDl4jSideBySide() {
        Cli.Result r = Cli.in(tmp).run("bench", "--quick", "--workload", "w1", "--steps", "3", "--samples", "1").ok();
        assertTrue(r.out().contains("W1   Ember "), r.out());
        assertTrue(r.out().contains("W1   DL4J "), r.out());
        assertTrue(r.out().contains("Ember / DL4J = "), r.out());
        assertFalse(r.out().contains("W2:"), "only W1: " + r.out());
    }

    @Test
    void infoNamesVersionsBackendBlasAndThreads() {
        Cli.Result r = Cli.in(tmp).run("info").ok();
        List<String> lines = r.out().lines().toList();
        assertEquals("Ember          " + Versions.ember(), lines.get(0));
        assertEquals("ND4J           " + Versions.nd4j(), lines.get(2));
        assertTrue(lines.get(3).startsWith("backend        CPU (") || lines.get(3).startsWith("backend        CUDA ("),
                lines.get(3));
        assertTrue(lines.get(4).matches("BLAS           \\w+, \\d+ threads"), lines.get(4));
        assertTrue(lines.get(5).startsWith("threads        " + Runtime.getRuntime().availableProcessors()
                + " processors"), lines.get(5));
        assertTrue(r.out().contains("mnist          not found (ember train --dataset mnist --download fetches it)"),
                r.out());
        assertTrue(r.out().contains("Graphviz       not found"), r.out());
    }
}
