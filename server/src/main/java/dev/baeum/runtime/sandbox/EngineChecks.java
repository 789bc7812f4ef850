package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.base.metrics.Metrics;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineObjects;
import dev.baeum.runtime.engine.proxy.EngineProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Whether docker labs may open on this engine and host, checked once at start: who root in a container is
 * (userns-remap or rootless), whether the socket folder is reachable, whether cgroups nest; plus the session
 * budget from the settings and the catalogue images the engine should have.
 */
final class EngineChecks {

    private static final Logger log = LoggerFactory.getLogger(EngineChecks.class);

    private EngineChecks() {
    }

    /** A learner's {@code docker build} through the proxy (with or without the API version prefix). */
    private static final java.util.regex.Pattern LEARNER_BUILD = java.util.regex.Pattern.compile("(/v1\\.[0-9]+)?/build");

    /** Checks the engine (who root in a container is, whether cgroups nest) and opens the session sockets' folder. */
    static DockerLabs open(EngineClient client, Settings s, String deployment, EngineRepository records, Path dataDir,
                                  Metrics metrics) {
        String mode = s.get(Setting.DOCKER_LABS).trim().toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("off")) {
            return DockerLabs.closed("이 서버에서는 운영자가 도커 실습을 껐습니다 (docker.labs=off).");
        }
        JsonNode info;
        try {
            info = client.get("/info");
        } catch (EngineException e) {
            return DockerLabs.closed("Docker 엔진 정보를 읽지 못해 도커 실습을 열 수 없습니다: " + e.getMessage());
        }
        String security = info.path("SecurityOptions").toString();
        boolean remapped = security.contains("name=userns") || security.contains("name=rootless");
        if (!remapped) {
            if (!mode.equals("on")) {
                return DockerLabs.closed("이 서버의 Docker 엔진은 컨테이너 안의 root를 서버의 root로 실행하므로, 학습자가 쓴 이미지를 안전하게 "
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
            return DockerLabs.closed("도커 실습용 소켓 폴더를 만들 수 없습니다: " + e.getMessage());
        }
        String traversal = traversable(root.toAbsolutePath());
        if (traversal != null) {
            proxy.close();
            return DockerLabs.closed(traversal);
        }
        boolean cgroupfsV1 = "cgroupfs".equals(info.path("CgroupDriver").asText()) && "1".equals(info.path("CgroupVersion").asText("1"));
        CompletableFuture<Boolean> nesting = cgroupfsV1
                ? CompletableFuture.supplyAsync(() -> probeNesting(client), r -> Thread.ofVirtual().start(r))
                : CompletableFuture.completedFuture(false);
        Thread.ofVirtual().name("baeum-catalogue").start(() -> ensureCatalogue(client, catalogue));
        if (remapped) {
            warnOnKeyQuota(s.integer(Setting.SANDBOX_MAX_SESSIONS));
        }
        log.info("Docker labs open: engine {} {}, sockets in {}", remapped ? "with userns-remap" : "WITHOUT userns-remap",
                cgroupfsV1 ? "(cgroupfs v1: session budgets by cgroup nesting)" : "(per-container limits only)", root);
        return new DockerLabs(client, proxy, new EngineObjects(client, records), budget, deployment,
                new DockerLabs.Status(true, null), nesting);
    }

    /**
     * Under userns-remap every container runs as one host user and takes a kernel key (its session keyring); the
     * kernel's default of 200 keys per user stops the engine at about a hundred containers. Readable only when
     * the engine runs on this machine (the setting is the host's), so a warning, never a refusal.
     */
    private static void warnOnKeyQuota(int sessions) {
        OptionalInt maxKeys = kernelKeyQuota(Path.of("/proc/sys/kernel/keys/maxkeys"));
        if (maxKeys.isPresent() && maxKeys.getAsInt() < 2 * sessions + 50) {
            log.warn("kernel.keys.maxkeys is {}: with userns-remap the engine stops starting containers after about {} "
                    + "(\"unable to create session key: disk quota exceeded\"). Raise it on the engine's machine: "
                    + "sysctl -w kernel.keys.maxkeys=20000 kernel.keys.maxbytes=2000000", maxKeys.getAsInt(), maxKeys.getAsInt() / 2);
        }
    }

    /**
     * The kernel's per-user key quota, empty when not Linux or not readable. Read in one go: a sysctl file
     * reports size 0, {@code Files.readString} then reads one byte and the rest from offset 1, which the
     * kernel answers with nothing, so it returns "2" for "20000".
     */
    static OptionalInt kernelKeyQuota(Path maxKeysFile) {
        try (InputStream in = Files.newInputStream(maxKeysFile)) {
            return OptionalInt.of(Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
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
}
