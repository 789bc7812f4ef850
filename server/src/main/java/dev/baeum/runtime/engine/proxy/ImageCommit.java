package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code docker commit}: a new image of the session's own container, with only harmless changes, within the image count. */
final class ImageCommit {

    private final Ctx ctx;

    ImageCommit(Ctx ctx) {
        this.ctx = ctx;
    }

    /** {@code docker commit}: a new image of the session's own container, with only harmless changes. */
    void commit(ApiRequest r, ClientReply reply) throws IOException {
        String container = ctx.container(r.query().get("container"));
        byte[] body = r.reader().readBody(64 * 1024);
        JsonNode config = body.length == 0 ? ctx.json.createObjectNode() : ctx.json.readTree(body);
        Fields.onlyKnown(config, "", Set.of("Cmd", "Entrypoint", "Env", "ExposedPorts", "Labels", "User", "WorkingDir",
                "Hostname", "Domainname", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce"), Map.of());
        if (config.path("Labels").isObject()) {
            config.path("Labels").fieldNames().forEachRemaining(k -> {
                if (k.startsWith("baeum.")) {
                    throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 붙일 수 없습니다.");
                }
            });
        }
        for (String change : r.query().all("changes")) {
            for (String line : change.split("\n")) {
                String word = line.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
                if (!line.isBlank() && !Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "WORKDIR").contains(word)) {
                    throw Refusal.forbidden("docker commit --change 에는 CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR 만 쓸 수 있습니다: " + line);
                }
                if (word.equals("LABEL") && line.contains("baeum.")) {
                    throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 붙일 수 없습니다.");
                }
            }
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("container", container);
        String repo = r.query().get("repo");
        if (repo != null && !repo.isEmpty()) {
            String tag = r.query().get("tag");
            ImageRef target = ImageRef.parse(repo + (tag == null || tag.isEmpty() ? "" : ":" + tag))
                    .filter(t -> t.digest() == null && Names.namespaceable(t))
                    .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + repo));
            q.put("repo", ctx.names.repository(target.withDefaultTag()));
            q.put("tag", target.withDefaultTag().tag());
        }
        q.putAll(r.query().only("comment", "author", "pause", "changes"));
        ctx.lock.lock();
        try {
            new ImageApi(ctx).checkQuota();
            EngineClient.Response made = Relay.call(ctx, "POST", "/commit" + Query.build(q), ctx.json.writeValueAsBytes(config));
            if (made.ok()) {
                ctx.ledger.record(ctx.scope.sessionId(), ctx.json.readTree(made.body()).path("Id").asText());
            }
            Relay.json(ctx, reply, made, node -> node);
        } finally {
            ctx.lock.unlock();
        }
    }
}
