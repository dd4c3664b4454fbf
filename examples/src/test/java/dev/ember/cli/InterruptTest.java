package dev.ember.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during training, for real: the command runs in a JVM of its own, gets SIGINT once its first epoch has
 * been saved, exits with 130, and leaves a checkpoint that loads and that training resumes from.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ctrlCLeavesTheLastCompletedCheckpointIntactAndResumable() throws Exception {
        assumeTrue(new File("/bin/kill").canExecute() || new File("/usr/bin/kill").canExecute(),
                "needs kill to send SIGINT");
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-cp", System.getProperty("java.class.path"),
                EmberCli.class.getName(), "train", "--epochs", "1000", "--train-samples", "128", "--batch-size", "16",
                "--hidden", "16", "--out", run.toString())
                .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (completedEpochs(run) < 1) {
                assertTrue(p.isAlive(), () -> "the run ended early: " + read(log));
                assertTrue(System.nanoTime() < deadline, "no epoch completed within two minutes");
                Thread.sleep(50);
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIGINT");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), read(log));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.load(run.resolve(TrainingCheckpoint.FILE));
        assertTrue(checkpoint.epoch() >= 1, "epoch " + checkpoint.epoch());
        String err = read(log);
        assertTrue(err.contains("ember train: stopped; the checkpoint of epoch " + checkpoint.epoch() + " of 1000 in "
                + run + " is complete; continue with: ember train --resume " + run), err);
        assertTrue(completedEpochs(run) >= checkpoint.epoch(), "metrics.csv holds every saved epoch");

        int total = checkpoint.epoch() + 1;
        Cli.Result resumed = Cli.in(tmp).run("train", "--resume", "run", "--epochs", Integer.toString(total)).ok();
        assertTrue(resumed.out().contains("resuming after epoch " + checkpoint.epoch() + " in run"), resumed.out());
        assertEquals(total, TrainCommandTest.metrics(run).size(), "the CSV was rewritten from the checkpoint");
        assertEquals(total, TrainingCheckpoint.load(run.resolve(TrainingCheckpoint.FILE)).epoch());
    }

    private static int completedEpochs(Path run) throws IOException {
        Path csv = run.resolve(RunDirectory.METRICS);
        if (!Files.exists(csv)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        return (int) lines.stream().skip(1).filter(l -> !l.isBlank()).count();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
