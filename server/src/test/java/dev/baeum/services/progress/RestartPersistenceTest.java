package dev.baeum.services.progress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.Databases;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts, login sessions and records live in the database (an H2 file by default, PostgreSQL in
 * production): a restart loses nothing.
 */
class RestartPersistenceTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Databases.Kind.class)
    void recordsAndSessionsSurviveARestart(Databases.Kind kind) {
        Path data = TestApp.tempDir("baeum-file-db");
        try (Databases.TestDatabase db = Databases.createDurable(kind, data)) {
            String cookie;
            long userId;
            try (TestApp first = TestApp.start(db.settings(), DockerEngine.absent("not needed"))) {
                String url = first.app().core().settings().jdbcUrl();
                assertTrue(kind == Databases.Kind.H2 ? url.startsWith("jdbc:h2:file:" + data.toAbsolutePath())
                        : url.startsWith("jdbc:postgresql:"), url);
                WebClient hana = first.client().signup("hana", "hana-password");
                hana.get("/lessons/dockerfile");
                cookie = hana.cookie("baeum_session");
                userId = first.app().core().database().sql().one("SELECT id FROM users WHERE username = 'hana'", rs -> rs.getLong(1)).orElseThrow();
            }
            try (TestApp second = TestApp.start(db.settings(), DockerEngine.absent("not needed"))) {
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
}
