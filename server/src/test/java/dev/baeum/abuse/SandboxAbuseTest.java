package dev.baeum.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import dev.baeum.base.config.Setting;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.SandboxLabels;
import dev.baeum.support.Docker;
import dev.baeum.support.Eventually;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learners will paste anything. Every case attacks through the terminal WebSocket or the grading API, as a
 * learner or a submission would, and asserts: the sandbox stays inside its limits, the server keeps
 * answering (a lesson page is timed during the attack), another learner's session is unaffected, and
 * nothing is left behind. The figures go to server/target/abuse-report.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxAbuseTest {

    private static final String LAB = "process-isolation";
    private static final Duration RESPONSIVE = Duration.ofSeconds(2);
    private static TestApp app;
    private static DockerClient docker;
    private static String token;
    private static Attack bystander;
    private static long idleP95;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void start() {
        docker = Docker.require().client();
        app = TestApp.start(Map.of(Setting.GRADING_TIMEOUT, "8s", Setting.ADMIN_USERNAME, "abuse",
                Setting.ADMIN_PASSWORD, "abuse-password"));
        app.image(LAB);
        WebClient teacher = app.client();
        teacher.login("abuse", "abuse-password");
        token = teacher.postForm("/account/tokens", Map.of("name", "abuse")).body()
                .replaceAll("(?s).*<code class=\"token\" data-copy>([^<]+)</code>.*", "$1");
        bystander = Attack.open(app, LAB);
        idleP95 = lessonLatency()[1];
        report.add("| 기준 (공격 없음) | 레슨 페이지 p50/p95 " + Arrays.toString(lessonLatency()) + " ms |");
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        Path file = TestApp.root().resolve("server/target/abuse-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "| 경우 | 결과 |\n| --- | --- |\n" + String.join("\n", report) + "\n");
        System.out.println("Abuse report:\n" + String.join("\n", report));
    }

    // ---- cases ------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void forkBomb() throws Exception {
        Attack a = Attack.open(app, LAB);
        a.type(":(){ :|:& };:\r");
        int limit = app.app().runtime().policy().pids();
        Eventually.within(Duration.ofSeconds(10), () -> pids(a.container()) >= limit); // the bomb is at the wall
        long[] during = lessonLatency();
        long pids = pids(a.container());
        assertTrue(pids <= limit, "processes stay within the pids limit: " + pids + " > " + limit);
        assertTrue(running(a.container()), "the sandbox survives");
        assertTrue(during[1] < RESPONSIVE.toMillis(), "lesson page p95 during the fork bomb: " + during[1] + " ms");
        bystanderUnaffected();
        report.add("| 포크 폭탄 | 프로세스 " + pids + "/" + limit + "개에서 막힘, 레슨 페이지 p50/p95 " + Arrays.toString(during)
                + " ms (평소 p95 " + idleP95 + " ms) |");
        endAndGone(a);
    }

    @Test
    @Order(2)
    void memoryBomb() {
        Attack a = Attack.open(app, LAB);
        a.type("head -c 2G /dev/zero | tail\r");
        a.await("Killed", Duration.ofSeconds(30));
        a.expectShellWorks("after-oom");
        String oom = a.asRoot("cat /sys/fs/cgroup/memory.events 2>/dev/null | awk '/oom_kill/ {print $2}'; "
                + "cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null | awk '/oom_kill / {print $2}'").stdout().strip();
        assertTrue(Integer.parseInt(oom.split("\\s+")[0]) >= 1, "the kernel's OOM killer fired: " + oom);
        assertTrue(running(a.container()));
        bystanderUnaffected();
        report.add("| 메모리 폭탄 | 커널이 그 프로세스만 죽임 (oom_kill=" + oom + "), 셸과 컨테이너는 살아 있음 |");
        endAndGone(a);
    }

    @Test
    @Order(3)
    void fillingEveryWritablePath() {
        Attack a = Attack.open(app, LAB);
        a.type("head -c 100M /dev/zero > ~/big; echo big-exit-$?; for i in 1 2 3; do head -c 30M /dev/zero > ~/f$i; done 2>&1 | tail -1; "
                + "head -c 100M /dev/zero > /tmp/t 2>&1; touch /usr/x 2>&1; echo fill-$((1+1))-done\r");
        a.await("fill-2-done", Duration.ofSeconds(60));
        long fileLimit = app.app().runtime().policy().fileSizeBytes();
        long homeLimit = app.app().runtime().policy().homeTmpfsBytes();
        ContainerExec.Result sizes = a.asRoot("stat -c %s /home/learner/big; du -sb /home/learner | cut -f1; du -sb /tmp | cut -f1");
        String[] v = sizes.stdout().strip().split("\\s+");
        assertTrue(Long.parseLong(v[0]) <= fileLimit, "one file stops at the file-size limit: " + v[0]);
        assertTrue(Long.parseLong(v[1]) <= homeLimit + (1 << 20), "home stops at its tmpfs size: " + v[1]);
        assertTrue(Long.parseLong(v[2]) <= app.app().runtime().policy().tmpTmpfsBytes() + (1 << 20), "/tmp stops at its size: " + v[2]);
        assertTrue(a.out.text().contains("Read-only file system"), "the image's files cannot be written");
        Long written = docker.inspectContainerCmd(a.container()).withSize(true).exec().getSizeRw();
        assertTrue(written == null || written < (1 << 20), "nothing reached the host's disk: " + written);
        bystanderUnaffected();
        report.add("| 쓰기 가능한 곳 모두 채우기 | 파일 하나 " + v[0] + "B (상한 " + fileLimit + "), 홈 " + v[1] + "B (tmpfs " + homeLimit
                + "), 루트는 읽기 전용, 호스트 디스크 사용 " + written + "B |");
        endAndGone(a);
    }

    @Test
    @Order(4)
    void runawayOutput() throws Exception {
        Attack a = Attack.open(app, LAB);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        a.type("yes baeum-output-flood-0123456789\r");
        // the flood is on once its line shows more often than the typed command alone would
        a.out.await(t -> t.split("output-flood", -1).length > 4, Duration.ofSeconds(10), "the flood");
        int start = a.out.bytes();
        Thread.sleep(4000); // the measurement window itself, not a wait for something to happen
        int received = a.out.bytes() - start;
        long heapDuring = rt.totalMemory() - rt.freeMemory();
        long[] during = lessonLatency();
        long rate = app.app().runtime().policy().terminalBytesPerSecond();
        assertTrue(received <= rate * 4 * 1.5 + 65536, "the stream is throttled: " + received + " bytes in 4 s");
        assertTrue(heapDuring - heapBefore < 128L << 20, "server memory stays bounded");
        assertTrue(during[1] < RESPONSIVE.toMillis(), "lesson page p95 during the flood: " + during[1]);
        a.expectShellWorks("after-flood");
        bystanderUnaffected();
        report.add("| 끝없는 출력 (yes) | 4초에 " + received / 1024 + "KB만 전달 (상한 " + rate / 1024 + "KB/s), 힙 증가 "
                + Math.max(0, (heapDuring - heapBefore) >> 20) + "MB, 레슨 p95 " + during[1] + " ms, Ctrl-C로 복구 |");
        endAndGone(a);
    }

    @Test
    @Order(5)
    void fileDescriptorExhaustion() {
        Attack a = Attack.open(app, LAB);
        a.type("bash -c 'for i in $(seq 1 5000); do exec {fd}</dev/null || { echo FD-STOP-$i; exit; }; done' 2>&1 | tail -2\r");
        java.util.regex.Pattern stopped = java.util.regex.Pattern.compile("FD-STOP-(\\d+)");
        String text = a.out.await(t -> stopped.matcher(t).find(), Duration.ofSeconds(30), "FD-STOP-<n>");
        java.util.regex.Matcher m = stopped.matcher(text);
        assertTrue(m.find());
        int stop = Integer.parseInt(m.group(1));
        assertTrue(stop <= app.app().runtime().policy().openFiles(), "open files stop at the limit: " + stop);
        a.expectShellWorks("after-fd");
        bystanderUnaffected();
        report.add("| 파일 디스크립터 고갈 | " + stop + "번째에서 Too many open files (상한 " + app.app().runtime().policy().openFiles() + ") |");
        endAndGone(a);
    }

    @Test
    @Order(6)
    void noNetworkEgress() {
        Attack a = Attack.open(app, LAB);
        // Nothing is sent anywhere: with no interface but loopback and no route, the kernel refuses at once.
        ContainerExec.Result r = a.asLearner("ls /sys/class/net; echo routes:$(ip route | wc -l); getent hosts deb.debian.org; echo dns:$?");
        assertEquals("lo", r.stdout().strip().split("\n")[0]);
        assertTrue(r.stdout().contains("routes:0"), r.stdout());
        assertTrue(r.stdout().contains("dns:2"), r.stdout());
        report.add("| 네트워크가 꺼진 실습에서 밖으로 나가기 | 인터페이스는 lo뿐, 경로 0개, 이름 풀이 실패 |");
        endAndGone(a);
    }

    @Test
    @Order(7)
    void serverFilesAndEnvironmentAreInvisible() {
        Attack a = Attack.open(app, LAB);
        String root = TestApp.root().toString();
        ContainerExec.Result r = a.asLearner("env; echo ---; ls " + root + " 2>&1; ls /var/run/docker.sock 2>&1; "
                + "cat /proc/1/environ 2>&1; cat /proc/1/cmdline; echo; grep -c " + root + " /proc/self/mountinfo");
        String out = r.stdout();
        for (String secret : new String[]{"TESTCONTAINERS", "BAEUM_DB", "JAVA_HOME", "MAVEN", "M2_HOME"}) {
            assertFalse(out.split("---")[0].contains(secret), "the server's environment leaks: " + secret);
        }
        assertTrue(out.contains("No such file or directory"), "the project and the Docker socket are not there: " + out);
        assertTrue(out.contains("Permission denied"), "root's environment is unreadable: " + out);
        assertTrue(out.strip().endsWith("0"), "no host path is mounted");
        report.add("| 서버 파일·환경 변수 읽기 | 프로젝트 폴더·도커 소켓 없음, 서버 환경 변수 없음, PID 1 환경은 Permission denied |");
        endAndGone(a);
    }

    @Test
    @Order(8)
    void privilegeEscalationFails() {
        Attack a = Attack.open(app, LAB);
        ContainerExec.Result r = a.asLearner("""
                unshare -r id 2>&1 | head -1
                mount -t tmpfs none /tmp 2>&1 | head -1
                su -c id root </dev/null 2>&1 | tail -1
                echo 1 > /sys/fs/cgroup/pids/pids.max 2>&1; echo 1 > /sys/fs/cgroup/pids.max 2>&1
                echo 1 > /proc/sys/kernel/sysrq 2>&1
                chroot / true 2>&1
                nsenter -t 1 -m true 2>&1
                echo uid=$(id -u)
                grep CapEff /proc/self/status
                find / -xdev -perm -4000 -type f 2>/dev/null | wc -l
                """);
        String out = r.stdout() + r.stderr();
        assertTrue(out.contains("unshare failed: Operation not permitted"), out);
        assertTrue(out.contains("must be superuser"), out);
        assertTrue(out.contains("Authentication failure") || out.contains("su: "), out);
        // Without userns-remap /sys is mounted read-only; with it, the remapped root owns nothing there.
        assertTrue(out.contains("pids.max: Read-only file system") || out.contains("pids.max: Permission denied"), out);
        assertTrue(out.contains("uid=1000"), out);
        assertTrue(out.contains("CapEff:\t0000000000000000"), out);
        ContainerExec.Result root = a.asRoot("grep CapEff /proc/self/status");
        assertTrue(root.stdout().contains("0000000000000000"), "even root in the sandbox has no capabilities: " + root.stdout());
        report.add("| 권한 상승 (unshare, mount, setuid, cgroup 쓰기, chroot, nsenter) | 모두 거부, 학습자 UID 1000·권한 0, 컨테이너 root도 권한 0 |");
        endAndGone(a);
    }

    @Test
    @Order(9)
    void killingPidOneOrTheShell() {
        Attack a = Attack.open(app, LAB);
        a.type("kill -9 1; echo kill1-status-$?\r");
        a.await("kill1-status-1", Duration.ofSeconds(10));
        assertTrue(a.out.text().contains("Operation not permitted"));
        a.type("kill -9 $$\r");
        Integer code = a.out.closed().orTimeout(15, TimeUnit.SECONDS).join();
        assertEquals(4000, code, "the page is told the shell ended, and reconnects");
        a.connect();
        a.expectShellWorks("after-kill");
        assertTrue(running(a.container()));
        report.add("| PID 1과 셸 죽이기 | PID 1은 Operation not permitted, 셸을 죽이면 연결이 코드 4000으로 닫히고 재접속하면 새 셸 |");
        endAndGone(a);
    }

    @Test
    @Order(10)
    void processesLeftRunningDieWithTheSession() throws Exception {
        Attack a = Attack.open(app, LAB);
        a.type("nohup sleep 987654 >/dev/null 2>&1 & setsid sleep 876543 & disown; echo bg-$((3*3))\r");
        a.await("bg-9", Duration.ofSeconds(10));
        String container = a.container();
        assertTrue(hostHasProcess("987654"), "the background process runs");
        a.end();
        assertFalse(exists(container), "the container is gone");
        Eventually.within(Duration.ofSeconds(5), () -> !hostHasProcess("987654") && !hostHasProcess("876543"));
        assertFalse(hostHasProcess("987654") || hostHasProcess("876543"), "and so are its processes");
        report.add("| 세션이 끝난 뒤 남은 프로세스 | 컨테이너와 함께 nohup/setsid 프로세스도 사라짐 |");
    }

    @Test
    @Order(11)
    void checkScriptsCannotBeSeenOrTouched() throws Exception {
        Attack a = Attack.open(app, LAB);
        AtomicReference<String> seen = new AtomicReference<>("");
        Thread spy = new Thread(() -> seen.set(a.asLearner("""
                for i in $(seq 1 40); do
                  ps -eo args; cat /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'
                  grep -rs 'echo "~/pid1.txt' /tmp /var/tmp /home /run 2>/dev/null
                  sleep 0.05
                done
                """).stdout()));
        spy.start();
        for (int i = 0; i < 8; i++) {
            a.client.post("/labs/" + LAB + "/check");
        }
        spy.join();
        String observed = seen.get();
        assertTrue(observed.contains("timeout -s KILL") || observed.contains("eval"), "the spy did look while checks ran");
        assertFalse(observed.contains("pid1.txt 파일이 아직 없습니다"), "no check text is visible to the learner");
        assertFalse(observed.contains("BAEUM_CHECK_"), "no check variable is visible to the learner");
        report.add("| 채점 스크립트 엿보기·바꾸기 | 채점 중 ps, /proc, 파일 검색으로도 스크립트 내용이 보이지 않음 (디스크에 쓰지 않고 root 환경 변수로 전달) |");
        endAndGone(a);
    }

    @Test
    @Order(12)
    void aGradingSubmissionThatNeverEnds() {
        long started = System.nanoTime();
        WebClient.Response r = app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/labs/" + LAB + "/grade?student=loop"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString("trap '' TERM INT\nwhile :; do :; done\n")).build());
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(200, r.status(), r.body());
        JsonNode grade = r.json();
        assertTrue(grade.path("error").asText().contains("제한 시간"), grade.toString());
        assertEquals(0, grade.path("passed").asInt());
        assertTrue(seconds < 30, "the time limit ended it: " + seconds + " s");
        assertEquals(0, docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(SandboxLabels.PURPOSE, "grading")).exec().size(),
                "the grading sandbox was removed");
        report.add("| 끝나지 않는 채점 제출물 | " + seconds + "초 만에 제한 시간 오류로 보고, 컨테이너 삭제 |");
    }

    @Test
    @Order(13)
    void oneMegabytePastedIntoTheTerminal() throws Exception {
        Attack a = Attack.open(app, LAB);
        String chunk = "A".repeat(16 * 1024);
        for (int i = 0; i < 64; i++) { // as our page sends a big paste: 16 KB messages
            a.type(chunk);
        }
        long[] during = lessonLatency();
        a.expectShellWorks("after-paste", Duration.ofSeconds(90)); // the shell first echoes what it accepted, at the terminal's rate
        assertEquals(200, app.client().get("/healthz").status());
        // A single 1 MB frame is refused by the server's message size limit; the server carries on.
        TerminalRecorder big = new TerminalRecorder();
        WebSocket raw = a.client.terminalNow(a.session.path("terminal").asText(), big);
        raw.sendText("{\"type\":\"input\",\"data\":\"" + "B".repeat(1 << 20) + "\"}", true);
        Integer code = big.closed().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> -1).join();
        assertNotEquals(1000, code, "an oversized message closes that connection");
        assertEquals(200, app.client().get("/healthz").status());
        bystanderUnaffected();
        report.add("| 터미널에 1MB 붙여 넣기 | 16KB씩 보내면 넘치는 입력은 버리고 알림, 레슨 p95 " + during[1]
                + " ms; 1MB 한 덩어리는 연결만 닫힘 (코드 " + code + ") |");
        endAndGone(a);
    }

    @Test
    @Order(14)
    void malformedWebSocketMessagesAndFrames() throws Exception {
        Attack a = Attack.open(app, LAB);
        for (String junk : new String[]{"not json", "[]", "{\"type\":123}", "{\"type\":\"resize\",\"cols\":999999,\"rows\":-5}",
                "{\"type\":\"input\"}", "{\"type\":\"nope\",\"data\":\"x\"}", "{" + "\"a\":[".repeat(500)}) {
            a.ws.sendText(junk, true).join();
        }
        a.ws.sendBinary(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x1b}), true).join();
        a.expectShellWorks("after-junk");
        assertTrue(a.out.controls().stream().anyMatch(c -> c.contains("알 수 없는 메시지")), "junk is ignored with a notice");

        // A raw client that breaks the WebSocket protocol itself (an unmasked frame with a reserved opcode).
        String cookie = "baeum_session=" + a.client.cookie("baeum_session");
        URI uri = URI.create(app.baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET " + a.session.path("terminal").asText() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\nOrigin: " + app.baseUrl() + "\r\nCookie: " + cookie + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[]{(byte) 0x83, 0x03, 'b', 'a', 'd'});
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int total = 0;
            int n;
            while ((n = in.read(buffer)) > 0 && total < 1 << 20) {
                total += n;
            }
            assertTrue(total > 0, "the server answered the handshake, then closed the broken connection");
        }
        assertEquals(200, app.client().get("/healthz").status());
        bystanderUnaffected();
        report.add("| 잘못된 WebSocket 메시지와 프레임 | 이상한 JSON·이진 데이터는 알림과 함께 무시, 규약을 어긴 프레임은 그 연결만 끊김 |");
        endAndGone(a);
    }

    @Test
    @Order(15)
    void sleepingForeverAndIgnoringTermEndsAtTheWallClockLimit() throws Exception {
        try (TestApp shortLived = TestApp.start(Map.of(Setting.SANDBOX_GUEST_LIFETIME, "5s"))) {
            Attack a = Attack.open(shortLived, LAB);
            a.type("trap '' TERM INT HUP; while :; do sleep 1; done\r");
            String container = a.container();
            Eventually.within(Duration.ofSeconds(20), () -> {
                shortLived.app().runtime().reaper().pass();
                return !exists(container);
            });
            assertFalse(exists(container), "the wall-clock limit removed the container though its process ignores SIGTERM");
            JsonNode status = a.client.getJson("/labs/" + LAB + "/session").json();
            assertEquals("none", status.path("state").asText());
            report.add("| SIGTERM을 무시하고 영원히 잠자기 | 최대 수명(시험에서 5초)이 지나자 정리기가 컨테이너를 강제로 삭제 |");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** p50 and p95 of 30 lesson page loads, in milliseconds. */
    static long[] lessonLatency() {
        WebClient reader = app.client();
        long[] times = new long[30];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            assertEquals(200, reader.get("/lessons/containers").status());
            times[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(times);
        return new long[]{times[times.length / 2], times[(int) Math.ceil(times.length * 0.95) - 1]};
    }

    /** Another learner, busy in their own sandbox the whole time, is not affected. */
    static void bystanderUnaffected() {
        WebClient.Response check = bystander.client.post("/labs/" + LAB + "/check");
        assertEquals(200, check.status(), check.body());
        bystander.expectShellWorks("bystander");
    }

    static void endAndGone(Attack a) {
        String container = a.container();
        a.end();
        assertFalse(exists(container), "the attacker's container is removed when the session ends");
    }

    static boolean exists(String id) {
        return !docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().isEmpty();
    }

    static boolean running(String id) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    }

    static long pids(String container) throws Exception {
        AtomicReference<Statistics> stats = new AtomicReference<>();
        try (ResultCallback.Adapter<Statistics> callback = docker.statsCmd(container).withNoStream(true).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                stats.set(s);
            }
        })) {
            callback.awaitCompletion(15, TimeUnit.SECONDS);
        }
        Long current = stats.get() == null || stats.get().getPidsStats() == null ? null : stats.get().getPidsStats().getCurrent();
        return current == null ? 0 : current;
    }

    /** Looks through this host's /proc (the engine runs here in tests and CI). */
    static boolean hostHasProcess(String marker) throws Exception {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(marker) && !cmd.contains("echo")) {
                        return true;
                    }
                } catch (Exception gone) {
                    // the process ended while we looked
                }
            }
        }
        return false;
    }
}
