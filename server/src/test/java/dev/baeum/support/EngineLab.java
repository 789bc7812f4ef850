package dev.baeum.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.base.config.Setting;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.SandboxSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A docker lab for tests: a labs folder with the shared images and one lab that has {@code docker: true},
 * and learners who open it as the lab page would (a guest session and a terminal WebSocket).
 */
public final class EngineLab {

    public static final String LAB = "engine-test";
    public static final String TEXT = """
            ---
            title: 도커 엔진 시험
            summary: 세션마다 주어지는 도커 엔진을 씁니다.
            docker: true
            binds: [site]
            ---

            # 도커 엔진 시험

            ## 컨테이너 하나 {#one}

            ```check
            docker ps -a --format '{{.Names}}' | grep -qx web || { echo "web 컨테이너가 없습니다."; exit 1; }
            echo "web 컨테이너가 있습니다."
            ```

            ```solution
            docker run -d --name web debian:bookworm-slim sleep 300
            ```
            """;

    private EngineLab() {
    }

    /** A labs folder holding the shared images and the test lab. */
    public static Path labsDir(String text) {
        Path labs = TestApp.tempDir("engine-labs");
        try {
            copyTree(TestApp.root().resolve("labs/images"), labs.resolve("images"));
            Files.createDirectories(labs.resolve(LAB));
            Files.writeString(labs.resolve(LAB + "/lab.md"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return labs;
    }

    public static TestApp start(Map<Setting, String> overrides) {
        Map<Setting, String> settings = new HashMap<>(overrides);
        settings.putIfAbsent(Setting.LABS_DIR, labsDir(TEXT).toString());
        TestApp app = TestApp.start(settings);
        app.image(LAB);
        return app;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** One learner in the lab: their session, their terminal, and commands run as them in the lab container. */
    public static final class Learner implements AutoCloseable {
        public final TestApp app;
        public final WebClient client;
        public final JsonNode session;
        public TerminalRecorder out;
        public WebSocket ws;

        private Learner(TestApp app, WebClient client, JsonNode session) {
            this.app = app;
            this.client = client;
            this.session = session;
        }

        public static Learner open(TestApp app) {
            WebClient client = app.client().guest();
            WebClient.Response r = client.post("/labs/" + LAB + "/session");
            assertEquals(200, r.status(), r.body());
            return new Learner(app, client, r.json());
        }

        public Learner terminal() {
            out = new TerminalRecorder();
            ws = client.terminalNow(session.path("terminal").asText() + "?cols=120&rows=40", out);
            out.await(t -> t.contains("$ "), Duration.ofSeconds(30), "a prompt");
            return this;
        }

        public void type(String text) {
            TerminalRecorder.type(ws, text);
        }

        public String await(String marker, Duration timeout) {
            return out.await(t -> t.contains(marker), timeout, marker);
        }

        public String sessionId() {
            return session.path("session").asText();
        }

        public String container() {
            SandboxSession s = app.app().runtime().sandboxes().find(sessionId()).orElseThrow();
            return s.container(s.containers().keySet().iterator().next());
        }

        /** Runs a script as the learner in their lab container, where {@code docker} talks to their engine. */
        public ContainerExec.Result sh(String script) {
            return app.app().runtime().exec().run(container(), "learner", script, Map.of(), Duration.ofSeconds(120));
        }

        public ContainerExec.Result root(String script) {
            return app.app().runtime().exec().run(container(), "root", script, Map.of(), Duration.ofSeconds(60));
        }

        /** Ends the session as the 종료 button does. */
        @Override
        public void close() {
            if (ws != null) {
                ws.abort();
            }
            client.post("/labs/" + LAB + "/session/end");
        }
    }
}
