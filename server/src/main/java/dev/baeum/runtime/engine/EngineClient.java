package dev.baeum.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.runtime.engine.http.Header;
import dev.baeum.runtime.engine.http.HttpReader;
import dev.baeum.runtime.engine.http.HttpWriter;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A small HTTP/1.1 client for the Docker Engine API: one connection per request (so every request is
 * seen whole), JSON in and out, and raw exchanges for streams and hijacked connections. Blocking I/O,
 * meant for virtual threads.
 */
public final class EngineClient {

    public static final String API_VERSION = "1.41";
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_JSON_BYTES = 64 * 1024 * 1024;

    private final EngineAddress address;
    private final ObjectMapper json;
    /** Why there is no engine to talk to, or null when there is one. */
    private final String missing;

    public EngineClient(EngineAddress address, ObjectMapper json) {
        this(address, json, null);
    }

    private EngineClient(EngineAddress address, ObjectMapper json, String missing) {
        this.address = address;
        this.json = json;
        this.missing = missing;
    }

    /** A client for a server without an engine: every request fails with the reason. */
    public static EngineClient missing(String problem, ObjectMapper json) {
        return new EngineClient(null, json, problem);
    }

    public EngineAddress address() {
        return address;
    }

    public ObjectMapper json() {
        return json;
    }

    /** A finished answer. */
    public record Response(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public JsonNode get(String path) {
        return expectJson(call("GET", path, null));
    }

    public JsonNode post(String path, Object body) {
        return expectJson(call("POST", path, body));
    }

    /** POST that answers 204 (start, stop, kill, connect …). */
    public void act(String method, String path, Object body) {
        Response r = call(method, path, body);
        if (!r.ok() && r.status() != 304) {
            throw error(r);
        }
    }

    public Response call(String method, String path, Object body) {
        try (Exchange ex = open(method, path, body == null ? null : json.writeValueAsBytes(body), "application/json", false)) {
            ResponseHead head = ex.response(method.equals("HEAD"));
            byte[] bytes = ex.reader().readBody(MAX_JSON_BYTES);
            return new Response(head.status(), bytes);
        } catch (IOException e) {
            throw new EngineException(0, "Docker 엔진과 통신하지 못했습니다: " + e.getMessage());
        }
    }

    /**
     * Sends a request (path without the version prefix) and leaves the connection open for the caller to
     * read the response, stream a body, or take over an upgraded connection.
     */
    public Exchange open(String method, String path, byte[] body, String contentType, boolean upgrade) throws IOException {
        Exchange ex = start(method, path, headers(body == null ? -1 : body.length, contentType, upgrade, false));
        if (body != null) {
            ex.out().write(body);
        }
        ex.out().flush();
        return ex;
    }

    /** Like {@link #open} but the caller writes a body of unknown length, chunked, then closes {@code bodyStream()}. */
    public Exchange openStreaming(String method, String path, String contentType, List<Header> extra) throws IOException {
        List<Header> headers = headers(-1, contentType, false, true);
        headers.addAll(extra);
        return start(method, path, headers);
    }

    private Exchange start(String method, String path, List<Header> headers) throws IOException {
        if (missing != null) {
            throw new EngineException(0, missing);
        }
        SocketChannel channel = address.connect();
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
            HttpWriter.requestHead(out, method, "/v" + API_VERSION + path, headers);
            InputStream in = Channels.newInputStream(channel);
            return new Exchange(channel, out, HttpReader.responses(in, MAX_HEADER_BYTES));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static List<Header> headers(int length, String contentType, boolean upgrade, boolean chunked) {
        List<Header> h = new ArrayList<>();
        h.add(new Header("Host", "docker"));
        h.add(new Header("User-Agent", "baeum"));
        if (contentType != null && (length >= 0 || chunked)) {
            h.add(new Header("Content-Type", contentType));
        }
        if (chunked) {
            h.add(new Header("Transfer-Encoding", "chunked"));
        } else {
            h.add(new Header("Content-Length", String.valueOf(Math.max(length, 0))));
        }
        if (upgrade) {
            h.add(new Header("Connection", "Upgrade"));
            h.add(new Header("Upgrade", "tcp"));
        } else {
            h.add(new Header("Connection", "close"));
        }
        return h;
    }

    private JsonNode expectJson(Response r) {
        if (!r.ok()) {
            throw error(r);
        }
        try {
            return r.body().length == 0 ? json.nullNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new EngineException(502, "Docker 엔진의 답을 읽지 못했습니다: " + e.getMessage());
        }
    }

    public EngineException error(Response r) {
        return new EngineException(r.status(), message(r.body()));
    }

    /** The engine's own error text: {@code {"message": "..."}}. */
    public String message(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: use the text as is
        }
        return new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    /** One open request to the engine. */
    public static final class Exchange implements Closeable {
        private final SocketChannel channel;
        private final OutputStream out;
        private final HttpReader reader;

        Exchange(SocketChannel channel, OutputStream out, HttpReader reader) {
            this.channel = channel;
            this.out = out;
            this.reader = reader;
        }

        public OutputStream out() {
            return out;
        }

        /** For a chunked request body: write to this, then close it. */
        public OutputStream bodyStream() {
            return HttpWriter.chunked(out);
        }

        public ResponseHead response(boolean toHead) throws IOException {
            out.flush();
            return reader.readResponse(toHead);
        }

        public HttpReader reader() {
            return reader;
        }

        /** Half-closes our side: the engine sees end of input and keeps sending (stdin closed on attach). */
        public void shutdownOutput() throws IOException {
            out.flush();
            channel.shutdownOutput();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
