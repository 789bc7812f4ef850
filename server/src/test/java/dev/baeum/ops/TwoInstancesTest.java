package dev.baeum.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.baeum.base.config.Setting;
import dev.baeum.base.db.Database;
import dev.baeum.base.db.Leases;
import dev.baeum.services.sessions.Reaper;
import dev.baeum.support.Databases;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.Eventually;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server instances on one real PostgreSQL and one engine, as an operator scales out: a learner who opened
 * a docker lab on A and reloads on B finds the same session, the same container and the same terminal (tmux);
 * after A is killed with SIGKILL, B keeps serving, takes over the session's engine socket, and its reaper
 * removes nothing that is alive.
 */
class TwoInstancesTest {

    private static final String LAB = EngineLab.LAB;
    private static final String KILLED_INSTANCE = "killed-instance";

    @Test
    void aLearnerMovesFromOneInstanceToTheOtherAndSurvivesItsDeath() throws Exception {
        DockerClient docker = Docker.require().client();
        Path labs = EngineLab.labsDir(EngineLab.TEXT);
        try (TestApp builder = TestApp.start(Map.of(Setting.LABS_DIR, labs.toString()))) {
            builder.image(LAB); // both instances find the lab image ready
        }
        Path sockets = Files.createTempDirectory("two-instances-engine");
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Databases.TestDatabase db = Databases.createDurable(Databases.Kind.POSTGRES, TestApp.tempDir("two-instances-db"))) {
            Process a = start(db, labs, sockets, "a");
            Process b = start(db, labs, sockets, "b");
            String baseA = "http://localhost:" + ports[0];
            String baseB = "http://localhost:" + ports[1];
            try {
                awaitHealthy(baseA);
                awaitHealthy(baseB);

                WebClient onA = new WebClient(baseA).guest();
                JsonNode opened = onA.post("/labs/" + LAB + "/session").json();
                String session = opened.path("session").asText();
                TerminalRecorder outA = new TerminalRecorder();
                WebSocket wsA = onA.terminalNow(opened.path("terminal").asText() + "?cols=100&rows=30", outA);
                outA.await(t -> t.contains("$ "), Duration.ofSeconds(30), "a prompt on A");
                TerminalRecorder.type(wsA, "echo from-A-$((40+2)) && docker run -d --name web debian:bookworm-slim sleep 600\r");
                outA.await(t -> t.contains("from-A-42"), Duration.ofSeconds(60), "A's shell answer");
                String container = containerOf(docker, session);

                WebClient onB = onA.at(baseB); // the same browser, reloaded behind a balancer that chose B
                JsonNode reloaded = onB.post("/labs/" + LAB + "/session").json();
                assertEquals(session, reloaded.path("session").asText(), "B finds the same session");
                assertEquals(container, containerOf(docker, session), "and the same container");
                TerminalRecorder outB = new TerminalRecorder();
                WebSocket wsB = onB.terminalNow(reloaded.path("terminal").asText() + "?cols=100&rows=30", outB);
                outB.await(t -> t.contains("from-A-42"), Duration.ofSeconds(30), "the same terminal (tmux) on B");
                wsA.abort();

                a.destroyForcibly().waitFor(); // SIGKILL: A's engine socket is gone with it
                holdReaperLeaseAsKilledInstance(db); // and, at worst, A died in the middle of a reaper pass
                assertTrue(new WebClient(baseB).answersHealth(), "B keeps serving");
                // B's reaper takes over the session's engine socket: the learner's docker works again.
                assertTrue(Eventually.within(Duration.ofSeconds(30), () -> learnerDockerPs(docker, container).contains("web")),
                        "the learner's docker answers through B");
                releaseReaperLease(db); // as its time would run out: the reaper passes that follow are B's
                TerminalRecorder.type(wsB, "docker ps --format 'seen-{{.Names}}'\r");
                outB.await(t -> t.contains("seen-web"), Duration.ofSeconds(30), "docker ps through B in the terminal");

                // Through several of B's reaper passes (every 2 s), nothing alive is gone.
                long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
                while (System.nanoTime() < until) {
                    assertTrue(running(docker, container), "the live session's container is kept");
                    Thread.sleep(500);
                }
                JsonNode again = onB.post("/labs/" + LAB + "/session").json();
                assertEquals(session, again.path("session").asText(), "the session is still the same");
                assertTrue(learnerDockerPs(docker, container).contains("web"), "and so are the learner's containers");
                wsB.abort();
                onB.post("/labs/" + LAB + "/session/end");
            } finally {
                a.destroyForcibly().waitFor();
                b.destroyForcibly().waitFor();
                cleanUp(docker, db);
            }
        }
    }

    private final int[] ports = new int[2];

    private Process start(Databases.TestDatabase db, Path labs, Path sockets, String name) throws IOException {
        int port = freePort();
        ports[name.equals("a") ? 0 : 1] = port;
        Path data = TestApp.tempDir("instance-" + name);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = TestApp.root();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.baeum.cli.Main", "serve");
        Map<String, String> env = pb.environment();
        env.putAll(db.environment());
        env.put("BAEUM_SERVER_PORT", String.valueOf(port));
        env.put("BAEUM_DATA_DIR", data.toString());
        env.put("BAEUM_DOCKER_SOCKET_DIR", sockets.toString());
        env.put("BAEUM_LESSONS_DIR", root.resolve("lessons").toString());
        env.put("BAEUM_LABS_DIR", labs.toString());
        env.put("BAEUM_WEB_DIR", root.resolve("web").toString());
        env.put("BAEUM_LABS_BUILD_ON_START", "false");
        env.put("BAEUM_SANDBOX_POOL_SIZE", "0");
        env.put("BAEUM_SANDBOX_REAPER_INTERVAL", "2s");
        env.keySet().removeIf(k -> k.startsWith("TESTCONTAINERS_"));
        pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        return pb.start();
    }

    /** What the learner's docker ps shows, run as the learner in the lab container. */
    private static String learnerDockerPs(DockerClient docker, String labContainer) {
        try {
            var exec = docker.execCreateCmd(labContainer).withUser("1000:1000").withAttachStdout(true).withAttachStderr(true)
                    .withCmd("docker", "ps", "--format", "{{.Names}}").exec();
            var out = new java.io.ByteArrayOutputStream();
            docker.execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    out.writeBytes(frame.getPayload());
                }
            }).awaitCompletion(20, java.util.concurrent.TimeUnit.SECONDS);
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Leaves the reaper's lease held for a minute by an instance that no longer exists, as A leaves it when killed
     * in the middle of a pass (one pass in every few, at a 2 s interval): B must not wait it out.
     */
    private static void holdReaperLeaseAsKilledInstance(Databases.TestDatabase db) throws InterruptedException {
        try (Database direct = db.open()) {
            Leases leases = new Leases(direct.sql());
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!leases.acquire(Reaper.LEASE, KILLED_INSTANCE, Duration.ofSeconds(60))) { // B may be in its own pass
                assertTrue(System.nanoTime() < until, "B's reaper pass ends and frees the lease");
                Thread.sleep(50);
            }
        }
    }

    private static void releaseReaperLease(Databases.TestDatabase db) {
        try (Database direct = db.open()) {
            new Leases(direct.sql()).release(Reaper.LEASE, KILLED_INSTANCE);
        }
    }

    private static String containerOf(DockerClient docker, String session) {
        var found = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("baeum.session", session, "baeum.lab", LAB)).exec().stream()
                .filter(c -> !"learner".equals(c.getLabels().get("baeum.purpose"))).toList();
        assertEquals(1, found.size(), "one lab container for session " + session);
        return found.get(0).getId();
    }

    private static boolean running(DockerClient docker, String id) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    }

    /** Removes what the instances' deployment left (their database names its scope), and checks nothing is left. */
    private static void cleanUp(DockerClient docker, Databases.TestDatabase db) {
        try (TestApp purge = TestApp.start(db.with(Map.of(Setting.LABS_BUILD_ON_START, "false")))) {
            String scope = purge.app().runtime().policy().scope();
            purge.app().runtime().reaper().purge();
            assertEquals(List.of(), docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("baeum.scope", scope)).exec().stream().map(c -> c.getNames()[0]).toList(),
                    "nothing of the two instances' deployment is left");
        }
    }

    private static void awaitHealthy(String base) throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(60), new WebClient(base)::answersHealth), "the server process did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
