package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the lab page shows of a docker-lab session's engine: the learner's containers (with how long each
 * took from create to running, as the engine reports it, and the ports it publishes) and the API calls their
 * client made. Read from the engine (with the session's labels) and the database, so any server instance can
 * answer.
 */
public final class EngineViews {

    /** A published port: host port (as the learner gave it) → container port. */
    public record Port(int hostPort, int containerPort, String protocol) {
    }

    /** One of the learner's containers. */
    public record ContainerView(String id, String name, String image, String state, String status,
                                Long startMillis, List<Port> ports) {
    }

    private final EngineClient engine;
    private final EngineRepository records;

    public EngineViews(EngineClient engine, EngineRepository records) {
        this.engine = engine;
        this.records = records;
    }

    public List<ContainerView> containers(String sessionId) {
        Names names = new Names(EngineScope.prefixFor(sessionId));
        String filters = "{\"label\":[\"" + EngineScope.SESSION + "=" + sessionId + "\",\"" + EngineScope.PURPOSE + "="
                + EngineScope.LEARNER + "\"]}";
        List<ContainerView> out = new ArrayList<>();
        for (JsonNode c : engine.get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8))) {
            String id = c.path("Id").asText();
            String rawName = c.path("Names").path(0).asText("");
            String name = names.learnerObject(rawName).orElse(rawName).replaceFirst("^/", "");
            String image = c.path("Image").asText();
            image = names.learnerImage(image).map(Object::toString).orElse(image);
            out.add(new ContainerView(id.substring(0, 12), name, image, c.path("State").asText(), c.path("Status").asText(),
                    startMillis(id), ports(c.path("Labels").path("baeum.ports").asText(""))));
        }
        return out;
    }

    /** From create to running, as the engine's own timestamps say. */
    private Long startMillis(String id) {
        try {
            JsonNode c = engine.get("/containers/" + id + "/json");
            Instant created = Instant.parse(c.path("Created").asText());
            String started = c.path("State").path("StartedAt").asText("");
            if (started.isEmpty() || started.startsWith("0001-")) {
                return null;
            }
            long millis = Duration.between(created, Instant.parse(started)).toMillis();
            return millis >= 0 ? millis : null;
        } catch (EngineException | DateTimeParseException e) {
            return null;
        }
    }

    private List<Port> ports(String label) {
        List<Port> ports = new ArrayList<>();
        if (label.isEmpty()) {
            return ports;
        }
        try {
            JsonNode node = engine.json().readTree(label);
            node.fields().forEachRemaining(e -> {
                String[] p = e.getKey().split("/");
                for (JsonNode b : e.getValue()) {
                    ports.add(new Port(b.path("HostPort").asInt(), Integer.parseInt(p[0]), p[1]));
                }
            });
        } catch (IOException | RuntimeException e) {
            // a label we did not write: no ports shown
        }
        return ports;
    }

    /** The running container of the session that publishes {@code hostPort} (TCP), if any. */
    public Optional<ContainerView> publisher(String sessionId, int hostPort) {
        return containers(sessionId).stream()
                .filter(c -> c.state().equals("running"))
                .filter(c -> c.ports().stream().anyMatch(p -> p.hostPort() == hostPort && p.protocol().equals("tcp")))
                .findFirst();
    }

    public List<EngineRepository.CallRow> calls(String sessionId, long after) {
        return records.calls(sessionId, after, 200);
    }
}
