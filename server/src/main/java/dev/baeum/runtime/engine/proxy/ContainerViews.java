package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the session's containers look to the learner ({@code docker ps}, {@code inspect}, {@code stats}): only their
 * own, under the names they gave them, with published ports read from the label and the platform's labels,
 * cgroup and namespaced names taken out.
 */
final class ContainerViews {

    private final Ctx ctx;

    ContainerViews(Ctx ctx) {
        this.ctx = ctx;
    }

    void list(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        List<String> nameFilters = filters.remove("name");
        List<String> ancestors = filters.remove("ancestor");
        List<String> networks = filters.remove("network");
        List<String> volumes = filters.remove("volume");
        for (String key : filters.keySet()) {
            if (!Set.of("label", "status", "exited", "health", "id", "before", "since", "isolation", "is-task",
                    "publish", "expose").contains(key)) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        filters.remove("publish"); // our ports are labels, not engine ports: matched below
        List<String> publish = r.query().filters(ctx.json).get("publish");
        ArrayNode all = ctx.ownedContainers(filters, r.query().flag("size"));
        boolean showAll = r.query().flag("all");
        ArrayNode out = ctx.json.createArrayNode();
        for (JsonNode c : all) {
            ObjectNode entry = (ObjectNode) c;
            if (!showAll && !"running".equals(entry.path("State").asText()) && filters.get("status") == null
                    && filters.get("exited") == null) {
                continue;
            }
            rewriteListed(entry);
            if (nameFilters != null && nameFilters.stream().noneMatch(f -> matchesName(entry, f))) {
                continue;
            }
            if (ancestors != null && ancestors.stream().noneMatch(a -> ancestor(entry, a))) {
                continue;
            }
            if (networks != null && networks.stream().noneMatch(nf -> entry.path("NetworkSettings").path("Networks").has(nf))) {
                continue;
            }
            if (volumes != null && volumes.stream().noneMatch(v -> mountsVolume(entry, v))) {
                continue;
            }
            if (publish != null && publish.stream().noneMatch(p -> publishes(entry, p))) {
                continue;
            }
            out.add(entry);
        }
        String limit = r.query().get("limit");
        if (limit != null && limit.matches("[0-9]{1,6}") && Integer.parseInt(limit) > 0 && out.size() > Integer.parseInt(limit)) {
            ArrayNode cut = ctx.json.createArrayNode();
            for (int i = 0; i < Integer.parseInt(limit); i++) {
                cut.add(out.get(i));
            }
            out = cut;
        }
        reply.json(200, out);
    }

    private static boolean matchesName(JsonNode entry, String filter) {
        for (JsonNode n : entry.path("Names")) {
            try {
                var pattern = java.util.regex.Pattern.compile(filter);
                // As the engine does: the name with its leading slash, or without it.
                if (pattern.matcher(n.asText()).find() || pattern.matcher(n.asText().replaceFirst("^/", "")).find()) {
                    return true;
                }
            } catch (java.util.regex.PatternSyntaxException e) {
                throw Refusal.badRequest("name 필터가 올바른 정규식이 아닙니다: " + filter);
            }
        }
        return false;
    }

    private boolean ancestor(JsonNode entry, String ref) {
        return ctx.findImage(ref).map(img -> img.id().equals(entry.path("ImageID").asText())).orElse(false);
    }

    private static boolean mountsVolume(JsonNode entry, String volume) {
        for (JsonNode m : entry.path("Mounts")) {
            if (volume.equals(m.path("Name").asText()) || volume.equals(m.path("Destination").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean publishes(JsonNode entry, String port) {
        for (JsonNode p : entry.path("Ports")) {
            String hostPort = p.path("PublicPort").asText();
            if (port.equals(hostPort) || port.equals(hostPort + "/" + p.path("Type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A {@code /containers/json} entry as the learner should see it. */
    private void rewriteListed(ObjectNode c) {
        List<String> learnerNames = names(c);
        ArrayNode names = c.putArray("Names");
        learnerNames.forEach(names::add);
        c.put("Image", learnerImage(c.path("Image").asText()));
        ObjectNode ports = ContainerPorts.published(ctx.json, c.path("Labels"));
        boolean running = "running".equals(c.path("State").asText());
        List<JsonNode> exposed = new ArrayList<>();
        c.path("Ports").forEach(exposed::add);
        ArrayNode list = c.putArray("Ports");
        Set<String> shown = new HashSet<>();
        if (running) { // published ports are forwarded while the container runs, as Docker binds them only then
            ports.fields().forEachRemaining(e -> {
                String[] pt = e.getKey().split("/");
                for (JsonNode b : e.getValue()) {
                    list.addObject().put("IP", b.path("HostIp").asText("0.0.0.0")).put("PrivatePort", Integer.parseInt(pt[0]))
                            .put("PublicPort", Integer.parseInt(b.path("HostPort").asText())).put("Type", pt[1]);
                    shown.add(e.getKey());
                }
            });
        }
        for (JsonNode p : exposed) { // exposed ports nobody published: "80/tcp", as docker ps shows them
            String key = p.path("PrivatePort").asInt() + "/" + p.path("Type").asText("tcp");
            if (shown.add(key)) {
                list.addObject().put("PrivatePort", p.path("PrivatePort").asInt()).put("Type", p.path("Type").asText("tcp"));
            }
        }
        Ctx.stripOurLabels(c.path("Labels"));
        if (c.path("HostConfig") instanceof ObjectNode h && h.has("NetworkMode")) {
            h.put("NetworkMode", ctx.learnerNetwork(h.path("NetworkMode").asText()));
        }
        renameNetworks(c.path("NetworkSettings").path("Networks"));
        for (JsonNode m : c.path("Mounts")) {
            renameMount((ObjectNode) m);
        }
    }

    private List<String> names(JsonNode c) {
        List<String> out = new ArrayList<>();
        JsonNode names = c.path("Names");
        if (names.isArray()) {
            names.forEach(n -> out.add(ctx.learnerName(n.asText())));
        }
        return out;
    }

    /** A container's inspect answer as the learner should see it. */
    ObjectNode rewrite(ObjectNode c) {
        c.put("Name", ctx.learnerName(c.path("Name").asText()));
        JsonNode labels = c.path("Config").path("Labels");
        ObjectNode ports = ContainerPorts.published(ctx.json, labels);
        if (c.path("Config") instanceof ObjectNode config) {
            config.put("Image", learnerImage(config.path("Image").asText()));
            Ctx.stripOurLabels(config.path("Labels"));
        }
        if (c.path("HostConfig") instanceof ObjectNode host) {
            host.put("NetworkMode", ctx.learnerNetwork(host.path("NetworkMode").asText()));
            host.set("PortBindings", ports);
            host.remove("CgroupParent");
        }
        if (c.path("NetworkSettings") instanceof ObjectNode net) {
            renameNetworks(net.path("Networks"));
            ObjectNode shown = ctx.json.createObjectNode();
            JsonNode exposed = c.path("Config").path("ExposedPorts");
            if (exposed.isObject()) {
                exposed.fieldNames().forEachRemaining(p -> shown.putNull(p));
            }
            if ("true".equals(c.path("State").path("Running").asText())) {
                shown.setAll(ports);
            }
            net.set("Ports", shown);
        }
        for (JsonNode m : c.path("Mounts")) {
            renameMount((ObjectNode) m);
        }
        return c;
    }

    private void renameNetworks(JsonNode networks) {
        if (networks instanceof ObjectNode nets) {
            Map<String, JsonNode> renamed = new LinkedHashMap<>();
            nets.fields().forEachRemaining(e -> renamed.put(ctx.learnerNetwork(e.getKey()), e.getValue()));
            nets.removeAll();
            renamed.forEach(nets::set);
        }
    }

    private void renameMount(ObjectNode m) {
        if (m.has("Name")) {
            String name = ctx.learnerName(m.path("Name").asText());
            if (name.startsWith("bind-")) { // a lab's bind folder: shown as the bind mount the learner asked for
                String folder = "/home/learner/" + name.substring("bind-".length());
                m.remove(List.of("Name", "Driver"));
                m.put("Type", "bind").put("Source", folder).put("Propagation", "rprivate");
                return;
            }
            m.put("Name", name);
        }
        if (m.has("Source")) {
            m.put("Source", ctx.names.scrub(m.path("Source").asText()));
        }
    }

    private String learnerImage(String engineRef) {
        return ctx.names.learnerImage(engineRef).map(Object::toString).orElse(engineRef);
    }

    /** {@code docker stats}: one JSON line at a time, with the learner's names. */
    void stats(ClientReply reply, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open("GET", path, null, null, false)) {
            ResponseHead head = ex.response(false);
            Relay.lines(ctx, reply, ex, head, line -> {
                try {
                    JsonNode node = ctx.json.readTree(line);
                    if (node instanceof ObjectNode o) {
                        o.put("name", ctx.learnerName(o.path("name").asText()));
                        renameNetworks(o.path("networks"));
                        return o.toString();
                    }
                } catch (IOException ignored) {
                    // not JSON: pass it on scrubbed
                }
                return ctx.names.scrub(line);
            });
        }
    }
}
