package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.baeum.base.config.Setting;
import dev.baeum.support.Databases;
import dev.baeum.support.Docker;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the server, then a restart: after the first reaper pass no container past its expiry or
 * without a live session remains, and a live session is still there to reattach to. On an H2 file and on
 * PostgreSQL.
 */
class ReaperRestartTest {

    private static final String LAB = "process-isolation";

    @ParameterizedTest(name = "{0}")
    @EnumSource(Databases.Kind.class)
    void aCrashLeaksNothingAndLosesNothing(Databases.Kind kind) throws Exception {
        DockerClient docker = Docker.require().client();
        Path data = TestApp.tempDir("reaper-restart");
        try (Databases.TestDatabase db = Databases.createDurable(kind, data)) {
            crashAndRestart(docker, db, data);
        }
    }

    private static void crashAndRestart(DockerClient docker, Databases.TestDatabase db, Path data) throws Exception {
        int port = freePort();
        try (TestApp builder = TestApp.start()) {
            builder.image(LAB); // make sure the image exists before the child server needs it
        }

        Process server = startServerProcess(db, data, port);
        String base = "http://localhost:" + port;
        String liveContainer;
        String expiringContainer;
        String liveSession;
        try {
            awaitHealthy(base);
            WebClient member = new WebClient(base).signup("member", "member-password");
            JsonNode live = open(member);
            liveSession = live.path("session").asText();
            WebClient guest = new WebClient(base).guest();
            JsonNode expiring = open(guest);
            liveContainer = containerOf(docker, liveSession);
            expiringContainer = containerOf(docker, expiring.path("session").asText());
        } finally {
            server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, nothing cleaned up
        }
        assertTrue(exists(docker, liveContainer) && exists(docker, expiringContainer), "a killed server leaves its containers");
        String scope = docker.inspectContainerCmd(liveContainer).exec().getConfig().getLabels().get(SandboxLabels.SCOPE);
        String orphan = docker.createContainerCmd("debian:bookworm-slim").withCmd("sleep", "600")
                .withLabels(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.SCOPE, scope,
                        SandboxLabels.SESSION, "00000000-0000-0000-0000-000000000000",
                        SandboxLabels.EXPIRES, String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond())))
                .exec().getId();
        docker.startContainerCmd(orphan).exec();

        long expires = Long.parseLong(docker.inspectContainerCmd(expiringContainer).exec().getConfig().getLabels()
                .get(SandboxLabels.EXPIRES));
        // the guest's 8-second lifetime runs out while the server is down
        Eventually.within(Duration.ofSeconds(30), () -> Instant.now().getEpochSecond() > expires);

        try (TestApp restarted = TestApp.start(db.with(Map.of(Setting.SANDBOX_GUEST_LIFETIME, "8s")))) {
            // App.start ran the first reaper pass before serving anyone.
            assertFalse(exists(docker, expiringContainer), "the container past its expiry is gone");
            assertFalse(exists(docker, orphan), "the container without a live session is gone");
            assertTrue(exists(docker, liveContainer), "the live session's container is kept");
            WebClient member = restarted.client();
            assertEquals(302, member.login("member", "member-password").status());
            JsonNode again = open(member);
            assertEquals(liveSession, again.path("session").asText(), "the learner reattaches to the same session");
            assertEquals(liveContainer, containerOf(docker, liveSession));
            List<Container> leftovers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.SCOPE, scope)).exec();
            assertEquals(1, leftovers.size(), "only the live container remains: " + leftovers);
        }
    }

    private static JsonNode open(WebClient client) {
        WebClient.Response r = client.post("/labs/" + LAB + "/session");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static String containerOf(DockerClient docker, String session) {
        List<Container> found = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.SESSION, session)).exec();
        assertEquals(1, found.size(), "one container for session " + session);
        return found.get(0).getId();
    }

    private static boolean exists(DockerClient docker, String id) {
        return !docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().isEmpty();
    }

    private static Process startServerProcess(Databases.TestDatabase db, Path data, int port) throws IOException {
        Path root = TestApp.root();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.baeum.cli.Main", "serve");
        Map<String, String> env = pb.environment();
        env.putAll(db.environment());
        env.put("BAEUM_SERVER_PORT", String.valueOf(port));
        env.put("BAEUM_DATA_DIR", data.toString());
        env.put("BAEUM_LESSONS_DIR", root.resolve("lessons").toString());
        env.put("BAEUM_LABS_DIR", root.resolve("labs").toString());
        env.put("BAEUM_WEB_DIR", root.resolve("web").toString());
        env.put("BAEUM_LABS_BUILD_ON_START", "false");
        env.put("BAEUM_SANDBOX_POOL_SIZE", "0");
        env.put("BAEUM_SANDBOX_GUEST_LIFETIME", "8s");
        env.keySet().removeIf(name -> name.startsWith("TESTCONTAINERS_")); // the server needs none of them
        pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        return pb.start();
    }

    private static void awaitHealthy(String base) throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(30), new WebClient(base)::answersHealth),
                "the server process did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
