package dev.ember.examples.bench;

/**
 * One line of {@link MicroBench}'s table: Ember's and raw ND4J's time per call in microseconds (NaN when there is
 * no counterpart) and a note.
 */
record Row(String op, double emberMicros, double nd4jMicros, String note) {
    static Row of(String op, double emberMicros, double nd4jMicros) {
        return new Row(op, emberMicros, nd4jMicros, "");
    }

    String format() {
        return String.format("%-44s %12s %12s %8s  %s", op, micros(emberMicros), micros(nd4jMicros),
                Double.isNaN(emberMicros) || Double.isNaN(nd4jMicros) ? "—"
                        : String.format("%.2f", emberMicros / nd4jMicros), note).stripTrailing();
    }

    static String header() {
        return String.format("%-44s %12s %12s %8s  %s", "op", "Ember µs/op", "ND4J µs/op", "ratio", "note");
    }

    private static String micros(double us) {
        return Double.isNaN(us) ? "—" : us < 10 ? String.format("%.3f", us) : String.format("%.1f", us);
    }
}
