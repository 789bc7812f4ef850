package dev.baeum.services.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.base.config.Setting;
import dev.baeum.content.Quiz;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abuse limits on accounts (issue 15, part 5), against the real server and a real database: password
 * guessing, sign-up and guest floods, login timing, anonymous quiz answers. No Docker needed.
 */
class AccountLimitsTest {

    private static final String WRONG = "아이디 또는 비밀번호가 올바르지 않습니다";

    private static TestApp start(Map<Setting, String> settings) {
        return TestApp.start(settings, DockerEngine.absent("not needed"));
    }

    @Test
    void twentyWrongPasswordsFromOneAddressLockTheAccount() {
        try (TestApp app = start(Map.of())) { // the shipped defaults
            app.client().signup("victim", "victim-password");
            app.client().signup("bystander", "bystander-password");
            WebClient attacker = app.client();
            List<Integer> statuses = new ArrayList<>();
            WebClient.Response last = null;
            for (int i = 0; i < 20; i++) {
                last = attacker.login("victim", "guess-" + i);
                statuses.add(last.status());
            }
            assertEquals(Collections.nCopies(10, 400), statuses.subList(0, 10), "ten tries are answered normally");
            assertEquals(Collections.nCopies(10, 429), statuses.subList(10, 20), "then the account is locked: " + statuses);
            assertTrue(last.body().contains("이 계정의 로그인을 잠시 잠갔습니다"), "the lockout is explained in the login page");
            assertTrue(last.body().contains("<form method=\"post\" action=\"/login\""), "on the login page itself");
            assertTrue(Long.parseLong(last.header("Retry-After")) > 0);

            WebClient.Response owner = app.client().login("victim", "victim-password");
            assertEquals(429, owner.status(), "while locked even the right password is refused (no oracle for guesses)");
            assertEquals(302, app.client().login("bystander", "bystander-password").status(),
                    "other accounts from the same address still log in");
        }
    }

    @Test
    void passwordSprayingFromOneAddressIsRefusedAndAForgedForwardedForDoesNotHelp() {
        try (TestApp app = start(Map.of(Setting.LIMITS_LOGIN_IP, "20/15m"))) {
            app.client().signup("learner", "learner-password");
            WebClient bot = app.client();
            for (int i = 0; i < 20; i++) {
                WebClient.Response r = bot.login("user" + i, "password");
                assertEquals(400, r.status(), "attempt " + (i + 1));
                assertTrue(r.body().contains(WRONG));
            }
            WebClient.Response refused = login(bot, "learner", "learner-password", "198.51.100.9");
            assertEquals(429, refused.status(), "without proxy.hops the header is not believed");
            assertTrue(refused.body().contains("이 주소에서 로그인에 너무 많이 실패했습니다"), refused.body());
        }
    }

    @Test
    void behindAProxyTheForwardedAddressCountsAndOnlyTheProxysEntryIsBelieved() {
        try (TestApp app = start(Map.of(Setting.LIMITS_LOGIN_IP, "5/15m", Setting.PROXY_HOPS, "1"))) {
            app.client().signup("learner", "learner-password");
            WebClient bot = app.client();
            for (int i = 0; i < 5; i++) {
                assertEquals(400, login(bot, "user" + i, "password", "203.0.113.7").status());
            }
            assertEquals(429, login(bot, "learner", "learner-password", "203.0.113.7").status());
            // The client put its own entry first; the proxy appended the address it really saw.
            assertEquals(429, login(bot, "learner", "learner-password", "198.51.100.9, 203.0.113.7").status());
            assertEquals(302, login(app.client(), "learner", "learner-password", "198.51.100.9").status(),
                    "another address behind the same proxy is not affected");
        }
    }

    @Test
    void instancesSharingADatabaseCountTogether() {
        String db = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (TestApp a = start(Map.of(Setting.DB_URL, db, Setting.LIMITS_LOGIN_ACCOUNT, "6/15m"));
             TestApp b = start(Map.of(Setting.DB_URL, db, Setting.LIMITS_LOGIN_ACCOUNT, "6/15m"))) {
            a.client().signup("shared", "shared-password");
            for (int i = 0; i < 3; i++) {
                assertEquals(400, a.client().login("shared", "wrong-" + i).status());
                assertEquals(400, b.client().login("shared", "wrong-b-" + i).status());
            }
            assertEquals(429, a.client().login("shared", "shared-password").status(), "six failures over two instances");
            assertEquals(429, b.client().login("shared", "shared-password").status());
        }
    }

