package dev.baeum.services.grading;

import dev.baeum.cli.GradeCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.base.config.Setting;
import dev.baeum.support.Databases;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grading API and CLI with real Docker: right and wrong submissions, shell and Dockerfile labs; grades
 * recorded on H2 and on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Databases.Kind.class)
class GradingTest {

    @Parameter
    Databases.Kind database;

    private static Databases.TestDatabase db;
    private static TestApp app;
    private static String token;

    @BeforeParameterizedClassInvocation
    static void start(Databases.Kind database) {
        Docker.require();
        db = Databases.create(database);
        app = TestApp.start(db.with(Map.of(Setting.ADMIN_USERNAME, "grader", Setting.ADMIN_PASSWORD, "grader-password")));
        app.image("process-isolation");
        WebClient teacher = app.client();
        teacher.login("grader", "grader-password");
        String page = teacher.postForm("/account/tokens", Map.of("name", "tests")).body();
        token = page.replaceAll("(?s).*<code class=\"token\" data-copy>([^<]+)</code>.*", "$1");
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

    private static WebClient.Response api(String path) {
        return app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private static WebClient.Response grade(String lab, String student, String body) {
        return app.client().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/labs/" + lab + "/grade?student=" + student))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void gradesAShellLabRightAndWrong() {
        JsonNode right = grade("process-isolation", "good", """
                cat /proc/1/comm > ~/pid1.txt
                ps -e --no-headers | wc -l > ~/count.txt
                hostname > ~/hostname.txt
                """).json();
        assertEquals("process-isolation", right.path("lab").asText());
        assertEquals(100.0, right.path("score").asDouble(), right.toString());
        assertEquals(3, right.path("tasks").size());
        right.path("tasks").forEach(t -> assertTrue(t.path("passed").asBoolean(), t.toString()));
        assertTrue(right.path("durations").path("totalMillis").asLong() > 0);

        JsonNode wrong = grade("process-isolation", "bad", "echo systemd > ~/pid1.txt\n").json();
        assertEquals(0.0, wrong.path("score").asDouble(), wrong.toString());
        JsonNode pid1 = wrong.path("tasks").get(0);
        assertFalse(pid1.path("passed").asBoolean());
        assertTrue(pid1.path("message").asText().contains("systemd"), pid1.toString());

        assertEquals(0, app.app().runtime().engine().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("baeum.purpose", "grading", "baeum.scope", app.app().runtime().policy().scope())).exec().size(),
                "this deployment's grading sandboxes are removed");
        assertEquals(400, grade("process-isolation", "empty", "  ").status());
        assertEquals(404, grade("no-such-lab", "x", "true").status());

        // Both grades are recorded, newest first, with or without a lab filter.
        JsonNode recent = api("/api/v1/gradings").json();
        JsonNode good = findStudent(recent, "good");
        JsonNode bad = findStudent(recent, "bad");
        assertEquals(100.0, good.path("score").asDouble(), recent.toString());
        assertEquals(3, good.path("passed").asInt());
        assertEquals(0, bad.path("passed").asInt());
        assertTrue(good.path("id").asLong() < bad.path("id").asLong());
        assertTrue(java.time.Instant.parse(good.path("createdAt").asText()).isBefore(java.time.Instant.now()));
        JsonNode filtered = api("/api/v1/gradings?lab=process-isolation").json();
        filtered.forEach(g -> assertEquals("process-isolation", g.path("lab").asText(), g.toString()));
        assertEquals("good", findStudent(filtered, "good").path("student").asText());
        assertEquals(0, api("/api/v1/gradings?lab=no-such-lab").json().size());
    }

    private static JsonNode findStudent(JsonNode gradings, String student) {
        for (JsonNode g : gradings) {
            if (g.path("student").asText().equals(student)) {
                return g;
            }
        }
        throw new AssertionError("no grade of " + student + " in " + gradings);
    }

    /** The Dockerfile lab's last solution: a multi-stage build with ARG before FROM, COPY --from and HEALTHCHECK. */
    static final String MULTI_STAGE = """
            ARG NODE_VERSION=18
            FROM node:${NODE_VERSION}-slim AS build
            WORKDIR /src
            COPY package.json build.js ./
            COPY test/ test/
            RUN node --test
            COPY . .
            RUN node build.js

            FROM nginx:1.22
            COPY --from=build /src/dist/ /usr/share/nginx/html/
            COPY healthcheck.sh /usr/local/bin/healthcheck.sh
            HEALTHCHECK --interval=5s --timeout=3s CMD ["/usr/local/bin/healthcheck.sh"]
            ENTRYPOINT ["nginx"]
            CMD ["-g", "daemon off;"]
            """;

    @Test
    void gradesADockerfileWithTheRealDockerBuild() {
        // A Dockerfile alone: the real classic builder builds it in the grading sandbox's own engine, and the checks
        // read the image there. The multi-stage build passes every task, .dockerignore's too: its final stage holds
        // only the built pages, so no .env can be in it.
        JsonNode right = grade("dockerfile-basics", "good", MULTI_STAGE).json();
        assertEquals(100.0, right.path("score").asDouble(), right.toString());
        assertTrue(right.path("error").isNull() || right.path("error").isMissingNode(), right.toString());
        assertTrue(right.path("log").toString().contains("Step 1/14 : ARG NODE_VERSION=18"), "the build log: " + right);
        assertTrue(right.path("log").toString().contains("Step 10/14 : COPY --from=build"), "the build log: " + right);

        // One stage: the site works, but .env ships in the image and every text change reruns the tests.
        JsonNode single = grade("dockerfile-basics", "single", """
                FROM node:18-slim
                WORKDIR /src
                COPY . .
                RUN node --test
                RUN node build.js
                EXPOSE 8080
                CMD ["node", "serve.js"]
                """).json();
        Map<String, JsonNode> tasks = byId(single);
        assertTrue(tasks.get("first-build").path("passed").asBoolean(), single.toString());
        assertFalse(tasks.get("cache").path("passed").asBoolean(), single.toString());
        assertFalse(tasks.get("dockerignore").path("passed").asBoolean(), single.toString());
        assertTrue(tasks.get("dockerignore").path("message").asText().contains(".env"), single.toString());
        assertFalse(tasks.get("multi-stage").path("passed").asBoolean(), single.toString());

        JsonNode broken = grade("dockerfile-basics", "typo", "FORM debian:bookworm-slim\n").json();
        assertEquals(0.0, broken.path("score").asDouble());
        assertTrue(broken.path("error").asText().contains("after-submit"), broken.toString());
        assertTrue(broken.path("log").toString().contains("line 1: unknown instruction: FORM"), "the engine's own words: " + broken);
        assertEquals(0, app.app().runtime().engine().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("baeum.purpose", "grading", "baeum.scope", app.app().runtime().policy().scope())).exec().size(),
                "this deployment's grading sandboxes are removed");
    }

