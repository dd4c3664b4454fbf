package dev.ember.examples.bench;

import dev.ember.examples.bench.Timer.Measurement;

/**
 * One line of {@link MicroBench}'s table: Ember's and raw ND4J's time per call (nd4j is null when there is no
 * counterpart), their ratio, the spread of the samples (slowest over fastest, the worse of the two) and a note.
 */
record Row(String op, Measurement ember, Measurement nd4j, String note) {
    private static final String FORMAT = "%-44s %12s %12s %8s %7s  %s";

    static String header() {
        return String.format(FORMAT, "op", "Ember µs/op", "ND4J µs/op", "ratio", "spread", "note");
    }

    String format() {
        double spread = nd4j == null ? ember.spread() : Math.max(ember.spread(), nd4j.spread());
        return String.format(FORMAT, op, micros(ember), micros(nd4j),
                nd4j == null ? "—" : String.format("%.3f", ember.median() / nd4j.median()),
                Double.isNaN(spread) ? "—" : String.format("%.2f", spread), note).stripTrailing();
    }

    private static String micros(Measurement m) {
        return m == null ? "—" : m.median() < 10 ? String.format("%.3f", m.median())
                : String.format("%.1f", m.median());
    }
}
