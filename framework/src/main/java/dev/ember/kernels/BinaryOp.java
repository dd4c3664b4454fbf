package dev.ember.kernels;

/** Pointwise functions of two operands, evaluated in double precision and rounded to the result type. */
public enum BinaryOp {
    ADD { public double apply(double x, double y) { return x + y; } },
    SUB { public double apply(double x, double y) { return x - y; } },
    MUL { public double apply(double x, double y) { return x * y; } },
    DIV { public double apply(double x, double y) { return x / y; } },
    POW { public double apply(double x, double y) { return y == 2.0 ? x * x : Math.pow(x, y); } },
    /** PyTorch's maximum: NaN if either operand is NaN. */
    MAXIMUM { public double apply(double x, double y) { return x != x || y != y ? Double.NaN : Math.max(x, y); } },
    MINIMUM { public double apply(double x, double y) { return x != x || y != y ? Double.NaN : Math.min(x, y); } },
    /** PyTorch's leaky_relu, with the negative slope as the second operand (a scalar): x if x &gt; 0, else x y. */
    LEAKY_RELU { public double apply(double x, double y) { return x > 0 ? x : x * y; } },
    /** PyTorch's elu, with alpha as the second operand (a scalar): x if x &gt; 0, else y (e^x - 1). */
    ELU { public double apply(double x, double y) { return x > 0 ? x : y * Math.expm1(x); } },
    EQ { public double apply(double x, double y) { return x == y ? 1.0 : 0.0; } },
    NE { public double apply(double x, double y) { return x != y ? 1.0 : 0.0; } },
    LT { public double apply(double x, double y) { return x < y ? 1.0 : 0.0; } },
    LE { public double apply(double x, double y) { return x <= y ? 1.0 : 0.0; } },
    GT { public double apply(double x, double y) { return x > y ? 1.0 : 0.0; } },
    GE { public double apply(double x, double y) { return x >= y ? 1.0 : 0.0; } },
    LOGICAL_AND { public double apply(double x, double y) { return x != 0 && y != 0 ? 1.0 : 0.0; } };

    public abstract double apply(double x, double y);

    /** True for the comparisons, whose result type is BOOL (they are declared last, from EQ on). */
    public boolean isComparison() {
        return this.ordinal() >= EQ.ordinal();
    }
}
