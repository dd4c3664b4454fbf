package dev.ember.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Tensor;
import dev.ember.io.SafeTensors;
import dev.ember.io.SafeTensorsFile;
import dev.ember.nn.Module;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ember train} on tiny settings: the files of a run, the models, dtypes, and resuming. */
class TrainCommandTest {
    /** A few hundred digits and a couple of epochs: well under a second of training. */
    static final String[] TINY = {"--train-samples", "256", "--test-samples", "100", "--batch-size", "32"};

    @TempDir
    Path tmp;

    /** {@code train} on {@link #TINY} settings with more options. */
    static String[] train(String... more) {
        return Stream.concat(Stream.concat(Stream.of("train"), Arrays.stream(TINY)), Arrays.stream(more))
                .toArray(String[]::new);
    }

    static String[] args(String[] base, String... more) {
        return Stream.concat(Arrays.stream(base), Arrays.stream(more)).toArray(String[]::new);
    }

    /** The rows of metrics.csv after its header, split into cells. */
    static List<String[]> metrics(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(RunDirectory.METRICS));
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertEquals(7, cells.length, line);
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void aRunWritesItsConfigurationCheckpointModelMetricsAndPlots() throws IOException {
        Cli.Result r = Cli.in(tmp).run(train("--epochs", "2", "--out", "run")).ok();
        Path run = tmp.resolve("run");

        assertTrue(r.out().startsWith("mlp on digits: 256 training and 100 test samples of shape [1, 8, 8], 10 "
                + "classes"), r.out());
        assertTrue(r.out().contains("epoch 2/2: train loss "), r.out());
        assertTrue(r.out().matches("(?s).*\ntest accuracy \\d+\\.\\d\\d% \\(loss \\d\\.\\d{4}\\) after 2 epochs\n.*"),
                r.out());
        assertTrue(r.out().contains("26,122 parameters"), r.out());
        assertTrue(r.err().contains("epoch 1/2 100% [") && r.err().contains("samples/s, loss "), r.err());

        RunConfig config = RunDirectory.open(run, "run").readConfig();
        assertEquals(ModelKind.MLP, config.model());
        assertEquals(DatasetKind.DIGITS, config.dataset());
        assertEquals(2, config.epochs());
        assertEquals(256, config.trainSamples());
        assertEquals(List.of(1, 8, 8), config.sampleShape());

        List<String[]> rows = metrics(run);
        assertEquals(2, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Integer.toString(i + 1), rows.get(i)[0]);
            for (int c = 1; c <= 6; c++) {
                double v = Double.parseDouble(rows.get(i)[c]);
                assertTrue(v >= 0 && Double.isFinite(v), Arrays.toString(rows.get(i)));
            }
            assertTrue(Double.parseDouble(rows.get(i)[2]) <= 1 && Double.parseDouble(rows.get(i)[4]) <= 1);
        }
        assertEquals("0.001", rows.get(0)[5]);

        for (String png : List.of(TrainingPlots.LOSS, TrainingPlots.ACCURACY)) {
            BufferedImage image = ImageIO.read(run.resolve(png).toFile());
            assertNotNull(image, png);
            assertEquals(800, image.getWidth());
            assertEquals(500, image.getHeight());
        }

