package dev.baeum.services.progress;

import java.time.Instant;
import java.util.List;

/** Everything recorded about one learner, as their own records page and the records API show it. */
public record LearnerRecords(long userId, String name, String username, String role, List<Visit> lessons,
                             List<Answer> quizzes, List<TaskPass> tasks, List<Session> sessions, List<Reveal> reveals,
                             List<CheckRun> checkRuns) {

    public record Visit(String lesson, int visits, Instant first, Instant last) {
    }

    public record Answer(String lesson, String quiz, String answer, boolean correct, Instant at) {
    }

    public record TaskPass(String lab, String task, Instant passedAt) {
    }

    public record Session(String id, String lab, String state, Instant createdAt, Instant endedAt, String endReason,
                          int resets, Integer startMillis) {
    }

    public record Reveal(String lab, String task, String kind, Instant at) {
    }

    public record CheckRun(String lab, String trigger, Instant at, int millis, int passed, int total) {
    }
}
