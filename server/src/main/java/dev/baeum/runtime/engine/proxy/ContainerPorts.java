package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** A learner container's published ports, kept as a label for the lab page instead of being bound on the host. */
final class ContainerPorts {

    private final Ctx ctx;
    private final Set<Integer> usedPorts;

    /** @param usedPorts host ports the session's other containers already publish */
    ContainerPorts(Ctx ctx, Set<Integer> usedPorts) {
        this.ctx = ctx;
        this.usedPorts = usedPorts;
    }

    /**
     * The learner's published ports (-p, -P), with a free session port chosen where none was given. Nothing is
     * bound on the server; the lab page and the lab container forward these ports instead.
     */
    ObjectNode publish(JsonNode in, JsonNode exposed, JsonNode image) {
        ObjectNode out = ctx.json.createObjectNode();
        Set<Integer> mine = new java.util.HashSet<>();
        Set<Integer> taken = new java.util.HashSet<>(usedPorts);
        JsonNode bindings = in.path("PortBindings");
        if (bindings.isObject()) {
            bindings.fields().forEachRemaining(e -> {
                String port = e.getKey();
                if (!port.matches("[0-9]{1,5}/(tcp|udp|sctp)")) {
                    throw Refusal.badRequest("포트 지정이 올바르지 않습니다: " + port);
                }
                ArrayNode list = out.putArray(port);
                for (JsonNode b : e.getValue()) {
                    String hostIp = b.path("HostIp").asText("");
                    if (!hostIp.isEmpty() && !hostIp.equals("0.0.0.0") && !hostIp.equals("127.0.0.1") && !hostIp.equals("::")) {
                        throw Refusal.forbidden("이 실습 환경에서는 포트를 특정 주소(" + hostIp + ")에 열 수 없습니다.");
                    }
                    String hostPort = b.path("HostPort").asText("");
                    int number;
                    if (hostPort.isEmpty()) {
                        number = 0;
                    } else if (hostPort.matches("[0-9]{1,5}") && Integer.parseInt(hostPort) > 0 && Integer.parseInt(hostPort) < 65536) {
                        number = Integer.parseInt(hostPort);
                    } else {
                        throw Refusal.badRequest("호스트 포트가 올바르지 않습니다 (포트 범위는 쓸 수 없습니다): " + hostPort);
                    }
                    if (number != 0 && !mine.add(number)) {
                        throw Refusal.badRequest("같은 호스트 포트를 두 번 쓸 수 없습니다: " + number);
                    }
                    list.addObject().put("HostIp", hostIp.isEmpty() ? "0.0.0.0" : hostIp)
                            .put("HostPort", number == 0 ? "" : String.valueOf(number));
                }
            });
        }
        if (in.path("PublishAllPorts").asBoolean(false)) {
            for (JsonNode ports : List.of(exposed, image.path("Config").path("ExposedPorts"))) {
                if (ports.isObject()) {
                    ports.fieldNames().forEachRemaining(p -> {
                        if (!out.has(p) && p.matches("[0-9]{1,5}/(tcp|udp|sctp)")) {
                            out.putArray(p).addObject().put("HostIp", "0.0.0.0").put("HostPort", "");
                        }
                    });
                }
            }
        }
        // Ports chosen by Docker look like 32768 and up; pick the first free ones.
        taken.addAll(mine);
        int next = 32768;
        for (JsonNode list : out) {
            for (JsonNode b : list) {
                if (b.path("HostPort").asText().isEmpty()) {
                    while (taken.contains(next)) {
                        next++;
                    }
                    taken.add(next);
                    ((ObjectNode) b).put("HostPort", String.valueOf(next));
                }
            }
        }
        return out;
    }

    /** The ports a container publishes (from its label), e.g. {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}. */
    static ObjectNode published(ObjectMapper json, JsonNode labels) {
        String raw = labels.path(ContainerSpec.PORTS_LABEL).asText("");
        if (raw.isEmpty()) {
            return json.createObjectNode();
        }
        try {
            return (ObjectNode) json.readTree(raw);
        } catch (IOException | ClassCastException e) {
            return json.createObjectNode();
        }
    }
}
