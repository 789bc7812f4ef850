package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.base.config.Settings;
import dev.baeum.base.metrics.Metrics;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineObjects;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.proxy.EngineProxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Docker labs: each session gets a Docker engine of its own, as the learner sees it. The lab container joins
 * a private network of the session's, mounts the session's folder (where the platform serves the session's
 * engine socket) and links it to {@code /var/run/docker.sock}; everything the learner starts through it is
 * placed under the lab container's cgroup, so the session's memory, CPU and process budget holds for all of
 * it together.
 *
 * <p>Docker labs stay closed, with the reason on every lab page, unless the engine runs containers' root as
 * an unprivileged host user (userns-remap or rootless): learners write their own Dockerfiles, and runc has
 * had breakouts that a malicious image can trigger.
 */
public final class DockerLabs implements AutoCloseable {

    /** Where the lab container sees the session's folder. */
    public static final String MOUNT_POINT = "/run/baeum-engine";
    /** Run as root in the lab container before the learner arrives. */
    static final String SETUP = "ln -sfn " + MOUNT_POINT + "/docker.sock /run/docker.sock";

    /** Whether docker labs can open here, and why not. */
    public record Status(boolean available, String problem) {
    }

    /** What the lab container needs: its network and mounts. */
    public record LabSetup(String network, List<ContainerFactory.Mount> mounts) {
    }

    private final EngineClient client;
    private final EngineProxy proxy;
    private final EngineObjects objects;
    private final Budget budget;
    private final String deployment;
    private final Status status;
    private final CompletableFuture<Boolean> nesting;

    DockerLabs(EngineClient client, EngineProxy proxy, EngineObjects objects, Budget budget, String deployment,
               Status status, CompletableFuture<Boolean> nesting) {
        this.client = client;
        this.proxy = proxy;
        this.objects = objects;
        this.budget = budget;
        this.deployment = deployment;
        this.status = status;
        this.nesting = nesting;
    }

    public static DockerLabs closed(String problem) {
        return new DockerLabs(null, null, null, Budget.defaults(), "", new Status(false, problem),
                CompletableFuture.completedFuture(false));
    }

    /** Checks the engine (who root in a container is, whether cgroups nest) and opens the session sockets' folder. */
    public static DockerLabs open(EngineClient client, Settings s, String deployment, EngineRepository records, Path dataDir,
                                  Metrics metrics) {
        return EngineChecks.open(client, s, deployment, records, dataDir, metrics);
    }

    public Status status() {
        return status;
    }

    public Budget budget() {
        return budget;
    }

    public EngineProxy proxy() {
        return proxy;
    }

    /** The session's network name on the engine. */
    public static String network(String runId) {
        return EngineScope.prefixFor(runId) + ".bridge";
    }

