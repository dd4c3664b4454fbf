package dev.ember.autograd;

import dev.ember.AutogradException;

/**
 * A failed {@link GradCheck}: the analytic derivatives of a function disagree with its finite differences. The
 * message lists the mismatching elements; {@link #report()} has them as data.
 *
 * <pre>{@code
 * try {
 *     GradCheck.gradcheck(f, inputs);
 * } catch (GradCheckException e) {
 *     GradCheck.Mismatch m = e.report().mismatches().get(0);
 *     System.err.println("input " + m.input() + " element " + java.util.Arrays.toString(m.inputElement()));
 * }
 * }</pre>
 */
public final class GradCheckException extends AutogradException {
    private final transient GradCheck.Report report;

    public GradCheckException(GradCheck.Report report) {
        super(report.message());
        this.report = report;
    }

    /** What was checked and every mismatch found. */
    public GradCheck.Report report() {
        return report;
    }
}
