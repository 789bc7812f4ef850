package dev.baeum.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.baeum.base.config.Setting;
import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.support.Docker;
import dev.baeum.support.Eventually;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} (issue 15, part 6): every figure the README tells operators to watch is there and
 * moves when the real thing happens (real Docker, real database), and only the right callers may read it.
 */
class MetricsEndpointTest {

    private static final String LAB = "process-isolation";
    private static final String TOKEN = "scrape-" + UUID.randomUUID();

    @Test
    void labsChecksBuildsTerminalsAndLimitsShowInTheMetrics() throws Exception {
        DockerClient docker = Docker.require().client();
        try (TestApp app = TestApp.start(Map.of(Setting.SANDBOX_POOL_SIZE, "1", Setting.LIMITS_LOGIN_ACCOUNT, "1/15m"))) {
            String image = app.image(LAB);

            WebClient first = app.client().guest();
            JsonNode cold = first.post("/labs/" + LAB + "/session").json();
            assertTrue(!cold.path("fromPool").asBoolean(), "the pool was empty: " + cold);
            awaitWarmContainer(app);
            WebClient second = app.client().guest();
            JsonNode warm = second.post("/labs/" + LAB + "/session").json();
            assertTrue(warm.path("fromPool").asBoolean(), "a warm container was handed over: " + warm);
            assertEquals(200, second.post("/labs/" + LAB + "/check").status());

            TerminalRecorder out = new TerminalRecorder();
            WebSocket terminal = second.terminalNow(warm.path("terminal").asText() + "?node=sandbox", out);
            out.await(t -> t.contains("$ "), Duration.ofSeconds(15), "a prompt");

            app.client().signup("someone", "someone-password");
            app.client().login("someone", "wrong-1");
            assertEquals(429, app.client().login("someone", "wrong-2").status());

            // A learner's docker build goes through their session's engine proxy: grading the Dockerfile lab runs one.
            var graded = app.app().runtime().grading().grade(app.lab("dockerfile-basics"), """
                    FROM debian:bookworm-slim
                    CMD ["true"]
                    """, "metrics", null);
            assertTrue(graded.error() == null && graded.log().stream().anyMatch(l -> l.startsWith("Successfully built")), graded.toString());
            String labImage = buildTinyLabImage(app);

            String metrics = scrape(app.client(), null, null);
            assertEquals(1, value(metrics, "baeum_lab_ready_seconds_count", "lab=\"" + LAB + "\"", "pool=\"miss\""));
            assertEquals(1, value(metrics, "baeum_lab_ready_seconds_count", "lab=\"" + LAB + "\"", "pool=\"hit\""));
            assertTrue(value(metrics, "baeum_lab_ready_seconds_bucket", "pool=\"hit\"", "le=\"+Inf\"") >= 1, "a histogram");
            assertEquals(1, value(metrics, "baeum_pool_claims_total", "result=\"hit\""));
            assertEquals(1, value(metrics, "baeum_pool_claims_total", "result=\"miss\""));
            assertEquals(1, value(metrics, "baeum_check_seconds_count", "lab=\"" + LAB + "\"", "source=\"learner\""));
            assertEquals(1, value(metrics, "baeum_build_seconds_count", "kind=\"learner\"", "outcome=\"ok\""));
            assertEquals(1, value(metrics, "baeum_build_seconds_count", "kind=\"lab-image\"", "outcome=\"ok\""));
            assertEquals(2, value(metrics, "baeum_lab_sessions_active", "role=\"all\""));
            assertEquals(2, value(metrics, "baeum_lab_sessions_active", "role=\"guest\""));
            assertEquals(40, value(metrics, "baeum_lab_sessions_capacity", "role=\"all\""));
            assertEquals(20, value(metrics, "baeum_lab_sessions_capacity", "role=\"guest\""));
            assertEquals(1, value(metrics, "baeum_terminals_attached"));
            assertEquals(1, value(metrics, "baeum_rate_limited_total", "limit=\"login-account\""));
            assertTrue(value(metrics, "baeum_http_requests_seconds_count", "status=\"2xx\"") >= 5);
            // Summed over the heap's pools: one of them (G1's Eden right after a collection) can be empty.
            assertTrue(total(metrics, "jvm_memory_used_bytes", "area=\"heap\"") > 0, "JVM basics");
            assertTrue(metrics.contains("process_cpu_usage") && metrics.contains("process_uptime_seconds")
                    && metrics.contains("process_files_open_files") && metrics.contains("jvm_threads_live_threads"));
            assertTrue(image.startsWith(LabImages.REPOSITORY) && labImage.startsWith(LabImages.REPOSITORY));

            terminal.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            assertTrue(Eventually.within(Duration.ofSeconds(10),
                    () -> value(scrape(app.client(), null, null), "baeum_terminals_attached") == 0), "the terminal left");
            docker.removeImageCmd(labImage).withForce(true).exec();
        }
    }

