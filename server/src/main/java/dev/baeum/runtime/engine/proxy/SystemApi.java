package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events}, {@code /system/df}: the engine as this session sees it. */
final class SystemApi {

    private final Ctx ctx;

    SystemApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void ping(ApiRequest r, ClientReply reply) throws IOException {
        if (r.is("HEAD")) {
            reply.empty(200);
        } else {
            reply.text(200, "text/plain; charset=utf-8", "OK");
        }
    }

    void version(ClientReply reply) throws IOException {
        reply.json(200, ctx.engine.get("/version"));
    }

    /** docker info: the engine's facts, with counts of this session's objects and nothing about the server's files. */
    void info(ClientReply reply) throws IOException {
        ObjectNode info = (ObjectNode) ctx.engine.get("/info");
        ArrayNode containers = ctx.ownedContainers(Map.of(), false);
        int running = 0;
        int paused = 0;
        for (JsonNode c : containers) {
            switch (c.path("State").asText()) {
                case "running" -> running++;
                case "paused" -> paused++;
                default -> {
                }
            }
        }
        info.put("Containers", containers.size());
        info.put("ContainersRunning", running);
        info.put("ContainersPaused", paused);
        info.put("ContainersStopped", containers.size() - running - paused);
        info.put("Images", ctx.visibleImageIds().size());
        info.put("Name", "baeum");
        info.put("ID", ctx.scope.prefix());
        info.put("DockerRootDir", "");
        info.put("HttpProxy", "");
        info.put("HttpsProxy", "");
        info.put("NoProxy", "");
        info.putArray("Labels");
        info.putArray("Warnings");
        info.remove("DriverStatus");
        reply.json(200, info);
    }

    void df(ClientReply reply) throws IOException {
        ObjectNode df = (ObjectNode) ctx.engine.get("/system/df");
        Set<String> visible = ctx.visibleImageIds().keySet();
        ArrayNode images = ctx.json.createArrayNode();
        long layers = 0;
        for (JsonNode img : df.path("Images")) {
            if (visible.contains(img.path("Id").asText())) {
                ObjectNode o = (ObjectNode) img;
                List<String> shown = ctx.visibleTags(img.path("RepoTags"));
                ArrayNode tags = o.putArray("RepoTags");
                if (shown.isEmpty()) {
                    tags.add("<none>:<none>");
                } else {
                    shown.forEach(tags::add);
                }
                layers += img.path("Size").asLong(0);
                images.add(o);
            }
        }
        Set<String> owned = new HashSet<>();
        ctx.ownedContainers(Map.of(), false).forEach(c -> owned.add(c.path("Id").asText()));
        ArrayNode containers = ctx.json.createArrayNode();
        for (JsonNode c : df.path("Containers")) {
            if (owned.contains(c.path("Id").asText())) {
                ObjectNode o = (ObjectNode) c;
                List<String> shownNames = new java.util.ArrayList<>();
                c.path("Names").forEach(n -> shownNames.add(ctx.learnerName(n.asText())));
                ArrayNode names = o.putArray("Names");
                shownNames.forEach(names::add);
                o.put("Image", ctx.names.learnerImage(o.path("Image").asText()).map(Object::toString).orElse(o.path("Image").asText()));
                Ctx.stripOurLabels(o.path("Labels"));
                containers.add(o);
            }
        }
        ArrayNode volumes = ctx.json.createArrayNode();
        for (JsonNode v : df.path("Volumes")) {
            if (ctx.scope.owns(Ctx.labels(v.path("Labels"))) && !"bind".equals(v.path("Labels").path("baeum.role").asText())) {
                ObjectNode o = (ObjectNode) v;
                String name = ctx.learnerName(o.path("Name").asText());
                o.put("Name", name);
                o.put("Mountpoint", ctx.names.scrub(o.path("Mountpoint").asText()));
                Ctx.stripOurLabels(o.path("Labels"));
                volumes.add(o);
            }
        }
        df.put("LayersSize", layers);
        df.set("Images", images);
        df.set("Containers", containers);
        df.set("Volumes", volumes);
        df.putArray("BuildCache");
        reply.json(200, df);
    }

    /** docker events: only what happens to this session's objects, with its names. */
    void events(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        for (String key : filters.keySet()) {
            if (!key.equals("type") && !key.equals("event")) {
                throw Refusal.badRequest("docker events 에서는 type 과 event 필터만 쓸 수 있습니다: " + key);
            }
        }
        Map<String, Object> q = new java.util.LinkedHashMap<>(r.query().only("since", "until"));
        if (!filters.isEmpty()) {
            q.put("filters", Query.filtersJson(ctx.json, filters));
        }
        Set<String> owned = new HashSet<>(ctx.ownedContainerIds());
        try (EngineClient.Exchange ex = ctx.engine.open("GET", "/events" + Query.build(q), null, null, false)) {
            ResponseHead head = ex.response(false);
            Relay.lines(ctx, reply, ex, head, line -> event(line, owned));
        }
    }

    private String event(String line, Set<String> owned) {
        JsonNode node;
        try {
            node = ctx.json.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (!(node instanceof ObjectNode e)) {
            return null;
        }
        ObjectNode attrs = e.path("Actor").path("Attributes") instanceof ObjectNode a ? a : ctx.json.createObjectNode();
        String type = e.path("Type").asText();
        boolean show;
        switch (type) {
            case "container" -> {
                show = ctx.scope.sessionId().equals(attrs.path(EngineScope.SESSION).asText())
                        && EngineScope.LEARNER.equals(attrs.path(EngineScope.PURPOSE).asText());
                if (show) {
                    owned.add(e.path("Actor").path("ID").asText());
                    attrs.put("name", ctx.learnerName(attrs.path("name").asText()).replaceFirst("^/", ""));
                    String image = attrs.path("image").asText("");
                    attrs.put("image", ctx.names.learnerImage(image).map(Object::toString).orElse(image));
                    if (e.has("from")) {
                        e.put("from", attrs.path("image").asText());
                    }
                }
            }
            case "network" -> {
                String name = attrs.path("name").asText();
                String container = attrs.path("container").asText("");
                show = (name.equals(ctx.scope.network()) || ctx.names.learnerObject(name).isPresent())
                        && (container.isEmpty() || owned.contains(container));
                if (show) {
                    attrs.put("name", ctx.learnerNetwork(name));
                }
            }
            case "volume" -> {
                String name = e.path("Actor").path("ID").asText();
                String container = attrs.path("container").asText("");
                show = ctx.names.learnerObject(name).filter(n -> !n.startsWith("bind-")).isPresent()
                        && (container.isEmpty() || owned.contains(container));
                if (show) {
                    String n = ctx.learnerName(name);
                    ((ObjectNode) e.path("Actor")).put("ID", n);
                }
            }
            case "image" -> {
                String name = attrs.path("name").asText(e.path("Actor").path("ID").asText());
                show = ctx.names.learnerImage(name).isPresent();
                if (show) {
                    attrs.put("name", ctx.names.learnerImage(name).get().toString());
                }
            }
            default -> show = false;
        }
        if (!show) {
            return null;
        }
        for (var it = attrs.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("baeum.")) {
                it.remove();
            }
        }
        return ctx.names.scrub(e.toString());
    }
}
