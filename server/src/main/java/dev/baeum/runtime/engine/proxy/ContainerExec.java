package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineException;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** {@code docker attach} and {@code docker exec}: hijacked streams into the session's own containers only. */
final class ContainerExec {

    private final Ctx ctx;

    ContainerExec(Ctx ctx) {
        this.ctx = ctx;
    }

    /** {@code docker attach}: the container's streams over the hijacked connection. */
    void attach(ApiRequest r, ClientReply reply, Conn conn, String base, Query q) throws IOException {
        r.reader().readBody(0);
        Hijack.run(ctx, reply, conn, base + "attach" + Query.build(q.only("stream", "stdin", "stdout", "stderr",
                "logs", "detachKeys")), null);
    }

    /** {@code POST /containers/{id}/exec}: never privileged. */
    void create(ApiRequest r, ClientReply reply, String base) throws IOException {
        JsonNode body = new ContainerApi(ctx).readJson(r, 256 * 1024);
        Fields.onlyKnown(body, "", Set.of("AttachStdin", "AttachStdout", "AttachStderr", "DetachKeys", "Tty", "Env", "Cmd",
                "User", "WorkingDir", "ConsoleSize"), Map.of("Privileged", "docker exec --privileged 는 쓸 수 없습니다."));
        ObjectNode out = ctx.json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("Privileged")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        out.put("Privileged", false);
        Relay.json(ctx, reply, Relay.call(ctx, "POST", base + "exec", ctx.json.writeValueAsBytes(out)), node -> node);
    }

    /** {@code /exec/{id}/…}: only exec instances of the session's own containers. */
    void route(ApiRequest r, ClientReply reply, Conn conn) throws IOException {
        if (r.size() != 3) {
            throw ContainerApi.unknown(r);
        }
        String execId = r.segment(1);
        if (!Ctx.FULL_ID.matcher(execId).matches()) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        JsonNode info;
        try {
            info = ctx.engine.get("/exec/" + execId + "/json");
        } catch (EngineException e) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        try {
            ctx.container(info.path("ContainerID").asText());
        } catch (Refusal notOurs) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        String base = "/exec/" + execId + "/";
        switch (r.method() + " " + r.segment(2)) {
            case "GET json" -> reply.json(200, info);
            case "POST resize" ->
                    Relay.forward(ctx, reply, "POST", base + "resize" + Query.build(ContainerApi.numbers(r.query(), "h", "w")));
            case "POST start" -> {
                JsonNode body = new ContainerApi(ctx).readJson(r, 64 * 1024);
                ObjectNode out = ctx.json.createObjectNode();
                out.put("Detach", body.path("Detach").asBoolean(false)).put("Tty", body.path("Tty").asBoolean(false));
                if (body.path("ConsoleSize").isArray()) {
                    out.set("ConsoleSize", body.get("ConsoleSize"));
                }
                if (out.path("Detach").asBoolean()) {
                    Relay.json(ctx, reply, Relay.call(ctx, "POST", base + "start", ctx.json.writeValueAsBytes(out)), n -> n);
                } else {
                    Hijack.run(ctx, reply, conn, base + "start", ctx.json.writeValueAsBytes(out));
                }
            }
            default -> throw ContainerApi.unknown(r);
        }
    }
}
