package dev.baeum.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One attacking learner: their own session and a terminal WebSocket, as the lab page would open them. */
final class Attack {

    final TestApp app;
    final String lab;
    final WebClient client;
    final JsonNode session;
    TerminalRecorder out;
    WebSocket ws;

    private Attack(TestApp app, String lab, WebClient client, JsonNode session) {
        this.app = app;
        this.lab = lab;
        this.client = client;
        this.session = session;
    }

    static Attack open(TestApp app, String lab) {
        WebClient client = app.client().guest();
        WebClient.Response r = client.post("/labs/" + lab + "/session");
        assertEquals(200, r.status(), r.body());
        Attack attack = new Attack(app, lab, client, r.json());
        attack.connect();
        return attack;
    }

    void connect() {
        out = new TerminalRecorder();
        ws = client.terminalNow(session.path("terminal").asText() + "?cols=120&rows=40", out);
        out.await(t -> t.contains("$ "), Duration.ofSeconds(20), "a prompt");
    }

    /** Types into the terminal like a learner (the input travels as our page's JSON messages). */
    void type(String text) {
        TerminalRecorder.type(ws, text);
    }

    String await(String marker, Duration timeout) {
        return out.await(t -> t.contains(marker), timeout, marker);
    }

    /** Waits for a marker computed by the shell (so the typed echo of the command cannot match it). */
    void expectShellWorks(String tag) {
        expectShellWorks(tag, Duration.ofSeconds(20));
    }

    /** Interrupts whatever runs (Ctrl-C, like a learner would), then proves the shell answers again. */
    void expectShellWorks(String tag, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            type("\u0003");
            pause(300); // readline drops what arrives right on the heels of an interrupt
            String marker = tag + attempt + "-42";
            type("echo " + tag + attempt + "-$((40+2))\r");
            long slice = Math.max(1_000_000_000L, (deadline - System.nanoTime()) / 2);
            try {
                out.await(t -> t.contains(marker), Duration.ofNanos(slice), marker);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() >= deadline || attempt >= 4) {
                    throw e;
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String sessionId() {
        return session.path("session").asText();
    }

    String container() {
        SandboxSession s = app.app().runtime().sandboxes().find(sessionId()).orElseThrow();
        return s.container(s.containers().keySet().iterator().next());
    }

    ContainerExec.Result asLearner(String script) {
        return app.app().runtime().exec().run(container(), "learner", script, Map.of(), Duration.ofSeconds(20));
    }

    ContainerExec.Result asRoot(String script) {
        return app.app().runtime().exec().run(container(), "root", script, Map.of(), Duration.ofSeconds(20));
    }

    /** Ends the session as the learner would (the 종료 button). */
    void end() {
        if (ws != null) {
            ws.abort();
        }
        client.post("/labs/" + lab + "/session/end");
    }
}
