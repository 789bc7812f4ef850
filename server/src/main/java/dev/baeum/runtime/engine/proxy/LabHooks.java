package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the proxy changes in the learner's lab container, the "host" of their engine: it joins every network
 * the session makes (so {@code curl web} works from the terminal), and forwards each published port, so
 * {@code curl localhost:8080} works there and the lab page can open a preview through a socket in the
 * session's folder. The forwarders run as the lab container's root, which the learner cannot signal.
 */
public final class LabHooks {

    private static final Logger log = LoggerFactory.getLogger(LabHooks.class);
    /** The helper script in the docker lab image (labs/images/docker/baeum-ports). */
    public static final String PORTS_COMMAND = "/usr/local/bin/baeum-ports";

    private final EngineClient engine;
    private final Supplier<String> labContainer;

    public LabHooks(EngineClient engine, Supplier<String> labContainer) {
        this.engine = engine;
        this.labContainer = labContainer;
    }

    public void joinNetwork(String networkId) {
        try {
            engine.act("POST", "/networks/" + networkId + "/connect",
                    engine.json().createObjectNode().put("Container", labContainer.get()));
        } catch (EngineException e) {
            log.debug("Lab container did not join network {}: {}", networkId, e.getMessage());
        }
    }

    public void leaveNetwork(String networkId) {
        try {
            engine.act("POST", "/networks/" + networkId + "/disconnect",
                    engine.json().createObjectNode().put("Container", labContainer.get()).put("Force", true));
        } catch (EngineException e) {
            log.debug("Lab container did not leave network {}: {}", networkId, e.getMessage());
        }
    }

    /**
     * Forwards each published TCP port of a started container, before the start is answered: as with Docker,
     * {@code curl localhost:8080} works as soon as {@code docker run -d -p 8080:80} returns.
     */
    public void publish(String engineName, String networkMode, ObjectNode ports) {
        if (networkMode.equals("none") || networkMode.startsWith("container:")) {
            return;
        }
        ports.fields().forEachRemaining(e -> {
            String[] port = e.getKey().split("/");
            if (!port[1].equals("tcp")) {
                return;
            }
            for (JsonNode b : e.getValue()) {
                run(List.of(PORTS_COMMAND, "open", b.path("HostPort").asText(), engineName, port[0]));
            }
        });
    }

    /** Stops forwarding a removed container's ports (unless another container publishes them by now). */
    public void unpublish(String engineName, ObjectNode ports) {
        Thread.ofVirtual().name("baeum-ports-close").start(() -> ports.forEach(list -> list.forEach(b ->
                run(List.of(PORTS_COMMAND, "close", b.path("HostPort").asText(), engineName)))));
    }

    /** Runs a command as root in the lab container and waits for it (the forwarders it starts stay). */
    private void run(List<String> command) {
        try {
            ObjectNode create = engine.json().createObjectNode().put("User", "0").put("AttachStdout", true).put("AttachStderr", true);
            ArrayNode cmd = create.putArray("Cmd");
            command.forEach(cmd::add);
            String id = engine.post("/containers/" + labContainer.get() + "/exec", create).path("Id").asText();
            EngineClient.Response started = engine.call("POST", "/exec/" + id + "/start",
                    engine.json().createObjectNode().put("Detach", false).put("Tty", false));
            int exit = engine.get("/exec/" + id + "/json").path("ExitCode").asInt(-1);
            if (!started.ok() || exit != 0) {
                log.info("Port forwarding ({}) exited {}: {}", String.join(" ", command), exit,
                        new String(started.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
            }
        } catch (EngineException e) {
            log.info("Port forwarding ({}) failed: {}", String.join(" ", command), e.getMessage());
        }
    }
}