    @Test
    void serverErrorsAndUnhandledExceptionsAreCounted() {
        try (TestApp app = TestApp.start(Map.of(), DockerEngine.absent("Docker 엔진이 없습니다 (테스트)."))) {
            WebClient learner = app.client().guest();
            assertEquals(503, learner.post("/labs/" + LAB + "/session").status());
            app.app().core().database().sql().update("DROP TABLE rate_windows"); // a broken database
            WebClient.Response broken = app.client().login("someone", "password");
            assertEquals(500, broken.status());
            assertTrue(broken.body().contains("오류 번호"), "still a Korean page");

            String metrics = scrape(app.client(), null, null);
            assertEquals(2, value(metrics, "baeum_http_requests_seconds_count", "status=\"5xx\""));
            assertEquals(1, value(metrics, "baeum_errors_total", "kind=\"unhandled\""));
        }
    }

    @Test
    void onlyThisMachineOrTheScrapeTokenMayRead() {
        try (TestApp app = TestApp.start(Map.of(Setting.METRICS_TOKEN, TOKEN), DockerEngine.absent("not needed"));
             TestApp proxied = TestApp.start(Map.of(Setting.PROXY_HOPS, "1"), DockerEngine.absent("not needed"))) {
            WebClient client = app.client();
            assertEquals(200, status(client, null, null), "from loopback, directly");
            assertEquals(403, status(client, null, "203.0.113.7"), "a local proxy forwarding someone else");
            assertEquals(200, status(client, TOKEN, "203.0.113.7"), "Prometheus elsewhere, with the token");
            assertEquals(403, status(client, "wrong-" + TOKEN, null), "a wrong token is refused even locally");

            assertEquals(403, status(proxied.client(), null, "203.0.113.7"), "behind a proxy: the forwarded client counts");
            assertEquals(200, status(proxied.client(), null, "127.0.0.1"), "a client on the proxy's own machine");
            assertEquals(403, status(proxied.client(), "anything", "203.0.113.7"), "no token is configured there");
        }
    }

    private static String scrape(WebClient client, String token, String forwardedFor) {
        WebClient.Response r = client.send(request(client, token, forwardedFor));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("text/plain; version=0.0.4"), r.header("Content-Type"));
        return r.body();
    }

    private static int status(WebClient client, String token, String forwardedFor) {
        return client.send(request(client, token, forwardedFor)).status();
    }

    private static HttpRequest request(WebClient client, String token, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client.base() + "/metrics")).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return b.build();
    }

    /** The value of the one sample of {@code name} whose labels include all of {@code labels}. */
    private static double value(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String head = line.substring(0, line.lastIndexOf(' '));
                boolean all = true;
                for (String label : labels) {
                    all &= head.contains(label);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        throw new AssertionError("no sample " + name + " " + String.join(",", labels) + " in:\n" + scrape);
    }

    /** The sum of every sample of {@code name} with all the labels. */
    private static double total(String scrape, String name, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void awaitWarmContainer(TestApp app) throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> app.app().runtime().pool().readyCount() >= 1),
                "the pool filled");
    }

    /** A lab image that surely needs building: a label only this run has. */
    private static String buildTinyLabImage(TestApp app) throws Exception {
        Path dir = TestApp.tempDir("tiny-image");
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian:bookworm-slim\nLABEL baeum.test=\"" + UUID.randomUUID() + "\"\n");
        dev.baeum.runtime.sandbox.RunSpec.ImageSpec spec = new dev.baeum.runtime.sandbox.RunSpec.ImageSpec("metrics-test", dir.resolve("Dockerfile"), dir, false);
        return app.app().runtime().images().ensure(spec).get(2, TimeUnit.MINUTES);
    }
}
