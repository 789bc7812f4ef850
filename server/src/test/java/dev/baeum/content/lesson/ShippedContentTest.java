package dev.baeum.content.lesson;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.lint.Linter;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The course as shipped: at least eight lessons, lint-clean, and every internal link answers 200. */
class ShippedContentTest {

    private static final Pattern LINK = Pattern.compile("(?:href|src)=\"(/[^\"#?]*)[^\"]*\"");
    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start(Map.of(), DockerEngine.absent("not needed for reading"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void lintFindsNoErrorsInShippedContent() {
        List<ContentProblem> problems = new Linter(app.app().core().lessons(), app.app().core().labs()).problems();
        List<String> errors = problems.stream().filter(ContentProblem::isError).map(ContentProblem::format).toList();
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }

    @Test
    void theCourseHasAtLeastEightLessonsAndSevenLabs() {
        assertTrue(app.app().core().lessons().lessons().size() >= 8);
        assertTrue(app.app().core().labs().labs().size() >= 7);
        for (Lesson lesson : app.app().core().lessons().lessons()) {
            assertTrue(lesson.quizzes().size() >= 1 || lesson.slug().equals("microservices"), lesson.slug() + " has a quiz");
            assertTrue(!lesson.references().isEmpty(), lesson.slug() + " credits its references");
        }
    }

    @Test
    void everyInternalLinkFromEveryPageAnswers200() {
        WebClient client = app.client();
        Deque<String> queue = new ArrayDeque<>(List.of("/", "/labs"));
        Set<String> seen = new LinkedHashSet<>(queue);
        Map<String, Integer> failures = new TreeMap<>();
        while (!queue.isEmpty()) {
            String path = queue.removeFirst();
            WebClient.Response r = client.get(path);
            if (r.status() != 200) {
                failures.put(path, r.status());
                continue;
            }
            String type = r.header("Content-Type");
            if (type == null || !type.startsWith("text/html")) {
                continue;
            }
            Matcher m = LINK.matcher(r.body());
            while (m.find()) {
                String link = m.group(1);
                if (link.equals("/logout") || link.equals("/guest") || link.startsWith("//")) {
                    continue;
                }
                if (seen.add(link)) {
                    queue.add(link);
                }
            }
        }
        assertTrue(failures.isEmpty(), "broken internal links: " + failures);
        assertTrue(seen.stream().filter(s -> s.startsWith("/lessons/") && !s.startsWith("/lessons/files")).count() >= 8, seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("/lessons/files/images/")), "lesson diagrams are linked and served");
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("/webjars/")), "WebJars are served");
        assertEquals(200, client.get("/webjars/highlightjs/highlight.min.js").status(), "a version-less WebJar path");
        for (String outside : new String[]{"/webjars/highlightjs/%2e%2e/%2e%2e/%2e%2e/logback.xml",
                "/webjars/highlightjs/.hidden.js", "/webjars/..%2f..%2fMETA-INF/MANIFEST.MF", "/webjars/highlightjs/x.class"}) {
            assertNotEquals(200, client.get(outside).status(), outside + " stays outside the WebJars");
        }
    }

    @Test
    void everyLessonLinksItsLabsAndEveryLabLinksBack() {
        WebClient client = app.client();
        for (var lab : app.app().core().labs().labs()) {
            String page = client.get("/labs/" + lab.id()).body();
            assertTrue(page.contains("href=\"/lessons/" + lab.lessonSlug() + "\""), lab.id() + " links its lesson");
            String lesson = client.get("/lessons/" + lab.lessonSlug()).body();
            assertTrue(lesson.contains("href=\"/labs/" + lab.id() + "\""), lab.lessonSlug() + " links lab " + lab.id());
        }
    }

    @Test
    void pagesAreKoreanAndReadableWithoutJavaScript() {
        WebClient client = app.client();
        String home = client.get("/").body();
        assertTrue(home.contains("<html lang=\"ko\">"));
        String lesson = client.get("/lessons/containers").body();
        assertTrue(lesson.contains("class=\"lesson-toc\""), "a table of contents");
        assertTrue(lesson.contains("<form class=\"quiz"), "quizzes are plain forms");
        assertTrue(lesson.contains("다음 레슨"), "next lesson link");
        assertEquals(404, client.get("/lessons/no-such-lesson").status());
        assertTrue(client.get("/lessons/no-such-lesson").body().contains("페이지를 찾을 수 없습니다"));
    }
}
