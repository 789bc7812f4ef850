package dev.baeum.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker a beginner's course uses, for real, through one learner's docker-lab session: the terminal
 * WebSocket for what needs a TTY, and commands run as the learner in the lab container for the rest. One
 * session serves every step (as a learner's would), so the class stays quick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEngineTest {

    private static final Duration LONG = Duration.ofSeconds(90);
    private static TestApp app;
    private static DockerClient docker;
    private static EngineLab.Learner kim;

    @BeforeAll
    static void start() {
        docker = Docker.require().client();
        app = EngineLab.start(Map.of());
        kim = EngineLab.Learner.open(app).terminal();
    }

    @AfterAll
    static void stop() {
        try {
            if (kim != null) {
                String session = kim.sessionId();
                kim.close();
                assertEquals(0, docker.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(EngineScope.SESSION, session)).exec().size(), "the session's containers are removed");
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    @Order(1)
    void runPrintsKoreanAndRemovesTheContainer() {
        int from = kim.out.text().length();
        kim.type("docker run --rm debian:bookworm-slim echo 안녕; echo done-$((1+1))\r");
        String shown = awaitNew(from, "done-2");
        assertTrue(shown.split("안녕", -1).length - 1 >= 2, "the typed line, then 안녕 printed by the container:\n" + shown);
        assertEquals("안녕\n", ok("docker run --rm debian:bookworm-slim echo 안녕"));
        assertEquals("", ok("docker ps -aq").strip(), "--rm left nothing behind");
    }

    @Test
    @Order(2)
    void interactiveRunTakesInputAndFollowsTerminalResizes() {
        int from = kim.out.text().length();
        kim.type("docker run -it --rm --name tty debian:bookworm-slim bash\r");
        awaitNew(from, "root@");
        kim.type("echo in-$((6*7))\r");
        awaitNew(from, "in-42");
        int[] before = size();
        assertEquals(120, before[1], "the container's terminal is as wide as the learner's");
        kim.ws.sendText("{\"type\":\"resize\",\"cols\":100,\"rows\":30}", true).join();
        int[] after = size();
        for (int i = 0; i < 20 && after[1] != 100; i++) { // the resize travels: page, tmux, docker CLI, engine
            after = size();
        }
        assertEquals(100, after[1], "columns follow the resize");
        assertEquals(before[0] - 10, after[0], "rows follow the resize");
        from = kim.out.text().length();
        kim.type("exit\r");
        awaitNew(from, "learner@"); // the lab shell's prompt again: what is typed now goes to it
        kim.type("echo back-$((2+3))\r");
        awaitNew(from, "back-5");
        assertEquals("", ok("docker ps -aq").strip());
    }

    /** The container terminal's rows and columns, as stty inside it reports them. */
    private static int[] size() {
        int from = kim.out.text().length();
        kim.type("echo sz-$(stty size | tr ' ' x)-end\r");
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("sz-(\\d+)x(\\d+)-end");
        String shown = kim.out.await(t -> p.matcher(t.substring(from)).find(), LONG, "stty size");
        java.util.regex.Matcher m = p.matcher(shown.substring(from));
        assertTrue(m.find());
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Waits for text that appears after {@code from} (earlier steps' output does not count). */
    private static String awaitNew(int from, String marker) {
        return kim.out.await(t -> t.substring(from).contains(marker), LONG, marker).substring(from);
    }

    @Test
    @Order(3)
    void multiStageBuildHonoursDockerignoreArgAndHealthcheck() {
        ok("""
                mkdir -p ~/app && cd ~/app
                echo '비밀' > secret.txt
                echo 'kept' > keep.txt
                printf 'secret.txt\\n' > .dockerignore
                cat > Dockerfile <<'EOF'
                ARG BASE=debian:bookworm-slim
                FROM ${BASE} AS build
                WORKDIR /src
                COPY . .
                RUN ls -A | sort | tr '\\n' ' ' > /files.txt && echo built-in-stage-one > /artifact.txt
                FROM ${BASE}
                COPY --from=build /files.txt /artifact.txt /app/
                HEALTHCHECK --interval=30s CMD test -f /app/artifact.txt
                CMD ["sh", "-c", "cat /app/artifact.txt /app/files.txt"]
                EOF
                """);
        String build = ok("cd ~/app && docker build -t myapp . 2>&1");
        assertTrue(build.contains("Successfully tagged myapp:latest"), build);
        String run = ok("docker run --rm myapp");
        assertTrue(run.contains("built-in-stage-one"), run);
        assertTrue(run.contains("keep.txt") && run.contains("Dockerfile"), "the context arrived: " + run);
        assertFalse(run.contains("secret.txt"), ".dockerignore kept secret.txt out: " + run);
        String health = ok("docker inspect --format '{{json .Config.Healthcheck}}' myapp");
        assertTrue(health.contains("test -f /app/artifact.txt") && health.contains("30000000000"), health);
    }

    @Test
    @Order(4)
    void imagesHistoryTagAndRmi() {
        assertTrue(lines(ok("docker images --format '{{.Repository}}:{{.Tag}}'")).contains("myapp:latest"));
        String history = ok("docker history --no-trunc myapp");
        assertTrue(history.contains("HEALTHCHECK") && history.contains("COPY"), history);
        ok("docker tag myapp myapp:v2 && docker tag myapp kim/myapp:1.0");
        List<String> tags = lines(ok("docker images --format '{{.Repository}}:{{.Tag}}'"));
        assertTrue(tags.containsAll(List.of("myapp:latest", "myapp:v2", "kim/myapp:1.0")), tags.toString());
        String id = ok("docker inspect --format '{{.Id}}' myapp").strip();
        assertEquals(id, ok("docker inspect --format '{{.Id}}' kim/myapp:1.0").strip(), "a tag names the same image");
        assertTrue(ok("docker rmi myapp:v2 kim/myapp:1.0").contains("Untagged: myapp:v2"));
        assertEquals(List.of("myapp:latest"), lines(ok("docker images myapp --format '{{.Repository}}:{{.Tag}}'")));
    }

    @Test
    @Order(5)
    void psLogsFollowExecStopAndRemove() {
        ok("docker run -d --name counter debian:bookworm-slim sh -c 'for i in 1 2 3; do echo line-$i; sleep 0.3; done'");
        assertEquals("line-1\nline-2\nline-3", ok("docker logs -f counter").strip(), "logs -f follows until the container ends");
        ok("docker run -d --name web debian:bookworm-slim sleep 300");
        List<String> running = lines(ok("docker ps --format '{{.Names}}'"));
        assertEquals(List.of("web"), running);
        assertTrue(lines(ok("docker ps -a --format '{{.Names}} {{.Status}}'")).stream()
                .anyMatch(l -> l.startsWith("counter Exited (0)")), "ps -a shows the stopped one");

        int from = kim.out.text().length();
        kim.type("docker exec -it web bash\r");
        awaitNew(from, "root@");
        kim.type("echo inside-$((5*5)) > /tmp/mark; cat /tmp/mark; exit\r");
        awaitNew(from, "inside-25");
        assertEquals("inside-25", ok("docker exec web cat /tmp/mark").strip(), "exec -it ran in web itself");

        ok("docker stop -t 1 web");
        assertEquals("exited", ok("docker inspect --format '{{.State.Status}}' web").strip());
        ok("docker start web && docker rm -f web counter");
        assertEquals("", ok("docker ps -aq").strip());
    }

    @Test
    @Order(6)
    void containersOnACreatedNetworkTalkByName() {
        ok("docker network create appnet && docker run -d --name site --network appnet nginx:1.22");
        String page = ok("for i in $(seq 1 50); do docker run --rm --network appnet debian:bookworm-slim bash -c "
                + "'exec 3<>/dev/tcp/site/80 && printf \"GET / HTTP/1.0\\r\\nHost: site\\r\\n\\r\\n\" >&3 && cat <&3' && break; sleep 0.2; done");
        assertTrue(page.contains("Welcome to nginx!"), page);
        String other = sh("docker run --rm debian:bookworm-slim getent hosts site; echo exit=$?").stdout();
        assertTrue(other.contains("exit=2"), "a container on another network does not find it: " + other);
        ok("docker rm -f site && docker network rm appnet");
    }

    @Test
    @Order(7)
    void aNamedVolumeKeepsDataAcrossContainers() throws Exception {
        ok("docker volume create data && docker run --rm -v data:/data debian:bookworm-slim sh -c 'echo 보존됨 > /data/note'");
        assertEquals("보존됨", ok("docker run --rm -v data:/data debian:bookworm-slim cat /data/note").strip());
        assertTrue(lines(ok("docker volume ls --format '{{.Name}}'")).contains("data"));
        ok("docker volume rm data");
        // --rm takes a container's anonymous volumes with it, as Docker does
        ok("docker run --rm -v /scratch debian:bookworm-slim sh -c 'echo tmp > /scratch/f'");
        assertTrue(Eventually.within(Duration.ofSeconds(5), () -> ok("docker volume ls -q").isBlank()),
                "the anonymous volume went with its --rm container: " + ok("docker volume ls -q"));
    }

    @Test
    @Order(8)
    void theEngineApiAnswersCurlOnTheSocket() throws Exception {
        ok("docker run -d --name api-demo debian:bookworm-slim sleep 300");
        String body = ok("curl -s --unix-socket /var/run/docker.sock http://localhost/v1.41/containers/json");
        JsonNode list = new ObjectMapper().readTree(body);
        assertTrue(list.isArray() && list.size() == 1, body);
        assertEquals("/api-demo", list.get(0).path("Names").get(0).asText(), "the learner's own name, no namespace");
        assertNotEquals("", list.get(0).path("Id").asText());
        ok("docker rm -f api-demo");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ContainerExec.Result sh(String script) {
        return kim.sh(script);
    }

    /** Runs as the learner and expects success; returns stdout. */
    private static String ok(String script) {
        ContainerExec.Result r = kim.sh(script);
        assertEquals(0, r.exitCode(), "$ " + script + "\n" + r.stdout() + r.stderr());
        return r.stdout();
    }

    private static List<String> lines(String text) {
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
