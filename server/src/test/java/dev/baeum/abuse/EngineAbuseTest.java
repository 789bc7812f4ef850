package dev.baeum.abuse;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.baeum.base.config.Setting;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.EngineSocket;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A learner who attacks the engine proxy: each case climbs one wall of the per-session Docker engine, through
 * the docker CLI in the lab container or raw HTTP on the session's socket, and asserts that the wall held.
 * After every case the server still answers and another learner's session still works; after the suite
 * nothing of the sessions is left on the engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineAbuseTest {

    private static final int MAX_CONTAINERS = 6;
    private static TestApp app;
    private static DockerClient docker;
    private static EngineLab.Learner attacker;
    private static EngineLab.Learner bystander;
    private static final List<String> sessions = new ArrayList<>();

    @BeforeAll
    static void start() {
        docker = Docker.require().client();
        app = EngineLab.start(Map.of(Setting.DOCKER_MAX_CONTAINERS, String.valueOf(MAX_CONTAINERS)));
        attacker = EngineLab.Learner.open(app);
        bystander = EngineLab.Learner.open(app);
        sessions.add(attacker.sessionId());
        sessions.add(bystander.sessionId());
        ok(bystander, "docker run -d --name steady debian:bookworm-slim sleep 3600");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (EngineLab.Learner l : new EngineLab.Learner[]{attacker, bystander}) {
                if (l != null) {
                    l.close();
                }
            }
            for (String s : sessions) {
                Map<String, String> label = Map.of(EngineScope.SESSION, s);
                String prefix = EngineScope.prefixFor(s) + "/";
                assertTrue(Eventually.within(Duration.ofSeconds(30), () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec().isEmpty()
                        && docker.listNetworksCmd().withFilter("label", List.of(EngineScope.SESSION + "=" + s)).exec().isEmpty()
                        && docker.listVolumesCmd().withFilter("label", List.of(EngineScope.SESSION + "=" + s)).exec().getVolumes().isEmpty()
                        && docker.listImagesCmd().exec().stream().noneMatch(i -> i.getRepoTags() != null
                        && List.of(i.getRepoTags()).stream().anyMatch(t -> t.startsWith(prefix)))),
                        "nothing of session " + s + " is left: containers, networks and volumes by label, images by name");
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** Whatever a case did, the server answers and another learner's engine works as before. */
    @AfterEach
    void theServerAndAnotherSessionStillWork() {
        attacker.sh("docker rm -f $(docker ps -aq) >/dev/null 2>&1; true"); // a failed case leaves nothing in the next one's way
        assertEquals(200, app.client().get("/healthz").status(), "the server answers its health check");
        assertEquals("steady", ok(bystander, "docker ps --format '{{.Names}}'").strip(), "the bystander's engine answers");
    }

    // ---- options that would take a wall down --------------------------------------------------------

    @Test
    @Order(1)
    void privilegedIsRefused() {
        refusedRun("--privileged", "--privileged 는 컨테이너에 호스트의 모든 권한을 주므로");
    }

    @Test
    @Order(2)
    void hostDevicesAreRefused() {
        refusedRun("--device /dev/mem", "장치(--device)는 호스트의 장치를 그대로 넘기므로");
    }

    @Test
    @Order(3)
    void bindMountingTheHostRootIsRefused() {
        refusedRun("-v /:/host", "호스트 경로(/)는 마운트할 수 없습니다");
        refusedRun("--mount type=bind,source=/,target=/host", "호스트 경로 바인드 마운트(--mount type=bind)는 쓸 수 없습니다");
    }

    @Test
    @Order(4)
    void aVolumeMountWithBindDriverOptionsIsRefused() {
        refusedRun("--mount type=volume,source=sneaky,target=/host,volume-driver=local,volume-opt=device=/,volume-opt=o=bind,volume-opt=type=none",
                "볼륨 드라이버 옵션(volume-opt, volume-driver)은 쓸 수 없습니다");
        assertEquals("", ok(attacker, "docker volume ls -q").strip(), "no volume was made");
    }

    @Test
    @Order(5)
    void volumeCreateWithDeviceOptionsIsRefused() {
        refused(attacker, "docker volume create -o type=none -o o=bind -o device=/ sneaky", "볼륨 드라이버 옵션(-o, --opt)은 쓸 수 없습니다");
        refused(attacker, "docker volume create -d other-driver sneaky", "볼륨 드라이버는 local 만 쓸 수 있습니다");
        assertEquals("", ok(attacker, "docker volume ls -q").strip(), "no volume was made");
    }

    @Test
    @Order(6)
    void hostNamespacesAreRefused() {
        refusedRun("--pid host", "pid=host 는 서버의 네임스페이스를 그대로 쓰게 되므로");
        refusedRun("--ipc host", "ipc=host 는");
        refusedRun("--uts host", "uts=host 는");
        refusedRun("--userns host", "userns=host 는");
    }

    @Test
    @Order(7)
    void hostNetworkIsRefused() {
        refusedRun("--network host", "--network host 는 서버의 네트워크를 그대로 쓰게 되므로");
    }

    @Test
    @Order(8)
    void capabilitiesBeyondTheAllowlistAreRefused() {
        refusedRun("--cap-add SYS_ADMIN", "리눅스 권한 SYS_ADMIN(--cap-add)은 이 실습 환경에서 줄 수 없습니다");
        refusedRun("--cap-add ALL", "리눅스 권한 ALL(--cap-add)");
        String caps = ok(attacker, "docker run --rm --cap-add CHOWN debian:bookworm-slim grep CapEff /proc/self/status");
        assertFalse(caps.contains("ffffffff"), "an allowed capability does not bring the rest: " + caps);
    }

    @Test
    @Order(9)
    void unconfiningSecurityOptionsAreRefused() {
        refusedRun("--security-opt seccomp=unconfined", "보안 옵션 'seccomp=unconfined'(--security-opt)은 쓸 수 없습니다");
        refusedRun("--security-opt apparmor=unconfined", "보안 옵션 'apparmor=unconfined'");
        refusedRun("--security-opt label=disable", "보안 옵션 'label=disable'");
        refusedRun("--security-opt systempaths=unconfined", "시스템 경로 보호를 푸는 옵션(systempaths=unconfined)은 쓸 수 없습니다");
    }

    @Test
    @Order(10)
    void otherRuntimesAndCgroupParentsAreRefused() {
        refusedRun("--runtime runsc", "런타임(--runtime)은 바꿀 수 없습니다");
        refusedRun("--cgroup-parent /", "--cgroup-parent 는 쓸 수 없습니다");
        refusedRun("--cgroupns host", "cgroupns=host 는");
    }

    @Test
    @Order(11)
    void kernelSettingsAreRefused() {
        refusedRun("--sysctl net.ipv4.ip_unprivileged_port_start=0", "커널 설정(--sysctl)은 호스트와 나눠 쓰는 커널을 바꾸므로");
        refusedRun("--oom-kill-disable", "OOM 킬러를 끄는 옵션(--oom-kill-disable)은 쓸 수 없습니다");
    }

    @Test
    @Order(12)
    void theDockerSocketCannotBeMountedIntoALearnerContainer() {
        refusedRun("-v /var/run/docker.sock:/var/run/docker.sock", "호스트 경로(/var/run/docker.sock)는 마운트할 수 없습니다");
        refusedRun("--mount type=bind,source=/var/run/docker.sock,target=/s", "호스트 경로 바인드 마운트");
        refusedRun("-v /run/baeum-engine:/e", "호스트 경로(/run/baeum-engine)는 마운트할 수 없습니다");
    }

    @Test
    @Order(13)
    void swarmAndPluginsAreRefused() {
        refused(attacker, "docker swarm init", "스웜(docker swarm, service, node, secret, config)은 이 실습 환경에서 쓸 수 없습니다");
        refused(attacker, "docker plugin install --grant-all-permissions vieux/sshfs", "플러그인(docker plugin)은 이 실습 환경에서 쓸 수 없습니다");
        refused(attacker, "docker plugin ls", "플러그인(docker plugin)");
    }

    // ---- files that point outside -----------------------------------------------------------------

    @Test
    @Order(14)
    void symlinksInABuildContextDoNotLeakHostFiles() throws Exception {
        Path secret = Files.createTempFile("baeum-host-secret-", ".txt");
        String marker = "host-secret-" + UUID.randomUUID();
        Files.writeString(secret, marker);
        try {
            String rootHash = Files.readAllLines(Path.of("/etc/shadow")).stream().filter(l -> l.startsWith("root:"))
                    .map(l -> l.split(":")[1]).findFirst().orElse("");
            ContainerExec.Result r = attacker.sh("mkdir -p ~/links && cd ~/links && ln -sfn / hostroot && ln -sf " + secret + " leak "
                    + "&& ln -sf /etc/shadow shadow && cat > Dockerfile <<'EOF'\n"
                    + "FROM debian:bookworm-slim\n"
                    + "COPY . /ctx/\n"
                    + "RUN cat /ctx/leak /ctx/hostroot" + secret + " /ctx/shadow 2>&1; echo copied-$((40+2))\n"
                    + "EOF\n"
                    + "printf 'FROM debian:bookworm-slim\\nCOPY leak /leak\\n' > Dockerfile.leak\n"
                    + "printf 'FROM debian:bookworm-slim\\nCOPY hostroot" + secret + " /leak\\n' > Dockerfile.root\n"
                    + "docker build --no-cache -t links . 2>&1; docker build -f Dockerfile.leak -t links2 . 2>&1; "
                    + "docker build -f Dockerfile.root -t links3 . 2>&1; "
                    + "docker run --rm links sh -c 'cat /ctx/leak /ctx/hostroot" + secret + "; ls -l /ctx' 2>&1; true");
            String out = r.stdout() + r.stderr();
            assertTrue(out.contains("copied-42"), "the build ran: " + out);
            assertFalse(out.contains(marker), "a host file leaked through a symlink: " + out);
            assertFalse(rootHash.length() > 4 && out.contains(rootHash), "the host's /etc/shadow leaked: " + out);
            ok(attacker, "docker rmi -f links links2 links3 2>/dev/null; true");
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    @Order(15)
    void aCopyArchiveWithASymlinkCannotWriteOnTheHost() throws Exception {
        String id = ok(attacker, "docker run -d --name target debian:bookworm-slim sleep 600").strip();
        EngineSocket socket = EngineSocket.of(app, attacker.sessionId());
        for (String link : List.of("/tmp", "../../../../../../../../tmp")) {
            String name = "baeum-pwned-" + UUID.randomUUID();
            byte[] tar = tar(t -> {
                TarArchiveEntry l = new TarArchiveEntry("escape", TarArchiveEntry.LF_SYMLINK);
                l.setLinkName(link);
                t.putArchiveEntry(l);
                t.closeArchiveEntry();
                file(t, "escape/" + name, "pwned");
            });
            EngineSocket.Reply reply = socket.request("PUT", "/v1.41/containers/target/archive?path=/", "application/x-tar", tar);
            assertTrue(reply.status() == 200 || reply.status() >= 400, reply.raw());
            assertFalse(Files.exists(Path.of("/tmp", name)), "the archive wrote through its symlink onto the host: /tmp/" + name);
            if (reply.status() == 200) { // the engine resolved the link inside the container, where it belongs
                assertEquals("pwned", ok(attacker, "docker exec target cat /tmp/" + name).strip());
            }
        }
        String copied = ok(attacker, "docker exec target ln -sf / /hostroot && docker cp target:/hostroot/etc/hostname - | tar -xO");
        assertEquals(docker.inspectContainerCmd(id).exec().getConfig().getHostName(), copied.strip(),
                "docker cp through a container's symlink reads the container's files");
        ok(attacker, "docker rm -f target");
    }

    // ---- names, paths and HTTP ----------------------------------------------------------------------

    @Test
    @Order(16)
    void guessingIdPrefixesFindsNoOtherSessionsContainer() {
        String victim = bystanderContainer();
        StringBuilder script = new StringBuilder();
        for (String p : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
                victim.substring(0, 2), victim.substring(0, 3))) {
            script.append("docker container inspect -f '{{.Id}}' ").append(p).append(" 2>&1; ");
            script.append("curl -s --unix-socket /var/run/docker.sock http://localhost/v1.41/containers/").append(p).append("/json; echo; ");
        }
        String out = attacker.sh(script.toString()).stdout();
        assertFalse(out.contains(victim), "an ID prefix reached another session's container: " + out);
        assertTrue(out.contains("No such container"), out);
    }

    @Test
    @Order(17)
    void pathTraversalAndDoubleEncodingAreRefused() {
        String victim = bystanderContainer();
        EngineSocket socket = EngineSocket.of(app, attacker.sessionId());
        for (String target : List.of(
                "/v1.41/containers/..%2f..%2f" + victim + "/json",
                "/v1.41/containers/%2e%2e/containers/" + victim + "/json",
                "/v1.41/containers/%252e%252e%252f" + victim + "/json",
                "/v1.41/containers/../containers/" + victim + "/json",
                "/v1.41//containers/" + victim + "/json",
                "/v1.41/containers/" + victim + "%2fjson",
                "/v1.41/containers/.%2E/" + victim + "/json",
                "/v1.41/containers/" + victim + "/json%00",
                "/v1.41/containers/%2Fb" + EngineScope.prefixFor(bystander.sessionId()) + ".steady/json")) {
            EngineSocket.Reply reply = socket.get(target);
            assertTrue(reply.status() == 400 || reply.status() == 404, target + " → " + reply.raw());
            assertFalse(reply.contains("\"Id\":\"" + victim), target + " reached the other session: " + reply.raw());
            assertTrue(reply.contains("\"message\""), "answered in Docker's error format: " + reply.raw());
        }
    }

    @Test
    @Order(18)
    void requestSmugglingOverTheRawSocketIsRefused() {
        String victim = bystanderContainer();
        EngineSocket socket = EngineSocket.of(app, attacker.sessionId());
        String smuggled = "GET /v1.41/containers/" + victim + "/json HTTP/1.1\r\nHost: docker\r\n\r\n";
        String chunk = "0\r\n\r\n" + smuggled;
        List<String> attacks = List.of(
                // CL.TE: both lengths at once
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: "
                        + chunk.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk,
                // TE.CL with the headers the other way round
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + chunk,
                // two different Content-Lengths
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + smuggled,
                // an obfuscated Transfer-Encoding
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + chunk,
                // a second request pipelined after a complete first one
                "GET /v1.41/_ping HTTP/1.1\r\nHost: docker\r\n\r\n" + smuggled);
        for (String attack : attacks) {
            EngineSocket.Reply reply = socket.raw(attack);
            assertFalse(reply.contains(victim), "the smuggled request reached the other session: " + reply.raw());
            assertEquals(1, reply.raw().split("HTTP/1\\.1 ", -1).length - 1, "one answer per connection: " + reply.raw());
        }
        assertEquals(400, socket.raw(attacks.get(0)).status());
        assertEquals("", ok(attacker, "docker ps -aq").strip(), "no container was created by a smuggled body");
    }

    @Test
    @Order(19)
    void anOversizedBuildContextIsRefused() throws Exception {
        long max = app.app().runtime().docker().budget().buildContextBytes();
        byte[] gz = gzippedTar(t -> {
            file(t, "Dockerfile", "FROM debian:bookworm-slim\n");
            TarArchiveEntry big = new TarArchiveEntry("big.bin");
            big.setSize(max + (8 << 20));
            t.putArchiveEntry(big);
            byte[] zeros = new byte[1 << 20];
            for (long left = big.getSize(); left > 0; left -= zeros.length) {
                t.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            t.closeArchiveEntry();
        });
        assertTrue(gz.length < 2 << 20, "a small gzip that expands past the limit: " + gz.length);
        EngineSocket.Reply reply = EngineSocket.of(app, attacker.sessionId())
                .request("POST", "/v1.41/build?t=huge", "application/x-tar", gz);
        assertEquals(413, reply.status(), reply.raw());
        assertTrue(reply.contains("요청 본문이 너무 큽니다"), reply.raw());
        assertEquals("", ok(attacker, "docker images -q huge").strip());
    }

    // ---- resources --------------------------------------------------------------------------------

    @Test
    @Order(20)
    void aForkBombInALearnerContainerStaysWithinItsProcessLimit() throws Exception {
        int limit = budget().containerPids();
        // PID 1 must outlive the bomb's start, or the container (and the bomb) ends at once: exec needs no fork
        ok(attacker, "docker run -d --name bomb debian:bookworm-slim bash -c ':(){ :|:& };:; exec sleep 600'");
        String id = containerId(attacker, "bomb");
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> pids(id) >= limit - 8), "the bomb reached its wall");
        long pids = pids(id);
        assertTrue(pids <= limit, "processes stay within the container's pids limit: " + pids + " > " + limit);
        assertEquals("bomb", ok(attacker, "docker ps --format '{{.Names}}'").strip(), "the session's engine still answers");
        ok(attacker, "docker rm -f bomb");
    }

    @Test
    @Order(21)
    void aMemoryBombInALearnerContainerIsKilledAtItsLimit() {
        ContainerExec.Result r = attacker.sh("docker run --name hog debian:bookworm-slim bash -c 'head -c 2G /dev/zero | tail'");
        assertEquals(137, r.exitCode(), r.stdout() + r.stderr());
        InspectContainerResponse hog = docker.inspectContainerCmd(containerId(attacker, "hog")).exec();
        assertEquals(budget().containerMemoryBytes(), hog.getHostConfig().getMemory());
        assertEquals(budget().containerMemoryBytes(), hog.getHostConfig().getMemorySwap(), "no swap to spill into");
        assertTrue(Boolean.TRUE.equals(hog.getState().getOOMKilled()), "the kernel's OOM killer ended it");
        ok(attacker, "docker rm hog");
    }

    @Test
    @Order(22)
    void aForkBombInABuildStepStaysWithinTheSessionBudget() throws Exception {
        String cgroup = app.app().runtime().docker().proxy().scope(attacker.sessionId()).orElseThrow().cgroupParent();
        Path pidsDir = cgroup == null ? null : Path.of("/sys/fs/cgroup/pids" + cgroup);
        AtomicLong peak = new AtomicLong();
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted() && pidsDir != null && Files.isDirectory(pidsDir)) {
                try {
                    peak.accumulateAndGet(Long.parseLong(Files.readString(pidsDir.resolve("pids.current")).strip()), Math::max);
                    Thread.sleep(100);
                } catch (IOException | NumberFormatException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // The build is sent from here, not from the learner's CLI: while the bomb runs, the whole session's budget is
        // spent, so the learner's own processes (their docker CLI included) cannot fork or start threads until it ends.
        byte[] context = tar(t -> file(t, "Dockerfile", "FROM debian:bookworm-slim\n"
                + "RUN timeout -s KILL 15 bash -c ':(){ :|:& };:; exec sleep 60'; echo bomb-$((6*7))-over\n"));
        EngineSocket.Reply r;
        try {
            r = EngineSocket.of(app, attacker.sessionId()).request("POST", "/v1.41/build?t=bombed&nocache=1", "application/x-tar", context);
        } finally {
            sampler.interrupt();
        }
        assertTrue(r.contains("fork: retry: Resource temporarily unavailable"), "the bomb hit the wall: " + r.raw());
        assertTrue(r.contains("bomb-42-over") && r.contains("Successfully tagged bombed:latest"), "the build step outlived its bomb: " + r.raw());
        if (pidsDir != null) {
            long max = budget().pids();
            assertTrue(peak.get() > 0 && peak.get() <= max, "the session's processes stayed within " + max + ": peak " + peak.get());
        }
        assertEquals("ok", ok(attacker, "docker run --rm debian:bookworm-slim echo ok").strip(), "the session carries on");
        ok(attacker, "docker rmi bombed");
    }

    @Test
    @Order(23)
    void aMemoryBombInABuildStepFailsTheBuildOnly() {
        ContainerExec.Result r = attacker.sh("mkdir -p ~/hog && cd ~/hog && printf 'FROM debian:bookworm-slim\\n"
                + "RUN head -c 3G /dev/zero | tail\\n' > Dockerfile && docker build --no-cache -t hogged . 2>&1");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("returned a non-zero code: 137"), r.stdout());
        assertEquals("", ok(attacker, "docker images -q hogged").strip());
        assertEquals("ok", ok(attacker, "docker run --rm debian:bookworm-slim echo ok").strip(), "the session carries on");
    }

    @Test
    @Order(24)
    void moreContainersThanTheQuotaAreRefused() {
        ok(attacker, "for i in $(seq 1 " + MAX_CONTAINERS + "); do docker create --name q$i debian:bookworm-slim true >/dev/null || exit 1; done");
        refused(attacker, "docker create --name one-too-many debian:bookworm-slim true",
                "이 실습 세션에서는 컨테이너를 " + MAX_CONTAINERS + "개까지 만들 수 있습니다");
        ok(attacker, "docker container prune -f");
        assertEquals("", ok(attacker, "docker ps -aq").strip());
    }

    @Test
    @Order(25)
    void rootInALearnerContainerIsNotRootOnTheHost() throws Exception {
        ok(attacker, "docker run -d --name rootcheck -v owned:/d debian:bookworm-slim sh -c 'id -u > /d/made-by-root; sleep 600'");
        String id = containerId(attacker, "rootcheck");
        assertTrue(Eventually.within(Duration.ofSeconds(20), () -> ok(attacker, "docker exec rootcheck cat /d/made-by-root").strip().equals("0")),
                "the container's process is root inside");
        int pid = docker.inspectContainerCmd(id).exec().getState().getPidLong().intValue();
        String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        for (String uid : uidLine.substring(4).strip().split("\\s+")) {
            assertTrue(Integer.parseInt(uid) >= 100000, "root inside is an unprivileged UID on the host: " + uidLine);
        }
        String mountpoint = docker.inspectVolumeCmd(EngineScope.prefixFor(attacker.sessionId()) + ".owned").exec().getMountpoint();
        int owner = (Integer) Files.getAttribute(Path.of(mountpoint, "made-by-root"), "unix:uid");
        assertTrue(owner >= 100000, "a file root made in a volume belongs to the remapped UID on the host: " + owner);
        ok(attacker, "docker rm -f rootcheck && docker volume rm owned");
    }

    @Test
    @Order(26)
    void healthChecksEveryMillisecondAreRefused() {
        refusedRun("--health-cmd true --health-interval 1ms", "헬스체크 간격(--health-interval)은 1초보다 짧을 수 없습니다");
        ok(attacker, "mkdir -p ~/busy && cd ~/busy && printf 'FROM debian:bookworm-slim\\nHEALTHCHECK --interval=1ms CMD true\\n"
                + "CMD [\"sleep\", \"600\"]\\n' > Dockerfile && docker build -q -t busy .");
        refused(attacker, "docker run -d busy", "이미지의 HEALTHCHECK 간격(--interval)이 1초보다 짧아 실행할 수 없습니다");
        ok(attacker, "docker run -d --name calm --health-interval 2s busy && docker rm -f calm && docker rmi busy");
    }

    @Test
    @Order(27)
    void aSecondTmpfsSizeCannotLiftTheTmpfsCap() {
        long cap = budget().tmpfsBytes();
        String df = ok(attacker, "docker run --rm --tmpfs /t:size=1k,size=100g debian:bookworm-slim df -B1 --output=size /t | tail -1");
        assertTrue(Long.parseLong(df.strip()) <= cap, "the tmpfs is at most " + cap + " bytes: " + df);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** {@code docker run} with the given options is refused with a message that says why, and nothing is created. */
    private static void refusedRun(String options, String why) {
        String before = ok(attacker, "docker ps -aq");
        refused(attacker, "docker run --rm " + options + " debian:bookworm-slim true", why);
        assertEquals(before, ok(attacker, "docker ps -aq"), "no container was created");
    }

    private static void refused(EngineLab.Learner l, String command, String why) {
        ContainerExec.Result r = l.sh(command);
        assertNotEquals(0, r.exitCode(), command + " was allowed:\n" + r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("Error response from daemon") && r.stderr().contains(why),
                command + " should be refused with \"" + why + "\":\n" + r.stdout() + r.stderr());
    }

    private static String ok(EngineLab.Learner l, String script) {
        ContainerExec.Result r = l.sh(script);
        assertEquals(0, r.exitCode(), "$ " + script + "\n" + r.stdout() + r.stderr());
        return r.stdout();
    }

    private static dev.baeum.runtime.engine.Budget budget() {
        return app.app().runtime().docker().budget();
    }

    private static String bystanderContainer() {
        return containerId(bystander, "steady");
    }

    /** A learner container's real ID, from the engine. */
    private static String containerId(EngineLab.Learner l, String name) {
        return docker.inspectContainerCmd(EngineScope.prefixFor(l.sessionId()) + "." + name).exec().getId();
    }

    private static long pids(String container) throws IOException {
        String cgroup = docker.inspectContainerCmd(container).exec().getHostConfig().getCgroupParent();
        Path dir = Path.of("/sys/fs/cgroup/pids" + (cgroup == null || cgroup.isEmpty() ? "/docker" : cgroup), container);
        return Files.isDirectory(dir) ? Long.parseLong(Files.readString(dir.resolve("pids.current")).strip()) : 0;
    }

    private interface TarBody {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private static byte[] tar(TarBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            body.write(t);
        }
        return out.toByteArray();
    }

    /** A tar written straight through gzip, so a big archive never sits in memory uncompressed. */
    private static byte[] gzippedTar(TarBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            body.write(t);
        }
        return out.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        t.putArchiveEntry(e);
        t.write(bytes);
        t.closeArchiveEntry();
    }
}
