package dev.baeum.progress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.config.Setting;
import dev.baeum.sandbox.DockerEngine;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts, login sessions and records live in the H2 file database: a restart loses nothing. */
class RestartPersistenceTest {

    @Test
    void recordsAndSessionsSurviveARestart() {
        Path data = TestApp.tempDir("baeum-file-db");
        Map<Setting, String> fileDb = Map.of(Setting.DATA_DIR, data.toString(), Setting.DB_URL, "");
        String cookie;
        long userId;
        try (TestApp first = TestApp.start(fileDb, DockerEngine.absent("not needed"))) {
            assertTrue(first.app().core().settings().jdbcUrl().startsWith("jdbc:h2:file:" + data.toAbsolutePath()));
            WebClient hana = first.client().signup("hana", "hana-password");
            hana.get("/lessons/dockerfile");
            cookie = hana.cookie("baeum_session");
            userId = first.app().core().database().sql().one("SELECT id FROM users WHERE username = 'hana'", rs -> rs.getLong(1)).orElseThrow();
        }
        try (TestApp second = TestApp.start(fileDb, DockerEngine.absent("not needed"))) {
            WebClient same = new WebClient(second.baseUrl());
            JsonNode records = same.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(second.baseUrl() + "/api/v1/learners/" + userId + "/records"))
                    .header("Cookie", "baeum_session=" + cookie).header("Accept", "application/json").GET().build()).json();
            assertEquals("hana", records.path("username").asText(), "the login session survived the restart");
            assertEquals("dockerfile", records.path("lessons").get(0).path("lesson").asText(), "and so did the records");
            assertEquals(302, second.client().login("hana", "hana-password").status());
        }
    }
}
