package dev.baeum.content.lesson;

import dev.baeum.content.Quiz;
import com.fasterxml.jackson.databind.JsonNode;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quizzes are checked on the server and kept per learner (on H2 and PostgreSQL); lesson files are served safely. */
@ParameterizedClass(name = "{0}")
@EnumSource(Databases.Kind.class)
class QuizAndAssetTest {

    @Parameter
    Databases.Kind database;

    private static Databases.TestDatabase db;
    private static TestApp app;

    @BeforeParameterizedClassInvocation
    static void start(Databases.Kind database) {
        db = Databases.create(database);
        app = TestApp.start(db.settings(), DockerEngine.absent("not needed"));
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

    private static Quiz firstChoiceQuiz(Lesson lesson) {
        return lesson.quizzes().stream().filter(q -> q.kind() == Quiz.Kind.SINGLE).findFirst().orElseThrow();
    }

    @Test
    void answersAreCheckedOnTheServerAndRemembered() {
        Lesson lesson = app.app().core().lessons().find("containers").orElseThrow();
        Quiz quiz = firstChoiceQuiz(lesson);
        int right = quiz.correctChoices().iterator().next();
        int wrong = right == 1 ? 2 : 1;
        WebClient learner = app.client();
        String before = learner.get("/lessons/containers").body();
        assertFalse(before.contains(quiz.explanationHtml()), "the explanation is not on the page before answering");

        // Someone just reading gets the verdict at once, but no account is made for them.
        WebClient.Response anonymous = learner.postForm("/lessons/containers/quizzes/" + quiz.id(), Map.of("answer", String.valueOf(wrong)));
        assertEquals(200, anonymous.status());
        assertTrue(anonymous.body().contains("아쉽지만 정답이 아닙니다") && anonymous.body().contains(quiz.explanationHtml()),
                "the answer is checked and explained");
        assertNull(learner.cookie("baeum_session"), "no guest identity for a passer-by");
        assertFalse(learner.get("/lessons/containers").body().contains("아쉽지만 정답이 아닙니다"), "and nothing is stored");

        // A learner (a guest here), without JavaScript: a plain form post, redirected back to the quiz.
        learner.guest();
        WebClient.Response post = learner.postForm("/lessons/containers/quizzes/" + quiz.id(), Map.of("answer", String.valueOf(wrong)));
        assertEquals(302, post.status());
        assertTrue(post.header("Location").endsWith("#quiz-" + quiz.id()));
        String after = learner.get("/lessons/containers").body();
        assertTrue(after.contains("아쉽지만 정답이 아닙니다"), "the wrong answer is remembered");

        // With JavaScript: JSON back.
        JsonNode json = learner.send(HttpRequest.newBuilder(URI.create(learner.base() + "/lessons/containers/quizzes/" + quiz.id()))
                .header("Accept", "application/json").header("X-CSRF-Token", learner.csrf())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("answer=" + right)).build()).json();
        assertTrue(json.path("correct").asBoolean());
        assertFalse(json.path("explanationHtml").asText().isBlank());
        assertTrue(learner.get("/lessons/containers").body().contains("정답입니다!"));

        // Another learner starts fresh.
        assertFalse(app.client().get("/lessons/containers").body().contains("정답입니다!"));
    }

    @Test
    void quizPostsNeedTheCsrfToken() {
        Lesson lesson = app.app().core().lessons().find("containers").orElseThrow();
        Quiz quiz = firstChoiceQuiz(lesson);
        WebClient client = app.client();
        client.csrf();
        WebClient.Response r = client.send(HttpRequest.newBuilder(URI.create(client.base() + "/lessons/containers/quizzes/" + quiz.id()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("answer=1")).build());
        assertEquals(403, r.status());
        assertTrue(r.body().contains("보안 토큰"), r.body());
    }

    @Test
    void lessonFilesAreServedButNothingOutsideTheLessonsFolder() {
        WebClient client = app.client();
        WebClient.Response svg = client.get("/lessons/files/images/vm-vs-container.svg");
        assertEquals(200, svg.status());
        assertEquals("image/svg+xml", svg.header("Content-Type"));
        assertTrue(svg.header("Content-Security-Policy").contains("default-src 'none'"), "an SVG cannot run script");
        for (String attack : new String[]{"/lessons/files/../README.md", "/lessons/files/..%2F..%2Fpom.xml",
                "/lessons/files/%2e%2e/%2e%2e/etc/passwd", "/lessons/files/01-why-docker.md", "/lessons/files/images/../../db/migration/V1__accounts.sql",
                "/labs/process-isolation/files/lab.md", "/labs/process-isolation/files/..%2F..%2FREADME.md"}) {
            assertEquals(404, client.get(attack).status(), attack);
        }
    }
}
