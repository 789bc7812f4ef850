package dev.baeum.content.lesson;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.Quiz;
import dev.baeum.content.Rendered;
import java.nio.file.Path;
import java.util.List;

/** One lesson file, rendered once and cached until the file changes. */
public record Lesson(String slug, Path file, int order, String title, String summary, List<String> labIds,
                     List<Reference> references, Rendered rendered, List<ContentProblem> problems) {

    public record Reference(String title, String url) {
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(ContentProblem::isError);
    }

    public List<ContentProblem> errors() {
        return problems.stream().filter(ContentProblem::isError).toList();
    }

    public List<Quiz> quizzes() {
        return rendered.quizzes();
    }

    /** About 500 Hangul characters a minute, never less than one minute. */
    public int readingMinutes() {
        return Math.max(1, Math.round(rendered.textLength() / 500f));
    }
}
