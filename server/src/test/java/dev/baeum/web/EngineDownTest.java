package dev.baeum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server process started against a Docker engine that is not there (Testcontainers pointed at a
 * socket nobody listens on): it still starts and serves lessons, /healthz says Docker is unavailable, and
 * lab pages explain why in Korean, with no stack trace anywhere.
 */
class EngineDownTest {

    @Test
    void withoutAnEngineTheServerStartsAndExplains() throws Exception {
        Path data = TestApp.tempDir("engine-down");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path root = TestApp.root();
        // The child gets a private mount namespace with an empty /run over the real one, so Testcontainers'
        // own detection finds no Docker socket at all: the engine is "stopped" for it alone.
        boolean canHide = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())
                && java.nio.file.Files.isExecutable(Path.of("/usr/bin/unshare"));
        if (!canHide) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true: this test needs root and unshare to hide the Docker socket from a child process");
            }
            Assumptions.abort("needs root and unshare to hide the Docker socket");
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs tmpfs /run && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.baeum.cli.Main", "serve");
        Map<String, String> env = pb.environment();
        env.remove("DOCKER_HOST");
        env.keySet().removeIf(name -> name.startsWith("TESTCONTAINERS_")); // the server needs none of them
        env.put("BAEUM_SERVER_PORT", String.valueOf(port));
        env.put("BAEUM_DATA_DIR", data.toString());
        env.put("BAEUM_LESSONS_DIR", root.resolve("lessons").toString());
        env.put("BAEUM_LABS_DIR", root.resolve("labs").toString());
        env.put("BAEUM_WEB_DIR", root.resolve("web").toString());
        pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        Process server = pb.start();
        try {
            WebClient client = new WebClient("http://localhost:" + port);
            awaitUp(client, server);
            JsonNode health = client.get("/healthz").json();
            assertEquals("degraded", health.path("status").asText());
            assertFalse(health.path("docker").path("ok").asBoolean());
            assertTrue(health.path("docker").path("problem").asText().contains("Docker"), health.toString());

            assertEquals(200, client.get("/").status());
            assertEquals(200, client.get("/lessons/containers").status());
            String lab = client.get("/labs/process-isolation").body();
            assertTrue(lab.contains("지금은 실습을 열 수 없습니다"), "the lab page explains why");
            client.guest();
            WebClient.Response open = client.post("/labs/process-isolation/session");
            assertEquals(503, open.status());
            assertTrue(open.json().path("error").asText().contains("Docker"));
            for (String body : new String[]{lab, open.body(), client.get("/healthz").body()}) {
                assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace reaches a user");
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void awaitUp(WebClient client, Process server) throws Exception {
        boolean up = Eventually.within(Duration.ofSeconds(40), () -> {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited: " + server.exitValue());
            }
            return client.answersHealth();
        });
        assertTrue(up, "the server did not start");
    }
}
