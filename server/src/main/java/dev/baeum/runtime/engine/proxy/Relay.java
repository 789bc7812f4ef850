package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Carries an engine answer back to the learner: JSON rewritten, streams passed on as they come. */
final class Relay {

    static final int MAX_JSON = 32 * 1024 * 1024;

    private Relay() {
    }

    /** Sends a buffered request and returns the engine's answer with its body. */
    static EngineClient.Response call(Ctx ctx, String method, String path, byte[] body) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open(method, path, body, body == null ? null : "application/json", false)) {
            ResponseHead head = ex.response(method.equals("HEAD"));
            return new EngineClient.Response(head.status(), ex.reader().readBody(MAX_JSON));
        }
    }

    /** Relays a JSON answer, letting {@code rewrite} change a successful body; errors come back scrubbed. */
    static void json(Ctx ctx, ClientReply reply, EngineClient.Response r, UnaryOperator<JsonNode> rewrite) throws IOException {
        if (!r.ok()) {
            error(ctx, reply, r);
            return;
        }
        if (r.body().length == 0) {
            reply.empty(r.status());
            return;
        }
        JsonNode node = ctx.json.readTree(r.body());
        reply.json(r.status(), rewrite.apply(node));
    }

    static void error(Ctx ctx, ClientReply reply, EngineClient.Response r) throws IOException {
        reply.error(r.status(), ctx.names.scrub(ctx.engine.message(r.body())));
    }

    /** Sends a request without a body and relays the answer as it comes ({@link #plain}). */
    static void forward(Ctx ctx, ClientReply reply, String method, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open(method, path, null, null, false)) {
            plain(ctx, reply, ex, ex.response(false));
        }
    }

    /** Relays an answer with no body to rewrite (204s, plain text, tar streams), status and all. */
    static void plain(Ctx ctx, ClientReply reply, EngineClient.Exchange ex, ResponseHead head) throws IOException {
        if (head.status() >= 400) {
            error(ctx, reply, new EngineClient.Response(head.status(), ex.reader().readBody(MAX_JSON)));
            return;
        }
        if (head.status() == 204 || head.status() == 304) {
            reply.empty(head.status());
            return;
        }
        String type = head.headers().get("Content-Type");
        try (OutputStream out = reply.stream(head.status(), type == null ? "application/octet-stream" : type)) {
            ex.reader().body().transferTo(out);
        }
    }

    /**
     * Relays a stream of JSON lines (events, build output, stats), rewriting each line; a null from the
     * rewrite drops the line.
     */
    static void lines(Ctx ctx, ClientReply reply, EngineClient.Exchange ex, ResponseHead head,
                      UnaryOperator<String> rewrite) throws IOException {
        if (head.status() >= 400) {
            error(ctx, reply, new EngineClient.Response(head.status(), ex.reader().readBody(MAX_JSON)));
            return;
        }
        String type = head.headers().get("Content-Type");
        InputStream body = ex.reader().body();
        try (OutputStream out = reply.stream(head.status(), type == null ? "application/json" : type);
             BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 16 * 1024)) {
            String line;
            while ((line = in.readLine()) != null) {
                String rewritten = rewrite.apply(line);
                if (rewritten != null) {
                    out.write((rewritten + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
