package dev.ember.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that choose a network and the data set it learns from, shared by {@code ember train} and
 * {@code ember graph} (a picocli mixin: {@code @Mixin NetworkOptions network}).
 *
 * <pre>{@code
 * Module m = network.model().build(shape, network.dataset().classes(), network.hidden(commandLine));
 * }</pre>
 */
public final class NetworkOptions {
    @Option(names = "--model", paramLabel = "MODEL", description = "mlp, cnn or rnn (a GRU reading images row by "
            + "row) (default: ${DEFAULT-VALUE})")
    private ModelKind model = ModelKind.MLP;

    @Option(names = "--dataset", paramLabel = "DATA", description = "digits (embedded), fashion-mnist, mnist or "
            + "spirals (default: ${DEFAULT-VALUE})")
    private DatasetKind dataset = DatasetKind.DIGITS;

    @Option(names = "--hidden", paramLabel = "N", description = "width of the hidden layers (default: 128 for mlp "
            + "and cnn, 64 for rnn)")
    private Integer hidden;

    /** The network. */
    public ModelKind model() {
        return model;
    }

    /** The data set. */
    public DatasetKind dataset() {
        return dataset;
    }

    /**
     * The width of the hidden layers: {@code --hidden}, or the model's default.
     *
     * @throws ParameterException if {@code --hidden} is less than 1
     */
    public int hidden(CommandLine commandLine) {
        return hidden == null ? model.defaultHidden() : Counts.atLeastOne(commandLine, "--hidden", hidden);
    }
}
