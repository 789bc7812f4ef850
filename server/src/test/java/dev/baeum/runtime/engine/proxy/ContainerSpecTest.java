package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineAddress;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.ImageLedger;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The create-body allowlist without an engine: a learner's {@code POST /containers/create} body in, either the
 * refusal (status and message) or the body the engine would get out. Only requests that need no lookup are
 * used here (default network, catalogue image); the ones that resolve containers and networks are in
 * EngineAbuseTest against a real engine.
 */
class ContainerSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "b0123456789";
    private static final Budget BUDGET = Budget.defaults();
    private static final EngineScope SCOPE = new EngineScope("s-1", PREFIX, 7, "learner-7", "lab", "test", "session",
            0, "lab-container", "/baeum/s-1", "b0123456789.net", List.of("/home/learner/site"), BUDGET);
    private static final Ctx.Image DEBIAN = new Ctx.Image("sha256:" + "a".repeat(64), true,
            JSON.createObjectNode().putObject("Config"), "debian:bookworm-slim");

    private final Ctx ctx = ctx();
    private final Set<Integer> usedPorts = new HashSet<>();

    private static Ctx ctx() {
        // An engine nobody listens on: the allowlist must decide these requests without asking it.
        EngineClient engine = new EngineClient(EngineAddress.unix(Path.of("/nonexistent/baeum-test.sock")), JSON);
        ImageLedger none = new ImageLedger() {
            public void record(String sessionId, String imageId) { }
            public Set<String> ids(String sessionId) { return Set.of(); }
            public void forget(String sessionId, String imageId) { }
            public void forgetAll(String sessionId) { }
        };
        return new Ctx(SCOPE, engine, Catalogue.of(List.of("debian:bookworm-slim")), none,
                new LabHooks(engine, () -> "lab-container"), new ReentrantLock());
    }

    private ContainerSpec.Built build(String body) throws Exception {
        return build(body, DEBIAN);
    }

    private ContainerSpec.Built build(String body, Ctx.Image image) throws Exception {
        return new ContainerSpec(ctx, usedPorts).build(JSON.readTree(body), "web", image);
    }

    private Refusal refused(String body) {
        return assertThrows(Refusal.class, () -> build(body));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void aPlainRunGetsEveryWallWhateverWasAsked() throws Exception {
        ContainerSpec.Built built = build("""
                {"Image":"debian:bookworm-slim","Cmd":["sh","-c","echo hi"],"Tty":true,"Env":["A=1"],
                 "Labels":{"app":"x"},"HostConfig":{"Privileged":false,"Devices":[],"Binds":null}}""");
        JsonNode out = built.body();
        assertEquals("debian:bookworm-slim", out.path("Image").asText());
        assertEquals("[\"sh\",\"-c\",\"echo hi\"]", out.path("Cmd").toString());
        assertEquals("[\"A=1\"]", out.path("Env").toString());
        assertTrue(out.path("Tty").asBoolean());
        JsonNode host = out.path("HostConfig");
        assertEquals(BUDGET.containerMemoryBytes(), host.path("Memory").asLong());
        assertEquals(BUDGET.containerMemoryBytes(), host.path("MemorySwap").asLong(), "no swap beyond memory");
        assertEquals(Math.round(BUDGET.containerCpus() * 1e9), host.path("NanoCpus").asLong());
        assertEquals(BUDGET.containerPids(), host.path("PidsLimit").asInt());
        assertEquals("[\"ALL\"]", host.path("CapDrop").toString());
        assertEquals(ContainerLimits.CAPABILITIES, texts(host.path("CapAdd")));
        assertEquals("[\"no-new-privileges:true\"]", host.path("SecurityOpt").toString());
        assertEquals("/baeum/s-1", host.path("CgroupParent").asText());
        assertEquals("b0123456789.net", host.path("NetworkMode").asText());
        assertEquals("[{\"Name\":\"fsize\",\"Soft\":" + BUDGET.fileSizeBytes() + ",\"Hard\":" + BUDGET.fileSizeBytes()
                + "},{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":1024}]", host.path("Ulimits").toString());
        assertEquals("{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"" + BUDGET.logBytes() + "\",\"max-file\":\"1\"}}",
                host.path("LogConfig").toString());
        assertEquals("[\"timeout:1\",\"attempts:1\"]", host.path("DnsOptions").toString());
        assertFalse(host.has("Privileged"));
        assertEquals("[]", host.path("Mounts").toString());
        assertEquals("x", out.path("Labels").path("app").asText());
        assertEquals("s-1", out.path("Labels").path(EngineScope.SESSION).asText());
        assertEquals("{\"EndpointsConfig\":{\"b0123456789.net\":{\"Aliases\":[\"web\"]}}}",
                out.path("NetworkingConfig").toString());
        assertTrue(built.ports().isEmpty());
        assertTrue(built.volumes().isEmpty());
    }

    @Test
    void unknownAndDangerousFieldsAreRefusedByName() {
        Refusal devices = refused("{\"Image\":\"x\",\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}}");
        assertEquals(403, devices.status());
        assertEquals("장치(--device)는 호스트의 장치를 그대로 넘기므로 쓸 수 없습니다.", devices.getMessage());
        assertEquals("이 실습 환경에서는 HostConfig.Frobnicate 설정을 쓸 수 없습니다.",
                refused("{\"HostConfig\":{\"Frobnicate\":1}}").getMessage());
        assertEquals("이 실습 환경에서는 Frobnicate 설정을 쓸 수 없습니다.", refused("{\"Frobnicate\":\"x\"}").getMessage());
        assertEquals("시스템 경로 보호를 푸는 옵션(systempaths=unconfined)은 쓸 수 없습니다.",
                refused("{\"HostConfig\":{\"MaskedPaths\":[]}}").getMessage(), "even an empty list unmasks");
        assertEquals("컨테이너 설정(JSON)이 올바르지 않습니다.", refused("[]").getMessage());
        assertEquals(400, refused("[]").status());
    }

    @Test
    void privilegeAndSecurityOptionsStayClosed() throws Exception {
        assertEquals("--privileged 는 컨테이너에 호스트의 모든 권한을 주므로 이 실습 환경에서는 쓸 수 없습니다.",
                refused("{\"HostConfig\":{\"Privileged\":true}}").getMessage());
        assertEquals("리눅스 권한 SYS_ADMIN(--cap-add)은 이 실습 환경에서 줄 수 없습니다. 쓸 수 있는 권한: CHOWN, DAC_OVERRIDE, "
                        + "FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETGID, SETUID (기본으로 들어 있습니다).",
                refused("{\"HostConfig\":{\"CapAdd\":[\"cap_sys_admin\"]}}").getMessage());
        assertEquals(403, refused("{\"HostConfig\":{\"CapAdd\":[\"ALL\"]}}").status());
        assertEquals("보안 옵션 'seccomp=unconfined'(--security-opt)은 쓸 수 없습니다: 울타리를 느슨하게 하는 옵션입니다.",
                refused("{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}}").getMessage());
        assertEquals("런타임(--runtime)은 바꿀 수 없습니다.", refused("{\"HostConfig\":{\"Runtime\":\"runsc\"}}").getMessage());
        assertEquals("--cgroup-parent 는 쓸 수 없습니다: 이 세션의 컨테이너는 모두 세션의 자원 예산 아래에서 돕니다.",
                refused("{\"HostConfig\":{\"CgroupParent\":\"/\"}}").getMessage());
        assertEquals("ulimit 'core'은(는) 바꿀 수 없습니다 (nofile 만 4096까지 됩니다).",
                refused("{\"HostConfig\":{\"Ulimits\":[{\"Name\":\"core\",\"Hard\":1}]}}").getMessage());
        assertEquals("로그 드라이버 'syslog'은(는) 쓸 수 없습니다 (json-file 또는 none).",
                refused("{\"HostConfig\":{\"LogConfig\":{\"Type\":\"syslog\"}}}").getMessage());
        assertEquals("pid=host 는 서버의 네임스페이스를 그대로 쓰게 되므로 쓸 수 없습니다.",
                refused("{\"HostConfig\":{\"PidMode\":\"host\"}}").getMessage());
        assertEquals("UsernsMode=private 은(는) 쓸 수 없습니다.", refused("{\"HostConfig\":{\"UsernsMode\":\"private\"}}").getMessage());
        assertEquals("--oom-score-adj 를 음수로 해서 OOM 킬러를 피할 수는 없습니다.",
                refused("{\"HostConfig\":{\"OomScoreAdj\":-500}}").getMessage());
        assertTrue(refused("{\"HostConfig\":{\"NetworkMode\":\"host\"}}").getMessage().startsWith("--network host 는 서버의 네트워크를"));
        assertEquals("'baeum.' 으로 시작하는 라벨은 플랫폼이 쓰므로 붙일 수 없습니다: baeum.session",
                refused("{\"Labels\":{\"baeum.session\":\"other\"}}").getMessage());

        JsonNode host = build("{\"HostConfig\":{\"CapDrop\":[\"ALL\"],\"SecurityOpt\":[\"no-new-privileges\"],"
                + "\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":4096}],\"LogConfig\":{\"Type\":\"none\"}}}").body().path("HostConfig");
        assertEquals("[]", host.path("CapAdd").toString());
        assertEquals("{\"Name\":\"nofile\",\"Soft\":4096,\"Hard\":4096}", host.path("Ulimits").get(1).toString());
        assertEquals("{\"Type\":\"none\"}", host.path("LogConfig").toString());
    }

    @Test
    void limitsAreCappedByTheSessionBudget() throws Exception {
        assertEquals("컨테이너 메모리(--memory)는 이 실습 세션의 메모리 예산 1GB보다 클 수 없습니다.",
                refused("{\"HostConfig\":{\"Memory\":" + (2L << 30) + "}}").getMessage());
        assertEquals("컨테이너 CPU(--cpus)는 이 실습 세션의 CPU 예산 1.0코어보다 클 수 없습니다.",
                refused("{\"HostConfig\":{\"CpuQuota\":300000,\"CpuPeriod\":100000}}").getMessage());
        assertEquals("프로세스 수 상한(--pids-limit)은 이 실습 세션의 예산 512개보다 클 수 없습니다.",
                refused("{\"HostConfig\":{\"PidsLimit\":100000}}").getMessage());
        assertEquals("--shm-size 는 64MB까지입니다.", refused("{\"HostConfig\":{\"ShmSize\":" + (1L << 30) + "}}").getMessage());

        JsonNode host = build("{\"HostConfig\":{\"Memory\":134217728,\"MemorySwap\":-1,\"NanoCpus\":250000000,"
                + "\"CpuShares\":1,\"BlkioWeight\":5000}}").body().path("HostConfig");
        assertEquals(134217728, host.path("Memory").asLong());
        assertEquals(134217728, host.path("MemorySwap").asLong(), "unlimited swap becomes none");
        assertEquals(250000000, host.path("NanoCpus").asLong());
        assertEquals(2, host.path("CpuShares").asLong());
        assertEquals(1000, host.path("BlkioWeight").asLong());
    }

    @Test
    void hostPathsNeverMountButLabFoldersAndNamedVolumesDo() throws Exception {
        assertEquals("호스트 경로(/etc)는 마운트할 수 없습니다: 서버의 파일이 보이게 됩니다. 이 실습에서 바인드 마운트할 수 있는 폴더: "
                + "/home/learner/site", refused("{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}").getMessage());
        assertEquals("볼륨 옵션 'shared'은(는) 쓸 수 없습니다.", refused("{\"HostConfig\":{\"Binds\":[\"data:/x:shared\"]}}").getMessage());
        assertEquals("마운트 경로에 '..' 은 쓸 수 없습니다: /x/../..", refused("{\"HostConfig\":{\"Binds\":[\"data:/x/../..\"]}}").getMessage());
        assertEquals("볼륨 드라이버 옵션(volume-opt, volume-driver)은 쓸 수 없습니다: type=none,o=bind 같은 옵션은 볼륨을 호스트 경로로 바꿉니다.",
                refused("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/v\","
                        + "\"VolumeOptions\":{\"DriverConfig\":{\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}}}]}}").getMessage());
        assertEquals("호스트 경로 바인드 마운트(--mount type=bind)는 쓸 수 없습니다: 서버의 파일이 보이게 됩니다. 이 실습에서 바인드 마운트할 수 "
                        + "있는 폴더: /home/learner/site",
                refused("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/host\"}]}}").getMessage());
        assertEquals("마운트 종류 'npipe'은(는) 쓸 수 없습니다.",
                refused("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"npipe\",\"Source\":\"x\",\"Target\":\"/x\"}]}}").getMessage());

        ContainerSpec.Built built = build("{\"HostConfig\":{\"Binds\":[\"/home/learner/site/:/usr/share/nginx/html:ro\","
                + "\"data:/data\"]}}");
        JsonNode mounts = built.body().path("HostConfig").path("Mounts");
        assertEquals("{\"Type\":\"volume\",\"Target\":\"/usr/share/nginx/html\",\"ReadOnly\":true,\"Source\":\"" + PREFIX
                + ".bind-site\",\"VolumeOptions\":{\"NoCopy\":true}}", mounts.get(0).toString());
        assertEquals("{\"Type\":\"volume\",\"Target\":\"/data\",\"ReadOnly\":false,\"Source\":\"" + PREFIX + ".data\"}",
                mounts.get(1).toString());
        assertEquals(List.of(PREFIX + ".data"), built.volumes());
        assertTrue(built.anonymous().isEmpty());
    }

    @Test
    void anonymousVolumesAndTmpfsAreSessionSizedAndLabelled() throws Exception {
        Ctx.Image withVolume = new Ctx.Image(DEBIAN.id(), true,
                JSON.readTree("{\"Config\":{\"Volumes\":{\"/var/lib/data\":{}}}}"), DEBIAN.engineRef());
        ContainerSpec.Built built = build("{\"HostConfig\":{\"Tmpfs\":{\"/run\":\"rw,size=1k,size=10g\"},"
                + "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":1099511627776}}]}}", withVolume);
        JsonNode host = built.body().path("HostConfig");
        assertEquals("{\"/run\":\"rw,size=" + BUDGET.tmpfsBytes() + "\"}", host.path("Tmpfs").toString(), "the last size= counts");
        assertEquals("{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"ReadOnly\":false,\"TmpfsOptions\":{\"SizeBytes\":"
                + BUDGET.tmpfsBytes() + "}}", host.path("Mounts").get(0).toString());
        JsonNode anon = host.path("Mounts").get(1);
        assertEquals("/var/lib/data", anon.path("Target").asText());
        assertTrue(anon.path("Source").asText().matches(PREFIX + "\\.[0-9a-f]{64}"), anon.toString());
        assertEquals(List.of(anon.path("Source").asText()), built.anonymous());
        assertEquals(built.anonymous(), built.volumes());
        assertEquals(anon.path("Source").asText(), built.body().path("Labels").path(ContainerSpec.ANON_LABEL).asText());
    }

    @Test
    void healthChecksUnderASecondAreRefusedEvenFromTheImage() throws Exception {
        assertTrue(refused("{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":1000000}}").getMessage()
                .startsWith("헬스체크 간격(--health-interval)은 1초보다 짧을 수 없습니다"));
        Ctx.Image eager = new Ctx.Image(DEBIAN.id(), true,
                JSON.readTree("{\"Config\":{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":1000}}}"), DEBIAN.engineRef());
        assertThrows(Refusal.class, () -> build("{}", eager));
        assertEquals("{\"Test\":[\"NONE\"]}",
                build("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}", eager).body().path("Healthcheck").toString(), "--no-healthcheck runs");
    }

    @Test
    void publishedPortsBecomeALabelWithFreeSessionPorts() throws Exception {
        usedPorts.add(32768);
        ContainerSpec.Built built = build("{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}},\"HostConfig\":{"
                + "\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],\"443/tcp\":[{\"HostPort\":\"\"}]},"
                + "\"PublishAllPorts\":true}}");
        assertEquals("{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}],"
                + "\"443/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"32769\"}],"
                + "\"53/udp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"32770\"}]}", built.ports().toString());
        assertEquals(built.ports().toString(), built.body().path("Labels").path(ContainerSpec.PORTS_LABEL).asText());
        assertFalse(built.body().path("HostConfig").has("PortBindings"), "nothing is bound on the server");

        assertEquals("이 실습 환경에서는 포트를 특정 주소(10.0.0.1)에 열 수 없습니다.",
                refused("{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"10.0.0.1\",\"HostPort\":\"80\"}]}}}").getMessage());
        assertEquals("호스트 포트가 올바르지 않습니다 (포트 범위는 쓸 수 없습니다): 8000-8010",
                refused("{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8000-8010\"}]}}}").getMessage());
        assertEquals("같은 호스트 포트를 두 번 쓸 수 없습니다: 80",
                refused("{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80\"}],\"81/tcp\":[{\"HostPort\":\"80\"}]}}}").getMessage());
    }

    @Test
    void optionsAreCheckedAndCopied() throws Exception {
        JsonNode host = build("{\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":99},"
                + "\"AutoRemove\":true,\"Init\":true,\"OomScoreAdj\":5000,\"Dns\":[\"1.1.1.1\"],\"IpcMode\":\"shareable\"}}")
                .body().path("HostConfig");
        assertEquals("{\"Name\":\"on-failure\",\"MaximumRetryCount\":10}", host.path("RestartPolicy").toString());
        assertTrue(host.path("AutoRemove").asBoolean());
        assertTrue(host.path("Init").asBoolean());
        assertEquals(1000, host.path("OomScoreAdj").asInt());
        assertEquals("[\"1.1.1.1\"]", host.path("Dns").toString());
        assertEquals("shareable", host.path("IpcMode").asText());
        assertEquals("재시작 정책이 올바르지 않습니다: sometimes",
                refused("{\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}").getMessage());
        assertEquals("ExtraHosts 값이 올바르지 않습니다: a b", refused("{\"HostConfig\":{\"ExtraHosts\":[\"a b\"]}}").getMessage());
        assertEquals("고정 IP·MAC 주소(--ip, --mac-address)는 쓸 수 없습니다.", refused("{\"NetworkingConfig\":{\"EndpointsConfig\":"
                + "{\"x\":{\"IPAMConfig\":{\"IPv4Address\":\"10.0.0.9\"}}}}}").getMessage());
        assertEquals("Cmd 값이 올바르지 않습니다.", refused("{\"Cmd\":\"sh\"}").getMessage());
        assertEquals("User 값이 너무 깁니다.", refused("{\"User\":\"" + "u".repeat(257) + "\"}").getMessage());
    }
}
