package dev.baeum.content.lesson;

import dev.baeum.base.config.Setting;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An instructor drops or edits a Markdown file; the course follows without a restart. */
class InstructorWorkflowTest {

    @Test
    void inDevModeEditsShowOnTheNextRequest() throws Exception {
        Path lessons = TestApp.tempDir("dev-lessons");
        Path file = lessons.resolve("01-first.md");
        Files.writeString(file, "## 처음\n\n첫 번째 판\n");
        try (TestApp app = TestApp.start(Map.of(Setting.LESSONS_DIR, lessons.toString(), Setting.DEV_MODE, "true"),
                DockerEngine.absent("not needed"))) {
            WebClient client = app.client();
            assertTrue(client.get("/lessons/first").body().contains("첫 번째 판"));
            Files.writeString(file, "## 처음\n\n두 번째 판\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            assertTrue(client.get("/lessons/first").body().contains("두 번째 판"), "the edit shows on reload");
            Files.writeString(lessons.resolve("02-second.md"), "---\ntitle: 새로 넣은 레슨\n---\n\n내용\n");
            assertTrue(client.get("/").body().contains("새로 넣은 레슨"), "a new file is in the course at once");
        }
    }

    @Test
    void withoutDevModeNewLessonsAppearWithinSeconds() throws Exception {
        Path lessons = TestApp.tempDir("prod-lessons");
        Files.writeString(lessons.resolve("01-first.md"), "## 처음\n\n내용\n");
        try (TestApp app = TestApp.start(Map.of(Setting.LESSONS_DIR, lessons.toString()), DockerEngine.absent("not needed"))) {
            WebClient client = app.client();
            assertFalse(client.get("/").body().contains("나중에 넣은 레슨"));
            Files.writeString(lessons.resolve("02-later.md"), "---\ntitle: 나중에 넣은 레슨\n---\n\n내용\n");
            boolean shown = Eventually.within(Duration.ofSeconds(4), () -> client.get("/").body().contains("나중에 넣은 레슨"));
            assertTrue(shown, "no restart, no code change");
        }
    }
}
