package dev.ember.cli;

import dev.ember.data.SupervisedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ember train}: trains a network on a data set, with a progress bar, metrics, plots and checkpoints. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Train a network, with progress bars, metrics, plots and checkpoints.",
        description = {"Trains a network on a data set. Each epoch shows a progress bar and then writes into the run "
                + "directory: checkpoint.safetensors (to resume), model.safetensors, metrics.csv, loss.png and "
                + "accuracy.png.", "",
                "With no options: an MLP on the embedded UCI digits (about 98%% test accuracy in a few seconds)."})
public final class TrainCommand implements Callable<Integer> {
    /** The options that a resumed run takes from its config.json and that may not be given again. */
    private static final List<String> FIXED_BY_RUN = List.of("--model", "--dataset", "--batch-size", "--optimizer",
            "--lr", "--schedule", "--seed", "--dtype", "--backend", "--hidden", "--train-samples", "--test-samples",
            "--out");

    private final Environment env;

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    @Option(names = "--epochs", paramLabel = "N", description = "epochs to train (default: 20 for digits, 2 for "
            + "fashion-mnist and mnist, 100 for spirals); with --resume, the new total")
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "samples per batch (default: ${DEFAULT-VALUE})")
    private int batchSize = 64;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "sgd (momentum 0.9), adam, adamw, rmsprop or "
            + "adagrad (default: ${DEFAULT-VALUE})")
    private OptimizerKind optimizer = OptimizerKind.ADAM;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: 0.05 for sgd, 0.01 for "
            + "adagrad, 0.001 for the others); the peak rate with onecycle")
    private Double lr;

    @Option(names = "--schedule", paramLabel = "SCHEDULE", description = "none, step (x0.1 after each third of "
            + "the epochs), cosine or onecycle (default: ${DEFAULT-VALUE})")
    private ScheduleKind schedule = ScheduleKind.NONE;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the initial weights and of the batches' "
            + "order (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--dtype", paramLabel = "TYPE", description = "float32 or float64 (default: ${DEFAULT-VALUE})")
    private Precision dtype = Precision.FLOAT32;

    @Option(names = "--backend", paramLabel = "BACKEND", description = "cpu or cuda; cuda needs a build with the "
            + "cuda profile (default: the build's backend)")
    private Backend backend;

    @Option(names = "--train-samples", paramLabel = "N", description = "train on the first N training samples only")
    private Integer trainSamples;

    @Option(names = "--test-samples", paramLabel = "N", description = "test on the first N test samples only")
    private Integer testSamples;

    @Mixin
    private DataOptions data = new DataOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/<date>_<time> in the "
            + "current directory)")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the run in DIR from its last completed "
            + "epoch, as configured there")
    private Path resume;

    /** The command, reading and writing through env. */
    public TrainCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        checkOptions();
        Training training = resume != null ? resumed() : fresh();
        Training.Outcome outcome = null;
        try {
            outcome = training.run();
        } finally {
            if (outcome != Training.Outcome.STOPPED) {
                env.guard().setResumeHint(null);   // nothing to say on Ctrl-C after this point
            }
        }
        if (outcome == Training.Outcome.STOPPED) {
            env.guard().reportStop(env.err());
            return ExitCodes.INTERRUPTED;
        }
        training.printSummary();
        return ExitCodes.OK;
    }

    /** A new run, configured by the options; its directory is created once the data and the model fit. */
    private Training fresh() {
        Backend chosen = backend != null ? backend : Backend.ofBuild();
        chosen.check();
        ModelKind model = network.model();
        DatasetKind dataset = network.dataset();
        Path dataDir = data.dataDir(env);
        SupervisedData.TrainTest raw = TrainingData.load(dataset, dataDir, trainSamples, testSamples, env,
                data.download());
        List<Integer> shape = TrainingData.sampleShape(raw.train());
        model.checkInput(shape, dataset);
        double[] meanStd = TrainingData.meanAndStd(raw.train().inputs());
        int total = epochs != null ? epochs : dataset.defaultEpochs();
        RunConfig config = new RunConfig(Versions.ember(), model, dataset, dataDir == null ? null
                : dataDir.toString(), trainSamples, testSamples, total, total, batchSize, optimizer, lr != null ? lr
                : optimizer.defaultLr(), schedule, seed, dtype, chosen, network.hidden(spec.commandLine()), shape,
                dataset.classes(), meanStd[0], meanStd[1]);
        TrainingData prepared = TrainingData.prepare(raw, meanStd[0], meanStd[1], dtype);
        Path dir = out != null ? env.resolve(out) : RunDirectory.defaultPath(env.workDir(), LocalDateTime.now());
        RunDirectory run = RunDirectory.create(dir, env.display(dir));
        Training training = Training.start(config, run, prepared, env);
        printHeader(config, run, prepared, training);
        return training;
    }

    /** The run in the --resume directory, from its checkpoint, with a new total of epochs if given. */
    private Training resumed() {
        RunDirectory run = RunDirectory.open(env.resolve(resume), env.display(env.resolve(resume)));
        RunConfig saved = run.readConfig();
        TrainingCheckpoint checkpoint = TrainingCheckpoint.load(run.file(TrainingCheckpoint.FILE));
        RunConfig config = epochs == null ? saved : saved.withEpochs(epochs);
        checkResumable(config, checkpoint);
        config.backend().check();
        SupervisedData.TrainTest raw = TrainingData.load(config.dataset(), data.dataDir(env, config),
                config.trainSamples(), config.testSamples(), env, data.download());
        TrainingData prepared = TrainingData.prepare(raw, config.inputMean(), config.inputStd(), config.dtype());
        Training training = Training.resume(config, run, prepared, env, checkpoint);
        printHeader(config, run, prepared, training);
        return training;
    }

    private void checkOptions() {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (resume != null) {
            for (String option : FIXED_BY_RUN) {
                if (parsed.hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " cannot be combined with --resume: a "
                            + "resumed run keeps its configuration (only --epochs, --data-dir and --download may be "
                            + "given)");
                }
            }
        }
        network.hidden(spec.commandLine());   // checks --hidden
        Counts.atLeastOne(spec.commandLine(), "--epochs", epochs);
        Counts.atLeastOne(spec.commandLine(), "--batch-size", batchSize);
        Counts.atLeastOne(spec.commandLine(), "--train-samples", trainSamples);
        Counts.atLeastOne(spec.commandLine(), "--test-samples", testSamples);
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, got " + lr);
        }
    }

    private void checkResumable(RunConfig config, TrainingCheckpoint checkpoint) {
        if (config.epochs() < checkpoint.epoch()) {
            throw new CommandException("--epochs " + config.epochs() + " is fewer than the " + checkpoint.epoch()
                    + " epochs the run in " + resume + " has already completed");
        }
        if (config.epochs() > config.schedule().lastEpoch(config.scheduleEpochs())) {
            throw new CommandException("the " + config.schedule() + " schedule of this run ends after epoch "
                    + config.scheduleEpochs() + "; it cannot train longer (start a new run with --epochs "
                    + config.epochs() + ")");
        }
    }

    private void printHeader(RunConfig c, RunDirectory run, TrainingData data, Training training) {
        PrintStream o = env.out();
        o.printf(Locale.ROOT, "%s on %s: %,d training and %,d test samples of shape %s, %d classes%n", c.model(),
                c.dataset(), data.train().size(), data.test().size(), c.sampleShape(), c.classes());
        o.printf(Locale.ROOT, "%s lr %s, schedule %s, batch size %d, %d epochs, seed %d, %s on %s, %,d parameters%n",
                c.optimizer(), MetricsCsv.compact(c.lr(), 6), c.schedule(), c.batchSize(), c.epochs(), c.seed(),
                c.dtype(), c.backend().name(), training.parameterCount());
        o.println((training.completedEpochs() > 0 ? "resuming after epoch " + training.completedEpochs() + " in "
                : "run directory ") + run);
        o.flush();
    }
}
