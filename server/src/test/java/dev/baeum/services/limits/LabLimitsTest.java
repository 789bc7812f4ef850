package dev.baeum.services.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.base.config.Setting;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abuse limits on the expensive things, with real Docker (issue 15, part 5): guests' share of the sandbox
 * capacity, lab session starts and the grading API.
 */
class LabLimitsTest {

    private static final String LAB = "process-isolation";

    @Test
    void aFloodOfGuestsCannotTakeMoreThanTheGuestsShare() {
        Docker.require();
        try (TestApp app = TestApp.start(Map.of(Setting.SANDBOX_MAX_SESSIONS, "4", Setting.SANDBOX_GUEST_SHARE, "0.5"))) {
            app.image(LAB);
            List<Integer> guests = new ArrayList<>();
            WebClient.Response refused = null;
            for (int i = 0; i < 6; i++) {
                WebClient.Response r = app.client().guest().post("/labs/" + LAB + "/session");
                guests.add(r.status());
                if (r.status() != 200) {
                    refused = r;
                }
            }
            assertEquals(List.of(200, 200, 503, 503, 503, 503), guests, "two of four slots for guests");
            assertTrue(refused.json().path("message").asText().contains("게스트용 실습 환경(2개)이 모두 사용 중입니다"),
                    refused.body());
            assertEquals(2, app.app().runtime().repository().countActive());

            for (String name : List.of("learner_a", "learner_b")) {
                WebClient learner = app.client().signup(name, "learner-password");
                WebClient.Response r = learner.post("/labs/" + LAB + "/session");
                assertEquals(200, r.status(), "real learners still find a place: " + r.body());
            }
            WebClient.Response full = app.client().signup("learner_c", "learner-password").post("/labs/" + LAB + "/session");
            assertEquals(503, full.status(), "the whole capacity is still the limit");
            assertTrue(full.json().path("message").asText().contains("(4개)이 모두 사용 중입니다"), full.body());
        }
    }

    @Test
    void sessionStartsPerAccountAreLimitedButReattachingIsFree() {
        Docker.require();
        try (TestApp app = TestApp.start(Map.of(Setting.LIMITS_SESSION_ACCOUNT, "2/1h"))) {
            app.image(LAB);
            WebClient learner = app.client().signup("restless", "restless-password");
            assertEquals(200, learner.post("/labs/" + LAB + "/session").status());
            assertEquals(200, learner.post("/labs/" + LAB + "/session/reset").status());
            for (int i = 0; i < 3; i++) {
                assertEquals(200, learner.post("/labs/" + LAB + "/session").status(), "reattaching is not a start");
            }
            WebClient.Response reset = learner.post("/labs/" + LAB + "/session/reset");
            assertEquals(429, reset.status());
            assertTrue(reset.json().path("message").asText().contains("실습 환경을 너무 자주 시작하거나 초기화했습니다"), reset.body());
            assertEquals(200, learner.post("/labs/" + LAB + "/session/end").status());
            WebClient.Response open = learner.post("/labs/" + LAB + "/session");
            assertEquals(429, open.status(), "a new start is refused too");
            assertNotNull(open.header("Retry-After"));
            assertEquals(200, app.client().signup("calm", "calm-password").post("/labs/" + LAB + "/session").status(),
                    "another account is not affected");
        }
    }

    @Test
    void theGradingApiAnswers429PastItsLimit() {
        Docker.require();
        try (TestApp app = TestApp.start(Map.of(Setting.ADMIN_USERNAME, "grader", Setting.ADMIN_PASSWORD, "grader-password",
                Setting.LIMITS_GRADING_ACCOUNT, "2/1h"))) {
            app.image(LAB);
            WebClient teacher = app.client();
            assertEquals(302, teacher.login("grader", "grader-password").status());
            String page = teacher.postForm("/account/tokens", Map.of("name", "tests")).body();
            String token = page.replaceAll("(?s).*<code class=\"token\" data-copy>([^<]+)</code>.*", "$1");
            for (int i = 0; i < 2; i++) {
                WebClient.Response graded = grade(app, token, "hostname > ~/hostname.txt");
                assertEquals(200, graded.status(), graded.body());
                assertTrue(graded.json().has("score"));
            }
            WebClient.Response refused = grade(app, token, "hostname > ~/hostname.txt");
            assertEquals(429, refused.status(), refused.body());
            JsonNode body = refused.json();
            assertEquals(429, body.path("status").asInt());
            assertTrue(body.path("message").asText().contains("이 API 토큰의 채점 요청이 너무 많습니다"), body.toString());
            assertTrue(Long.parseLong(refused.header("Retry-After")) > 0);
        }
    }

    private static WebClient.Response grade(TestApp app, String token, String script) {
        return app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/labs/" + LAB + "/grade?student=kim"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }
}