    /** Before the lab container starts: the session's network, folder and bind-folder volumes. */
    public LabSetup prepare(String runId, RunSpec lab, Map<String, String> labels) {
        requireOpen();
        String network = network(runId);
        Map<String, String> platform = new LinkedHashMap<>(labels);
        platform.remove(SandboxLabels.NODE);
        platform.put(EngineScope.SESSION, runId);
        platform.put(EngineScope.RUN, labels.getOrDefault(SandboxLabels.PURPOSE, EngineScope.SESSION_RUN));
        platform.put(EngineScope.PURPOSE, "platform");
        try {
            client.get("/networks/" + network);
        } catch (EngineException e) {
            if (!e.notFound()) {
                throw e;
            }
            ObjectNode body = client.json().createObjectNode().put("Name", network).put("Driver", "bridge")
                    .put("Internal", true).put("CheckDuplicate", true);
            body.putObject("Options").put("com.docker.network.bridge.inhibit_ipv4", "true");
            ObjectNode l = body.putObject("Labels");
            platform.forEach(l::put);
            client.post("/networks/create", body);
        }
        Path dir = proxy.dir(runId);
        try {
            Files.createDirectories(dir.resolve("ports"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dir.resolve("ports"), PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new LabsUnavailableException("도커 실습 폴더를 만들 수 없습니다: " + e.getMessage());
        }
        List<ContainerFactory.Mount> mounts = new ArrayList<>();
        mounts.add(ContainerFactory.Mount.bind(dir.toString(), MOUNT_POINT));
        for (String folder : lab.bindPaths()) {
            String volume = EngineScope.prefixFor(runId) + ".bind-" + folder.substring(folder.lastIndexOf('/') + 1);
            ObjectNode body = client.json().createObjectNode().put("Name", volume).put("Driver", "local");
            ObjectNode l = body.putObject("Labels");
            labels.forEach((k, v) -> {
                if (!k.equals(SandboxLabels.NODE)) {
                    l.put(k, v);
                }
            });
            l.put(EngineScope.SESSION, runId).put(EngineScope.PURPOSE, EngineScope.LEARNER).put("baeum.role", "bind")
                    .put(EngineScope.RUN, labels.getOrDefault(SandboxLabels.PURPOSE, EngineScope.SESSION_RUN));
            client.post("/volumes/create", body);
            mounts.add(ContainerFactory.Mount.volume(volume, folder));
        }
        if (!lab.bindPaths().isEmpty()) {
            handOver(mounts.subList(1, mounts.size()), labels);
        }
        return new LabSetup(network, mounts);
    }

    /**
     * A new volume belongs to the container's root; a bind folder is the learner's (uid 1000). One short container
     * with only CAP_CHOWN hands them over before the lab container mounts them.
     */
    private void handOver(List<ContainerFactory.Mount> volumes, Map<String, String> labels) {
        ObjectNode body = client.json().createObjectNode().put("Image", "debian:bookworm-slim");
        var cmd = body.putArray("Cmd").add("chown").add("1000:1000");
        ObjectNode host = body.putObject("HostConfig").put("NetworkMode", "none").put("Memory", 32L << 20)
                .put("MemorySwap", 32L << 20).put("PidsLimit", 8);
        host.putArray("CapDrop").add("ALL");
        host.putArray("CapAdd").add("CHOWN");
        host.putArray("SecurityOpt").add("no-new-privileges:true");
        var mounts = host.putArray("Mounts");
        int i = 0;
        for (ContainerFactory.Mount m : volumes) {
            String target = "/v" + i++;
            mounts.addObject().put("Type", "volume").put("Source", m.source()).put("Target", target);
            cmd.add(target);
        }
        ObjectNode l = body.putObject("Labels");
        l.put("baeum.managed", "true").put("baeum.purpose", "setup")
                .put(SandboxLabels.EXPIRES, String.valueOf(Instant.now().plusSeconds(120).getEpochSecond()));
        if (labels.containsKey(SandboxLabels.SCOPE)) {
            l.put(SandboxLabels.SCOPE, labels.get(SandboxLabels.SCOPE));
        }
        String id = client.post("/containers/create", body).path("Id").asText();
        try {
            client.act("POST", "/containers/" + id + "/start", null);
            int exit = client.post("/containers/" + id + "/wait", null).path("StatusCode").asInt(1);
            if (exit != 0) {
                throw new LabsUnavailableException("바인드 폴더를 준비하지 못했습니다 (종료 코드 " + exit + ").");
            }
        } finally {
            client.call("DELETE", "/containers/" + id + "?force=1", null);
        }
    }

    /**
     * After the lab container started: serves the session's engine socket. {@code run} is "session", "grade"
     * or "selftest"; the owner label and expiry come from the run's labels.
     */
    public void serve(String runId, RunSpec lab, Map<String, String> labels, String labContainerId) {
        requireOpen();
        boolean nested;
        try {
            nested = nesting.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            nested = false;
        }
        String owner = labels.getOrDefault(SandboxLabels.OWNER, "");
        long userId = owner.matches("[0-9]{1,18}") ? Long.parseLong(owner) : 0;
        String run = labels.containsKey(SandboxLabels.PURPOSE) ? labels.get(SandboxLabels.PURPOSE) : EngineScope.SESSION_RUN;
        long expires = Long.parseLong(labels.getOrDefault(SandboxLabels.EXPIRES,
                String.valueOf(Instant.now().plus(Duration.ofHours(2)).getEpochSecond())));
        EngineScope scope = new EngineScope(runId, EngineScope.prefixFor(runId), userId, owner, lab.id(), deployment, run, expires,
                labContainerId, nested ? "/docker/" + labContainerId : null, network(runId), lab.bindPaths(), budget);
        proxy.serve(scope);
    }

    /** Takes over serving a session whose server went away (another instance, or this one before a restart). */
    public boolean adopt(SandboxSession session, RunSpec lab) {
        if (!status.available() || !lab.docker() || session.containers().isEmpty()) {
            return false;
        }
        if (proxy.serving(session.id())) {
            return true;
        }
        String container = session.containers().values().iterator().next();
        Map<String, String> labels;
        try {
            JsonNode c = client.get("/containers/" + container + "/json");
            labels = new LinkedHashMap<>();
            c.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        } catch (EngineException e) {
            return false;
        }
        serve(session.id(), lab, labels, container);
        return proxy.serving(session.id());
    }

    /** Before the lab container goes (reset or end): everything the learner made, so its cgroup can go too. */
    public EngineObjects.Removed removeLearnerObjects(String runId, String labContainerId) {
        if (!status.available()) {
            return new EngineObjects.Removed(0, 0, 0, 0);
        }
        return objects.removeAll(runId, network(runId), labContainerId);
    }

    /** After the lab container went: the session's network, bind volumes, socket and folder. */
    public void finish(String runId) {
        if (!status.available()) {
            return;
        }
        objects.removeAll(runId, network(runId), null);
        objects.removeNetwork(network(runId));
        proxy.forget(runId);
    }

    public EngineObjects objects() {
        return objects;
    }

    private void requireOpen() {
        if (!status.available()) {
            throw new LabsUnavailableException(status.problem());
        }
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
