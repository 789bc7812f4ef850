package dev.baeum.services.grading;

import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.List;

/** The gradings and grading_results tables: every grade the API or the CLI gave. */
public final class GradingRepository {

    /** One recorded grade as the gradings list shows it. */
    public record GradingRow(long id, String lab, String student, String kind, double score, int passed, int total,
                             String error, int durationMillis, String createdAt) {
    }

    private final Sql sql;

    public GradingRepository(Sql sql) {
        this.sql = sql;
    }

    /** Records a grade and its per-task results in one transaction; returns the grading id. */
    public long record(String labId, Long submittedBy, String student, String kind, GradingService.Grade grade,
                       String error, int millis, Instant at) {
        return sql.transaction(tx -> {
            long id = tx.insert("INSERT INTO gradings (lab_id, submitted_by, student, kind, score, passed_tasks, total_tasks, error, "
                            + "duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    labId, submittedBy, student, kind, grade.score(), grade.passed(), grade.total(), error, millis, at);
            for (GradingService.TaskGrade t : grade.tasks()) {
                tx.update("INSERT INTO grading_results (grading_id, task_id, passed, message) VALUES (?, ?, ?, ?)",
                        id, t.id(), t.passed(), truncate(t.message(), 1000));
            }
            return id;
        });
    }

    /** Recent grades, newest first; a null lab means all labs (the CAST types a null for PostgreSQL). */
    public List<GradingRow> recent(String lab) {
        return sql.list("SELECT id, lab_id, student, kind, score, passed_tasks, total_tasks, error, "
                        + "duration_ms, created_at FROM gradings WHERE (CAST(? AS VARCHAR(100)) IS NULL OR lab_id = ?) ORDER BY id DESC LIMIT 200",
                rs -> new GradingRow(rs.getLong("id"), rs.getString("lab_id"), rs.getString("student"),
                        rs.getString("kind").toLowerCase(), rs.getDouble("score"), rs.getInt("passed_tasks"),
                        rs.getInt("total_tasks"), rs.getString("error"), rs.getInt("duration_ms"),
                        Sql.instant(rs, "created_at").toString()), lab, lab);
    }

    public long count() {
        return sql.count("SELECT COUNT(*) FROM gradings");
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
