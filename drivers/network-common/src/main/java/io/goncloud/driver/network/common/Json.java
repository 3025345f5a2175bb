package io.goncloud.driver.network.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON to read {@code ip -j}: objects become maps, arrays lists, numbers doubles. The
 * driver may depend on platform-api only, and iproute2's JSON is far more stable than its text output.
 */
public final class Json {

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Every top-level value in {@code text}, in order: {@code ip -j -batch} prints one per command. */
    public static List<Object> parseAll(String text) {
        Json json = new Json(text);
        List<Object> values = new ArrayList<>();
        json.skipSpace();
        while (json.pos < text.length()) {
            values.add(json.value());
            json.skipSpace();
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object array) {
        return array instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private Object value() {
        skipSpace();
        char c = peek();
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': expect("true"); return Boolean.TRUE;
            case 'f': expect("false"); return Boolean.FALSE;
            case 'n': expect("null"); return null;
            default: return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(":");
            map.put(key, value());
            skipSpace();
            if (next() == '}') {
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (next() == ']') {
                return list;
            }
        }
    }

    private String string() {
        expect("\"");
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> out.append(escaped);
            }
        }
    }

    private Double number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("unexpected '" + peek() + "' at " + pos);
        }
        return Double.valueOf(text.substring(start, pos));
    }

    private void expect(String token) {
        if (!text.startsWith(token, pos)) {
            throw new IllegalArgumentException("expected " + token + " at " + pos);
        }
        pos += token.length();
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("unexpected end of JSON");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
