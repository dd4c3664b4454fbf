package dev.ember.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ember.EmberException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JsonTest {
    @Test
    void parsesEveryKindOfValueInOrder() {
        Map<String, Object> m = Json.parseObject(
                " {\"b\" : [1, -2.5e3, 0, true, false, null, {}, []],\n\t"
                + "\"a\":\"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\udd25\"\r} ");
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        List<?> b = (List<?>) m.get("b");
        assertEquals(new Json.JsonNumber("1"), b.get(0));
        assertEquals(-2500.0, ((Json.JsonNumber) b.get(1)).doubleValue());
        assertEquals(0L, ((Json.JsonNumber) b.get(2)).longValue());
        assertEquals(Boolean.TRUE, b.get(3));
        assertEquals(Boolean.FALSE, b.get(4));
        assertSame(Json.NULL, b.get(5));
        assertEquals(Map.of(), b.get(6));
        assertEquals(List.of(), b.get(7));
        assertEquals("x\"\\/\b\f\n\r\té\uD83D\uDD25", m.get("a"));
    }

    @Test
    void numbersKeepTheirTextAndConvertOnlyWhenTheyFit() {
        Json.JsonNumber big = (Json.JsonNumber) Json.parse("123456789012345678901234567890");
        assertTrue(big.isNonNegativeInteger());
        assertNull(big.longValue(), "does not fit a long");
        assertEquals(Long.MAX_VALUE, ((Json.JsonNumber) Json.parse("9223372036854775807")).longValue());
        assertNull(((Json.JsonNumber) Json.parse("9223372036854775808")).longValue());
        assertNull(((Json.JsonNumber) Json.parse("1.0")).longValue(), "a fraction is not an integer");
        assertNull(((Json.JsonNumber) Json.parse("1e2")).longValue(), "an exponent is not an integer");
        assertEquals(Double.POSITIVE_INFINITY, ((Json.JsonNumber) Json.parse("1e999999999999")).doubleValue());
        assertEquals(-0.0, ((Json.JsonNumber) Json.parse("-0")).doubleValue());
        assertTrue(!((Json.JsonNumber) Json.parse("-1")).isNonNegativeInteger());
    }

    @Test
    void rejectsEverythingRfc8259DoesNotAllow() {
        String[] bad = {
            "", " ", "{", "}", "[", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "{,}", "[1 2]",
            "{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}", "'a'", "01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10",
            "NaN", "Infinity", "-Infinity", "tru", "nul", "True", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"a\u0001b\"", "\"a\nb\"",
            "/*c*/1", "1 // c", "{\"a\":1}x", "[1]]", "\u00a01", "\"\\u\uff10\uff10\uff10\uff10\"",
            "{\"a\":1,\"a\":2}", "\"\ud800\"", "\"\udc00x\"",
        };
        for (String s : bad) {
            EmberException e = assertThrows(EmberException.class, () -> Json.parse(s), () -> "accepted " + s);
            assertTrue(e.getMessage().startsWith("JSON syntax error at character "), e.getMessage());
        }
    }

    @Test
    void errorsSayWhereAndWhat() {
        EmberException dup = assertThrows(EmberException.class, () -> Json.parse("{\"w\":1,\"w\":2}"));
        assertEquals("JSON syntax error at character 7: duplicate key \"w\"", dup.getMessage());
        EmberException comma = assertThrows(EmberException.class, () -> Json.parse("[1,]"));
        assertEquals("JSON syntax error at character 3: unexpected character ']', expected a value",
                comma.getMessage());
        EmberException notObject = assertThrows(EmberException.class, () -> Json.parseObject("[1]"));
        assertEquals("JSON: expected an object but the text holds an array", notObject.getMessage());
    }

    @Test
    void nestingIsBoundedSoDeepInputCannotOverflowTheStack() {
        Object deepest = Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
        for (int d = 1; d < Json.MAX_DEPTH; d++) {
            deepest = ((List<?>) deepest).get(0);
        }
        assertEquals(List.of(), deepest);
        EmberException e = assertThrows(EmberException.class,
                () -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
        assertTrue(e.getMessage().contains("nest deeper than 64 levels"), e.getMessage());
        assertThrows(EmberException.class, () -> Json.parse("[".repeat(1_000_000)));
        assertThrows(EmberException.class, () -> Json.parse("{\"a\":".repeat(1_000_000)));
    }

    @Test
    void writesCompactJsonThatParsesBackToTheSameValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q\"uote\\", List.of(1L, 2, new Json.JsonNumber("3.5"), 0.1, -0.0, 1e300, Boolean.TRUE, Json.NULL));
        m.put("ctl\u0000\u001f\n\t\b\f\r", "é\uD83D\uDD25\u2028/");
        m.put("", Map.of());
        String text = Json.write(m);
        assertEquals("{\"q\\\"uote\\\\\":[1,2,3.5,0.1,-0.0,1.0E300,true,null],"
                + "\"ctl\\u0000\\u001f\\n\\t\\b\\f\\r\":\"é\uD83D\uDD25\u2028/\",\"\":{}}", text);
        Map<String, Object> back = Json.parseObject(text);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
        assertEquals(m.get("ctl\u0000\u001f\n\t\b\f\r"), back.get("ctl\u0000\u001f\n\t\b\f\r"));
        assertEquals(0.1, ((Json.JsonNumber) ((List<?>) back.get("q\"uote\\")).get(3)).doubleValue());
    }

    @Test
    void refusesToWriteWhatHasNoJsonForm() {
        assertThrows(EmberException.class, () -> Json.write("lone \uD800 surrogate"));
        assertThrows(EmberException.class, () -> Json.write(Double.NaN));
        assertThrows(EmberException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(EmberException.class, () -> Json.write(new Object()));
    }

    @Test
    void randomStringsRoundTrip() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int j = 0; j < n; j++) {
                int kind = r.nextInt(4);
                if (kind == 0) {
                    sb.append((char) r.nextInt(0x80));
                } else if (kind == 1) {
                    sb.append((char) (0x80 + r.nextInt(0xD800 - 0x80)));
                } else if (kind == 2) {
                    sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                } else {
                    sb.append("\"\\/\n");
                }
            }
            String s = sb.toString();
            assertEquals(s, Json.parse(Json.write(s)));
        }
    }

    /** Garbage must only ever give an EmberException (never another exception, a hang or a stack overflow). */
    @Test
    @Timeout(20)
    void fuzzedInputOnlyEverFailsWithEmberException() {
        Random r = new Random(20240607);
        String alphabet = "{}[]:,\"\\ \n\t0123456789-+.eEabfnrtu/xtruefalsnl\u00e9\ud83d\ude00\u0001";
        String[] seeds = {
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"__metadata__\":{\"k\":\"v\"}}",
            "[1,-2.5e-3,true,false,null,\"\\u00e9\\ud83d\\ude00\",{\"a\":[[]]}]",
        };
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < 30_000; i++) {
            String s;
            if (i % 2 == 0) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(40);
                for (int j = 0; j < n; j++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                s = sb.toString();
            } else {
                StringBuilder sb = new StringBuilder(seeds[r.nextInt(seeds.length)]);
                int edits = 1 + r.nextInt(4);
                for (int j = 0; j < edits && sb.length() > 0; j++) {
                    int at = r.nextInt(sb.length());
                    switch (r.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                        default -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    }
                }
                s = sb.toString();
            }
            try {
                Object v = Json.parse(s);
                Json.parse(Json.write(v));   // whatever parses also writes and parses again
                ok++;
            } catch (EmberException e) {
                assertTrue(e.getMessage().startsWith("JSON"), e.getMessage());
                failed++;
            } catch (Throwable t) {
                fail("input " + quoteForMessage(s) + " threw " + t, t);
            }
        }
        assertTrue(ok > 1000 && failed > 1000, "both outcomes exercised: " + ok + " parsed, " + failed + " rejected");
    }

    static String quoteForMessage(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.append('"').toString();
    }

    @Test
    void parsedCollectionsAreUnmodifiable() {
        Map<String, Object> m = Json.parseObject("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
        List<Object> copy = new ArrayList<>((List<?>) m.get("a"));
        assertEquals(1, copy.size());
    }
}
