package dev.ember.nn;

import java.math.BigDecimal;

/**
 * Python's spelling of values in module reprs ({@code eps=1e-05}, {@code momentum=0.1}, {@code bias=True}), so that a
 * model prints as PyTorch prints it. Package-private: used by the layers' {@code extraRepr}.
 *
 * <pre>{@code
 * PyRepr.number(1e-5);   // "1e-05"
 * PyRepr.number(1.0);    // "1.0"
 * }</pre>
 */
final class PyRepr {
    private PyRepr() {
    }

    /** Python's repr of a float: shortest digits, scientific below 1e-4 and from 1e16. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's True / False. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** A Python tuple of ints: {@code (4,)}, {@code (3, 4)}. */
    static String tuple(int[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }
}
