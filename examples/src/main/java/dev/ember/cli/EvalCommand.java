package dev.ember.cli;

import dev.ember.EmberException;
import dev.ember.data.SupervisedData;
import dev.ember.io.SafeTensors;
import dev.ember.nn.ModelFiles;
import dev.ember.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ember eval}: evaluates the model saved in a run directory on a data set. */
@Command(name = "eval", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Evaluate the model of a training run on a data set.",
        description = "Evaluates the model of a run (its model.safetensors, rebuilt from its config.json) on a data "
                + "set: the mean loss and the accuracy, overall and per class.")
public final class EvalCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory, e.g. runs/2025-01-31_14-05-09")
    private Path runDir;

    @Option(names = "--dataset", paramLabel = "DATA", description = "the data set (default: the run's); its samples "
            + "must have the run's shape and classes")
    private DatasetKind dataset;

    @Option(names = "--split", paramLabel = "SPLIT", description = "test or train (default: ${DEFAULT-VALUE})")
    private String split = "test";

    @Option(names = "--samples", paramLabel = "N", description = "evaluate the first N samples only")
    private Integer samples;

    @Option(names = "--batch-size", paramLabel = "N", description = "samples per batch (default: ${DEFAULT-VALUE})")
    private int batchSize = Training.TEST_BATCH;

    @Mixin
    private DataOptions data = new DataOptions();

    /** The command, reading and writing through env. */
    public EvalCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        boolean train = switch (split) {
            case "test" -> false;
            case "train" -> true;
            default -> throw new ParameterException(spec.commandLine(), "--split must be test or train, got '"
                    + split + "'");
        };
        Counts.atLeastOne(spec.commandLine(), "--batch-size", batchSize);
        Counts.atLeastOne(spec.commandLine(), "--samples", samples);
        RunDirectory run = RunDirectory.open(env.resolve(runDir), env.display(env.resolve(runDir)));
        RunConfig config = run.readConfig();
        DatasetKind set = dataset != null ? dataset : config.dataset();
        SupervisedData.TrainTest parts = TrainingData.load(set, data.dataDir(env, config), null, null, env,
                data.download());
        SupervisedData raw = TrainingData.first(train ? parts.train() : parts.test(), samples, "--samples", set);
        if (!TrainingData.sampleShape(raw).equals(config.sampleShape()) || set.classes() != config.classes()) {
            throw new CommandException("the model of " + run + " takes samples of shape " + config.sampleShape()
                    + " in " + config.classes() + " classes, but " + set + " has " + TrainingData.sampleShape(raw)
                    + " in " + set.classes() + " classes");
        }
        Module model = loadModel(run, config);
        SupervisedData ready = TrainingData.standardize(raw, config.inputMean(), config.inputStd(), config.dtype());
        long start = System.nanoTime();
        Evaluation.Score score = Evaluation.of(model, ready, batchSize, config.classes());
        double seconds = (System.nanoTime() - start) / 1e9;
        String epoch = SafeTensors.readHeader(run.file(RunDirectory.MODEL)).metadata().getOrDefault("ember.epoch",
                "?");
        env.out().printf(Locale.ROOT, "%s of %s (epoch %s) on %s, %s split: %,d samples%n", config.model(), run, epoch,
                set, split, score.samples());
        env.out().printf(Locale.ROOT, "loss %.4f, accuracy %.2f%% (%d correct), %.2f s%n", score.loss(),
                100 * score.accuracy(), Arrays.stream(score.correct()).sum(), seconds);
        List<String> names = set.classNames();
        StringBuilder perClass = new StringBuilder("per class:");
        for (int c = 0; c < config.classes(); c++) {
            double accuracy = score.classAccuracy(c);
            perClass.append(c == 0 ? " " : ", ").append(names.get(c)).append(' ').append(Double.isNaN(accuracy)
                    ? "(no samples)" : String.format(Locale.ROOT, "%.1f%%", 100 * accuracy));
        }
        env.out().println(perClass);
        env.out().flush();
        return ExitCodes.OK;
    }

    /** The run's model, rebuilt from its configuration, with the weights of model.safetensors. */
    static Module loadModel(RunDirectory run, RunConfig config) {
        Module model = config.model().build(config.sampleShape(), config.classes(), config.hidden());
        model.to(config.dtype().dtype());
        Path file = run.file(RunDirectory.MODEL);
        try {
            ModelFiles.load(model, file);
        } catch (EmberException e) {
            throw new CommandException("cannot load the model " + file + ": "
                    + CommandException.reason(e.getMessage(), file), e);
        }
        return model;
    }
}
