package dev.ember.cli;

import dev.ember.DType;

/**
 * The floating-point type of a run's parameters and inputs ({@code ember train --dtype}).
 *
 * <pre>{@code
 * model.to(Precision.FLOAT64.dtype());
 * }</pre>
 */
public enum Precision implements Choice {
    FLOAT32(DType.FLOAT32),
    FLOAT64(DType.FLOAT64);

    private final DType dtype;

    Precision(DType dtype) {
        this.dtype = dtype;
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** Ember's dtype. */
    public DType dtype() {
        return dtype;
    }
}