    @Test
    void gradesAShellSubmissionThatUsesDocker() {
        // The first two tasks of the first-container lab, done with the docker CLI inside the grading sandbox.
        JsonNode graded = grade("first-container", "shell", """
                docker run --name hello debian:bookworm-slim echo "안녕하세요, 컨테이너!"
                docker run --name oops debian:bookworm-slim sh -c 'exit 3'
                docker run -d --name web nginx:1.22
                curl -s --retry 10 --retry-connrefused --retry-delay 1 web > /dev/null
                docker logs web
                """).json();
        Map<String, JsonNode> tasks = byId(graded);
        assertTrue(tasks.get("exit-codes").path("passed").asBoolean(), graded.toString());
        assertTrue(tasks.get("detach").path("passed").asBoolean(), graded.toString());
        for (String notDone : new String[]{"exec", "stop-start", "timing", "rm"}) {
            assertFalse(tasks.get(notDone).path("passed").asBoolean(), notDone + ": " + graded);
        }
        assertEquals(2, graded.path("passed").asInt(), graded.toString());
    }

    private static Map<String, JsonNode> byId(JsonNode grade) {
        Map<String, JsonNode> tasks = new java.util.LinkedHashMap<>();
        grade.path("tasks").forEach(t -> tasks.put(t.path("id").asText(), t));
        assertFalse(tasks.isEmpty(), grade.toString());
        return tasks;
    }

    @Test
    void theCliGradesAFolderIntoJsonAndJunit() throws Exception {
        Path submissions = TestApp.tempDir("submissions");
        Files.writeString(submissions.resolve("kim.sh"), "cat /proc/1/comm > ~/pid1.txt\nps -e --no-headers | wc -l > ~/count.txt\nhostname > ~/hostname.txt\n");
        Files.writeString(submissions.resolve("lee.sh"), "hostname > ~/hostname.txt\n");
        Path out = TestApp.tempDir("reports");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int exit = GradeCommand.run(new GradeCommand.Options("process-isolation", submissions, out, 2),
                app.lab("process-isolation"), app.app().runtime().grading(), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, "the run itself worked, even though a student failed:\n" + console);
        JsonNode report = new ObjectMapper().readTree(out.resolve("grades.json").toFile());
        assertEquals(2, report.path("submissions").asInt());
        assertEquals(100.0, report.path("results").get(0).path("score").asDouble());
        assertEquals("lee", report.path("results").get(1).path("student").asText());
        String junit = Files.readString(out.resolve("junit.xml"));
        assertTrue(junit.contains("<testsuite name=\"process-isolation/kim\" tests=\"3\" failures=\"0\""), junit);
        assertTrue(junit.contains("<testsuite name=\"process-isolation/lee\" tests=\"3\" failures=\"2\""), junit);
        assertTrue(junit.contains("<failure message="), junit);

        Path dockerfiles = TestApp.tempDir("dockerfiles");
        Files.writeString(dockerfiles.resolve("park.Dockerfile"), MULTI_STAGE);
        Path dockerOut = TestApp.tempDir("docker-reports");
        assertEquals(0, GradeCommand.run(new GradeCommand.Options("dockerfile-basics", dockerfiles, dockerOut, 1),
                app.lab("dockerfile-basics"), app.app().runtime().grading(), new PrintStream(console, true, StandardCharsets.UTF_8)));
        JsonNode dockerReport = new ObjectMapper().readTree(dockerOut.resolve("grades.json").toFile());
        assertEquals(6, dockerReport.path("results").get(0).path("passed").asInt(), dockerReport.toString());
        assertTrue(Files.readString(dockerOut.resolve("junit.xml")).contains("<testsuite name=\"dockerfile-basics/park\" tests=\"6\" failures=\"0\""));

        assertEquals(2, GradeCommand.run(new GradeCommand.Options("process-isolation", out.resolve("missing"), out, 1),
                app.lab("process-isolation"), app.app().runtime().grading(), new PrintStream(new ByteArrayOutputStream())));
    }
}
