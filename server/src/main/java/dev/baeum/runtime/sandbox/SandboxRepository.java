package dev.baeum.runtime.sandbox;

import dev.baeum.base.db.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lab sessions, their containers, pool claims and lab events in the database. */
public final class SandboxRepository {

    public enum EventKind { START, RESET, END, EXTEND, HINT, SOLUTION, BUILD }

    private static final String COLUMNS = "id, user_id, lab_id, state, created_at, last_active_at, idle_deadline, "
            + "expires_at, ended_at, end_reason, resets, start_millis, from_pool";

    private final Sql sql;

    public SandboxRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Records a new active session. Fails with a unique violation if the learner already has one for this
     * lab: the database, not this server's memory, decides (two tabs, two instances).
     */
    public void insert(String id, long userId, String labId, Instant now, Instant idleDeadline, Instant expiresAt) {
        sql.update("INSERT INTO lab_sessions (id, user_id, lab_id, state, active_key, created_at, last_active_at, "
                        + "idle_deadline, expires_at) VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?)",
                id, userId, labId, userId + ":" + labId, now, now, idleDeadline, expiresAt);
    }

    public Optional<SandboxSession> find(String id) {
        return sql.one("SELECT " + COLUMNS + " FROM lab_sessions WHERE id = ?", this::map, id);
    }

    public Optional<SandboxSession> findActive(long userId, String labId) {
        return sql.one("SELECT " + COLUMNS + " FROM lab_sessions WHERE active_key = ?", this::map, userId + ":" + labId);
    }

    public List<SandboxSession> active() {
        return sql.list("SELECT " + COLUMNS + " FROM lab_sessions WHERE state = 'ACTIVE'", this::map);
    }

    public List<SandboxSession> activeFor(long userId) {
        return sql.list("SELECT " + COLUMNS + " FROM lab_sessions WHERE state = 'ACTIVE' AND user_id = ?", this::map, userId);
    }

    public long countActive() {
        return sql.count("SELECT COUNT(*) FROM lab_sessions WHERE state = 'ACTIVE'");
    }

    /** Active sessions that belong to guests (who get only a share of the capacity). */
    public long countActiveGuests() {
        return sql.count("SELECT COUNT(*) FROM lab_sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE s.state = 'ACTIVE' AND u.role = 'GUEST'");
    }

    public void setContainers(String sessionId, Map<String, String> containers) {
        sql.transaction(tx -> {
            tx.update("DELETE FROM sandbox_containers WHERE session_id = ?", sessionId);
            Instant now = Instant.now();
            for (Map.Entry<String, String> e : containers.entrySet()) {
                tx.update("INSERT INTO sandbox_containers (session_id, node, container_id, created_at) VALUES (?, ?, ?, ?)",
                        sessionId, e.getKey(), e.getValue(), now);
            }
            return null;
        });
    }

    public void started(String sessionId, int startMillis, boolean fromPool) {
        sql.update("UPDATE lab_sessions SET start_millis = ?, from_pool = ? WHERE id = ?", startMillis, fromPool, sessionId);
    }

    public void reset(String sessionId, Instant idleDeadline) {
        sql.update("UPDATE lab_sessions SET resets = resets + 1, last_active_at = ?, idle_deadline = ? WHERE id = ?",
                Instant.now(), idleDeadline, sessionId);
    }

    public void touch(String sessionId, Instant now, Instant idleDeadline) {
        sql.update("UPDATE lab_sessions SET last_active_at = ?, idle_deadline = ? WHERE id = ? AND state = 'ACTIVE'",
                now, idleDeadline, sessionId);
    }

    public void extend(String sessionId, Instant expiresAt, Instant idleDeadline) {
        sql.update("UPDATE lab_sessions SET expires_at = ?, idle_deadline = ?, last_active_at = ? WHERE id = ?",
                expiresAt, idleDeadline, Instant.now(), sessionId);
    }

