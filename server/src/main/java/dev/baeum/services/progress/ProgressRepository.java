package dev.baeum.services.progress;

import dev.baeum.base.db.Dialect;
import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What learners read, answered and passed; every write is one statement or one transaction. The two upserts
 * are written per dialect: PostgreSQL's {@code INSERT ... ON CONFLICT} stays atomic when two requests race
 * (its {@code MERGE} does not, and needs PostgreSQL 15); H2 has no {@code ON CONFLICT} and keeps its {@code MERGE}.
 */
public final class ProgressRepository {

    public record QuizAnswer(String quizId, String answer, boolean correct, Instant at) {
    }

    public record CheckRecord(String taskId, boolean passed, String message, int millis) {
    }

    private final Sql sql;

    public ProgressRepository(Sql sql) {
        this.sql = sql;
    }

    public void recordVisit(long userId, String lessonSlug) {
        Instant now = Instant.now();
        if (sql.dialect() == Dialect.POSTGRESQL) {
            sql.update("INSERT INTO lesson_visits (user_id, lesson_slug, visits, first_visit_at, last_visit_at) "
                            + "VALUES (?, ?, 1, ?, ?) ON CONFLICT (user_id, lesson_slug) "
                            + "DO UPDATE SET visits = lesson_visits.visits + 1, last_visit_at = EXCLUDED.last_visit_at",
                    userId, lessonSlug, now, now);
            return;
        }
        String merge = "MERGE INTO lesson_visits t USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(200)))) s(user_id, lesson_slug) "
                + "ON t.user_id = s.user_id AND t.lesson_slug = s.lesson_slug "
                + "WHEN MATCHED THEN UPDATE SET visits = t.visits + 1, last_visit_at = ? "
                + "WHEN NOT MATCHED THEN INSERT (user_id, lesson_slug, visits, first_visit_at, last_visit_at) "
                + "VALUES (s.user_id, s.lesson_slug, 1, ?, ?)";
        try {
            sql.update(merge, userId, lessonSlug, now, now, now);
        } catch (Sql.DataException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // H2's MERGE is not atomic: a racing first visit inserted the row (and committed) in between.
            sql.update(merge, userId, lessonSlug, now, now, now);
        }
    }

    public Set<String> visitedLessons(long userId) {
        return new HashSet<>(sql.list("SELECT lesson_slug FROM lesson_visits WHERE user_id = ?", rs -> rs.getString(1), userId));
    }

    public void recordQuizAnswer(long userId, String lessonSlug, String quizId, String answer, boolean correct) {
        sql.insert("INSERT INTO quiz_answers (user_id, lesson_slug, quiz_id, answer, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                userId, lessonSlug, quizId, answer.length() > 2000 ? answer.substring(0, 2000) : answer, correct, Instant.now());
    }

    /** The latest answer to each quiz of a lesson. */
    public Map<String, QuizAnswer> latestQuizAnswers(long userId, String lessonSlug) {
        Map<String, QuizAnswer> latest = new LinkedHashMap<>();
        sql.list("SELECT quiz_id, answer, correct, answered_at FROM quiz_answers WHERE user_id = ? AND lesson_slug = ? ORDER BY id",
                rs -> new QuizAnswer(rs.getString(1), rs.getString(2), rs.getBoolean(3), Sql.instant(rs, "answered_at")),
                userId, lessonSlug).forEach(a -> latest.put(a.quizId(), a));
        return latest;
    }

    /** Lesson slug → quiz ids answered correctly at least once. */
    public Map<String, Set<String>> correctQuizzes(long userId) {
        Map<String, Set<String>> result = new HashMap<>();
        sql.list("SELECT DISTINCT lesson_slug, quiz_id FROM quiz_answers WHERE user_id = ? AND correct",
                rs -> new String[]{rs.getString(1), rs.getString(2)}, userId)
                .forEach(r -> result.computeIfAbsent(r[0], k -> new HashSet<>()).add(r[1]));
        return result;
    }

    /** Records a check run and its per-task results; first passes go to task_progress for good. */
    public long recordCheckRun(String sessionId, long userId, String labId, String trigger, int millis,
                               List<CheckRecord> results) {
        return sql.transaction(tx -> {
            Instant now = Instant.now();
            long runId = tx.insert("INSERT INTO check_runs (session_id, user_id, lab_id, trigger, started_at, duration_ms) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", sessionId, userId, labId, trigger, now, millis);
            for (CheckRecord r : results) {
                tx.update("INSERT INTO check_results (run_id, task_id, passed, message, duration_ms) VALUES (?, ?, ?, ?, ?)",
                        runId, r.taskId(), r.passed(), r.message().length() > 1000 ? r.message().substring(0, 1000) : r.message(),
                        r.millis());
                if (r.passed()) {
                    recordFirstPass(tx, userId, labId, r.taskId(), now, sessionId);
                }
            }
            return runId;
        });
    }

    /** Keeps the first pass of a task; later passes change nothing (done stays done). */
    private static void recordFirstPass(Sql tx, long userId, String labId, String taskId, Instant now, String sessionId) {
        if (tx.dialect() == Dialect.POSTGRESQL) {
            tx.update("INSERT INTO task_progress (user_id, lab_id, task_id, passed_at, session_id) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (user_id, lab_id, task_id) DO NOTHING", userId, labId, taskId, now, sessionId);
            return;
        }
        try {
            tx.update("MERGE INTO task_progress t USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(100)), "
                            + "CAST(? AS VARCHAR(100)))) s(user_id, lab_id, task_id) "
                            + "ON t.user_id = s.user_id AND t.lab_id = s.lab_id AND t.task_id = s.task_id "
                            + "WHEN NOT MATCHED THEN INSERT (user_id, lab_id, task_id, passed_at, session_id) "
                            + "VALUES (s.user_id, s.lab_id, s.task_id, ?, ?)",
                    userId, labId, taskId, now, sessionId);
        } catch (Sql.DataException e) {
            // H2's MERGE is not atomic against a concurrent one: the other check recorded the first pass already.
            // (H2 keeps the transaction usable after a failed statement; PostgreSQL takes the branch above.)
            if (!e.isUniqueViolation()) {
                throw e;
            }
        }
    }

    /** Tasks of a lab this learner has passed (done stays done). */
    public Set<String> passedTasks(long userId, String labId) {
        return new HashSet<>(sql.list("SELECT task_id FROM task_progress WHERE user_id = ? AND lab_id = ?",
                rs -> rs.getString(1), userId, labId));
    }

    /** Lab id → passed task ids, for the course overview. */
    public Map<String, Set<String>> passedTasks(long userId) {
        Map<String, Set<String>> result = new HashMap<>();
        sql.list("SELECT lab_id, task_id FROM task_progress WHERE user_id = ?",
                rs -> new String[]{rs.getString(1), rs.getString(2)}, userId)
                .forEach(r -> result.computeIfAbsent(r[0], k -> new HashSet<>()).add(r[1]));
        return result;
    }

    /** The latest message of each task's checks in a lab, for a page reload. */
    public Map<String, CheckRecord> latestResults(long userId, String labId) {
        Map<String, CheckRecord> latest = new LinkedHashMap<>();
        sql.list("SELECT r.task_id, r.passed, r.message, r.duration_ms FROM check_results r JOIN check_runs c ON c.id = r.run_id "
                        + "WHERE c.user_id = ? AND c.lab_id = ? ORDER BY c.id",
                rs -> new CheckRecord(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getInt(4)), userId, labId)
                .forEach(r -> latest.put(r.taskId(), r));
        return latest;
    }
}
