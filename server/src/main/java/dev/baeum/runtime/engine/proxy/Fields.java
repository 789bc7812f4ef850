package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Allowlist checks over a JSON object: every field is either known or empty. */
final class Fields {

    private Fields() {
    }

    /** True for null, false, 0, "", [] and {}: what the CLI sends for options the learner did not use. */
    static boolean empty(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return true;
        }
        if (v.isBoolean()) {
            return !v.booleanValue();
        }
        if (v.isNumber()) {
            return v.asDouble() == 0;
        }
        if (v.isTextual()) {
            return v.asText().isEmpty();
        }
        if (v.isArray() || v.isObject()) {
            if (v.size() == 0) {
                return true;
            }
            if (v.isArray()) {
                for (JsonNode x : v) {
                    if (!empty(x)) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses the first field of {@code object} that is neither handled ({@code known}) nor empty, naming it
     * and the option it usually comes from.
     */
    static void onlyKnown(JsonNode object, String where, Set<String> known, Map<String, String> refusedWhy) {
        if (object == null || !object.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (known.contains(e.getKey()) || empty(e.getValue())) {
                continue;
            }
            String why = refusedWhy.get(e.getKey());
            throw Refusal.forbidden(why != null ? why
                    : "이 실습 환경에서는 " + where + e.getKey() + " 설정을 쓸 수 없습니다.");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
