package dev.baeum.services.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.base.config.Setting;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.Databases;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts, sessions, CSRF and who may see what; on H2 and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(Databases.Kind.class)
class AccountsAndAccessTest {

    @Parameter
    Databases.Kind database;

    private static Databases.TestDatabase db;
    private static TestApp app;

    @BeforeParameterizedClassInvocation
    static void start(Databases.Kind database) {
        db = Databases.create(database);
        app = TestApp.start(db.with(Map.of(Setting.ADMIN_USERNAME, "teacher", Setting.ADMIN_PASSWORD, "teach-me-docker")),
                DockerEngine.absent("not needed"));
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

    @Test
    void signUpLogInAndAWrongPassword() {
        WebClient alice = app.client().signup("alice", "correct-horse");
        String session = alice.cookie("baeum_session");
        assertNotNull(session);
        assertTrue(alice.get("/").body().contains("alice"), "logged in after sign-up");

        WebClient again = app.client();
        WebClient.Response wrong = again.login("alice", "not-the-password");
        assertEquals(400, wrong.status());
        assertTrue(wrong.body().contains("아이디 또는 비밀번호가 올바르지 않습니다"));
        assertEquals(null, again.cookie("baeum_session"));
        WebClient.Response right = again.login("alice", "correct-horse");
        assertEquals(302, right.status());
        assertNotNull(again.cookie("baeum_session"));

        WebClient.Response duplicate = app.client().postForm("/signup", Map.of("username", "alice", "displayName", "또 앨리스",
                "password", "another-pass", "passwordConfirm", "another-pass"));
        assertEquals(400, duplicate.status());
        assertTrue(duplicate.body().contains("이미 쓰고 있는 아이디"));
        WebClient.Response weak = app.client().postForm("/signup", Map.of("username", "bob", "displayName", "밥",
                "password", "short", "passwordConfirm", "short"));
        assertEquals(400, weak.status());
        assertTrue(weak.body().contains("8자 이상"));
    }

    @Test
    void sessionCookiesAreHttpOnlyAndSameSite() {
        WebClient client = app.client();
        client.csrf();
        WebClient.Response r = client.send(HttpRequest.newBuilder(URI.create(client.base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + client.csrf() + "&username=teacher&password=teach-me-docker")).build());
        String setCookie = String.join("\n", r.headers().allValues("Set-Cookie"));
        assertTrue(setCookie.contains("baeum_session=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("baeum_csrf=") && setCookie.contains("SameSite=Strict"), setCookie);
    }

    @Test
    void everyStateChangingFormNeedsTheCsrfToken() {
        WebClient client = app.client();
        client.csrf();
        for (String path : new String[]{"/login", "/signup", "/guest", "/logout"}) {
            WebClient.Response r = client.send(HttpRequest.newBuilder(URI.create(client.base() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=teacher&password=teach-me-docker")).build());
            assertEquals(403, r.status(), path);
            assertTrue(r.body().contains("보안 토큰"), path);
        }
        WebClient learner = app.client().guest();
        WebClient.Response noHeader = learner.send(HttpRequest.newBuilder(URI.create(learner.base() + "/labs/process-isolation/session"))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, noHeader.status());
        WebClient.Response wrongToken = learner.send(HttpRequest.newBuilder(URI.create(learner.base() + "/labs/process-isolation/session"))
                .header("Accept", "application/json").header("X-CSRF-Token", "forged-token-forged-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, wrongToken.status());
    }

    @Test
    void learnersCannotCallInstructorEndpoints() {
        WebClient learner = app.client().signup("carol", "carol-password");
        assertEquals(403, learner.get("/instructor").status());
        assertEquals(403, learner.get("/instructor/grades.csv").status());
        assertEquals(403, learner.getJson("/api/v1/labs").status());
        assertEquals(403, learner.post("/api/v1/labs/process-isolation/grade", "echo hi").status());
        WebClient.Response forbidden = learner.get("/instructor");
        assertTrue(forbidden.body().contains("강사만"), forbidden.body());
        assertEquals(401, app.client().getJson("/api/v1/labs").status(), "no token, no access");

        WebClient guest = app.client().guest();
        assertEquals(403, guest.postForm("/account/tokens", Map.of("name", "x")).status());
    }

    @Test
    void learnersSeeOnlyTheirOwnRecords() {
        WebClient dave = app.client().signup("dave", "dave-password");
        WebClient erin = app.client().signup("erin", "erin-password");
        long daveId = userId("dave");
        long erinId = userId("erin");
        dave.get("/lessons/containers");
        JsonNode own = dave.getJson("/api/v1/learners/" + daveId + "/records").json();
        assertEquals("dave", own.path("username").asText());
        assertEquals("containers", own.path("lessons").get(0).path("lesson").asText());
        WebClient.Response other = erin.getJson("/api/v1/learners/" + daveId + "/records");
        assertEquals(403, other.status());
        assertTrue(other.json().path("error").asText().contains("다른 학습자"));
        assertEquals(403, erin.get("/instructor/learners/" + daveId).status());
        assertEquals(200, erin.get("/me/records").status());

        WebClient teacher = app.client();
        assertEquals(302, teacher.login("teacher", "teach-me-docker").status());
        assertEquals(200, teacher.getJson("/api/v1/learners/" + erinId + "/records").status());
        assertEquals(200, teacher.get("/instructor/learners/" + daveId).status());
    }

    @Test
    void apiTokensAuthenticateInstructorsOnly() {
        WebClient teacher = app.client();
        teacher.login("teacher", "teach-me-docker");
        WebClient.Response created = teacher.postForm("/account/tokens", Map.of("name", "CI"));
        assertEquals(200, created.status());
        String token = created.body().replaceAll("(?s).*<code class=\"token\" data-copy>([^<]+)</code>.*", "$1");
        assertTrue(token.startsWith("baeum_"), token);
        WebClient.Response labs = app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/labs"))
                .header("Authorization", "Bearer " + token).GET().build());
        assertEquals(200, labs.status());
        assertTrue(labs.json().size() >= 7);
        WebClient.Response bad = app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/labs"))
                .header("Authorization", "Bearer baeum_not-a-real-token").GET().build());
        assertEquals(401, bad.status());
    }

    @Test
    void aGuestWhoSignsUpKeepsTheirRecords() {
        WebClient visitor = app.client().guest();
        visitor.get("/lessons/images");
        visitor.signup("frank", "frank-password");
        long id = userId("frank");
        JsonNode records = visitor.getJson("/api/v1/learners/" + id + "/records").json();
        assertEquals("images", records.path("lessons").get(0).path("lesson").asText());
        assertFalse(records.path("role").asText().equals("GUEST"));
    }

    @Test
    void theInstructorDashboardAndCsvExport() {
        WebClient gina = app.client().signup("gina", "gina-password");
        gina.get("/lessons/containers");
        var quiz = app.app().core().lessons().find("containers").orElseThrow().quizzes().stream()
                .filter(q -> q.kind() == dev.baeum.content.Quiz.Kind.SINGLE).findFirst().orElseThrow();
        gina.postForm("/lessons/containers/quizzes/" + quiz.id(), Map.of("answer", String.valueOf(quiz.correctChoices().iterator().next())));
        long ginaId = userId("gina");
        app.app().core().database().sql().update("INSERT INTO task_progress (user_id, lab_id, task_id, passed_at) VALUES (?, ?, ?, ?)",
                ginaId, "process-isolation", "pid1", java.time.Instant.now());

        WebClient teacher = app.client();
        teacher.login("teacher", "teach-me-docker");
        String dashboard = teacher.get("/instructor").body();
        assertTrue(dashboard.contains("gina") && dashboard.contains("<svg"), "a learner table and a chart");
        assertEquals(200, teacher.get("/instructor/labs/process-isolation").status());

        WebClient.Response csv = teacher.get("/instructor/grades.csv");
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        assertTrue(csv.header("Content-Disposition").contains("baeum-grades.csv"));
        String[] lines = csv.body().split("\r\n");
        assertTrue(lines[0].startsWith("\uFEFF아이디,이름,게스트,읽은 레슨,맞힌 퀴즈,푼 퀴즈"), lines[0]);
        String row = java.util.Arrays.stream(lines).filter(l -> l.startsWith("\"gina\"")).findFirst().orElseThrow();
        String[] cells = row.split(",");
        assertEquals("\"gina\"", cells[0]);
        assertEquals("1", cells[3], "one lesson read");
        assertEquals("1", cells[4], "one quiz right");
        int column = java.util.Arrays.asList(lines[0].split(",")).indexOf("\"process-isolation (통과/3)\"");
        assertTrue(column > 0, lines[0]);
        assertEquals("1", cells[column], "one task of process-isolation passed");
    }

    private static long userId(String username) {
        return app.app().core().database().sql().one("SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username).orElseThrow();
    }
}
