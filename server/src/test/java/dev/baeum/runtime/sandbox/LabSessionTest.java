package dev.baeum.runtime.sandbox;

import dev.baeum.web.labs.TerminalHub;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.support.Databases;
import dev.baeum.support.Docker;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A learner's lab session end to end, with real Docker: start, type, check, isolation, reset; sessions,
 * checks and reveals recorded on H2 and on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Databases.Kind.class)
class LabSessionTest {

    private static final String LAB = "process-isolation";

    @Parameter
    Databases.Kind database;

    private static Databases.TestDatabase db;
    private static TestApp app;

    @BeforeParameterizedClassInvocation
    static void start(Databases.Kind database) {
        Docker.require();
        db = Databases.create(database);
        app = TestApp.start(db.settings());
        app.image(LAB);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }

    private static JsonNode open(WebClient client) {
        WebClient.Response r = client.post("/labs/" + LAB + "/session");
        assertEquals(200, r.status(), r.body());
        JsonNode session = r.json();
        assertEquals("ready", session.path("state").asText());
        return session;
    }

    @Test
    void terminalEchoesKoreanAndChecksFollowTheWork() throws Exception {
        WebClient learner = app.client().guest();
        JsonNode session = open(learner);
        assertTrue(session.path("startMillis").asInt() > 0, "start time is measured and shown");

        TerminalRecorder out = new TerminalRecorder();
        WebSocket ws = learner.terminalNow(session.path("terminal").asText() + "?node=sandbox&cols=100&rows=30", out);
        out.await(t -> t.contains("$ "), Duration.ofSeconds(15), "a prompt");
        TerminalRecorder.type(ws, "echo 안녕\r");
        // once echoed as typed, once printed by echo
        out.await(t -> t.split("안녕", -1).length - 1 >= 2, Duration.ofSeconds(10), "echo output 안녕");

        JsonNode before = learner.post("/labs/" + LAB + "/check").json();
        assertFalse(before.path("tasks").get(0).path("passed").asBoolean(), "pid1 task must fail before the work");
        assertTrue(before.path("tasks").get(0).path("message").asText().contains("아직"),
                "failing check explains in Korean: " + before);

        TerminalRecorder.type(ws, "cat /proc/1/comm > ~/pid1.txt\r");
        JsonNode after = awaitPassed(learner, 0);
        assertTrue(after.path("tasks").get(0).path("done").asBoolean());
        assertTrue(after.path("tasks").get(0).path("message").asText().contains("PID 1"), after.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

        // Reopening the page reattaches to the same session and container.
        JsonNode again = open(learner);
        assertEquals(session.path("session").asText(), again.path("session").asText());
        TerminalRecorder out2 = new TerminalRecorder();
        WebSocket ws2 = learner.terminalNow(again.path("terminal").asText() + "?node=sandbox", out2);
        TerminalRecorder.type(ws2, "cat ~/pid1.txt\r");
        out2.await(t -> t.contains("docker-init"), Duration.ofSeconds(10), "the file written before the reload");
        ws2.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void anotherLearnerCannotAttachToMySession() {
        WebClient owner = app.client().guest();
        JsonNode session = open(owner);
        WebClient intruder = app.client().guest();
        CompletionException refused = assertThrows(CompletionException.class, () ->
                intruder.terminal(session.path("terminal").asText() + "?node=sandbox", new TerminalRecorder())
                        .toCompletableFuture().join());
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.getCause().toString());
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(),
                "the upgrade is refused with 403");

        WebClient anonymous = app.client();
        assertThrows(CompletionException.class, () ->
                anonymous.terminal(session.path("terminal").asText(), new TerminalRecorder()).toCompletableFuture().join());

        // and the HTTP endpoints only ever act on the caller's own session
        assertEquals(503, intruder.post("/labs/" + LAB + "/session/reset").status());
    }

    @Test
    void resetGivesAFreshFilesystem() throws Exception {
        WebClient learner = app.client().guest();
        JsonNode session = open(learner);
        SandboxSession before = app.app().runtime().sandboxes().find(session.path("session").asText()).orElseThrow();
        String oldContainer = before.container("sandbox");
        ContainerExec exec = app.app().runtime().exec();
        assertEquals(0, exec.run(oldContainer, "learner", "echo keep > ~/marker.txt", Map.of(), Duration.ofSeconds(10)).exitCode());

        JsonNode reset = learner.post("/labs/" + LAB + "/session/reset").json();
        assertEquals(session.path("session").asText(), reset.path("session").asText(), "same session id");
        assertEquals(1, reset.path("resets").asInt());
        SandboxSession after = app.app().runtime().sandboxes().find(session.path("session").asText()).orElseThrow();
        String newContainer = after.container("sandbox");
        assertNotEquals(oldContainer, newContainer);
        ContainerExec.Result check = exec.run(newContainer, "learner", "test -e ~/marker.txt", Map.of(), Duration.ofSeconds(10));
        assertEquals(1, check.exitCode(), "the marker file is gone after reset");
        assertThrows(Exception.class, () -> app.app().runtime().exec().run(oldContainer, "root", "true", Map.of(),
                Duration.ofSeconds(5)), "the old container was removed");
    }

