package dev.ember.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ember.EmberException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The {@code ember} command: {@code train}, {@code eval}, {@code graph}, {@code examples}, {@code bench} and
 * {@code info} (picocli). Errors are one line on the error stream and a non-zero exit code ({@link ExitCodes}); with
 * {@code --verbose}, also the stack trace, and debug logging.
 *
 * <pre>{@code
 * int code = EmberCli.run(Environment.system(), "train", "--epochs", "5");
 * }</pre>
 * From a shell, the launcher at the project's root builds Ember on first use and runs this class:
 * {@code ./ember train --dataset fashion-mnist --model cnn}.
 */
@Command(name = "ember", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Ember: deep learning in pure Java, with PyTorch's autograd semantics.",
                "Trains and evaluates small networks, draws autograd graphs, runs the seed programs and the "
                        + "benchmarks."},
        commandListHeading = "%nCommands:%n", footer = {"", "Run 'ember COMMAND --help' for a command's options; "
        + "docs/COMMAND.md describes them all."})
public final class EmberCli implements Runnable {
    /** How long Ctrl-C waits for a checkpoint being written. */
    private static final Duration SAVE_WAIT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "on errors, print the stack trace; log at debug level")
    private boolean verbose;

    private EmberCli() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Environment system = Environment.system();
        Environment env = system.withGuard(InterruptGuard.onShutdown(SAVE_WAIT, system.err()));
        System.exit(run(env, args));
    }

    /** Runs the command line in the environment; returns the exit code. */
    public static int run(Environment env, String... args) {
        return commandLine(env).execute(args);
    }

    /** The command with its subcommands, output streams and error handling, ready to execute. */
    public static CommandLine commandLine(Environment env) {
        CommandLine cl = new CommandLine(new EmberCli());
        cl.addSubcommand(new TrainCommand(env));
        cl.addSubcommand(new EvalCommand(env));
        cl.addSubcommand(new GraphCommand(env));
        cl.addSubcommand(new ExamplesCommand(env));
        cl.addSubcommand(new BenchCommand(env));
        cl.addSubcommand(new InfoCommand(env));
        for (Class<? extends Enum<?>> type : List.of(ModelKind.class, DatasetKind.class, OptimizerKind.class,
                ScheduleKind.class, Precision.class, Backend.class)) {
            registerChoice(cl, type);
        }
        cl.setOut(new PrintWriter(env.out(), true));
        cl.setErr(new PrintWriter(env.err(), true));
        cl.setExecutionStrategy(parsed -> {
            Logger logger = emberLogger();
            Level before = logger == null ? null : logger.getLevel();
            if (logger != null && verbose(parsed)) {
                logger.setLevel(Level.DEBUG);
            }
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                if (logger != null) {
                    logger.setLevel(before);
                }
            }
        });
        cl.setParameterExceptionHandler(EmberCli::usageError);
        cl.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command, verbose(parsed)));
        return cl;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void registerChoice(CommandLine cl, Class<? extends Enum<?>> type) {
        Class raw = type;
        cl.registerConverter(raw, value -> {
            try {
                return Choice.parse(raw, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
    }

    /** With no command: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Ember's Logback logger, whose level --verbose lowers to DEBUG; null under another SLF4J backend. */
    private static Logger emberLogger() {
        return LoggerFactory.getLogger("dev.ember") instanceof Logger logger ? logger : null;
    }

    /** A wrong command line: its one-line reason, where to find help, exit code {@link ExitCodes#USAGE}. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String reason = CommandException.firstLine(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            reason += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        PrintWriter err = command.getErr();
        err.println(name + ": " + reason + " (see '" + name + " --help')");
        if (verboseIn(args)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static boolean verboseIn(String[] args) {
        return List.of(args).contains("--verbose");
    }

    /** A failed command: one line (the first of the message), exit code {@link ExitCodes#FAILURE}. */
    private static int failure(Exception e, CommandLine command, boolean verbose) {
        String name = command.getCommandSpec().qualifiedName();
        String message = e.getMessage() == null ? "" : e.getMessage();
        String line;
        if (e instanceof CommandException || e instanceof EmberException) {
            line = CommandException.firstLine(message);
        } else {
            line = "internal error: " + e.getClass().getName()
                    + (message.isEmpty() ? "" : ": " + CommandException.firstLine(message));
        }
        boolean more = !(e instanceof CommandException) && (message.lines().count() > 1
                || !(e instanceof EmberException));
        PrintWriter err = command.getErr();
        err.println(name + ": " + line + (more && !verbose ? " (--verbose shows more)" : ""));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }
}
