package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.data.DataLoader;
import dev.ember.data.TensorTuple;
import dev.ember.kernels.random.Generator;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.ModelFiles;
import dev.ember.nn.Module;
import dev.ember.optim.LRScheduler;
import dev.ember.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.AWTError;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run of {@code ember train}: the model, the optimizer, the schedule and the batches built from a
 * {@link RunConfig}, trained epoch by epoch with a progress bar, tested after every epoch, and saved after every
 * epoch into the {@link RunDirectory} (checkpoint, model, metrics, plots) inside the {@link InterruptGuard}.
 *
 * <pre>{@code
 * Training t = Training.start(config, run, data, env);     // or Training.resume(..., checkpoint)
 * Training.Outcome outcome = t.run();
 * }</pre>
 *
 * <p>Reproducibility: the seed fixes the initial weights (Ember's global generator) and the order of the batches (a
 * generator of the run's own). Both generators' states are in every checkpoint, with the model, optimizer and
 * scheduler, so that a run resumed from epoch k computes exactly what the uninterrupted run computed after epoch k.
 */
public final class Training {
    /** Samples per batch when testing. */
    static final int TEST_BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    /** How a run ended. */
    public enum Outcome {
        /** Every epoch is done. */
        COMPLETED,
        /** A stop was requested; the last completed epoch's checkpoint is on the disk. */
        STOPPED
    }

    private final RunConfig config;
    private final RunDirectory run;
    private final TrainingData data;
    private final Environment env;
    private final Module model;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final Generator batchGenerator;
    private final DataLoader<TensorTuple, TensorTuple> loader;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();
    private final List<EpochMetrics> history = new ArrayList<>();
    private final int startEpoch;
    private double trainSeconds;
    private double lastLr;
    private boolean plotsFailed;

    private Training(RunConfig config, RunDirectory run, TrainingData data, Environment env,
                     TrainingCheckpoint checkpoint) {
        this.config = config;
        this.run = run;
        this.data = data;
        this.env = env;
        Ember.manualSeed(config.seed());
        this.model = config.model().build(config.sampleShape(), config.classes(), config.hidden());
        model.to(config.dtype().dtype());
        this.batchGenerator = new Generator(config.seed());
        this.loader = DataLoader.builder(data.train().dataset()).batchSize(config.batchSize()).shuffle(true)
                .generator(batchGenerator).build();
        this.optimizer = config.optimizer().build(model.parameters(), config.lr());
        this.scheduler = config.schedule().build(optimizer, config.scheduleEpochs(), loader.size());
        this.lastLr = optimizer.paramGroups().get(0).lr();
        if (checkpoint == null) {
            startEpoch = 0;
            return;
        }
        if ((checkpoint.scheduler() == null) != (scheduler == null)) {
            throw new CommandException("the checkpoint in " + run + " does not match its config.json: the schedule "
                    + "is " + config.schedule() + " but the checkpoint " + (scheduler == null ? "has" : "has no")
                    + " scheduler state");
        }
        try {
            model.loadStateDict(checkpoint.model());
            optimizer.loadStateDict(checkpoint.optimizer());
            if (scheduler != null) {
                scheduler.loadStateDict(checkpoint.scheduler());
            }
        } catch (EmberException e) {
            throw new CommandException("the checkpoint in " + run + " does not fit the run's " + RunDirectory.CONFIG
                    + ": " + CommandException.firstLine(e.getMessage()), e);
        }
        Generator.defaultGenerator().setState(checkpoint.globalGenerator());
        batchGenerator.setState(checkpoint.batchGenerator());
        history.addAll(checkpoint.history());
        startEpoch = checkpoint.epoch();
        trainSeconds = checkpoint.trainingSeconds();
        if (!history.isEmpty()) {
            lastLr = history.get(history.size() - 1).lr();
        }
    }

    /** A new run: writes config.json and the metrics file's header. */
    public static Training start(RunConfig config, RunDirectory run, TrainingData data, Environment env) {
        Training t = new Training(config, run, data, env, null);
        run.writeConfig(config);
        run.write(() -> MetricsCsv.write(run.file(RunDirectory.METRICS), List.of()));
        return t;
    }

    /**
     * A run continued from its checkpoint: writes config.json (with the new number of epochs) and rewrites the
     * metrics file from the checkpoint's history.
     */
    public static Training resume(RunConfig config, RunDirectory run, TrainingData data, Environment env,
                                  TrainingCheckpoint checkpoint) {
        Training t = new Training(config, run, data, env, checkpoint);
        run.writeConfig(config);
        run.write(() -> MetricsCsv.write(run.file(RunDirectory.METRICS), t.history));
        return t;
    }

    /** The number of completed epochs. */
    public int completedEpochs() {
        return history.size();
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return model.parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** Trains the remaining epochs; returns early, after the last completed epoch, when the guard says stop. */
    public Outcome run() {
        InterruptGuard guard = env.guard();
        guard.setResumeHint(history.isEmpty()
                ? "ember train: interrupted before the first epoch was complete; nothing was saved to resume from"
                : resumeHint());
        for (int epoch = startEpoch + 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            double[] trained = trainEpoch(epoch);
            if (trained == null) {
                return Outcome.STOPPED;
            }
            double trainTime = (System.nanoTime() - start) / 1e9;
            Evaluation.Score test = Evaluation.of(model, data.test(), TEST_BATCH, config.classes());
            if (scheduler != null && !config.schedule().perBatch()) {
                scheduler.step();
            }
            EpochMetrics m = new EpochMetrics(epoch, trained[0], trained[1], test.loss(), test.accuracy(), lastLr,
                    (System.nanoTime() - start) / 1e9);
            history.add(m);
            trainSeconds += trainTime;
            try {
                guard.whileSaving(() -> save(m));
            } catch (RuntimeException e) {
                if (!guard.stopRequested()) {
                    throw e;
                }
                // The JVM is shutting down (Ctrl-C) and refused something (e.g. a library's shutdown hook while a
                // plot is drawn). The checkpoint file is replaced atomically and named in the resume hint only once
                // written, so the hint names a complete one.
                LOG.debug("epoch {}: saving after the checkpoint was cut short by the shutdown", epoch, e);
                return Outcome.STOPPED;
            }
            printEpoch(m);
            if (guard.stopRequested()) {
                return Outcome.STOPPED;
            }
        }
        return Outcome.COMPLETED;
    }

    /** Trains one epoch; returns its mean loss and accuracy, or null if a stop was requested. */
    private double[] trainEpoch(int epoch) {
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        String task = String.format(Locale.ROOT, "epoch %d/%d", epoch, config.epochs());
        try (EpochProgress bar = EpochProgress.start(task, data.train().size(), env);
             DataLoader.Epoch<TensorTuple> batches = loader.iterator()) {
            int batch = 0;
            while (batches.hasNext()) {
                if (env.guard().stopRequested()) {
                    return null;
                }
                TensorTuple b = batches.next();
                batch++;
                Tensor logits = model.forward(b.input());
                Tensor loss = lossFn.forward(logits, b.target());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                lastLr = optimizer.paramGroups().get(0).lr();
                if (scheduler != null && config.schedule().perBatch()) {
                    scheduler.step();
                }
                double value = loss.item();
                if (!Double.isFinite(value)) {
                    throw new CommandException(String.format(Locale.ROOT, "the loss became %s in epoch %d, batch %d: "
                            + "training diverged; try a smaller --lr than %s", value, epoch, batch,
                            MetricsCsv.compact(config.lr(), 3)));
                }
                int n = b.target().size(0);
                lossSum += value * n;
                correct += Evaluation.correct(logits, b.target());
                seen += n;
                bar.step(n, lossSum / seen, (double) correct / seen);
            }
        }
        return new double[] {lossSum / seen, (double) correct / seen};
    }

    /**
     * Writes the checkpoint (then names it in the resume hint), the model, the metrics row and the plots. Runs inside
     * the guard: Ctrl-C waits for all of it.
     */
    private void save(EpochMetrics m) {
        int epoch = m.epoch();
        run.write(() -> {
            new TrainingCheckpoint(epoch, model.stateDict(), optimizer.stateDict(),
                    scheduler == null ? null : scheduler.stateDict(), Generator.defaultGenerator().getState(),
                    batchGenerator.getState(), history, trainSeconds).save(run.file(TrainingCheckpoint.FILE));
            env.guard().setResumeHint(resumeHint());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("ember.model", config.model().cliName());
            meta.put("ember.dataset", config.dataset().cliName());
            meta.put("ember.epoch", Integer.toString(epoch));
            ModelFiles.save(model, run.file(RunDirectory.MODEL), meta);
            MetricsCsv.append(run.file(RunDirectory.METRICS), m);
            drawPlots();
        });
        LOG.debug("epoch {}: checkpoint, model, metrics and plots written to {}", epoch, run);
    }

    /**
     * Redraws the curves. A JVM that cannot draw (a headless runtime without fonts, say) gets one warning and no
     * plots, and training goes on: metrics.csv holds the same numbers.
     */
    private void drawPlots() {
        if (plotsFailed) {
            return;
        }
        try {
            TrainingPlots.write(run.path(), history, config.model() + " on " + config.dataset());
        } catch (CommandException | LinkageError | AWTError e) {
            if (env.guard().stopRequested()) {
                throw e;
            }
            plotsFailed = true;
            LOG.warn("cannot draw loss.png and accuracy.png, so the run goes on without them ({}); metrics.csv holds "
                    + "the same numbers", e.toString());
        }
    }

    private String resumeHint() {
        return "ember train: stopped; the checkpoint of epoch " + history.size() + " of " + config.epochs() + " in "
                + run + " is complete; continue with: ember train --resume " + run;
    }

    private void printEpoch(EpochMetrics m) {
        PrintStream out = env.out();
        out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | lr %s | "
                        + "%.1f s%n", m.epoch(), config.epochs(), m.trainLoss(), 100 * m.trainAccuracy(),
                m.testLoss(), 100 * m.testAccuracy(), MetricsCsv.compact(m.lr(), 3), m.seconds());
        out.flush();
    }

    /** Prints the final summary: test accuracy, time, throughput, parameters, files. */
    public void printSummary() {
        PrintStream out = env.out();
        if (history.isEmpty()) {
            out.println("no epoch completed");
            return;
        }
        EpochMetrics last = history.get(history.size() - 1);
        double total = history.stream().mapToDouble(EpochMetrics::seconds).sum();
        long samples = (long) history.size() * data.train().size();
        out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f) after %d epoch%s%s%n", 100 * last.testAccuracy(),
                last.testLoss(), last.epoch(), last.epoch() == 1 ? "" : "s",
                startEpoch > 0 ? " (resumed after epoch " + startEpoch + ")" : "");
        out.printf(Locale.ROOT, "time %.1f s (training %.1f s, %,.0f samples/s), %,d parameters%n", total,
                trainSeconds, samples / Math.max(trainSeconds, 1e-9), parameterCount());
        out.println("run directory " + run + ": " + RunDirectory.CONFIG + ", " + RunDirectory.MODEL + ", "
                + TrainingCheckpoint.FILE + ", " + RunDirectory.METRICS + ", " + TrainingPlots.LOSS + ", "
                + TrainingPlots.ACCURACY);
        out.flush();
    }
}