    @Test
    void aTerminalWhoseContainerIsResetAwayIsToldSoAndAShellExitIsNot() throws Exception {
        WebClient learner = app.client().guest();
        JsonNode session = open(learner);
        String terminal = session.path("terminal").asText() + "?node=sandbox";
        TerminalRecorder old = new TerminalRecorder();
        WebSocket ws = learner.terminalNow(terminal, old);
        old.await(t -> t.contains("$ "), Duration.ofSeconds(15), "a prompt");
        TerminalRecorder.type(ws, "echo keep > ~/marker.txt; echo wrote-$((1+2))\r");
        old.await(t -> t.contains("wrote-3"), Duration.ofSeconds(10), "the marker written");

        assertEquals(200, learner.post("/labs/" + LAB + "/session/reset").status());
        // Not "shell ended" (4000), which would send the browser straight back to the container it lost.
        assertEquals(TerminalHub.CLOSE_CONTAINER_GONE, old.closed().get(15, TimeUnit.SECONDS),
                "the terminal of the removed container is closed as gone: " + old.controls());

        TerminalRecorder fresh = new TerminalRecorder();
        WebSocket ws2 = learner.terminalNow(terminal, fresh);
        fresh.await(t -> t.contains("$ "), Duration.ofSeconds(15), "a prompt in the new container");
        TerminalRecorder.type(ws2, "test -e ~/marker.txt || echo fresh-$((3+4))\r");
        fresh.await(t -> t.contains("fresh-7"), Duration.ofSeconds(10), "a terminal in the new container");

        // Leaving the shell ends the exec, not the container: the browser may reconnect to the same one.
        TerminalRecorder.type(ws2, "tmux kill-server\r");
        assertEquals(TerminalHub.CLOSE_SHELL_ENDED, fresh.closed().get(15, TimeUnit.SECONDS), fresh.controls().toString());
    }

    @Test
    void endRemovesTheContainerAndKeepsProgress() {
        WebClient learner = app.client().guest();
        JsonNode session = open(learner);
        String container = app.app().runtime().sandboxes().find(session.path("session").asText()).orElseThrow().container("sandbox");
        assertEquals(200, learner.post("/labs/" + LAB + "/session/end").status());
        assertEquals("none", learner.getJson("/labs/" + LAB + "/session").json().path("state").asText());
        assertThrows(Exception.class, () -> app.app().runtime().exec().run(container, "root", "true", Map.of(),
                Duration.ofSeconds(5)));
    }

    @Test
    void hintsAndSolutionsAreRevealedOnRequestAndRecorded() {
        WebClient learner = app.client().signup("hinted", "hinted-password");
        JsonNode hint = learner.post("/labs/" + LAB + "/tasks/pid1/hint?n=0").json();
        assertTrue(hint.path("html").asText().contains("PID"), hint.toString());
        assertEquals(2, hint.path("count").asInt());
        assertEquals(404, learner.post("/labs/" + LAB + "/tasks/pid1/hint?n=9").status());
        JsonNode solution = learner.post("/labs/" + LAB + "/tasks/pid1/solution").json();
        assertTrue(solution.path("text").asText().contains("/proc/1/comm"));
        long id = app.app().core().database().sql().one("SELECT id FROM users WHERE username = 'hinted'", rs -> rs.getLong(1)).orElseThrow();
        JsonNode reveals = learner.getJson("/api/v1/learners/" + id + "/records").json().path("reveals");
        assertEquals(2, reveals.size());
        assertEquals("HINT", reveals.get(0).path("kind").asText());
        assertEquals("SOLUTION", reveals.get(1).path("kind").asText());
        assertTrue(learner.get("/labs/" + LAB).body().contains("/proc/1/comm"), "a revealed solution stays shown after reload");
    }

    @Test
    void whenEverySandboxIsTakenLearnersAreToldInKorean() {
        try (Databases.TestDatabase own = Databases.create(database);
             TestApp small = TestApp.start(own.with(Map.of(dev.baeum.base.config.Setting.SANDBOX_MAX_SESSIONS, "1",
                     dev.baeum.base.config.Setting.SANDBOX_GUEST_SHARE, "1")))) { // the whole capacity, not the guests' share
            WebClient first = small.client().guest();
            assertEquals(200, first.post("/labs/" + LAB + "/session").status());
            WebClient second = small.client().guest();
            WebClient.Response full = second.post("/labs/" + LAB + "/session");
            assertEquals(503, full.status());
            assertTrue(full.json().path("error").asText().contains("모두 사용 중"), full.body());
            assertEquals(200, first.post("/labs/" + LAB + "/session/end").status());
            assertEquals(200, second.post("/labs/" + LAB + "/session").status(), "a freed place can be taken");
        }
    }

    private static JsonNode awaitPassed(WebClient learner, int task) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 50; i++) {
            last = learner.post("/labs/" + LAB + "/check?auto=true").json();
            if (last.path("tasks").get(task).path("done").asBoolean()) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task never passed: " + last);
    }
}
