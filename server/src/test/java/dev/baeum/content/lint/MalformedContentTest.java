package dev.baeum.content.lint;

import dev.baeum.base.config.Setting;
import dev.baeum.cli.LintCommand;
import dev.baeum.content.ContentProblem;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken instructor files: lint points at file:line for each, and the site keeps serving everything else. */
class MalformedContentTest {

    @Test
    void lintLocatesEveryProblemAndTheSiteStaysUp() throws Exception {
        Path lessons = TestApp.tempDir("broken-lessons");
        Files.writeString(lessons.resolve("01-good.md"), "---\ntitle: 멀쩡한 레슨\nlabs: [paired]\n---\n\n## 내용\n\n[다음](03-fence.md)\n");
        Files.writeString(lessons.resolve("02-bad-yaml.md"), "---\ntitle: 깨진\norder: [1, 2\n---\n\n본문은 보입니다.\n");
        Files.writeString(lessons.resolve("03-fence.md"), "## 코드\n\n첫 줄\n\n```bash\necho 끝나지 않는 코드 블록\n");
        Files.writeString(lessons.resolve("04-quiz.md"), "## 퀴즈\n\n```quiz\nid: q\nquestion: 정답이 없는 문제\nchoices: [가, 나]\n```\n");
        Files.writeString(lessons.resolve("05-link.md"), "## 링크\n\n문단\n\n[없는 레슨](09-nowhere.md)와 [없는 실습](lab:no-such-lab)\n");
        Path labs = TestApp.tempDir("one-sided-labs");
        writeLab(labs, "paired", "good");   // 01-good lists it back: fine
        writeLab(labs, "one-sided", "good"); // names 01-good, which does not list it

        try (TestApp app = TestApp.start(Map.of(Setting.LESSONS_DIR, lessons.toString(), Setting.LABS_DIR, labs.toString()),
                DockerEngine.absent("test"))) {
            Linter linter = new Linter(app.app().core().lessons(), app.app().core().labs());
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int exit = LintCommand.run(linter, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String out = buffer.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, out);
            assertLine(out, "02-bad-yaml.md:", "front matter");
            assertLine(out, "03-fence.md:5:", "닫히지");
            assertLine(out, "04-quiz.md:3:", "answer");
            assertLine(out, "05-link.md:5:", "09-nowhere.md");
            assertLine(out, "05-link.md:5:", "no-such-lab");
            assertLine(out, "one-sided/lab.md:3:", "01-good.md");
            assertTrue(out.lines().noneMatch(l -> l.contains("paired/lab.md")), "a lab its lesson lists back is fine:\n" + out);
            List<ContentProblem> problems = linter.problems();
            assertTrue(problems.stream().noneMatch(p -> p.file().getFileName().toString().equals("01-good.md")), problems.toString());

            WebClient client = app.client();
            String home = client.get("/").body();
            assertTrue(home.contains("멀쩡한 레슨") && home.contains("badge-error"), "the course lists every lesson, marking broken ones");
            assertEquals(200, client.get("/lessons/good").status());
            WebClient.Response broken = client.get("/lessons/bad-yaml");
            assertEquals(200, broken.status());
            assertTrue(broken.body().contains("02-bad-yaml.md:"), "the broken lesson says where the problem is");
            assertTrue(broken.body().contains("본문은 보입니다"), "and still shows what it can");
            assertTrue(!broken.body().contains("Exception"), "no stack trace");
        }
    }

    private static void writeLab(Path labs, String id, String lesson) throws Exception {
        Path dir = Files.createDirectories(labs.resolve(id));
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian:bookworm-slim\n"); // never built: lint only reads it
        Files.writeString(dir.resolve("lab.md"), "---\ntitle: 실습 " + id + "\nlesson: " + lesson + "\n---\n\n## 과제 {#only}\n\n"
                + "```check\ntest -f done\n```\n\n```solution\ntouch done\n```\n");
    }

    private static void assertLine(String out, String location, String text) {
        boolean found = out.lines().anyMatch(l -> l.contains(location) && l.contains(text));
        assertTrue(found, "expected a line with " + location + " … " + text + " in:\n" + out);
    }
}
