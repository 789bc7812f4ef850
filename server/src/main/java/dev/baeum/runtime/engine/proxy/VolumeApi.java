package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /volumes/…}: the session's volumes, local driver only and without driver options (which would turn
 * a "volume" into a bind mount of any host path).
 */
final class VolumeApi {

    private final Ctx ctx;

    VolumeApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply) throws IOException {
        int n = r.size();
        if (n == 1 && r.is("GET")) {
            list(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("create")) {
            create(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("prune")) {
            prune(r, reply);
        } else if (n == 2 && r.is("GET")) {
            JsonNode v = ctx.ownedVolume(r.segment(1)).orElseThrow(() -> missing(r.segment(1)));
            reply.json(200, rewrite((ObjectNode) v));
        } else if (n == 2 && r.is("DELETE")) {
            JsonNode v = ctx.ownedVolume(r.segment(1)).orElseThrow(() -> missing(r.segment(1)));
            EngineClient.Response removed = Relay.call(ctx, "DELETE", "/volumes/" + v.path("Name").asText()
                    + Query.build(r.query().only("force")), null);
            if (removed.ok()) {
                reply.empty(204);
            } else {
                Relay.error(ctx, reply, removed);
            }
        } else {
            throw ContainerApi.unknown(r);
        }
    }

    private static Refusal missing(String name) {
        return Refusal.notFound("get " + name + ": no such volume");
    }

    /** The session's volumes, without the ones behind the lab's bind folders. */
    private List<JsonNode> owned() {
        Map<String, Object> q = Map.of("filters", Query.filtersJson(ctx.json, Map.of("label", ctx.scope.labelFilter())));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : ctx.engine.get("/volumes" + Query.build(q)).path("Volumes")) {
            if (!"bind".equals(v.path("Labels").path("baeum.role").asText())) {
                out.add(v);
            }
        }
        return out;
    }

    private void list(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        ArrayNode volumes = ctx.json.createArrayNode();
        Set<String> used = null;
        for (JsonNode v : owned()) {
            ObjectNode o = rewrite((ObjectNode) v);
            boolean keep = true;
            for (Map.Entry<String, List<String>> f : filters.entrySet()) {
                String key = f.getKey();
                if (key.equals("dangling")) {
                    if (used == null) {
                        used = usedVolumes();
                    }
                    boolean dangling = !used.contains(v.path("Name").asText());
                    keep &= f.getValue().contains(String.valueOf(dangling)) || f.getValue().contains(dangling ? "1" : "0");
                } else if (key.equals("name")) {
                    keep &= f.getValue().stream().anyMatch(x -> o.path("Name").asText().contains(x));
                } else if (key.equals("driver")) {
                    keep &= f.getValue().contains("local");
                } else if (key.equals("label")) {
                    keep &= f.getValue().stream().allMatch(x -> {
                        String[] kv = x.split("=", 2);
                        JsonNode val = o.path("Labels").get(kv[0]);
                        return val != null && (kv.length == 1 || val.asText().equals(kv[1]));
                    });
                } else {
                    throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
                }
            }
            if (keep) {
                volumes.add(o);
            }
        }
        ObjectNode out = ctx.json.createObjectNode();
        out.set("Volumes", volumes);
        out.putNull("Warnings");
        reply.json(200, out);
    }

    private Set<String> usedVolumes() {
        Set<String> used = new java.util.HashSet<>();
        for (JsonNode c : ctx.ownedContainers(Map.of(), false)) {
            for (JsonNode m : c.path("Mounts")) {
                used.add(m.path("Name").asText());
            }
        }
        return used;
    }

    ObjectNode rewrite(ObjectNode v) {
        v.put("Name", ctx.learnerName(v.path("Name").asText()));
        v.put("Mountpoint", ctx.names.scrub(v.path("Mountpoint").asText()));
        Ctx.stripOurLabels(v.path("Labels"));
        return v;
    }

    private void create(ApiRequest r, ClientReply reply) throws IOException {
        JsonNode body = new ContainerApi(ctx).readJson(r, 64 * 1024);
        Fields.onlyKnown(body, "", Set.of("Name", "Driver", "Labels"), Map.of("DriverOpts",
                "볼륨 드라이버 옵션(-o, --opt)은 쓸 수 없습니다: type=none,o=bind,device=… 같은 옵션은 볼륨을 서버의 경로로 바꿉니다."));
        String driver = body.path("Driver").asText("local");
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw Refusal.forbidden("볼륨 드라이버는 local 만 쓸 수 있습니다: " + driver);
        }
        String name = body.path("Name").asText("");
        String engineName;
        if (name.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            engineName = ctx.names.object(HexFormat.of().formatHex(random));
        } else if (!Names.validObjectName(name) || name.startsWith("bind-")) {
            throw Refusal.badRequest("볼륨 이름이 올바르지 않습니다: " + name);
        } else {
            engineName = ctx.names.object(name);
        }
        ctx.lock.lock();
        try {
            if (ctx.ownedVolume(name).isEmpty()) {
                checkQuota(ctx);
            }
            ObjectNode out = ctx.json.createObjectNode().put("Name", engineName).put("Driver", "local");
            ObjectNode labels = out.putObject("Labels");
            ctx.learnerLabels(body.path("Labels")).forEach(labels::put);
            Relay.json(ctx, reply, Relay.call(ctx, "POST", "/volumes/create", ctx.json.writeValueAsBytes(out)),
                    v -> rewrite((ObjectNode) v));
        } finally {
            ctx.lock.unlock();
        }
    }

    static void checkQuota(Ctx ctx) {
        Map<String, Object> q = Map.of("filters", Query.filtersJson(ctx.json, Map.of("label", ctx.scope.labelFilter())));
        int count = 0;
        for (JsonNode v : ctx.engine.get("/volumes" + Query.build(q)).path("Volumes")) {
            if (!"true".equals(v.path("Labels").path("baeum.anonymous").asText()) && !"bind".equals(v.path("Labels").path("baeum.role").asText())) {
                count++;
            }
        }
        if (count >= ctx.scope.budget().maxVolumes()) {
            throw Refusal.forbidden("이 실습 세션에서는 볼륨을 " + ctx.scope.budget().maxVolumes()
                    + "개까지 만들 수 있습니다. 쓰지 않는 볼륨을 지우세요 (docker volume rm, docker volume prune).");
        }
    }

    private void prune(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        for (String key : filters.keySet()) {
            if (!key.equals("label") && !key.equals("label!")) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        List<String> labels = new ArrayList<>(filters.getOrDefault("label", List.of()));
        labels.addAll(ctx.scope.labelFilter());
        filters.put("label", labels);
        List<String> not = new ArrayList<>(filters.getOrDefault("label!", List.of()));
        not.add("baeum.role=bind");
        filters.put("label!", not);
        Relay.json(ctx, reply, Relay.call(ctx, "POST", "/volumes/prune" + Query.build(Map.of("filters",
                Query.filtersJson(ctx.json, filters))), null), node -> {
            if (node.path("VolumesDeleted") instanceof ArrayNode a) {
                ArrayNode renamed = ctx.json.createArrayNode();
                a.forEach(v -> {
                    renamed.add(ctx.learnerName(v.asText()));
                });
                ((ObjectNode) node).set("VolumesDeleted", renamed);
            }
            return node;
        });
    }

    static String sessionLabel(EngineScope scope) {
        return EngineScope.SESSION + "=" + scope.sessionId();
    }
}
