package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.http.HttpReader;
import dev.baeum.runtime.engine.http.RequestHead;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A learner's request as the proxy understands it: method, API version, decoded path segments and query.
 * Paths are checked strictly: empty segments ({@code //}), dot segments, encoded slashes and control
 * characters are refused, so the path the proxy decides on is the only path there is.
 */
public final class ApiRequest {

    private static final Pattern VERSION = Pattern.compile("v(1\\.[0-9]{1,2})");
    private static final int MAX_TARGET = 8192;

    private final RequestHead head;
    private final HttpReader reader;
    private final String version;
    private final List<String> segments;
    private final Query query;
    private String excerpt = "";

    private ApiRequest(RequestHead head, HttpReader reader, String version, List<String> segments, Query query) {
        this.head = head;
        this.reader = reader;
        this.version = version;
        this.segments = segments;
        this.query = query;
    }

    public static ApiRequest of(RequestHead head, HttpReader reader) {
        String target = head.target();
        if (target.length() > MAX_TARGET || !target.startsWith("/")) {
            throw Refusal.badRequest("요청 주소가 올바르지 않습니다.");
        }
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        if (rawPath.indexOf('#') >= 0) {
            throw Refusal.badRequest("요청 주소가 올바르지 않습니다.");
        }
        List<String> segments = new ArrayList<>();
        String[] parts = rawPath.substring(1).split("/", -1);
        for (String part : parts) {
            String s = decodeSegment(part);
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                if (parts.length == 1 && s.isEmpty()) {
                    break; // "/" alone
                }
                throw Refusal.badRequest("요청 주소가 올바르지 않습니다: " + rawPath);
            }
            segments.add(s);
        }
        String version = null;
        if (!segments.isEmpty()) {
            var m = VERSION.matcher(segments.get(0));
            if (m.matches()) {
                version = m.group(1);
                segments.remove(0);
            }
        }
        return new ApiRequest(head, reader, version, List.copyOf(segments), Query.parse(q < 0 ? "" : target.substring(q + 1)));
    }

    /** One path segment, percent-decoded once; a decoded '/' would change the path's shape, so it is refused. */
    private static String decodeSegment(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw Refusal.badRequest("잘못된 주소 인코딩입니다.");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw Refusal.badRequest("잘못된 주소 인코딩입니다.");
                }
                int b = hi * 16 + lo;
                if (b == '/' || b == '\\' || b == '%') {
                    throw Refusal.badRequest("주소 안에 인코딩된 '/', '\\', '%' 는 쓸 수 없습니다.");
                }
                out.write(b);
                i += 2;
            } else if (c < 0x21 || c > 0x7e || c == '\\') {
                throw Refusal.badRequest("주소에 쓸 수 없는 문자가 있습니다.");
            } else {
                out.write(c);
            }
        }
        return Query.utf8(out.toByteArray());
    }

    public String method() {
        return head.method();
    }

    public RequestHead head() {
        return head;
    }

    public HttpReader reader() {
        return reader;
    }

    /** The API version the client asked for (e.g. "1.41"), or null for none. */
    public String version() {
        return version;
    }

    public List<String> segments() {
        return segments;
    }

    public int size() {
        return segments.size();
    }

    public String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    /** The path without the version prefix, for messages and the API panel. */
    public String path() {
        return "/" + String.join("/", segments);
    }

    public Query query() {
        return query;
    }

    /** What the API panel shows of the request body (set by handlers that read it). */
    public String excerpt() {
        return excerpt;
    }

    public void noteBody(String text) {
        excerpt = text.length() > ClientReply.EXCERPT_BYTES ? text.substring(0, ClientReply.EXCERPT_BYTES) : text;
    }

    public boolean is(String method) {
        return head.method().equals(method);
    }
}
