package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineObjects;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.proxy.EngineProxy;
import dev.baeum.base.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static final Logger log = LoggerFactory.getLogger(DockerLabs.class);
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

    private DockerLabs(EngineClient client, EngineProxy proxy, EngineObjects objects, Budget budget, String deployment,
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
    /** A learner's {@code docker build} through the proxy (with or without the API version prefix). */
    private static final java.util.regex.Pattern LEARNER_BUILD = java.util.regex.Pattern.compile("(/v1\\.[0-9]+)?/build");

    public static DockerLabs open(EngineClient client, Settings s, String deployment, EngineRepository records, Path dataDir,
                                  Metrics metrics) {
        String mode = s.get(Setting.DOCKER_LABS).trim().toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("off")) {
            return closed("이 서버에서는 운영자가 도커 실습을 껐습니다 (docker.labs=off).");
        }
        JsonNode info;
        try {
            info = client.get("/info");
        } catch (EngineException e) {
            return closed("Docker 엔진 정보를 읽지 못해 도커 실습을 열 수 없습니다: " + e.getMessage());
        }
        String security = info.path("SecurityOptions").toString();
        boolean remapped = security.contains("name=userns") || security.contains("name=rootless");
        if (!remapped) {
            if (!mode.equals("on")) {
                return closed("이 서버의 Docker 엔진은 컨테이너 안의 root를 서버의 root로 실행하므로, 학습자가 쓴 이미지를 안전하게 "
                        + "돌릴 수 없어 도커 실습을 닫아 두었습니다. 운영자는 엔진 설정(/etc/docker/daemon.json)에 "
                        + "{\"userns-remap\": \"default\"} 를 넣고 엔진을 다시 시작하세요.");
            }
            log.warn("!!! docker.labs=on on an engine WITHOUT userns-remap or rootless mode: learners' containers and builds run "
                    + "as REAL HOST ROOT. A malicious image or Dockerfile can take over this machine. !!!");
        }
        Budget budget = budget(s);
        Catalogue catalogue = Catalogue.of(Arrays.stream(s.get(Setting.DOCKER_CATALOG).split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).toList());
        String dir = s.get(Setting.DOCKER_SOCKET_DIR);
        Path root = dir.isBlank() ? dataDir.resolve("engine") : Path.of(dir);
        EngineProxy proxy;
        try {
            proxy = new EngineProxy(client, catalogue, records, call -> {
                records.record(call);
                if (LEARNER_BUILD.matcher(call.path()).matches() && call.method().equals("POST")) {
                    metrics.build("learner", call.status() == 200 && call.error() == null, Duration.ofMillis(call.millis()));
                }
            }, root);
        } catch (RuntimeException e) {
            return closed("도커 실습용 소켓 폴더를 만들 수 없습니다: " + e.getMessage());
        }
        String traversal = traversable(root.toAbsolutePath());
        if (traversal != null) {
            proxy.close();
            return closed(traversal);
        }
        boolean cgroupfsV1 = "cgroupfs".equals(info.path("CgroupDriver").asText()) && "1".equals(info.path("CgroupVersion").asText("1"));
        CompletableFuture<Boolean> nesting = cgroupfsV1
                ? CompletableFuture.supplyAsync(() -> probeNesting(client), r -> Thread.ofVirtual().start(r))
                : CompletableFuture.completedFuture(false);
        Thread.ofVirtual().name("baeum-catalogue").start(() -> ensureCatalogue(client, catalogue));
        log.info("Docker labs open: engine {} {}, sockets in {}", remapped ? "with userns-remap" : "WITHOUT userns-remap",
                cgroupfsV1 ? "(cgroupfs v1: session budgets by cgroup nesting)" : "(per-container limits only)", root);
        return new DockerLabs(client, proxy, new EngineObjects(client, records), budget, deployment, new Status(true, null), nesting);
    }

    /** Pulls catalogue images the engine lacks; where nothing can be pulled, says how to build them. */
    private static void ensureCatalogue(EngineClient client, Catalogue catalogue) {
        for (var image : catalogue.images()) {
            try {
                client.get("/images/" + image + "/json");
                continue;
            } catch (EngineException e) {
                if (!e.notFound()) {
                    log.warn("Catalogue image {}: {}", image, e.getMessage());
                    continue;
                }
            }
            log.info("Pulling catalogue image {}", image);
            try (var ex = client.open("POST", "/images/create?fromImage=" + image.name() + "&tag=" + image.tag(), null, null, false)) {
                ex.response(false);
                ex.reader().body().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException | RuntimeException e) {
                log.debug("Pull of {} failed: {}", image, e.toString());
            }
            try {
                client.get("/images/" + image + "/json");
            } catch (EngineException e) {
                log.warn("Catalogue image {} is missing and cannot be pulled here; docker labs that use it will fail. "
                        + "Build the catalogue offline: sudo bash labs/catalog/bootstrap.sh", image);
            }
        }
    }

    static Budget budget(Settings s) {
        Budget d = Budget.defaults();
        return new Budget(s.bytes(Setting.DOCKER_MEMORY), s.decimal(Setting.DOCKER_CPUS), s.integer(Setting.DOCKER_PIDS),
                s.bytes(Setting.DOCKER_CONTAINER_MEMORY), s.decimal(Setting.DOCKER_CONTAINER_CPUS), s.integer(Setting.DOCKER_CONTAINER_PIDS),
                s.integer(Setting.DOCKER_MAX_CONTAINERS), s.integer(Setting.DOCKER_MAX_IMAGES), s.integer(Setting.DOCKER_MAX_VOLUMES),
                s.integer(Setting.DOCKER_MAX_NETWORKS), s.bytes(Setting.DOCKER_BUILD_CONTEXT), s.duration(Setting.DOCKER_BUILD_TIMEOUT),
                s.bytes(Setting.DOCKER_FILE_SIZE), d.logBytes(), d.shmBytes(), d.tmpfsBytes(), d.diskBytes());
    }

    /** Every folder above the socket folder must let others through, or the lab container cannot reach its socket. */
    private static String traversable(Path root) {
        for (Path p = root; p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return "도커 실습 소켓 폴더(" + root + ")로 가는 길의 " + p + " 에 다른 사용자의 실행(x) 권한이 없어 실습 컨테이너가 "
                            + "소켓에 닿을 수 없습니다. chmod o+x " + p + " 하거나 docker.socket.dir 을 바꾸세요.";
                }
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Can a container be placed under another's cgroup, so the outer one's limits hold for both? (cgroup v1 with
     * the cgroupfs driver and Docker's default parent "/docker".) Checked once: a tiny container started under
     * another must find itself in a cgroup below the other's.
     */
    private static Boolean probeNesting(EngineClient client) {
        String parent = null;
        String child = null;
        String expires = String.valueOf(Instant.now().plusSeconds(120).getEpochSecond());
        try {
            ObjectNode outer = client.json().createObjectNode().put("Image", "debian:bookworm-slim");
            outer.putArray("Cmd").add("sleep").add("60");
            outer.putObject("HostConfig").put("PidsLimit", 16).put("NetworkMode", "none");
            outer.putObject("Labels").put("baeum.managed", "true").put("baeum.purpose", "probe").put("baeum.expires", expires);
            parent = client.post("/containers/create", outer).path("Id").asText();
            client.act("POST", "/containers/" + parent + "/start", null);
            ObjectNode inner = client.json().createObjectNode().put("Image", "debian:bookworm-slim");
            inner.putArray("Cmd").add("grep").add("-q").add(":pids:/docker/" + parent + "/").add("/proc/self/cgroup");
            inner.putObject("HostConfig").put("CgroupParent", "/docker/" + parent).put("NetworkMode", "none");
            inner.putObject("Labels").put("baeum.managed", "true").put("baeum.purpose", "probe").put("baeum.expires", expires);
            child = client.post("/containers/create", inner).path("Id").asText();
            client.act("POST", "/containers/" + child + "/start", null);
            int exit = client.post("/containers/" + child + "/wait", null).path("StatusCode").asInt(1);
            log.info("cgroup nesting {}", exit == 0 ? "works: session budgets hold for all of a session's containers"
                    : "does not hold here: each learner container keeps its own limits");
            return exit == 0;
        } catch (RuntimeException e) {
            log.info("cgroup nesting probe failed ({}); each learner container keeps its own limits", e.getMessage());
            return false;
        } finally {
            for (String id : new String[]{child, parent}) {
                if (id != null) {
                    client.call("DELETE", "/containers/" + id + "?force=1", null);
                }
            }
        }
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
