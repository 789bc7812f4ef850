package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Query}: strict decoding of what the learner sent, and rebuilding only what is allowed. */
class QueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesAsGoDoes() {
        Query q = Query.parse("name=%2Fweb&t=a+b&flag&tag=1&tag=2&&empty=");
        assertEquals("/web", q.get("name"));
        assertEquals("a b", q.get("t"), "'+' is a space");
        assertEquals("", q.get("flag"));
        assertEquals(List.of("1", "2"), q.all("tag"));
        assertEquals("1", q.get("tag"), "the first value");
        assertTrue(q.has("empty"));
        assertNull(q.get("missing"));
        assertEquals(List.of(), q.all("missing"));
        assertEquals("한", Query.parse("k=%ED%95%9C").get("k"));
    }

    @Test
    void malformedInputIsRefusedNeverGuessed() {
        assertEquals("잘못된 주소 인코딩입니다.", assertThrows(Refusal.class, () -> Query.parse("a=%2")).getMessage());
        assertEquals("잘못된 주소 인코딩입니다.", assertThrows(Refusal.class, () -> Query.parse("a=%zz")).getMessage());
        assertEquals("주소에 쓸 수 없는 문자가 있습니다.", assertThrows(Refusal.class, () -> Query.parse("a=b c")).getMessage());
        assertEquals("주소가 올바른 UTF-8이 아닙니다.", assertThrows(Refusal.class, () -> Query.parse("a=%C0%AF")).getMessage(),
                "overlong '/' is not UTF-8");
        assertEquals("주소에 제어 문자가 있습니다.", assertThrows(Refusal.class, () -> Query.parse("a=%0A")).getMessage());
        assertEquals(400, assertThrows(Refusal.class, () -> Query.parse("a=%00")).status());
        assertEquals("\t", Query.parse("a=%09").get("a"), "a tab is allowed");
    }

    @Test
    void flagsAreDockersBooleans() {
        Query q = Query.parse("a=1&b=true&c=True&d=0&e=false&f=");
        assertTrue(q.flag("a"));
        assertTrue(q.flag("b"));
        assertTrue(q.flag("c"));
        assertFalse(q.flag("d"));
        assertFalse(q.flag("e"));
        assertFalse(q.flag("f"));
        assertFalse(q.flag("g"));
    }

    @Test
    void filtersInBothFormsAndBack() {
        Map<String, List<String>> filters = Query.parse("filters=" + "%7B%22label%22%3A%5B%22a%3Db%22%5D%2C%22dangling%22%3A%7B%22true%22%3Atrue%7D%7D")
                .filters(JSON);
        assertEquals(Map.of("label", List.of("a=b"), "dangling", List.of("true")), filters);
        assertEquals("{\"label\":[\"a=b\"],\"dangling\":[\"true\"]}", Query.filtersJson(JSON, filters));
        assertEquals(Map.of(), Query.parse("filters=").filters(JSON));
        assertEquals("filters 값이 올바른 JSON이 아닙니다.",
                assertThrows(Refusal.class, () -> Query.parse("filters=%7B").filters(JSON)).getMessage());
        assertEquals("filters 값이 올바르지 않습니다.",
                assertThrows(Refusal.class, () -> Query.parse("filters=%5B%5D").filters(JSON)).getMessage());
        assertEquals("filters 값이 올바르지 않습니다.",
                assertThrows(Refusal.class, () -> Query.parse("filters=%7B%22a%22%3A1%7D").filters(JSON)).getMessage());
    }

    @Test
    void onlyAllowedParametersAreRebuilt() {
        Query q = Query.parse("t=10&signal=KILL&x=1&x=2&evil=%2F..%2F");
        assertEquals(Map.of("t", "10"), q.only("t", "absent"));
        assertEquals(Map.of("x", List.of("1", "2")), q.only("x"));
        assertEquals("?t=10", Query.build(q.only("t")));
        Map<String, Object> built = new LinkedHashMap<>();
        built.put("name", "a b/c&d");
        built.put("skipped", null);
        built.put("tag", List.of("1", "2"));
        assertEquals("?name=a%20b%2Fc%26d&tag=1&tag=2", Query.build(built));
        assertEquals("", Query.build(Map.of()));
    }
}
