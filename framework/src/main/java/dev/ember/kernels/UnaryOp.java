package dev.ember.kernels;

/** Pointwise functions of one operand, evaluated in double precision and rounded to the result type. */
public enum UnaryOp {
    NEG { public double apply(double x) { return -x; } },
    EXP { public double apply(double x) { return Math.exp(x); } },
    LOG { public double apply(double x) { return Math.log(x); } },
    SQRT { public double apply(double x) { return Math.sqrt(x); } },
    ABS { public double apply(double x) { return Math.abs(x); } },
    /** -1, 0 or 1; 0 for NaN, as PyTorch's sign ((0 &lt; x) - (x &lt; 0)). */
    SIGN { public double apply(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; } },
    SIN { public double apply(double x) { return Math.sin(x); } },
    COS { public double apply(double x) { return Math.cos(x); } },
    TANH { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID { public double apply(double x) { return 1.0 / (1.0 + Math.exp(-x)); } },
    RELU { public double apply(double x) { return x > 0 ? x : (x == x ? 0.0 : x); } },
    /** 0 where x &lt;= 0, else 1 (also for NaN): the derivative mask of relu, PyTorch's threshold_backward. */
    POSITIVE { public double apply(double x) { return x <= 0 ? 0.0 : 1.0; } },
    RECIPROCAL { public double apply(double x) { return 1.0 / x; } },
    SQUARE { public double apply(double x) { return x * x; } },
    ISNAN { public double apply(double x) { return Double.isNaN(x) ? 1.0 : 0.0; } },
    ISFINITE { public double apply(double x) { return Double.isFinite(x) ? 1.0 : 0.0; } },
    LOGICAL_NOT { public double apply(double x) { return x == 0 ? 1.0 : 0.0; } };

    public abstract double apply(double x);
}
