package dev.baeum.content.lesson;

import dev.baeum.base.config.Setting;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The five source notes the course was written from, dropped in as they are: real-world Korean Markdown
 * with raw HTML, blog front matter and broken image links must render without error. The notes are not
 * part of the project; this runs whenever they sit beside it, and CI requires that they do.
 */
class SourceNotesTest {

    private static Path notesDir() {
        String configured = System.getenv("BAEUM_SOURCE_NOTES");
        Path dir = configured != null ? Path.of(configured) : TestApp.root().resolve("../shared/source-notes").normalize();
        if (!Files.isDirectory(dir)) {
            if ("true".equalsIgnoreCase(System.getenv("BAEUM_REQUIRE_SOURCE_NOTES"))) {
                Assertions.fail("the source notes must be tested but are missing at " + dir);
            }
            Assumptions.abort("source notes not present at " + dir);
        }
        return dir;
    }

    @Test
    void everyNoteRendersAsALessonWithoutError() throws Exception {
        Path notes = notesDir();
        Path lessons = TestApp.tempDir("notes-as-lessons");
        List<Path> files;
        try (Stream<Path> list = Files.list(notes)) {
            files = list.filter(p -> p.getFileName().toString().matches("\\d{3}_.*\\.txt")).sorted().toList();
        }
        assertEquals(5, files.size(), "five source notes");
        for (Path note : files) {
            String name = note.getFileName().toString().replace(".txt", ".md");
            Files.copy(note, lessons.resolve(name));
        }
        LessonCatalog catalog = new LessonCatalog(lessons, new MarkdownRenderer(), java.time.Duration.ZERO);
        assertEquals(5, catalog.lessons().size());
        for (Lesson lesson : catalog.lessons()) {
            assertTrue(lesson.errors().isEmpty(), lesson.file() + ": " + lesson.errors());
            assertTrue(lesson.rendered().textLength() > 500, lesson.file() + " rendered too little");
        }
        assertEquals("Docker", catalog.lessons().get(2).title(), "front matter title of note 002");

        try (TestApp app = TestApp.start(Map.of(Setting.LESSONS_DIR, lessons.toString()), DockerEngine.absent("test"))) {
            WebClient client = app.client();
            for (Lesson lesson : catalog.lessons()) {
                WebClient.Response page = client.get("/lessons/" + lesson.slug());
                assertEquals(200, page.status(), lesson.slug());
                assertTrue(page.body().contains(lesson.title()), lesson.slug());
                assertTrue(!page.body().contains("이 레슨 파일에 고칠 곳이 있습니다"), lesson.slug() + " shows errors");
            }
            assertTrue(client.get("/lessons/" + catalog.lessons().get(1).slug()).body().contains("<center>"),
                    "raw HTML from the notes is kept");
        }
    }
}
