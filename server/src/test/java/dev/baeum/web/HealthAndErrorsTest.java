package dev.baeum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthAndErrorsTest {

    @Test
    void withoutDockerTheSiteServesLessonsAndExplainsWhyLabsAreClosed() {
        try (TestApp app = TestApp.start(Map.of(), DockerEngine.absent("Docker 엔진에 연결할 수 없습니다. 테스트용 설명."))) {
            WebClient client = app.client();
            JsonNode health = client.get("/healthz").json();
            assertEquals("degraded", health.path("status").asText());
            assertTrue(health.path("database").path("ok").asBoolean());
            assertFalse(health.path("docker").path("ok").asBoolean());
            assertTrue(health.path("docker").path("problem").asText().contains("Docker"));
            assertTrue(health.path("content").path("lessons").asInt() >= 8);

            assertEquals(200, client.get("/lessons/containers").status());
            String lab = client.get("/labs/process-isolation").body();
            assertTrue(lab.contains("지금은 실습을 열 수 없습니다") && lab.contains("테스트용 설명"), "the lab page says why");
            client.guest();
            WebClient.Response open = client.post("/labs/process-isolation/session");
            assertEquals(503, open.status());
            assertTrue(open.json().path("error").asText().contains("테스트용 설명"));
            assertFalse(open.body().contains("Exception"));
        }
    }

    @Test
    void withDockerHealthReportsTheEngine() {
        Docker.require();
        try (TestApp app = TestApp.start()) {
            JsonNode health = app.client().get("/healthz").json();
            assertEquals("ok", health.path("status").asText());
            assertTrue(health.path("docker").path("ok").asBoolean());
            assertFalse(health.path("docker").path("version").asText().isBlank());
        }
    }

    @Test
    void errorsArePagesInKoreanNotStackTraces() {
        try (TestApp app = TestApp.start(Map.of(), DockerEngine.absent("test"))) {
            WebClient client = app.client();
            WebClient.Response missing = client.get("/no/such/page");
            assertEquals(404, missing.status());
            assertTrue(missing.body().contains("페이지를 찾을 수 없습니다"));
            assertTrue(missing.body().contains("<html lang=\"ko\">"));
            WebClient.Response api = client.getJson("/api/v1/nothing");
            assertEquals(404, api.status());
            assertTrue(api.json().has("error"));
            WebClient.Response instructorOnly = client.get("/account");
            assertEquals(302, instructorOnly.status(), "anonymous visitors are sent to log in");
            assertTrue(instructorOnly.header("Location").startsWith("/login"));
        }
    }
}