    /** Ends the session; returns false if it had already ended. */
    public boolean end(String sessionId, String reason) {
        return sql.update("UPDATE lab_sessions SET state = 'ENDED', active_key = NULL, ended_at = ?, end_reason = ? "
                + "WHERE id = ? AND state = 'ACTIVE'", Instant.now(), reason, sessionId) == 1;
    }

    public void delete(String sessionId) {
        sql.update("DELETE FROM lab_sessions WHERE id = ?", sessionId);
    }

    /** Claims a pooled container for a session; the primary key makes exactly one claim win. */
    public boolean claim(String containerId, String sessionId) {
        try {
            sql.update("INSERT INTO pool_claims (container_id, session_id, claimed_at) VALUES (?, ?, ?)",
                    containerId, sessionId, Instant.now());
            return true;
        } catch (Sql.DataException e) {
            if (e.isUniqueViolation()) {
                return false;
            }
            throw e;
        }
    }

    public Optional<String> claimedBy(String containerId) {
        return sql.one("SELECT session_id FROM pool_claims WHERE container_id = ?", rs -> rs.getString(1), containerId);
    }

    public void forgetClaim(String containerId) {
        sql.update("DELETE FROM pool_claims WHERE container_id = ?", containerId);
    }

    public void event(String sessionId, long userId, String labId, EventKind kind, String taskId, String detail) {
        sql.insert("INSERT INTO lab_events (session_id, user_id, lab_id, kind, task_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                sessionId, userId, labId, kind, taskId, detail == null ? null : truncate(detail, 1000), Instant.now());
    }

    /** What a learner has revealed of a task: which hints (by index) and whether the solution. */
    public record Reveals(java.util.Set<Integer> hints, boolean solution) {
    }

    /** Task id → what this learner has revealed in this lab. */
    public Map<String, Reveals> reveals(long userId, String labId) {
        Map<String, java.util.Set<Integer>> hints = new LinkedHashMap<>();
        java.util.Set<String> solutions = new java.util.HashSet<>();
        sql.list("SELECT DISTINCT task_id, kind, detail FROM lab_events WHERE user_id = ? AND lab_id = ? "
                        + "AND kind IN ('HINT', 'SOLUTION') AND task_id IS NOT NULL",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}, userId, labId)
                .forEach(r -> {
                    if (r[1].equals("SOLUTION")) {
                        solutions.add(r[0]);
                    } else {
                        try {
                            hints.computeIfAbsent(r[0], k -> new java.util.TreeSet<>()).add(Integer.parseInt(r[2]));
                        } catch (NumberFormatException ignored) {
                            // an old or foreign event
                        }
                    }
                });
        Map<String, Reveals> reveals = new LinkedHashMap<>();
        java.util.Set<String> tasks = new java.util.LinkedHashSet<>(hints.keySet());
        tasks.addAll(solutions);
        for (String task : tasks) {
            reveals.put(task, new Reveals(hints.getOrDefault(task, java.util.Set.of()), solutions.contains(task)));
        }
        return reveals;
    }

    private SandboxSession map(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        int millis = rs.getInt("start_millis");
        Integer startMillis = rs.wasNull() ? null : millis;
        Map<String, String> containers = new LinkedHashMap<>();
        sql.list("SELECT node, container_id FROM sandbox_containers WHERE session_id = ? ORDER BY created_at, node",
                r -> new String[]{r.getString(1), r.getString(2)}, id).forEach(r -> containers.put(r[0], r[1]));
        return new SandboxSession(id, rs.getLong("user_id"), rs.getString("lab_id"),
                "ACTIVE".equals(rs.getString("state")), Sql.instant(rs, "created_at"), Sql.instant(rs, "last_active_at"),
                Sql.instant(rs, "idle_deadline"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "ended_at"),
                rs.getString("end_reason"), rs.getInt("resets"), startMillis,
                rs.getBoolean("from_pool"), Map.copyOf(containers));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
