package dev.baeum.services.progress;

import dev.baeum.base.db.Sql;
import dev.baeum.services.progress.LearnerRecords.Answer;
import dev.baeum.services.progress.LearnerRecords.CheckRun;
import dev.baeum.services.progress.LearnerRecords.Reveal;
import dev.baeum.services.progress.LearnerRecords.Session;
import dev.baeum.services.progress.LearnerRecords.TaskPass;
import dev.baeum.services.progress.LearnerRecords.Visit;

/** Reads everything recorded about one learner into {@link LearnerRecords}. */
public final class LearnerRecordsRepository {

    private final Sql sql;

    public LearnerRecordsRepository(Sql sql) {
        this.sql = sql;
    }

    /** Loads the records of one user; null when there is no such user. */
    public LearnerRecords load(long userId) {
        return sql.one("SELECT id, display_name, username, role FROM users WHERE id = ?", rs -> new LearnerRecords(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                sql.list("SELECT lesson_slug, visits, first_visit_at, last_visit_at FROM lesson_visits WHERE user_id = ? ORDER BY first_visit_at",
                        r -> new Visit(r.getString(1), r.getInt(2), Sql.instant(r, "first_visit_at"), Sql.instant(r, "last_visit_at")), userId),
                sql.list("SELECT lesson_slug, quiz_id, answer, correct, answered_at FROM quiz_answers WHERE user_id = ? ORDER BY id",
                        r -> new Answer(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4), Sql.instant(r, "answered_at")), userId),
                sql.list("SELECT lab_id, task_id, passed_at FROM task_progress WHERE user_id = ? ORDER BY passed_at",
                        r -> new TaskPass(r.getString(1), r.getString(2), Sql.instant(r, "passed_at")), userId),
                sql.list("SELECT id, lab_id, state, created_at, ended_at, end_reason, resets, start_millis FROM lab_sessions "
                                + "WHERE user_id = ? ORDER BY created_at DESC LIMIT 100",
                        r -> {
                            int ms = r.getInt("start_millis");
                            Integer startMillis = r.wasNull() ? null : ms;
                            return new Session(r.getString("id"), r.getString("lab_id"), r.getString("state"),
                                    Sql.instant(r, "created_at"), Sql.instant(r, "ended_at"), r.getString("end_reason"),
                                    r.getInt("resets"), startMillis);
                        }, userId),
                sql.list("SELECT lab_id, task_id, kind, at FROM lab_events WHERE user_id = ? AND kind IN ('HINT', 'SOLUTION') ORDER BY at",
                        r -> new Reveal(r.getString(1), r.getString(2), r.getString(3), Sql.instant(r, "at")), userId),
                sql.list("SELECT c.lab_id, c.trigger, c.started_at, c.duration_ms, "
                                + "(SELECT COUNT(*) FROM check_results r WHERE r.run_id = c.id AND r.passed), "
                                + "(SELECT COUNT(*) FROM check_results r WHERE r.run_id = c.id) "
                                + "FROM check_runs c WHERE c.user_id = ? ORDER BY c.id DESC LIMIT 200",
                        r -> new CheckRun(r.getString(1), r.getString(2), Sql.instant(r, "started_at"), r.getInt(4), r.getInt(5), r.getInt(6)),
                        userId)), userId).orElse(null);
    }
}
