package dev.baeum.web.labs;

import dev.baeum.content.ContentProblem;
import dev.baeum.web.Chrome;

import java.util.List;

/** Page models for {@code web/templates/labs/}. */
public final class LabPages {

    private LabPages() {
    }

    public record LabCard(String id, String title, String summary, int tasks, int done, boolean docker,
                          boolean broken) {
    }

    public record LabGroup(String lessonSlug, String lessonTitle, List<LabCard> labs) {
    }

    public record LabListPage(Chrome chrome, List<LabGroup> groups, String labsProblem) {
    }

    public record TaskView(String id, int number, boolean done, String message, int hintCount,
                           List<String> revealedHints, String solution, boolean lastPassed) {

        /** What stands before the latest message: done stays done, even when a later check now fails. */
        public String messagePrefix() {
            return !done ? "" : lastPassed || message.isEmpty() ? "통과! " : "통과한 과제입니다. 지금 다시 보면: ";
        }
    }

    /** @param title the heading as safe HTML (escaped, with `code` spans) */
    public record SectionView(String id, String title, String html, TaskView task) {
    }

    public record LabPage(Chrome chrome, String id, String title, String summary, String lessonSlug,
                          String lessonTitle, String introHtml, List<SectionView> sections, List<String> nodes,
                          String limits, String labsProblem, boolean guestsAllowed, long guestMinutes, int done, int total,
                          List<ContentProblem> errors, boolean docker) {
    }
}
