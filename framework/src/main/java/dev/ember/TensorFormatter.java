package dev.ember;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders tensors exactly as PyTorch 1.13's {@code repr} does ({@code torch/_tensor_str.py}), with Java spelling
 * for the suffixes ({@code requires_grad=true}, {@code dtype=float64}).
 *
 * <pre>{@code
 * TensorFormatter.format(new double[] {3, 4}, new int[] {2}, DType.FLOAT32, "requires_grad=true");
 * // tensor([3., 4.], requires_grad=true)
 * TensorFormatter.format(new double[] {1e-5, 1e3}, new int[] {2}, DType.FLOAT64, null);
 * // tensor([1.0000e-05, 1.0000e+03], dtype=float64)
 * TensorFormatter.format(new double[] {11}, new int[0], DType.FLOAT32, "grad_fn=<SumBackward>");
 * // tensor(11., grad_fn=<SumBackward>)
 * }</pre>
 *
 * <p>The rules, as in PyTorch with its default print options (precision 4, threshold 1000, edgeitems 3,
 * linewidth 80):
 * <ul>
 *   <li>Floating tensors: the mode is chosen from the non-zero finite values only. If all of them are integral the
 *       tensor is printed in "int mode" ({@code 3.}); scientific notation ({@code 1.0000e-05}) is used when
 *       max/min of their absolute values exceeds 1000 or the max exceeds 1e8, or (not in int mode) the min is
 *       below 1e-4; otherwise fixed notation with 4 decimals. Numbers are rounded like Python's
 *       {@code format} (correctly rounded from the exact binary value, ties to even); float32 values are
 *       formatted from their exact widening to double, as PyTorch does through Python floats.</li>
 *   <li>The element width is the widest formatted non-zero finite value (any value for int64/bool); every element
 *       is right-aligned to it (elements that are wider, such as {@code nan} or {@code -0.} in some cases, are not
 *       truncated).</li>
 *   <li>Rows are nested with {@code ,\n} (one blank line more per extra dimension) and indented under the first
 *       {@code [}; a row of elements wraps so that a line stays within 80 columns.</li>
 *   <li>More than 1000 elements: each dimension longer than 6 is summarized to its first and last 3 entries around
 *       {@code ...}; the formatter then only looks at the printed values.</li>
 *   <li>Suffixes: {@code size=(...)} for an empty tensor that is not 1-d; {@code dtype=...} when the dtype is not
 *       float32/int64/bool (for an empty tensor: whenever it is not float32); then the autograd suffix. A suffix
 *       moves to a new line, indented by 7, when it would make the last line longer than 80 columns.</li>
 * </ul>
 */
public final class TensorFormatter {

    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";
    /** PyTorch writes {@code torch.float64} where Ember writes {@code float64}; line breaks follow PyTorch. */
    private static final int TORCH_DTYPE_PREFIX_LENGTH = "torch.".length();

    TensorFormatter() {
    }

    /**
     * Formats a tensor.
     *
     * @param values the elements in row-major order, widened to double (bool: 0 or 1)
     * @param shape  the shape; empty for a 0-d tensor
     * @param dtype  the element type
     * @param suffix the autograd suffix ({@code requires_grad=true}, {@code grad_fn=<SumBackward>}) or null
     * @return the PyTorch-style representation, e.g. {@code tensor([ 1.5410, -0.2934], requires_grad=true)}
     */
    public static String format(double[] values, int[] shape, DType dtype, String suffix) {
        long numel = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            numel *= d;
        }
        if (numel != values.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " needs " + numel
                    + " values, got " + values.length);
        }
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        List<Integer> torchLengths = new ArrayList<>();
        String body;
        if (numel == 0) {
            body = "[]";
            if (shape.length != 1) {
                addSuffix(suffixes, torchLengths, "size=" + shapeString(shape), 0);
            }
            if (dtype != DType.FLOAT32) {
                addSuffix(suffixes, torchLengths, "dtype=" + dtype.label(), TORCH_DTYPE_PREFIX_LENGTH);
            }
        } else {
            if (dtype == DType.FLOAT64) {
                addSuffix(suffixes, torchLengths, "dtype=" + dtype.label(), TORCH_DTYPE_PREFIX_LENGTH);
            }
            boolean summarize = numel > THRESHOLD;
            int[] strides = strides(shape);
            Formatter formatter = new Formatter(dtype, summarize ? summarizedValues(values, shape, strides) : values);
            StringBuilder sb = new StringBuilder();
            tensorStr(sb, values, shape, strides, 0, 0, indent, summarize, formatter);
            body = sb.toString();
        }
        if (suffix != null) {
            addSuffix(suffixes, torchLengths, suffix, 0);
        }
        return addSuffixes(PREFIX + body, suffixes, torchLengths, indent);
    }

    private static void addSuffix(List<String> suffixes, List<Integer> lengths, String s, int extra) {
        suffixes.add(s);
        lengths.add(s.length() + extra);
    }

    /** PyTorch's {@code _add_suffixes}, including its off-by-two count of the last line's length. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, List<Integer> lengths, int indent) {
        StringBuilder sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (int i = 0; i < suffixes.size(); i++) {
            int suffixLen = lengths.get(i);
            if (lastLineLen + suffixLen + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffixes.get(i));
                lastLineLen = indent + suffixLen;
            } else {
                sb.append(", ").append(suffixes.get(i));
                lastLineLen += suffixLen + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    private static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** The indices kept along a dimension of the given size. */
    private static int[] keptIndices(int size, boolean summarize) {
        if (summarize && size > 2 * EDGE_ITEMS) {
            int[] kept = new int[2 * EDGE_ITEMS];
            for (int i = 0; i < EDGE_ITEMS; i++) {
                kept[i] = i;
                kept[EDGE_ITEMS + i] = size - EDGE_ITEMS + i;
            }
            return kept;
        }
        int[] kept = new int[size];
        for (int i = 0; i < size; i++) {
            kept[i] = i;
        }
        return kept;
    }

    /** PyTorch's {@code get_summarized_data}: the values that a summarized print shows. */
    private static double[] summarizedValues(double[] values, int[] shape, int[] strides) {
        List<Double> out = new ArrayList<>();
        collect(values, shape, strides, 0, 0, out);
        double[] result = new double[out.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = out.get(i);
        }
        return result;
    }

    private static void collect(double[] values, int[] shape, int[] strides, int dim, int offset, List<Double> out) {
        if (dim == shape.length) {
            out.add(values[offset]);
            return;
        }
        for (int i : keptIndices(shape[dim], true)) {
            collect(values, shape, strides, dim + 1, offset + i * strides[dim], out);
        }
    }

    /** PyTorch's {@code _tensor_str_with_formatter}. */
    private static void tensorStr(StringBuilder sb, double[] values, int[] shape, int[] strides, int dim,
            int offset, int indent, boolean summarize, Formatter formatter) {
        int rank = shape.length - dim;
        if (rank == 0) {
            sb.append(formatter.format(values[offset]));
            return;
        }
        if (rank == 1) {
            vectorStr(sb, values, shape[dim], strides[dim], offset, indent, summarize, formatter);
            return;
        }
        String separator = "," + "\n".repeat(rank - 1) + " ".repeat(indent + 1);
        int size = shape[dim];
        boolean cut = summarize && size > 2 * EDGE_ITEMS;
        sb.append('[');
        int[] kept = keptIndices(size, summarize);
        for (int k = 0; k < kept.length; k++) {
            if (k > 0) {
                sb.append(separator);
            }
            if (cut && k == EDGE_ITEMS) {
                sb.append("...").append(separator);
            }
            tensorStr(sb, values, shape, strides, dim + 1, offset + kept[k] * strides[dim], indent + 1, summarize,
                    formatter);
        }
        sb.append(']');
    }

    /** PyTorch's {@code _vector_str}. */
    private static void vectorStr(StringBuilder sb, double[] values, int size, int stride, int offset, int indent,
            boolean summarize, Formatter formatter) {
        int elementLength = formatter.width() + 2;
        int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
        List<String> data = new ArrayList<>();
        int[] kept = keptIndices(size, summarize);
        boolean cut = summarize && size > 2 * EDGE_ITEMS;
        for (int k = 0; k < kept.length; k++) {
            if (cut && k == EDGE_ITEMS) {
                data.add(" ...");
            }
            data.add(formatter.format(values[offset + kept[k] * stride]));
        }
        sb.append('[');
        String lineBreak = ",\n" + " ".repeat(indent + 1);
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) {
                sb.append(i % perLine == 0 ? lineBreak : ", ");
            }
            sb.append(data.get(i));
        }
        sb.append(']');
    }

    /** PyTorch's {@code _Formatter}: picks the notation and the common width from the values to print. */
    private static final class Formatter {
        private final boolean floating;
        private final boolean bool;
        private boolean intMode = true;
        private boolean sciMode = false;
        private int maxWidth = 1;

        Formatter(DType dtype, double[] values) {
            this.floating = dtype.isFloatingPoint();
            this.bool = dtype == DType.BOOL;
            if (!floating) {
                for (double v : values) {
                    maxWidth = Math.max(maxWidth, plain(v).length());
                }
                return;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            int count = 0;
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    count++;
                    double a = Math.abs(v);
                    min = Math.min(min, a);
                    max = Math.max(max, a);
                    if (v != Math.ceil(v)) {
                        intMode = false;
                    }
                }
            }
            if (count == 0) {
                return;
            }
            if (intMode) {
                sciMode = max / min > 1000.0 || max > 1.0e8;
            } else {
                sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
            }
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    int len;
                    if (sciMode) {
                        len = sci(v).length();
                    } else if (intMode) {
                        len = fixed(v, 0).length() + 1;
                    } else {
                        len = fixed(v, PRECISION).length();
                    }
                    maxWidth = Math.max(maxWidth, len);
                }
            }
        }

        int width() {
            return maxWidth;
        }

        String format(double v) {
            String s;
            if (!floating) {
                s = plain(v);
            } else if (sciMode) {
                s = sci(v);
            } else if (intMode) {
                s = fixed(v, 0);
                if (Double.isFinite(v)) {
                    s += ".";
                }
            } else {
                s = fixed(v, PRECISION);
            }
            return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
        }

        private String plain(double v) {
            if (bool) {
                return v != 0 ? "True" : "False";
            }
            return Long.toString((long) v);
        }
    }

    /** Python's {@code '{:.Nf}'.format(v)}. */
    static String fixed(double v, int decimals) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        String digits = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return isNegative(v) ? "-" + digits : digits;
    }

    /** Python's {@code '{:.4e}'.format(v)}. */
    static String sci(double v) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        double a = Math.abs(v);
        StringBuilder mantissa;
        int exponent;
        if (a == 0) {
            mantissa = new StringBuilder("0".repeat(PRECISION + 1));
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(a).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            mantissa = new StringBuilder(rounded.unscaledValue().toString());
            exponent = rounded.precision() - rounded.scale() - 1;
            while (mantissa.length() < PRECISION + 1) {
                mantissa.append('0');
            }
        }
        StringBuilder sb = new StringBuilder();
        if (isNegative(v)) {
            sb.append('-');
        }
        sb.append(mantissa.charAt(0)).append('.').append(mantissa, 1, PRECISION + 1).append('e');
        sb.append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    private static String nonFinite(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return null;
    }

    private static boolean isNegative(double v) {
        return Double.doubleToRawLongBits(v) < 0;
    }
}
