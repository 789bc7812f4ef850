package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.http.Header;
import dev.baeum.runtime.engine.http.HttpWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes back to the learner's client: one response per connection, framed by us (never relayed byte
 * for byte), with the headers a Docker daemon sends. Remembers the status and a short excerpt of the body
 * for the session's API panel.
 */
public final class ClientReply {

    public static final int EXCERPT_BYTES = 4096;

    private final OutputStream out;
    private final ObjectMapper json;
    private final String serverHeader;
    private int status;
    private boolean committed;
    private final StringBuilder excerpt = new StringBuilder();
    private String kind = "json";
    private String streamError;

    ClientReply(OutputStream out, ObjectMapper json, String serverHeader) {
        this.out = out;
        this.json = json;
        this.serverHeader = serverHeader;
    }

    public int status() {
        return status;
    }

    public boolean committed() {
        return committed;
    }

    public String excerpt() {
        return excerpt.toString();
    }

    /** An error the engine reported inside a 200 stream (a failed build step), or null. */
    public String streamError() {
        return streamError;
    }

    void streamFailed(String message) {
        if (streamError == null) {
            streamError = message;
        }
    }

    /** json, text, stream or hijacked: how the panel shows the body. */
    public String kind() {
        return kind;
    }

    public void json(int status, Object body) throws IOException {
        byte[] bytes = body instanceof byte[] b ? b : json.writeValueAsBytes(body);
        send(status, "application/json", bytes);
    }

    public void error(int status, String message) throws IOException {
        json(status, json.createObjectNode().put("message", message));
    }

    public void empty(int status) throws IOException {
        head(status, headers(null, 0));
        out.flush();
    }

    /** An empty answer carrying docker cp's path stat header. */
    public void emptyWith(int status, String pathStat) throws IOException {
        List<Header> h = headers(null, 0);
        if (pathStat != null) {
            h.add(new Header("X-Docker-Container-Path-Stat", pathStat));
        }
        head(status, h);
        out.flush();
    }

    public void text(int status, String contentType, String text) throws IOException {
        send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    private void send(int status, String contentType, byte[] body) throws IOException {
        kind = contentType.startsWith("application/json") ? "json" : "text";
        head(status, headers(contentType, body.length));
        out.write(body);
        out.flush();
        note(body, 0, body.length);
    }

    /** A streamed body (logs -f, events, build output, pull progress): chunked, flushed as it comes. */
    public OutputStream stream(int status, String contentType) throws IOException {
        return streamWith(status, contentType, null);
    }

    /** A streamed body with docker cp's path stat header, when there is one. */
    public OutputStream streamWith(int status, String contentType, String pathStat) throws IOException {
        kind = "stream";
        List<Header> h = headers(contentType, -1);
        if (pathStat != null) {
            h.add(new Header("X-Docker-Container-Path-Stat", pathStat));
        }
        head(status, h);
        out.flush();
        OutputStream chunked = HttpWriter.chunked(out);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                chunked.write(b, off, len);
                chunked.flush();
                note(b, off, len);
            }

            @Override
            public void close() throws IOException {
                chunked.close();
            }
        };
    }

    /** Switches the connection to a raw stream, as dockerd answers an attach or exec start. */
    public OutputStream upgrade(String contentType) throws IOException {
        kind = "hijacked";
        status = 101;
        committed = true;
        List<Header> h = new ArrayList<>();
        h.add(new Header("Content-Type", contentType));
        h.add(new Header("Connection", "Upgrade"));
        h.add(new Header("Upgrade", "tcp"));
        HttpWriter.responseHead(out, 101, "UPGRADED", h);
        out.flush();
        return out;
    }

    private void head(int status, List<Header> headers) throws IOException {
        if (committed) {
            throw new IllegalStateException("response already started");
        }
        this.status = status;
        committed = true;
        HttpWriter.responseHead(out, status, reason(status), headers);
    }

    private List<Header> headers(String contentType, long length) {
        List<Header> h = new ArrayList<>();
        h.add(new Header("Api-Version", EngineClient.API_VERSION));
        h.add(new Header("Docker-Experimental", "false"));
        h.add(new Header("Ostype", "linux"));
        h.add(new Header("Server", serverHeader));
        if (contentType != null) {
            h.add(new Header("Content-Type", contentType));
        }
        if (length >= 0) {
            h.add(new Header("Content-Length", String.valueOf(length)));
        } else {
            h.add(new Header("Transfer-Encoding", "chunked"));
        }
        h.add(new Header("Connection", "close"));
        return h;
    }

    void note(byte[] b, int off, int len) {
        int room = EXCERPT_BYTES - excerpt.length();
        if (room > 0) {
            excerpt.append(new String(b, off, Math.min(len, room), StandardCharsets.UTF_8));
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
