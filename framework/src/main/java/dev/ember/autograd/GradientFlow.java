package dev.ember.autograd;

import dev.ember.EmberException;
import dev.ember.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A gradient-flow report: after {@code backward()}, one row per named parameter with its gradient's size, and flags
 * for the usual ways training silently fails (the seeds' debugging advice — "monitor gradient magnitudes across
 * layers" — as a tool).
 *
 * <pre>{@code
 * Ember.manualSeed(0);
 * Tensor w1 = Ember.randn(6, 3).requiresGrad_();
 * Tensor b1 = Ember.tensor(0.1, -100.0, 0.1, 0.1, 0.1, 0.1).requiresGrad_();   // unit 1 will never fire
 * Tensor w2 = Ember.randn(1, 6).requiresGrad_();
 * Tensor x = Ember.randn(16, 3);
 * x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).pow(2.0).mean().backward();
 *
 * Map<String, Tensor> params = new LinkedHashMap<>();   // insertion order = table order
 * params.put("fc1.weight", w1);
 * params.put("fc1.bias", b1);
 * params.put("fc2.weight", w2);
 * GradientFlow flow = GradientFlow.of(params);
 * System.out.println(flow);                             // fc1.weight ... DEAD UNITS 1/6 [1]
 * for (GradientFlow.Entry e : flow.flagged()) {
 *     System.out.println(e.name() + " " + e.flags() + " " + e.deadUnits());
 * }
 * }</pre>
 * }</pre>
 *
 * <p>Per parameter: shape, the gradient's L2 norm, mean and max of its absolute values, and the ratio of the
 * gradient's norm to the parameter's norm (how big a step of learning rate 1 would be, relative to the weights).
 * Flags ({@link Flag}):
 * <ul>
 *   <li>{@link Flag#MISSING}: the parameter requires grad but has no {@code .grad} — it is not connected to the loss,
 *       backward has not run, or the graph was cut by {@code detach()} or {@code noGrad()};</li>
 *   <li>{@link Flag#FROZEN}: it does not require grad, so no gradient is expected (not a problem);</li>
 *   <li>{@link Flag#VANISHING}: the gradient's norm is below {@link Options#vanishingThreshold()} (default 1e-7:
 *       below float32's resolution relative to weights of order 1, so an SGD step cannot change them) — typical
 *       of the first layers of a deep chain of saturating activations (sigmoid, tanh);</li>
 *   <li>{@link Flag#EXPLODING}: the norm is above {@link Options#explodingThreshold()} (default 1e3), or some element
 *       is NaN or infinite ({@link Entry#nonFinite()} counts them);</li>
 *   <li>{@link Flag#DEAD_UNITS}: for weights of two or more dimensions, output units (slices along dimension 0:
 *       the rows of a {@code [out, in]} weight) whose gradient is exactly zero everywhere — the mark of dead ReLUs,
 *       whose pre-activations are negative for every input of the batch. {@link Entry#deadUnits()} lists them.</li>
 * </ul>
 * A report is a snapshot: it copies the numbers when made and does not change afterwards.
 */
public final class GradientFlow {

    /**
     * What a report can say about one parameter.
     *
     * <pre>{@code
     * boolean dead = GradientFlow.of(params).entry("fc.weight").orElseThrow().has(GradientFlow.Flag.DEAD_UNITS);
     * }</pre>
     */
    public enum Flag {
        /** Requires grad but has no gradient. */
        MISSING("MISSING"),
        /** Does not require grad; informational. */
        FROZEN("FROZEN"),
        /** Gradient norm below the vanishing threshold. */
        VANISHING("VANISHING"),
        /** Gradient norm above the exploding threshold, or non-finite. */
        EXPLODING("EXPLODING"),
        /** Some output units have an exactly zero gradient. */
        DEAD_UNITS("DEAD UNITS");

        private final String label;

        Flag(String label) {
            this.label = label;
        }

        /** How the table prints it: {@code DEAD UNITS} for DEAD_UNITS, the constant's name otherwise. */
        public String label() {
            return label;
        }

        /** True for the flags that point at a problem (all but FROZEN). */
        public boolean isProblem() {
            return this != FROZEN;
        }
    }

    /**
     * Thresholds and switches of a report; {@link #defaults()} and the {@code with...} methods make variants.
     *
     * <pre>{@code
     * GradientFlow.Options opts = GradientFlow.Options.defaults()
     *         .withVanishingThreshold(1e-5)
     *         .withExplodingThreshold(10);
     * GradientFlow flow = GradientFlow.of(params, opts);
     * }</pre>
     *
     * @param vanishingThreshold a gradient norm below this (and finite) is flagged VANISHING; 0 turns it off
     * @param explodingThreshold a gradient norm above this, or a non-finite one, is flagged EXPLODING
     * @param detectDeadUnits    whether to look for output units with an all-zero gradient
     * @param maxIndicesShown    how many dead-unit indices {@link GradientFlow#toString()} prints before "..."
     *                           (the {@link Entry} always has all of them)
     */
    public record Options(double vanishingThreshold, double explodingThreshold, boolean detectDeadUnits,
                          int maxIndicesShown) {

        /** Checks the values: thresholds are non-negative numbers with vanishing below exploding. */
        public Options {
            if (!(vanishingThreshold >= 0) || Double.isInfinite(vanishingThreshold)) {
                throw new EmberException("GradientFlow.Options: vanishingThreshold must be a finite number >= 0, got "
                        + vanishingThreshold);
            }
            if (!(explodingThreshold > vanishingThreshold)) {
                throw new EmberException("GradientFlow.Options: explodingThreshold (" + explodingThreshold
                        + ") must be greater than vanishingThreshold (" + vanishingThreshold + ")");
            }
            if (maxIndicesShown < 0) {
                throw new EmberException("GradientFlow.Options: maxIndicesShown must be >= 0, got " + maxIndicesShown);
            }
        }

        /** Vanishing below 1e-7, exploding above 1e3, dead units detected, up to 10 indices printed. */
        public static Options defaults() {
            return new Options(1e-7, 1e3, true, 10);
        }

        /** These options with another vanishing threshold (0 turns the flag off). */
        public Options withVanishingThreshold(double threshold) {
            return new Options(threshold, explodingThreshold, detectDeadUnits, maxIndicesShown);
        }

        /** These options with another exploding threshold. */
        public Options withExplodingThreshold(double threshold) {
            return new Options(vanishingThreshold, threshold, detectDeadUnits, maxIndicesShown);
        }

        /** These options with dead-unit detection on or off. */
        public Options withDetectDeadUnits(boolean detect) {
            return new Options(vanishingThreshold, explodingThreshold, detect, maxIndicesShown);
        }

        /** These options printing at most count dead-unit indices per row. */
        public Options withMaxIndicesShown(int count) {
            return new Options(vanishingThreshold, explodingThreshold, detectDeadUnits, count);
        }
    }

    /**
     * One parameter's row. Statistics are NaN when there is no gradient (MISSING, FROZEN).
     *
     * <pre>{@code
     * GradientFlow.Entry e = GradientFlow.of(params).entries().get(0);
     * System.out.printf("%s %s norm=%.3g dead=%s%n", e.name(), e.shape(), e.gradNorm(), e.deadUnits());
     * }</pre>
     *
     * @param name       the parameter's name (the map key)
     * @param shape      the parameter's shape
     * @param gradNorm   L2 norm of the gradient (NaN or infinite if some element is)
     * @param meanAbs    mean of the gradient's absolute values
     * @param maxAbs     largest absolute value of the gradient
     * @param weightNorm L2 norm of the parameter itself (computed whether or not it has a gradient)
     * @param ratio      gradNorm / weightNorm (infinite for zero weights and a nonzero gradient, NaN without gradient)
     * @param nonFinite  how many gradient elements are NaN or infinite
     * @param units      how many output units were checked for DEAD_UNITS (size of dimension 0; 0 if not checked)
     * @param deadUnits  indices of the output units whose gradient is exactly zero, in increasing order
     * @param flags      the flags raised, in {@link Flag}'s order
     */
    public record Entry(String name, List<Integer> shape, double gradNorm, double meanAbs, double maxAbs,
                        double weightNorm, double ratio, long nonFinite, int units, List<Integer> deadUnits,
                        Set<Flag> flags) {

        /** Makes the lists and the set unmodifiable copies. */
        public Entry {
            shape = List.copyOf(shape);
            deadUnits = List.copyOf(deadUnits);
            flags = flags.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Flag.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        }

        /** True if the given flag was raised. */
        public boolean has(Flag flag) {
            return flags.contains(flag);
        }

        /** True if the parameter had a gradient. */
        public boolean hasGrad() {
            return !flags.contains(Flag.MISSING) && !flags.contains(Flag.FROZEN);
        }

        /** True if a problem flag (any but FROZEN) was raised. */
        public boolean hasProblem() {
            for (Flag f : flags) {
                if (f.isProblem()) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Entry> entries;
    private final Options options;

    private GradientFlow(List<Entry> entries, Options options) {
        this.entries = List.copyOf(entries);
        this.options = options;
    }

    /** The report for these parameters (in the map's order) with {@link Options#defaults()}. */
    public static GradientFlow of(Map<String, Tensor> namedParameters) {
        return of(namedParameters, Options.defaults());
    }

    /** The report for these parameters (in the map's order). */
    public static GradientFlow of(Map<String, Tensor> namedParameters, Options options) {
        if (namedParameters == null) {
            throw new EmberException("GradientFlow.of: namedParameters is null; pass a map from names to parameters "
                    + "(a LinkedHashMap keeps the order of the layers)");
        }
        Options opts = options == null ? Options.defaults() : options;
        List<Entry> rows = new ArrayList<>(namedParameters.size());
        for (Map.Entry<String, Tensor> e : namedParameters.entrySet()) {
            if (e.getKey() == null) {
                throw new EmberException("GradientFlow.of: a parameter has a null name; every parameter needs one");
            }
            if (e.getValue() == null) {
                throw new EmberException("GradientFlow.of: parameter \"" + e.getKey() + "\" is null; remove the entry "
                        + "or pass the tensor it stands for");
            }
            rows.add(analyse(e.getKey(), e.getValue(), opts));
        }
        return new GradientFlow(rows, opts);
    }

    private static Entry analyse(String name, Tensor p, Options opts) {
        List<Integer> shape = new ArrayList<>();
        for (int s : p.shape()) {
            shape.add(s);
        }
        double weightNorm = norm(p.toDoubleArray());
        Tensor g = p.grad();
        if (g == null) {
            Set<Flag> flags = EnumSet.of(p.requiresGrad() ? Flag.MISSING : Flag.FROZEN);
            return new Entry(name, shape, Double.NaN, Double.NaN, Double.NaN, weightNorm, Double.NaN, 0, 0,
                    List.of(), flags);
        }
        double[] v = g.toDoubleArray();
        long nonFinite = 0;
        double sumAbs = 0;
        double maxAbs = 0;
        boolean nan = false;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                nonFinite++;
                nan |= Double.isNaN(x);
            }
            double a = Math.abs(x);
            sumAbs += a;
            maxAbs = Math.max(maxAbs, a);
        }
        if (nan) {
            maxAbs = Double.NaN;
        }
        double gradNorm = norm(v);
        double meanAbs = v.length == 0 ? 0 : sumAbs / v.length;
        double ratio = weightNorm == 0 ? (gradNorm == 0 ? 0 : Double.POSITIVE_INFINITY) : gradNorm / weightNorm;
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        if (nonFinite > 0 || gradNorm > opts.explodingThreshold()) {
            flags.add(Flag.EXPLODING);
        } else if (gradNorm < opts.vanishingThreshold()) {
            flags.add(Flag.VANISHING);
        }
        int units = 0;
        List<Integer> dead = new ArrayList<>();
        int[] gs = g.shape();
        if (opts.detectDeadUnits() && gs.length >= 2 && gs[0] > 0 && v.length > 0) {
            units = gs[0];
            int per = v.length / units;
            for (int u = 0; u < units; u++) {
                boolean zero = true;
                for (int i = u * per, end = i + per; i < end; i++) {
                    if (v[i] != 0) {
                        zero = false;
                        break;
                    }
                }
                if (zero) {
                    dead.add(u);
                }
            }
            if (!dead.isEmpty()) {
                flags.add(Flag.DEAD_UNITS);
            }
        }
        return new Entry(name, shape, gradNorm, meanAbs, maxAbs, weightNorm, ratio, nonFinite, units, dead, flags);
    }

    /** L2 norm, scaled by the largest magnitude so that large finite values do not overflow; NaN/inf propagate. */
    private static double norm(double[] v) {
        double scale = 0;
        for (double x : v) {
            double a = Math.abs(x);
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            scale = Math.max(scale, a);
        }
        if (scale == 0 || Double.isInfinite(scale)) {
            return scale;
        }
        double sum = 0;
        for (double x : v) {
            double r = x / scale;
            sum += r * r;
        }
        return scale * Math.sqrt(sum);
    }

    /** The rows, in the order of the map the report was made from. */
    public List<Entry> entries() {
        return entries;
    }

    /** The row of the named parameter, if there is one. */
    public Optional<Entry> entry(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The rows with a problem flag (any but FROZEN), in order. */
    public List<Entry> flagged() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.hasProblem()) {
                out.add(e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** True if any row has a problem flag. */
    public boolean hasProblems() {
        return !flagged().isEmpty();
    }

    /** The options the report was made with. */
    public Options options() {
        return options;
    }

    /**
     * An aligned table: a summary line, a header, one line per parameter; numbers in {@code %.3e}, "-" where there
     * is no gradient; flags last, with the non-finite count and the dead units (count, total, first indices).
     */
    @Override
    public String toString() {
        String[] header = {"parameter", "shape", "grad norm", "mean |g|", "max |g|", "|g|/|w|", "flags"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (Entry e : entries) {
            rows.add(new String[] {e.name(), shapeText(e.shape()), num(e.gradNorm()), num(e.meanAbs()),
                    num(e.maxAbs()), num(e.ratio()), flagText(e)});
        }
        int cols = header.length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        int problems = flagged().size();
        sb.append(String.format(Locale.ROOT, "Gradient flow: %d parameter%s, %s (vanishing < %s, exploding > %s)\n",
                entries.size(), entries.size() == 1 ? "" : "s",
                problems == 0 ? "no problems" : problems + " flagged", shortNum(options.vanishingThreshold()),
                shortNum(options.explodingThreshold())));
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                boolean numeric = c >= 2 && c <= 5;
                if (c == cols - 1) {
                    line.append(r[c]);
                } else if (numeric) {
                    line.append(" ".repeat(width[c] - r[c].length())).append(r[c]);
                } else {
                    line.append(r[c]).append(" ".repeat(width[c] - r[c].length()));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private String flagText(Entry e) {
        List<String> parts = new ArrayList<>();
        for (Flag f : e.flags()) {
            switch (f) {
                case EXPLODING -> parts.add(e.nonFinite() > 0 ? "EXPLODING (" + e.nonFinite() + " non-finite)"
                        : "EXPLODING");
                case DEAD_UNITS -> {
                    List<Integer> d = e.deadUnits();
                    int shown = Math.min(d.size(), options.maxIndicesShown());
                    StringBuilder s = new StringBuilder("DEAD UNITS ").append(d.size()).append('/').append(e.units());
                    if (shown > 0) {
                        s.append(' ').append(d.subList(0, shown).toString());
                        if (shown < d.size()) {
                            s.setLength(s.length() - 1);
                            s.append(", ...]");
                        }
                    }
                    parts.add(s.toString());
                }
                default -> parts.add(f.label());
            }
        }
        return String.join(", ", parts);
    }

    private static String shapeText(List<Integer> shape) {
        return shape.toString();
    }

    private static String num(double x) {
        if (Double.isNaN(x)) {
            return "-";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.3e", x);
    }

    private static String shortNum(double x) {
        return String.format(Locale.ROOT, "%.0e", x);
    }
}
