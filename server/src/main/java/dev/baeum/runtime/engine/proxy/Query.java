package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Query parameters, decoded strictly (a malformed escape is an error, never guessed at). The proxy rebuilds
 * every query it sends to the engine from the parameters it allows, so nothing unread passes through.
 */
public final class Query {

    private final Map<String, List<String>> params;

    private Query(Map<String, List<String>> params) {
        this.params = params;
    }

    public static Query empty() {
        return new Query(new LinkedHashMap<>());
    }

    public static Query parse(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return new Query(params);
    }

    /** Percent-decoding as Go's url.QueryUnescape does it ('+' is a space), but refusing bad escapes and bad UTF-8. */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw Refusal.badRequest("잘못된 주소 인코딩입니다.");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw Refusal.badRequest("잘못된 주소 인코딩입니다.");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x21 || c > 0x7e) {
                throw Refusal.badRequest("주소에 쓸 수 없는 문자가 있습니다.");
            } else {
                out.write(c);
            }
        }
        return utf8(out.toByteArray());
    }

    static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < 0x20 && text.charAt(i) != '\t') {
                    throw Refusal.badRequest("주소에 제어 문자가 있습니다.");
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            throw Refusal.badRequest("주소가 올바른 UTF-8이 아닙니다.");
        }
    }

    public String get(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> all(String key) {
        return params.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    public java.util.Set<String> keys() {
        return params.keySet();
    }

    /** Docker's boolean parameters: "1", "true", "True" are true; absent, "", "0", "false" are false. */
    public boolean flag(String key) {
        String v = get(key);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    /** {@code filters={"label":["a=b"], ...}} (also the old {"label":{"a=b":true}} form) as name → values. */
    public Map<String, List<String>> filters(ObjectMapper json) {
        String raw = get("filters");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (Exception e) {
            throw Refusal.badRequest("filters 값이 올바른 JSON이 아닙니다.");
        }
        if (node == null || !node.isObject()) {
            throw Refusal.badRequest("filters 값이 올바르지 않습니다.");
        }
        node.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else if (v.isObject()) {
                v.fieldNames().forEachRemaining(values::add);
            } else {
                throw Refusal.badRequest("filters 값이 올바르지 않습니다.");
            }
            out.put(e.getKey(), values);
        });
        return out;
    }

    /** Filters back into the engine's JSON form. */
    public static String filtersJson(ObjectMapper json, Map<String, List<String>> filters) {
        ObjectNode node = json.createObjectNode();
        filters.forEach((k, v) -> {
            var arr = node.putArray(k);
            v.forEach(arr::add);
        });
        return node.toString();
    }

    /** Builds a query string; null values are left out. */
    public static String build(Map<String, ?> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                for (Object item : list) {
                    joiner.add(enc(k) + "=" + enc(String.valueOf(item)));
                }
            } else if (v != null) {
                joiner.add(enc(k) + "=" + enc(String.valueOf(v)));
            }
        });
        String q = joiner.toString();
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The allowed parameters of this query, as given, for rebuilding. */
    public Map<String, Object> only(String... keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            if (params.containsKey(k)) {
                List<String> v = params.get(k);
                out.put(k, v.size() == 1 ? v.get(0) : List.copyOf(v));
            }
        }
        return out;
    }
}
