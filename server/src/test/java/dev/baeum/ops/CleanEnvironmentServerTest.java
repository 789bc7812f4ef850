package dev.baeum.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import dev.baeum.support.ChildProcess;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server started as a new operator would (issue 15, part 4): no TESTCONTAINERS_* variables, an empty
 * home without {@code ~/.testcontainers.properties}, nothing but PATH and HOME. It must find the engine on
 * its own, serve /healthz at once, open a lab, and never pull or start Testcontainers' helper images
 * (Ryuk, the {@code alpine} used for start-up checks and host-IP probing).
 */
class CleanEnvironmentServerTest {

    private static final String LAB = "process-isolation";
    /** Minutes of pull retries were the failure; a healthy start takes seconds even on a busy 2-core box. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    @Test
    void startsWithoutTestcontainersVariablesAndPullsNothing() throws Exception {
        DockerClient docker = Docker.require().client();
        try (TestApp builder = TestApp.start()) {
            builder.image(LAB); // the lab image exists before the child needs it
        }
        Instant since = Instant.now().minusSeconds(1);
        int port = ChildProcess.freePort();
        String base = "http://localhost:" + port;
        String log;
        try (ChildProcess server = ChildProcess.start(ChildProcess.serverSettings(port), Map.of(), "serve")) {
            WebClient client = new WebClient(base);
            server.awaitHealthy(client, START_LIMIT);
            JsonNode health = client.get("/healthz").json();
            assertTrue(health.path("docker").path("ok").asBoolean(), "the engine was found: " + health);
            assertEquals("ok", health.path("status").asText(), health.toString());

            client.guest();
            WebClient.Response opened = client.post("/labs/" + LAB + "/session");
            assertEquals(200, opened.status(), opened.body());
            assertEquals("ready", opened.json().path("state").asText());
            assertEquals(200, client.post("/labs/" + LAB + "/session/end").status());
            log = server.output();
        }
        Instant until = Instant.now().plusSeconds(1);

        String lower = log.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("ryuk") || lower.contains("alpine") || lower.contains("testcontainers_"),
                "no Ryuk, no alpine, no request for TESTCONTAINERS_* variables:\n" + log);
        List<String> helperEvents = new ArrayList<>();
        for (Event e : events(docker, since, until)) {
            String text = (e.getType() + " " + e.getAction() + " " + e.getFrom() + " " + e.getId() + " "
                    + (e.getActor() == null ? "" : e.getActor().getAttributes())).toLowerCase(Locale.ROOT);
            if (text.contains("alpine") || text.contains("ryuk")) {
                helperEvents.add(text);
            }
        }
        assertTrue(helperEvents.isEmpty(), "no helper image was pulled, created or started: " + helperEvents);
    }

    /** Everything the engine reported between the two instants (pulls, creates, starts, ...). */
    private static List<Event> events(DockerClient docker, Instant since, Instant until) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        docker.eventsCmd().withSince(String.valueOf(since.getEpochSecond()))
                .withUntil(String.valueOf(until.getEpochSecond()))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        synchronized (events) {
                            events.add(event);
                        }
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
