package dev.ember.tests.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.examples.Demo;
import dev.ember.examples.seeds.SeedProgram;
import dev.ember.examples.seeds.SeedPrograms;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The demo runs every seed program under its header, in order, and ends with the backend. */
class DemoTest {

    @Test
    void runsEveryProgramUnderItsHeaderThenPrintsTheBackend() {
        List<String> lines = SeedOutput.lines(SeedOutput.capture(Demo::run));
        List<SeedProgram> programs = SeedPrograms.all();
        assertEquals(34, programs.size());
        int at = 0;
        for (int i = 0; i < programs.size(); i++) {
            SeedProgram p = programs.get(i);
            assertEquals("=== [" + (i + 1) + "/" + programs.size() + "] " + p.name() + " (" + p.source() + ")",
                    lines.get(at++));
            List<String> own = SeedOutput.lines(SeedOutput.capture(p::run));
            assertEquals(own, lines.subList(at, at + own.size()), p.name());
            at += own.size();
            assertEquals("", lines.get(at++), "a blank line after " + p.name());
        }
        assertEquals(at + 1, lines.size(), "one line after the programs");
        assertTrue(lines.get(at).startsWith("Backend: CPU") || lines.get(at).startsWith("Backend: CUDA"),
                lines.get(at));
    }

    @Test
    void everyProgramIsAClassOfTheSeedsPackageWithRunAndMain() throws ReflectiveOperationException {
        for (SeedProgram p : SeedPrograms.all()) {
            Class<?> c = Class.forName("dev.ember.examples.seeds." + p.name());
            c.getMethod("run", java.io.PrintStream.class);
            c.getMethod("main", String[].class);
            assertTrue(p.source().startsWith("seed 00"), p.source());
        }
    }
}
