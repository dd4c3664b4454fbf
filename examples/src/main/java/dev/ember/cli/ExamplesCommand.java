package dev.ember.cli;

import dev.ember.examples.Demo;
import dev.ember.examples.seeds.SeedProgram;
import dev.ember.examples.seeds.SeedPrograms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ember examples}: lists and runs the seed programs. */
@Command(name = "examples", sortOptions = false, mixinStandardHelpOptions = true,
        header = "List or run the seed programs (the autograd lessons).",
        description = {"Lists the seed programs (the autograd lessons of the seed documents, each a class of "
                + "dev.ember.examples.seeds that reads like its Python and prints the same numbers), or runs "
                + "the ones named."})
public final class ExamplesCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "programs to run, by name (case does not matter)")
    private List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "run every program, in lesson order")
    private boolean all;

    /** The command, reading and writing through env. */
    public ExamplesCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (all && !names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all runs every program: give either --all or the "
                    + "names of the programs to run, not both");
        }
        PrintStream out = env.out();
        if (all) {
            Demo.run(out);
        } else if (names.isEmpty()) {
            List<SeedProgram> programs = SeedPrograms.all();
            int width = programs.stream().mapToInt(p -> p.name().length()).max().orElse(0);
            out.println(programs.size() + " seed programs (run one with: ember examples NAME; all: ember examples "
                    + "--all):");
            for (SeedProgram p : programs) {
                out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", p.name(), p.source());
            }
        } else {
            List<SeedProgram> chosen = names.stream().map(ExamplesCommand::find).toList();
            if (chosen.size() == 1) {
                chosen.get(0).run(out);
            } else {
                Demo.run(out, chosen);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static SeedProgram find(String name) {
        List<SeedProgram> programs = SeedPrograms.all();
        for (SeedProgram p : programs) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        List<String> close = programs.stream().map(SeedProgram::name)
                .filter(n -> n.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))).toList();
        throw new CommandException("there is no seed program named '" + name + "'"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                + " ('ember examples' lists them)");
    }
}
