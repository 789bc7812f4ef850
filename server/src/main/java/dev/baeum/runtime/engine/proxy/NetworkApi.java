package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /networks/…}: the session's default network (shown as "bridge"), networks the learner creates, and
 * "none". Every network is an internal bridge with no address for the server on it: containers reach each
 * other by name and nothing else, not the internet, not the server, not other sessions.
 */
final class NetworkApi {

    /** The options every session network gets: no route out, and no server address to reach. */
    static final Map<String, String> OPTIONS = Map.of("com.docker.network.bridge.inhibit_ipv4", "true");
    /** Whether the learner asked for --internal (every session network is internal anyway). */
    static final String INTERNAL_LABEL = "baeum.internal";

    private final Ctx ctx;

    NetworkApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply) throws IOException {
        int n = r.size();
        if (n == 1 && r.is("GET")) {
            list(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("create")) {
            create(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("prune")) {
            prune(reply);
        } else if (n == 2 && r.is("GET")) {
            if (r.segment(1).equals("none")) {
                reply.json(200, none());
                return;
            }
            String id = ctx.network(r.segment(1));
            Relay.json(ctx, reply, Relay.call(ctx, "GET", "/networks/" + id, null), net -> rewrite((ObjectNode) net));
        } else if (n == 2 && r.is("DELETE")) {
            remove(reply, r.segment(1));
        } else if (n == 3 && r.is("POST") && (r.segment(2).equals("connect") || r.segment(2).equals("disconnect"))) {
            connect(r, reply, r.segment(1), r.segment(2));
        } else {
            throw ContainerApi.unknown(r);
        }
    }

    private void list(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        ArrayNode out = ctx.json.createArrayNode();
        List<JsonNode> all = new ArrayList<>();
        ctx.ownedNetworks().forEach(all::add);
        all.add(none());
        for (JsonNode net : all) {
            ObjectNode o = rewrite((ObjectNode) net.deepCopy());
            if (matches(o, filters)) {
                out.add(o);
            }
        }
        reply.json(200, out);
    }

    private static boolean matches(JsonNode net, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            boolean any = false;
            for (String v : f.getValue()) {
                any |= switch (f.getKey()) {
                    case "name" -> net.path("Name").asText().contains(v);
                    case "id" -> net.path("Id").asText().startsWith(v);
                    case "driver" -> net.path("Driver").asText().equals(v);
                    case "type" -> v.equals("custom") != net.path("Name").asText().matches("bridge|none");
                    case "scope" -> net.path("Scope").asText().equals(v);
                    case "label" -> {
                        String[] kv = v.split("=", 2);
                        JsonNode val = net.path("Labels").get(kv[0]);
                        yield val != null && (kv.length == 1 || val.asText().equals(kv[1]));
                    }
                    case "dangling" -> true;
                    default -> throw Refusal.badRequest("알 수 없는 필터입니다: " + f.getKey());
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode none() {
        try {
            JsonNode none = ctx.engine.get("/networks/none");
            ObjectNode o = (ObjectNode) none;
            o.putObject("Containers");
            return o;
        } catch (EngineException e) {
            return ctx.json.createObjectNode().put("Name", "none").put("Driver", "null").put("Scope", "local");
        }
    }

    /** A network as the learner sees it: its own name, only its own containers, none of our labels. */
    ObjectNode rewrite(ObjectNode net) {
        net.put("Name", ctx.learnerNetwork(net.path("Name").asText()));
        if (net.path("Containers") instanceof ObjectNode containers) {
            ObjectNode shown = ctx.json.createObjectNode();
            var owned = ctx.ownedContainerIds();
            containers.fields().forEachRemaining(e -> {
                if (owned.contains(e.getKey())) {
                    ObjectNode c = (ObjectNode) e.getValue();
                    c.put("Name", ctx.learnerName(c.path("Name").asText()));
                    shown.set(e.getKey(), c);
                }
            });
            net.set("Containers", shown);
        }
        // Every session network is internal underneath; show what the learner asked for, as tools like Compose
        // compare it with their own configuration.
        net.put("Internal", "true".equals(net.path("Labels").path(INTERNAL_LABEL).asText()));
        Ctx.stripOurLabels(net.path("Labels"));
        if (net.path("Options") instanceof ObjectNode o) {
            o.remove("com.docker.network.bridge.inhibit_ipv4");
        }
        return net;
    }

    private void create(ApiRequest r, ClientReply reply) throws IOException {
        JsonNode body = new ContainerApi(ctx).readJson(r, 64 * 1024);
        Fields.onlyKnown(body, "", Set.of("Name", "CheckDuplicate", "Driver", "Internal", "Attachable", "Labels",
                "EnableIPv6", "IPAM", "Options", "Scope"), Map.of("ConfigFrom", "네트워크 설정 복사(--config-from)는 쓸 수 없습니다.",
                "ConfigOnly", "--config-only 는 쓸 수 없습니다.", "Ingress", "--ingress 는 쓸 수 없습니다."));
        String name = Fields.text(body, "Name");
        if (name == null || !Names.validObjectName(name)) {
            throw Refusal.badRequest("네트워크 이름이 올바르지 않습니다: " + name);
        }
        if (name.equals("bridge") || name.equals("host") || name.equals("none")) {
            throw new Refusal(409, "network with name " + name + " already exists");
        }
        String driver = body.path("Driver").asText("bridge");
        if (!driver.isEmpty() && !driver.equals("bridge")) {
            throw Refusal.forbidden("네트워크 드라이버는 bridge 만 쓸 수 있습니다: " + driver);
        }
        if (body.path("EnableIPv6").asBoolean(false)) {
            throw Refusal.forbidden("IPv6 네트워크는 쓸 수 없습니다.");
        }
        JsonNode ipam = body.path("IPAM");
        if (!Fields.empty(ipam.path("Config")) || !Fields.empty(ipam.path("Options"))
                || !ipam.path("Driver").asText("default").matches("|default")) {
            throw Refusal.forbidden("서브넷·게이트웨이 지정(--subnet, --gateway, --ipam-driver)은 쓸 수 없습니다: 주소는 엔진이 고릅니다.");
        }
        if (!Fields.empty(body.path("Options"))) {
            throw Refusal.forbidden("네트워크 드라이버 옵션(-o)은 쓸 수 없습니다.");
        }
        ctx.lock.lock();
        try {
            if (ctx.ownedNetworks().size() - 1 >= ctx.scope.budget().maxNetworks()) {
                throw Refusal.forbidden("이 실습 세션에서는 네트워크를 " + ctx.scope.budget().maxNetworks()
                        + "개까지 만들 수 있습니다. 쓰지 않는 네트워크를 지우세요 (docker network rm, docker network prune).");
            }
            ObjectNode out = ctx.json.createObjectNode();
            out.put("Name", ctx.names.object(name)).put("CheckDuplicate", true).put("Driver", "bridge").put("Internal", true);
            ObjectNode options = out.putObject("Options");
            OPTIONS.forEach(options::put);
            ObjectNode labels = out.putObject("Labels");
            ctx.learnerLabels(body.path("Labels")).forEach(labels::put);
            labels.put(INTERNAL_LABEL, String.valueOf(body.path("Internal").asBoolean(false)));
            EngineClient.Response created = Relay.call(ctx, "POST", "/networks/create", ctx.json.writeValueAsBytes(out));
            if (created.ok()) {
                ctx.lab.joinNetwork(ctx.json.readTree(created.body()).path("Id").asText());
            }
            Relay.json(ctx, reply, created, node -> node);
        } finally {
            ctx.lock.unlock();
        }
    }

    private void remove(ClientReply reply, String ref) throws IOException {
        String id = ctx.network(ref);
        JsonNode net = ctx.engine.get("/networks/" + id);
        if (net.path("Name").asText().equals(ctx.scope.network())) {
            throw Refusal.forbidden("bridge is a pre-defined network and cannot be removed");
        }
        ctx.lab.leaveNetwork(id);
        EngineClient.Response removed = Relay.call(ctx, "DELETE", "/networks/" + id, null);
        if (!removed.ok()) {
            ctx.lab.joinNetwork(id);
            Relay.error(ctx, reply, removed);
            return;
        }
        reply.empty(204);
    }

    private void prune(ClientReply reply) throws IOException {
        ArrayNode deleted = ctx.json.createArrayNode();
        var owned = ctx.ownedContainerIds();
        for (JsonNode n : ctx.ownedNetworks()) {
            String name = n.path("Name").asText();
            if (name.equals(ctx.scope.network())) {
                continue;
            }
            JsonNode full = ctx.engine.get("/networks/" + n.path("Id").asText());
            boolean inUse = false;
            for (var it = full.path("Containers").fieldNames(); it.hasNext(); ) {
                inUse |= owned.contains(it.next());
            }
            if (!inUse) {
                ctx.lab.leaveNetwork(n.path("Id").asText());
                if (ctx.engine.call("DELETE", "/networks/" + n.path("Id").asText(), null).ok()) {
                    deleted.add(ctx.learnerNetwork(name));
                }
            }
        }
        ObjectNode out = ctx.json.createObjectNode();
        out.set("NetworksDeleted", deleted.isEmpty() ? ctx.json.nullNode() : deleted);
        reply.json(200, out);
    }

    private void connect(ApiRequest r, ClientReply reply, String ref, String action) throws IOException {
        String id = ctx.network(ref);
        JsonNode body = new ContainerApi(ctx).readJson(r, 64 * 1024);
        String container = ctx.container(Fields.text(body, "Container"));
        ObjectNode out = ctx.json.createObjectNode().put("Container", container);
        if (action.equals("disconnect")) {
            out.put("Force", body.path("Force").asBoolean(false));
        } else {
            JsonNode endpoint = body.path("EndpointConfig");
            if (!Fields.empty(endpoint.path("IPAMConfig"))) {
                throw Refusal.forbidden("고정 IP(--ip)는 쓸 수 없습니다.");
            }
            ArrayNode aliases = out.putObject("EndpointConfig").putArray("Aliases");
            for (JsonNode a : endpoint.path("Aliases")) {
                if (Names.validObjectName(a.asText())) {
                    aliases.add(a.asText());
                }
            }
            String name = ctx.engine.get("/containers/" + container + "/json").path("Name").asText();
            ctx.names.learnerObject(name).ifPresent(n -> aliases.add(n.replaceFirst("^/", "")));
        }
        EngineClient.Response done = Relay.call(ctx, "POST", "/networks/" + id + "/" + action, ctx.json.writeValueAsBytes(out));
        if (done.ok()) {
            reply.empty(200);
        } else {
            Relay.error(ctx, reply, done);
        }
    }
}