    @Test
    void theRightPasswordClearsAnAccountsFailures() {
        try (TestApp app = start(Map.of(Setting.LIMITS_LOGIN_ACCOUNT, "3/15m"))) {
            app.client().signup("typist", "typist-password");
            for (int round = 0; round < 3; round++) {
                assertEquals(400, app.client().login("typist", "typo-1").status());
                assertEquals(400, app.client().login("typist", "typo-2").status());
                assertEquals(302, app.client().login("typist", "typist-password").status(), "round " + round);
            }
        }
    }

    @Test
    void signUpAndGuestFloodsFromOneAddressAreRefused() {
        try (TestApp app = start(Map.of(Setting.LIMITS_SIGNUP_IP, "3/1h", Setting.LIMITS_GUEST_IP, "3/1h"))) {
            for (int i = 0; i < 3; i++) {
                app.client().guest();
                app.client().signup("bot" + i, "bot-password");
            }
            WebClient.Response guest = app.client().postForm("/guest", Map.of("next", "/"));
            assertEquals(429, guest.status());
            assertTrue(guest.body().contains("게스트 체험을 너무 많이 시작했습니다") && guest.body().contains("요청이 너무 많습니다"),
                    "an error page in Korean: " + guest.body());
            assertNotNull(guest.header("Retry-After"));
            WebClient.Response signup = app.client().postForm("/signup", Map.of("username", "bot9", "displayName", "bot",
                    "password", "bot-password", "passwordConfirm", "bot-password", "next", "/"));
            assertEquals(429, signup.status());
            assertTrue(signup.body().contains("가입 요청이 너무 많습니다") && signup.body().contains("action=\"/signup\""),
                    "shown in the sign-up form");
            long users = app.app().core().database().sql().count("SELECT COUNT(*) FROM users");
            assertEquals(6, users, "three guests and three accounts, no more");
        }
    }

    /**
     * Without the dummy verification a missing user was answered in ~2 ms and a wrong password in ~70 ms:
     * the timing told which usernames exist. Medians over many tries, within a generous ratio.
     */
    @Test
    void loginTakesAsLongForAMissingUserAsForAWrongPassword() {
        try (TestApp app = start(Map.of(Setting.LIMITS_LOGIN_IP, "off", Setting.LIMITS_LOGIN_ACCOUNT, "off"))) {
            app.client().signup("existing", "existing-password");
            WebClient client = app.client();
            client.csrf();
            List<Long> wrongPassword = new ArrayList<>();
            List<Long> missingUser = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                long wrong = timed(client, "existing", "not-the-password");
                long missing = timed(client, "nobody" + i, "not-the-password");
                if (i >= 4) { // after warming up
                    wrongPassword.add(wrong);
                    missingUser.add(missing);
                }
            }
            double ratio = (double) median(missingUser) / median(wrongPassword);
            assertTrue(ratio > 0.5 && ratio < 2.0, "missing user " + median(missingUser) / 1000 + " µs vs wrong password "
                    + median(wrongPassword) / 1000 + " µs (ratio " + ratio + ")");
        }
    }

    @Test
    void anonymousQuizAnswersCreateNoUserRow() {
        try (TestApp app = start(Map.of())) {
            Lesson lesson = app.app().core().lessons().find("containers").orElseThrow();
            Quiz quiz = lesson.quizzes().stream().filter(q -> q.kind() == Quiz.Kind.SINGLE).findFirst().orElseThrow();
            long before = app.app().core().database().sql().count("SELECT COUNT(*) FROM users");
            for (int i = 0; i < 5; i++) {
                WebClient passerBy = app.client();
                JsonNode json = passerBy.send(HttpRequest.newBuilder(URI.create(passerBy.base() + "/lessons/containers/quizzes/" + quiz.id()))
                        .header("Accept", "application/json").header("X-CSRF-Token", passerBy.csrf())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("answer=1")).build()).json();
                assertTrue(json.has("correct") && !json.path("saved").asBoolean(), json.toString());
                assertEquals(200, passerBy.postForm("/lessons/containers/quizzes/" + quiz.id(), Map.of("answer", "1")).status());
            }
            assertEquals(before, app.app().core().database().sql().count("SELECT COUNT(*) FROM users"),
                    "ten anonymous answers, no new user row");
        }
    }

    private static WebClient.Response login(WebClient client, String username, String password, String forwardedFor) {
        String body = form(Map.of("username", username, "password", password, "next", "/", "_csrf", client.csrf()));
        return client.send(HttpRequest.newBuilder(URI.create(client.base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static long timed(WebClient client, String username, String password) {
        long start = System.nanoTime();
        WebClient.Response r = client.login(username, password);
        long nanos = System.nanoTime() - start;
        assertEquals(400, r.status());
        return nanos;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String form(Map<String, String> fields) {
        StringBuilder s = new StringBuilder();
        fields.forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }
}
