package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.graph.DotOptions;
import dev.ember.autograd.graph.GraphExport;
import dev.ember.autograd.graph.Graphviz;
import dev.ember.data.SupervisedData;
import dev.ember.io.AtomicFiles;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ember graph}: the autograd graph of one training step, as DOT and, with Graphviz, as an image. */
@Command(name = "graph", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Draw the autograd graph of one training step (DOT, and PNG or SVG with Graphviz).",
        description = {"Writes the autograd graph of one training step (the loss of one batch, as torchviz draws it: "
                + "ops, parameters by name, the loss) as Graphviz DOT, and renders it as PNG or SVG when Graphviz's "
                + "dot program is installed."})
public final class GraphCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    @Option(names = "--batch-size", paramLabel = "N", description = "samples in the batch (default: "
            + "${DEFAULT-VALUE})")
    private int batchSize = 4;

    @Option(names = "--show-saved", description = "also draw the tensors each op saved for the backward pass")
    private boolean showSaved;

    @Option(names = "--out", paramLabel = "FILE", description = "the DOT file (default: ${DEFAULT-VALUE}); the image "
            + "goes beside it")
    private Path out = Path.of("graph.dot");

    @Option(names = "--format", paramLabel = "FORMAT", description = "png or svg: the image's format (default: "
            + "${DEFAULT-VALUE})")
    private String format = "png";

    @Mixin
    private DataOptions data = new DataOptions();

    /** The command, reading and writing through env. */
    public GraphCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Graphviz.Format image = switch (format.toLowerCase(Locale.ROOT)) {
            case "png" -> Graphviz.Format.PNG;
            case "svg" -> Graphviz.Format.SVG;
            default -> throw new ParameterException(spec.commandLine(), "--format must be png or svg, got '"
                    + format + "'");
        };
        Counts.atLeastOne(spec.commandLine(), "--batch-size", batchSize);
        ModelKind model = network.model();
        DatasetKind dataset = network.dataset();
        int hidden = network.hidden(spec.commandLine());
        Path dotFile = env.resolve(out);
        if (dotFile.getParent() != null && !Files.isDirectory(dotFile.getParent())) {
            throw new CommandException("cannot write " + dotFile + ": the directory " + dotFile.getParent()
                    + " does not exist");
        }
        SupervisedData first = TrainingData.first(TrainingData.load(dataset, data.dataDir(env), null, null, env,
                data.download()).train(), batchSize, "--batch-size", dataset);
        List<Integer> shape = TrainingData.sampleShape(first);
        model.checkInput(shape, dataset);
        double[] meanStd = TrainingData.meanAndStd(first.inputs());
        SupervisedData batch = TrainingData.standardize(first, meanStd[0], meanStd[1], Precision.FLOAT32);
        Ember.manualSeed(0);
        Module net = model.build(shape, dataset.classes(), hidden);
        Tensor loss = new CrossEntropyLoss().forward(net.forward(batch.inputs()), batch.targets()).setName("loss");
        String dot = GraphExport.toDot(loss, DotOptions.defaults().withParams(net.namedParameters())
                .withShowSaved(showSaved));
        try {
            AtomicFiles.write(dotFile, "graph", dot.getBytes(StandardCharsets.UTF_8));
        } catch (EmberException e) {
            throw new CommandException(CommandException.firstLine(e.getMessage()), e);
        }
        long nodes = dot.lines().filter(l -> l.contains("[label=") && !l.contains("->")).count();
        env.out().printf(Locale.ROOT, "%s on %s, a batch of %d: a graph of %d nodes; wrote %s%n", model, dataset,
                batchSize, nodes, dotFile);
        Graphviz graphviz = env.graphviz().get();
        String name = dotFile.getFileName().toString();
        Path imageFile = dotFile.resolveSibling((name.endsWith(".dot") ? name.substring(0, name.length() - 4) : name)
                + "." + image.extension());
        if (graphviz.isAvailable()) {
            try {
                graphviz.render(dot, image, imageFile);
            } catch (EmberException e) {
                throw new CommandException("Graphviz could not render " + imageFile + ": "
                        + CommandException.firstLine(e.getMessage()), e);
            }
            env.out().println("rendered " + imageFile + " with " + graphviz.executable());
        } else {
            env.out().println("Graphviz's dot program was not found, so no " + image.extension() + " was drawn; "
                    + "install it (apt-get install graphviz, brew install graphviz) or render " + name + " elsewhere");
        }
        env.out().flush();
        return ExitCodes.OK;
    }
}
