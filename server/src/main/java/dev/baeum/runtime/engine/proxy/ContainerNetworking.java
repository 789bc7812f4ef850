package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A learner container's network and its endpoint: only the session's networks, never the host's, no fixed addresses. */
final class ContainerNetworking {

    private final Ctx ctx;

    ContainerNetworking(Ctx ctx) {
        this.ctx = ctx;
    }

    /** The container's network: the session's default network, one of its own, none, or another of its containers. */
    String network(JsonNode in, ObjectNode host) {
        String mode = in.path("NetworkMode").asText("");
        String network;
        switch (mode) {
            case "", "default", "bridge" -> network = ctx.scope.network();
            case "none" -> network = "none";
            case "host" -> throw Refusal.forbidden("--network host 는 서버의 네트워크를 그대로 쓰게 되므로 쓸 수 없습니다. "
                    + "이 세션의 컨테이너끼리는 기본 네트워크나 docker network create 로 만든 네트워크에서 이름으로 통신합니다.");
            default -> {
                if (mode.startsWith("container:")) {
                    host.put("NetworkMode", "container:" + ctx.container(mode.substring("container:".length())));
                    return null;
                }
                String id = ctx.network(mode);
                network = ctx.engine.get("/networks/" + id).path("Name").asText();
            }
        }
        host.put("NetworkMode", network);
        return network;
    }

    ObjectNode endpoints(JsonNode in, String network, String learnerName) {
        ObjectNode out = ctx.json.createObjectNode();
        ObjectNode endpoints = out.putObject("EndpointsConfig");
        if (network == null || network.equals("none")) {
            return out;
        }
        JsonNode given = in.path("EndpointsConfig");
        List<String> aliases = new ArrayList<>();
        if (given.isObject()) {
            given.fields().forEachRemaining(e -> {
                if (!Fields.empty(e.getValue().path("IPAMConfig")) || !Fields.empty(e.getValue().path("MacAddress"))) {
                    throw Refusal.forbidden("고정 IP·MAC 주소(--ip, --mac-address)는 쓸 수 없습니다.");
                }
                for (JsonNode a : e.getValue().path("Aliases")) {
                    if (Names.validObjectName(a.asText()) || a.asText().matches("[a-zA-Z0-9]")) {
                        aliases.add(a.asText());
                    }
                }
            });
        }
        if (learnerName != null) {
            aliases.add(learnerName);
        }
        ObjectNode endpoint = endpoints.putObject(network);
        ArrayNode a = endpoint.putArray("Aliases");
        new LinkedHashSet<>(aliases).forEach(a::add);
        return out;
    }
}
