package dev.ember.io;

import dev.ember.EmberException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and writer for safetensors headers and Ember's state trees. Ember keeps no
 * JSON library on the framework's classpath, and a header from an untrusted file deserves a parser whose every
 * path is known: it is linear in the input, nests at most {@link #MAX_DEPTH} levels, rejects duplicate keys,
 * unpaired surrogates and everything RFC 8259 does not allow (comments, trailing commas, single quotes, NaN,
 * leading zeros, control characters in strings), and fails only with {@link EmberException}.
 *
 * <p>Values map to Java as: object to an insertion-ordered {@code Map<String, Object>}, array to
 * {@code List<Object>}, string to {@code String}, number to {@link JsonNumber} (its exact text, converted on request),
 * {@code true}/{@code false} to {@code Boolean}, {@code null} to {@link #NULL}. Collections returned by
 * {@link #parse} are unmodifiable.
 *
 * <pre>{@code
 * Map<String, Object> header = Json.parseObject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}");
 * String text = Json.write(header);   // {"w":{"dtype":"F32","shape":[2]}}
 * }</pre>
 */
final class Json {
    /** How deeply arrays and objects may nest (a safetensors header needs three levels). */
    static final int MAX_DEPTH = 64;

    /** JSON's {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * A JSON number, kept as its exact text (already checked against the grammar) so that integers of any size and
     * decimals are converted only when and how the caller needs.
     */
    record JsonNumber(String text) {
        /** True for the grammar's integers without sign, fraction or exponent: {@code 0}, {@code 42}. */
        boolean isNonNegativeInteger() {
            return text.chars().allMatch(c -> c >= '0' && c <= '9');
        }

        /** True when the text has no fraction and no exponent. */
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        /** The value as a long, or null when it is not an integer or does not fit. */
        Long longValue() {
            if (!isInteger() || text.length() > 20) {
                return null;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        double doubleValue() {
            return Double.parseDouble(text);   // grammar-checked text: never throws; huge exponents give infinity
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    // ---- parsing ----------------------------------------------------------------------------------------------

    /** Parses one JSON value surrounded by optional whitespace. */
    static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
        }
        return v;
    }

    /** Parses text that must be one JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new EmberException("JSON: expected an object but the text holds " + typeName(v));
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (pos >= s.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describeHere() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++;   // '{'
        Map<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(out);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeHere() + ", expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (out.putIfAbsent(key, v) != null) {
                pos = keyAt;
                throw error("duplicate key " + quote(key));
            }
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return Collections.unmodifiableMap(out);
            } else {
                throw error("unexpected " + describeHere() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++;   // '['
        List<Object> out = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(out);
        }
        while (true) {
            skipWhitespace();
            out.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(out);
            } else {
                throw error("unexpected " + describeHere() + ", expected ',' or ']'");
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("arrays and objects nest deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        int start = pos;
        pos++;   // '"'
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= s.length()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " in a string (it must be escaped)");
            }
            if (Character.isSurrogate(c)) {
                // only reachable for text that did not come from valid UTF-8: check the pairing anyway
                if (Character.isHighSurrogate(c) && pos + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw error("unpaired surrogate U+" + hex4(c) + " in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, runStart, pos);
            pos++;
            if (pos >= s.length()) {
                throw error("unterminated escape sequence");
            }
            char e = s.charAt(pos);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = unicodeEscape();
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 2 < s.length() && s.charAt(pos + 1) == '\\' && s.charAt(pos + 2) == 'u') {
                            pos += 2;
                            char low = unicodeEscape();
                            if (!Character.isLowSurrogate(low)) {
                                throw error("\\u" + hex4(u) + " (a high surrogate) is followed by \\u" + hex4(low)
                                        + ", which is not a low surrogate");
                            }
                            sb.append(u).append(low);
                        } else {
                            throw error("unpaired surrogate \\u" + hex4(u) + " in a string");
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("unpaired surrogate \\u" + hex4(u) + " in a string");
                    } else {
                        sb.append(u);
                    }
                }
                default -> throw error("invalid escape sequence \\" + printable(e));
            }
            pos++;
            runStart = pos;
        }
    }

    /** Reads the four hex digits after "\\u" (pos is on the 'u'); leaves pos on the last digit. */
    private char unicodeEscape() {
        if (pos + 4 >= s.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 1; i <= 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0 || s.charAt(pos + i) > 'f') {
                throw error("invalid \\u escape: " + printable(s.charAt(pos + i)) + " is not a hex digit");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a number needs a digit after '-'");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("a number needs digits after its decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a number needs digits in its exponent");
            }
            digits();
        }
        return new JsonNumber(s.substring(start, pos));
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected " + describeHere() + ", expected a value");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        }
        pos++;
    }

    /** The character at pos, or U+0000 at the end (never valid where a structural character is expected). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeHere() {
        return pos >= s.length() ? "end of text" : "character " + printable(s.charAt(pos));
    }

    private EmberException error(String what) {
        return new EmberException("JSON syntax error at character " + pos + ": " + what);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex4(c);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    static String typeName(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof JsonNumber) {
            return "the number " + v;
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        return "null";
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /**
     * Compact JSON for maps (string keys), lists, strings, {@link JsonNumber}s, Java integers and finite doubles,
     * booleans and {@link #NULL}. Non-ASCII characters are written as they are (the caller encodes UTF-8).
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, 0);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb, int depth) {
        if (depth > MAX_DEPTH) {
            throw new EmberException("JSON: cannot write values nested deeper than " + MAX_DEPTH + " levels");
        }
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new EmberException("JSON: object keys must be strings, got " + e.getKey());
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(k, sb);
                sb.append(':');
                write(e.getValue(), sb, depth + 1);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(l.get(i), sb, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof String str) {
            writeString(str, sb);
        } else if (v instanceof JsonNumber n) {
            sb.append(n.text());
        } else if (v instanceof Long || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new EmberException("JSON: cannot write the non-finite number " + d);
            }
            sb.append(d);   // Double.toString: shortest text that reads back to the same double; valid JSON
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v == NULL) {
            sb.append("null");
        } else {
            throw new EmberException("JSON: cannot write a value of type "
                    + (v == null ? "null (use Json.NULL)" : v.getClass().getName()));
        }
    }

    /** A quoted JSON string; throws for unpaired surrogates, which have no UTF-8 encoding. */
    static String quote(String str) {
        StringBuilder sb = new StringBuilder(str.length() + 2);
        writeString(str, sb);
        return sb.toString();
    }

    private static void writeString(String str, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u").append(hex4(c).toLowerCase());
                    } else if (Character.isHighSurrogate(c) && i + 1 < str.length()
                            && Character.isLowSurrogate(str.charAt(i + 1))) {
                        sb.append(c).append(str.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new EmberException("JSON: the string \"" + str.replaceAll("\\p{Cs}", "?")
                                + "\" holds an unpaired surrogate U+" + hex4(c) + ", which has no UTF-8 encoding");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