        SafeTensorsFile model = SafeTensors.read(run.resolve(RunDirectory.MODEL));
        Module rebuilt = EvalCommand.loadModel(RunDirectory.open(run, "run"), config);
        assertEquals(rebuilt.stateDict().keySet(), model.tensors().keySet());
        assertEquals("2", model.metadata().get("ember.epoch"));
        assertEquals("pt", model.metadata().get("format"));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.load(run.resolve(TrainingCheckpoint.FILE));
        assertEquals(2, checkpoint.epoch());
        assertEquals(2, checkpoint.history().size());
        assertEquals(MetricsCsv.row(checkpoint.history().get(1)), String.join(",", rows.get(1)));
        for (Map.Entry<String, Tensor> e : model.tensors().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), checkpoint.model().get(e.getKey()).toFloatArray(), 0f,
                    "the checkpoint holds the model's weights: " + e.getKey());
        }
    }

    @Test
    void withoutOutTheRunGoesUnderRunsInTheWorkingDirectory() throws IOException {
        Cli.Result r = Cli.in(tmp).run(train("--epochs", "1")).ok();
        assertTrue(r.out().contains(") after 1 epoch\n"), r.out());
        try (Stream<Path> runs = Files.list(tmp.resolve("runs"))) {
            List<Path> dirs = runs.toList();
            assertEquals(1, dirs.size());
            assertTrue(dirs.get(0).getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d"),
                    dirs.toString());
            assertEquals(1, metrics(dirs.get(0)).size());
        }
    }

    @ParameterizedTest
    @CsvSource({"cnn, digits", "rnn, digits", "mlp, spirals"})
    void everyModelTrainsOnWhatItCanRead(String model, String dataset) throws IOException {
        Cli.Result r = Cli.in(tmp).run(train("--model", model, "--dataset", dataset, "--epochs", "1",
                "--out", "run")).ok();
        assertTrue(r.out().startsWith(model + " on " + dataset + ": "), r.out());
        assertEquals(1, metrics(tmp.resolve("run")).size());
    }

    @Test
    void float64RunsKeepFloat64Weights() {
        Cli.in(tmp).run(train("--dtype", "float64", "--epochs", "1", "--out", "run")).ok();
        Map<String, Tensor> weights = SafeTensors.load(tmp.resolve("run").resolve(RunDirectory.MODEL));
        for (Tensor t : weights.values()) {
            assertEquals(DType.FLOAT64, t.dtype());
        }
    }

    /**
     * A run stopped in its second epoch and resumed computes what the uninterrupted run computed: the same weights,
     * bit for bit, and the same metrics (except the times).
     */
    @ParameterizedTest
    @CsvSource({"sgd, cosine", "adam, onecycle", "rmsprop, step"})
    void aResumedRunEqualsTheUninterruptedOne(String optimizer, String schedule) throws IOException {
        String[] common = train("--epochs", "3", "--optimizer", optimizer, "--schedule", schedule,
                "--seed", "7");
        Cli cli = Cli.in(tmp);
        cli.run(args(common, "--out", "whole")).ok();

        int[] checks = {0};
        Cli stopping = cli.with(cli.env().withGuard(new InterruptGuard(() -> ++checks[0] > 12)));   // 8 batches/epoch
        Cli.Result stopped = stopping.run(args(common, "--out", "parts"));
        assertEquals(ExitCodes.INTERRUPTED, stopped.code(), stopped.err());
        assertTrue(stopped.err().contains("the checkpoint of epoch 1 of 3 in parts is complete; continue with: "
                + "ember train --resume parts"), stopped.err());
        assertEquals(1, metrics(tmp.resolve("parts")).size());

        Cli.Result resumed = cli.run("train", "--resume", "parts").ok();
        assertTrue(resumed.out().contains("resuming after epoch 1 in parts"), resumed.out());

        Map<String, Tensor> whole = SafeTensors.load(tmp.resolve("whole").resolve(RunDirectory.MODEL));
        Map<String, Tensor> parts = SafeTensors.load(tmp.resolve("parts").resolve(RunDirectory.MODEL));
        assertEquals(whole.keySet(), parts.keySet());
        for (String name : whole.keySet()) {
            assertArrayEquals(whole.get(name).toFloatArray(), parts.get(name).toFloatArray(), 0f, name);
        }
        List<String[]> a = metrics(tmp.resolve("whole"));
        List<String[]> b = metrics(tmp.resolve("parts"));
        assertEquals(3, b.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(Arrays.asList(a.get(i)).subList(0, 6), Arrays.asList(b.get(i)).subList(0, 6),
                    "epoch " + (i + 1));
        }
    }

    @Test
    void resumingWithMoreEpochsTrainsOnAndAFinishedRunOnlyReports() throws IOException {
        Cli cli = Cli.in(tmp);
        cli.run(train("--epochs", "1", "--out", "run")).ok();
        Cli.Result more = cli.run("train", "--resume", "run", "--epochs", "2").ok();
        assertTrue(more.out().contains("epoch 2/2: "), more.out());
        assertEquals(2, metrics(tmp.resolve("run")).size());
        assertEquals(2, RunDirectory.open(tmp.resolve("run"), "run").readConfig().epochs());

        Cli.Result again = cli.run("train", "--resume", "run").ok();
        assertTrue(!again.out().contains("epoch 3") && again.out().contains("test accuracy"), again.out());
        assertEquals(2, metrics(tmp.resolve("run")).size());
    }
}
