package dev.baeum.web.lessons;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.TocEntry;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.web.Chrome;

import java.util.List;
import java.util.Set;

/** Page models for the lesson templates ({@code web/templates/lessons/}). */
public final class LessonPages {

    private LessonPages() {
    }

    public record LabLink(String id, String title, int done, int total) {
        public boolean complete() {
            return total > 0 && done >= total;
        }
    }

    public record LessonCard(int number, String slug, String title, String summary, int minutes, boolean visited,
                             int quizzesCorrect, int quizzesTotal, List<LabLink> labs, boolean broken) {
    }

    public record CoursePage(Chrome chrome, List<LessonCard> lessons, int visited, int labTasksDone,
                             int labTasksTotal, String labsProblem) {
        public int percent() {
            int total = lessons.size() + labTasksTotal;
            return total == 0 ? 0 : Math.round(100f * (visited + labTasksDone) / total);
        }
    }

    public record NavLink(String slug, String title) {
    }

    /** The learner's last answer to a quiz, shown under it with the explanation. */
    public record Answered(boolean correct, String answer, Set<Integer> chosen, String explanationHtml) {
    }

    public record QuizView(String id, String kind, String questionHtml, List<String> choicesHtml, String action,
                           Answered answered) {
        public boolean multiple() {
            return kind.equals("MULTIPLE");
        }

        public boolean shortAnswer() {
            return kind.equals("SHORT");
        }

        public boolean chose(int number) {
            return answered != null && answered.chosen().contains(number);
        }
    }

    /** A piece of the lesson body: safe HTML or a quiz. */
    public record Block(String html, QuizView quiz) {
    }

    public record LessonPage(Chrome chrome, String slug, String title, String summary, int number, int total,
                             int minutes, List<TocEntry> toc, List<Block> blocks, List<LabLink> labs,
                             List<Lesson.Reference> references, NavLink previous, NavLink next,
                             List<ContentProblem> errors) {
    }
}
