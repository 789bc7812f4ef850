package dev.baeum.services.progress;

import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The queries behind the instructor dashboard: facts over all learners, summed up by {@link ProgressStats}. */
public final class ProgressStatsRepository {

    record Pass(String labId, String taskId, long userId, Instant at) {
    }

    record FirstStart(String labId, long userId, Instant at) {
    }

    record Reveal(String labId, String taskId, long userId) {
    }

    record LabCount(long userId, String labId, int tasks) {
    }

    record Learner(long id, String name, String username, String role) {
    }

    private final Sql sql;

    public ProgressStatsRepository(Sql sql) {
        this.sql = sql;
    }

    List<Pass> passes() {
        return sql.list("SELECT lab_id, task_id, user_id, passed_at FROM task_progress",
                rs -> new Pass(rs.getString(1), rs.getString(2), rs.getLong(3), Sql.instant(rs, "passed_at")));
    }

    /** When each learner first started (or built) each lab. */
    List<FirstStart> firstStarts() {
        return sql.list("SELECT lab_id, user_id, MIN(at) AS first_at FROM lab_events WHERE kind IN ('START', 'BUILD') GROUP BY lab_id, user_id",
                rs -> new FirstStart(rs.getString(1), rs.getLong(2), Sql.instant(rs, "first_at")));
    }

    /** Who revealed which task's hint ("HINT") or solution ("SOLUTION"). */
    List<Reveal> reveals(String kind) {
        return sql.list("SELECT DISTINCT lab_id, task_id, user_id FROM lab_events WHERE kind = ? AND task_id IS NOT NULL",
                rs -> new Reveal(rs.getString(1), rs.getString(2), rs.getLong(3)), kind);
    }

    Map<Long, Integer> lessonsVisited() {
        return counts("SELECT user_id, COUNT(*) FROM lesson_visits GROUP BY user_id");
    }

    Map<Long, Integer> quizzesCorrect() {
        return counts("SELECT user_id, COUNT(DISTINCT lesson_slug || '/' || quiz_id) FROM quiz_answers WHERE correct GROUP BY user_id");
    }

    Map<Long, Integer> quizzesAnswered() {
        return counts("SELECT user_id, COUNT(DISTINCT lesson_slug || '/' || quiz_id) FROM quiz_answers GROUP BY user_id");
    }

    List<LabCount> tasksDone() {
        return sql.list("SELECT user_id, lab_id, COUNT(*) FROM task_progress GROUP BY user_id, lab_id",
                rs -> new LabCount(rs.getLong(1), rs.getString(2), rs.getInt(3)));
    }

    /** The latest lab event and the latest lesson visit of each learner, the later one winning. */
    Map<Long, Instant> lastActive() {
        Map<Long, Instant> lastActive = new HashMap<>();
        sql.list("SELECT user_id, MAX(at) AS last_at FROM lab_events GROUP BY user_id",
                rs -> Map.entry(rs.getLong(1), Sql.instant(rs, "last_at"))).forEach(e -> lastActive.put(e.getKey(), e.getValue()));
        sql.list("SELECT user_id, MAX(last_visit_at) AS last_at FROM lesson_visits GROUP BY user_id",
                rs -> Map.entry(rs.getLong(1), Sql.instant(rs, "last_at")))
                .forEach(e -> lastActive.merge(e.getKey(), e.getValue(), (a, b) -> a.isAfter(b) ? a : b));
        return lastActive;
    }

    /** Everyone but instructors, oldest account first. */
    List<Learner> learners() {
        return sql.list("SELECT id, display_name, username, role FROM users WHERE role <> 'INSTRUCTOR' ORDER BY id",
                rs -> new Learner(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    public long gradings() {
        return sql.count("SELECT COUNT(*) FROM gradings");
    }

    private Map<Long, Integer> counts(String query) {
        Map<Long, Integer> counts = new HashMap<>();
        sql.list(query, rs -> new long[]{rs.getLong(1), rs.getLong(2)}).forEach(r -> counts.put(r[0], (int) r[1]));
        return counts;
    }
}
