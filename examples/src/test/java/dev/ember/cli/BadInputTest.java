package dev.ember.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong command lines and broken inputs: one line on the error stream, a non-zero exit code, no stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    private Cli.Result trainedRun(Cli cli) {
        return cli.run(TrainCommandTest.train("--epochs", "1", "--out", "run")).ok();
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithASuggestion() {
        String line = Cli.in(tmp).run("train", "--epoch", "3").oneLineError(ExitCodes.USAGE);
        assertEquals("ember train: Unknown options: '--epoch', '3'; did you mean --epochs? (see 'ember train "
                + "--help')", line);
        assertFalse(Files.exists(tmp.resolve("runs")), "nothing was started");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        String line = Cli.in(tmp).run("trian").oneLineError(ExitCodes.USAGE);
        assertTrue(line.startsWith("ember: Unmatched argument at index 0: 'trian'; did you mean train?"), line);
    }

    @Test
    void badValuesAreUsageErrorsThatNameTheOption() {
        Cli cli = Cli.in(tmp);
        assertTrue(cli.run("train", "--model", "transformer").oneLineError(ExitCodes.USAGE)
                .contains("'--model': 'transformer' is not one of mlp, cnn, rnn"));
        assertTrue(cli.run("train", "--epochs", "0").oneLineError(ExitCodes.USAGE)
                .contains("--epochs must be at least 1, got 0"));
        assertTrue(cli.run("train", "--lr", "-1").oneLineError(ExitCodes.USAGE)
                .contains("--lr must be a positive number, got -1.0"));
        assertTrue(cli.run("train", "--batch-size", "many").oneLineError(ExitCodes.USAGE)
                .contains("'--batch-size': 'many' is not an int"));
        assertTrue(cli.run("bench", "--workload", "W9").oneLineError(ExitCodes.USAGE)
                .contains("--workload must be W1, W2 or W3, got 'W9'"));
        assertTrue(cli.run("graph", "--format", "gif").oneLineError(ExitCodes.USAGE)
                .contains("--format must be png or svg, got 'gif'"));
        assertTrue(cli.run("eval", "run", "--split", "valid").oneLineError(ExitCodes.USAGE)
                .contains("--split must be test or train, got 'valid'"));
    }

    @Test
    void countsBelowOneAreUsageErrorsThatNameTheOptionAndTheValue() {
        Cli cli = Cli.in(tmp);
        assertEquals("ember train: --hidden must be at least 1, got 0 (see 'ember train --help')",
                cli.run("train", "--hidden", "0").oneLineError(ExitCodes.USAGE));
        assertEquals("ember train: --test-samples must be at least 1, got -5 (see 'ember train --help')",
                cli.run("train", "--test-samples", "-5").oneLineError(ExitCodes.USAGE));
        assertEquals("ember eval: --batch-size must be at least 1, got 0 (see 'ember eval --help')",
                cli.run("eval", "run", "--batch-size", "0").oneLineError(ExitCodes.USAGE));
        assertEquals("ember eval: --samples must be at least 1, got 0 (see 'ember eval --help')",
                cli.run("eval", "run", "--samples", "0").oneLineError(ExitCodes.USAGE));
        assertEquals("ember graph: --batch-size must be at least 1, got 0 (see 'ember graph --help')",
                cli.run("graph", "--batch-size", "0").oneLineError(ExitCodes.USAGE));
        assertEquals("ember bench: --steps must be at least 1, got 0 (see 'ember bench --help')",
                cli.run("bench", "--steps", "0").oneLineError(ExitCodes.USAGE));
        assertFalse(Files.exists(tmp.resolve("runs")), "nothing was started");
    }

    @Test
    void examplesTakesAllOrNamesNotBoth() {
        Cli.Result r = Cli.in(tmp).run("examples", "--all", "RetainGrad");
        assertEquals("ember examples: --all runs every program: give either --all or the names of the programs to "
                + "run, not both (see 'ember examples --help')", r.oneLineError(ExitCodes.USAGE));
        assertEquals("", r.out(), "nothing was run");
    }

    @Test
    void moreSamplesThanTheDataSetHasAreRefusedNamingTheOptionGiven() {
        Cli cli = Cli.in(tmp);
        assertEquals("ember train: --train-samples 2000 is more than the 1347 samples digits has there; give at most "
                + "1347", cli.run("train", "--train-samples", "2000", "--out", "run").oneLineError(ExitCodes.FAILURE));
        assertFalse(Files.exists(tmp.resolve("run")), "no run directory is left behind");
        assertEquals("ember graph: --batch-size 2000 is more than the 1347 samples digits has there; give at most "
                + "1347", cli.run("graph", "--batch-size", "2000").oneLineError(ExitCodes.FAILURE));
        trainedRun(cli);
        assertEquals("ember eval: --samples 451 is more than the 450 samples digits has there; give at most 450",
                cli.run("eval", "run", "--samples", "451").oneLineError(ExitCodes.FAILURE));
    }

    @Test
    void aMissingDataSetSaysWhereToPutItAndStartsNothing() {
        String line = Cli.in(tmp).run("train", "--dataset", "mnist", "--out", "run").oneLineError(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember train: MNIST was not found: put its four files (train-images-idx3-ubyte.gz "
                + "and the others) in $EMBER_DATA/mnist, in " + tmp.resolve("no-cache").resolve("mnist")), line);
        assertTrue(line.endsWith("or add --download"), line);
        assertFalse(Files.exists(tmp.resolve("run")), "no run directory is left behind");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.in(tmp).run("train", "--dataset", "mnist", "--verbose");
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().contains("\tat dev.ember.cli."), r.err());
        assertTrue(r.err().contains("DatasetNotFoundException"), "the cause, with Ember's full advice: " + r.err());
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsAnError() throws IOException {
        Files.writeString(tmp.resolve("file"), "not a directory");
        String line = Cli.in(tmp).run("train", "--out", "file/run").oneLineError(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember train: cannot create the run directory file/run: "), line);
        assertTrue(line.endsWith("; choose another --out"), line);

        String onFile = Cli.in(tmp).run("train", "--out", "file").oneLineError(ExitCodes.FAILURE);
        assertEquals("ember train: cannot use file as the run directory: it is a file; choose another --out", onFile);
    }

    @Test
    void anOutputDirectoryThatHoldsARunIsNotOverwritten() {
        Cli cli = Cli.in(tmp);
        trainedRun(cli);
        String line = cli.run("train", "--out", "run").oneLineError(ExitCodes.FAILURE);
        assertEquals("ember train: the run directory run already holds a run; continue it with --resume run, or "
                + "choose another --out", line);
    }

    @Test
    void anUnwritableOutputDirectoryIsAnError() throws IOException {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        assumeTrue(locked.toFile().setWritable(false, false) && !Files.isWritable(locked),
                "the file system lets this user write anyway (root)");
        try {
            String line = Cli.in(tmp).run("train", "--out", "locked").oneLineError(ExitCodes.FAILURE);
            assertEquals("ember train: the run directory locked is not writable; choose another --out", line);
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void aCorruptCheckpointCannotBeResumedFrom() throws IOException {
        Cli cli = Cli.in(tmp);
        trainedRun(cli);
        Path checkpoint = tmp.resolve("run").resolve(TrainingCheckpoint.FILE);
        try (FileChannel ch = FileChannel.open(checkpoint, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        String line = cli.run("train", "--resume", "run", "--epochs", "2").oneLineError(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember train: the checkpoint " + checkpoint + " cannot be read: "), line);
        assertTrue(line.endsWith("; the run cannot be resumed from it"), line);
    }

    @Test
    void aCorruptModelCannotBeEvaluated() throws IOException {
        Cli cli = Cli.in(tmp);
        trainedRun(cli);
        Path model = tmp.resolve("run").resolve(RunDirectory.MODEL);
        byte[] bytes = Files.readAllBytes(model);
        bytes[12] = '#';   // inside the JSON header
        Files.write(model, bytes);
        String line = cli.run("eval", "run").oneLineError(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember eval: cannot load the model " + model + ": "), line);
    }

    @Test
    void aCorruptConfigurationIsNamed() throws IOException {
        Cli cli = Cli.in(tmp);
        trainedRun(cli);
        Path config = tmp.resolve("run").resolve(RunDirectory.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"epochs\" : 1", "\"epochs\" : 0"));
        String line = cli.run("eval", "run").oneLineError(ExitCodes.FAILURE);
        assertEquals("ember eval: " + config + " is not a valid run configuration: epochs must be at least 1, got 0",
                line);
    }

    @Test
    void resumeKeepsTheRunsConfiguration() {
        Cli cli = Cli.in(tmp);
        trainedRun(cli);
        String line = cli.run("train", "--resume", "run", "--model", "cnn").oneLineError(ExitCodes.USAGE);
        assertTrue(line.startsWith("ember train: --model cannot be combined with --resume"), line);
        assertEquals("ember train: there is no run directory nowhere",
                cli.run("train", "--resume", "nowhere").oneLineError(ExitCodes.FAILURE));
    }

    @Test
    void modelsThatCannotReadTheDataAreRefusedBeforeTraining() {
        String line = Cli.in(tmp).run("train", "--model", "cnn", "--dataset", "spirals", "--out", "run")
                .oneLineError(ExitCodes.FAILURE);
        assertEquals("ember train: --model cnn needs images of at least 4x4 pixels, but spirals samples have the "
                + "shape [2]; use --model mlp for it", line);
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void theCudaBackendNeedsACudaBuild() {
        assumeTrue(Backend.ofBuild() == Backend.CPU, "this build has CUDA");
        String line = Cli.in(tmp).run("train", "--backend", "cuda").oneLineError(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember train: --backend cuda needs a build with ND4J's CUDA backend"), line);
    }

    @Test
    void aDivergingRunStopsWithAnError() {
        String line = Cli.in(tmp).run(TrainCommandTest.train("--optimizer", "sgd",
                "--lr", "1e6", "--out", "run")).oneLineErrorAfterProgress(ExitCodes.FAILURE);
        assertTrue(line.startsWith("ember train: the loss became "), line);
        assertTrue(line.contains("training diverged; try a smaller --lr than 1000000"), line);
    }
}
