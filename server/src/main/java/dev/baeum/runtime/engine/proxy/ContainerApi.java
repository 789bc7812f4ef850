package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /containers/…} and {@code /exec/…}: the learner's own containers only, under the walls. Routes each call,
 * after resolving the container to one the session owns, to {@link ContainerLifecycle}, {@link ContainerViews},
 * {@link ContainerArchives} or {@link ContainerExec}; every query sent on is rebuilt from the allowed parameters.
 */
final class ContainerApi {

    private final Ctx ctx;

    ContainerApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply, Conn conn) throws IOException {
        if (r.segment(0).equals("exec")) {
            new ContainerExec(ctx).route(r, reply, conn);
            return;
        }
        int n = r.size();
        if (n == 2 && r.is("GET") && r.segment(1).equals("json")) {
            new ContainerViews(ctx).list(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("create")) {
            new ContainerLifecycle(ctx).create(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("prune")) {
            new ContainerLifecycle(ctx).prune(r, reply);
        } else if (n == 2 && r.is("DELETE")) {
            new ContainerLifecycle(ctx).remove(r, reply, ctx.container(r.segment(1)));
        } else if (n == 3) {
            String id = ctx.container(r.segment(1));
            action(r, reply, conn, id, r.segment(2));
        } else if (n == 4 && r.segment(2).equals("attach") && r.segment(3).equals("ws")) {
            throw Refusal.forbidden("WebSocket attach 는 지원하지 않습니다. docker attach 를 쓰세요.");
        } else {
            throw unknown(r);
        }
    }

    static Refusal unknown(ApiRequest r) {
        return Refusal.notFound("이 실습 환경의 도커 엔진은 " + r.method() + " " + r.path() + " 을(를) 지원하지 않습니다.");
    }

    private void action(ApiRequest r, ClientReply reply, Conn conn, String id, String action) throws IOException {
        String base = "/containers/" + id + "/";
        Query q = r.query();
        ContainerLifecycle lifecycle = new ContainerLifecycle(ctx);
        switch (r.method() + " " + action) {
            case "GET json" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "json" + Query.build(q.only("size")), null),
                    c -> new ContainerViews(ctx).rewrite((ObjectNode) c));
            case "GET top" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "top" + Query.build(q.only("ps_args")), null), c -> c);
            case "GET changes" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "changes", null), c -> c);
            case "GET logs" -> Relay.forward(ctx, reply, "GET", base + "logs" + Query.build(q.only("follow", "stdout", "stderr",
                    "since", "until", "timestamps", "tail", "details")));
            case "GET stats" -> new ContainerViews(ctx).stats(reply, base + "stats" + Query.build(q.only("stream", "one-shot")));
            case "GET export" -> Relay.forward(ctx, reply, "GET", base + "export");
            case "POST start" -> lifecycle.start(reply, id, q);
            case "POST stop", "POST restart" -> Relay.forward(ctx, reply, "POST", base + action + Query.build(q.only("t")));
            case "POST kill" -> {
                String signal = q.get("signal");
                if (signal != null && !signal.matches("(SIG)?[A-Z0-9+-]{1,16}|[0-9]{1,2}")) {
                    throw Refusal.badRequest("시그널이 올바르지 않습니다: " + signal);
                }
                Relay.forward(ctx, reply, "POST", base + "kill" + Query.build(q.only("signal")));
            }
            case "POST pause", "POST unpause" -> Relay.forward(ctx, reply, "POST", base + action);
            case "POST resize" -> Relay.forward(ctx, reply, "POST", base + "resize" + Query.build(numbers(q, "h", "w")));
            case "POST wait" -> lifecycle.wait(reply, base, q);
            case "POST rename" -> lifecycle.rename(reply, id, q.get("name"));
            case "POST update" -> lifecycle.update(r, reply, base);
            case "POST attach" -> new ContainerExec(ctx).attach(r, reply, conn, base, q);
            case "POST exec" -> new ContainerExec(ctx).create(r, reply, base);
            case "GET archive", "HEAD archive" ->
                    new ContainerArchives(ctx).read(r, reply, base + "archive" + Query.build(q.only("path")));
            case "PUT archive" -> new ContainerArchives(ctx).write(r, reply, base + "archive"
                    + Query.build(q.only("path", "noOverwriteDirNonDir", "copyUIDGID")));
            default -> throw unknown(r);
        }
    }

    static Map<String, Object> numbers(Query q, String... keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            String v = q.get(k);
            if (v != null) {
                if (!v.matches("[0-9]{1,5}")) {
                    throw Refusal.badRequest(k + " 값이 올바르지 않습니다.");
                }
                out.put(k, v);
            }
        }
        return out;
    }

    JsonNode readJson(ApiRequest r, int max) throws IOException {
        byte[] bytes = r.reader().readBody(max);
        r.noteBody(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        if (bytes.length == 0) {
            return ctx.json.createObjectNode();
        }
        try {
            return ctx.json.readTree(bytes);
        } catch (IOException e) {
            throw Refusal.badRequest("요청 본문이 올바른 JSON이 아닙니다.");
        }
    }
}
