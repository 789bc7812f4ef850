package dev.baeum.runtime.engine.http;

import java.util.ArrayList;
import java.util.List;

/** Header fields in order, looked up case-insensitively. */
public record Headers(List<Header> fields) {

    public Headers {
        fields = List.copyOf(fields);
    }

    public static Headers of(String... nameValues) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            list.add(new Header(nameValues[i], nameValues[i + 1]));
        }
        return new Headers(list);
    }

    /** The first value of this field, or null. */
    public String get(String name) {
        for (Header h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /** True when a comma-separated field (Connection, Upgrade) lists this token. */
    public boolean hasToken(String name, String token) {
        for (Header h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String part : h.value().split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
