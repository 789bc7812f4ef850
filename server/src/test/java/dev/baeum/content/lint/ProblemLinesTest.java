package dev.baeum.content.lint;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Held-out malformed files (test resources {@code malformed/}): lint reports exactly the problems listed in
 * {@code expected-problems.txt}, each at its own line and with its code. No server needed.
 */
class ProblemLinesTest {

    @Test
    void everyProblemIsReportedAtItsOwnLine() throws Exception {
        Path root = Path.of(ProblemLinesTest.class.getResource("/malformed").toURI());
        MarkdownRenderer renderer = new MarkdownRenderer();
        Linter linter = new Linter(new LessonCatalog(root.resolve("lessons"), renderer, Duration.ZERO),
                new LabCatalog(root.resolve("labs"), renderer, Duration.ZERO));

        List<String> actual = linter.problems().stream().map(p -> describe(root, p)).sorted().toList();
        List<String> expected = Files.readAllLines(root.resolve("expected-problems.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).sorted().toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual),
                "lint output:\n" + String.join("\n", linter.problems().stream().map(ContentProblem::format).toList()));
    }

    private static String describe(Path root, ContentProblem p) {
        return root.relativize(p.file()).toString().replace('\\', '/') + ":" + p.line() + " " + p.code();
    }
}
