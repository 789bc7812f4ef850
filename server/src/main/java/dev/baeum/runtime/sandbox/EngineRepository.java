package dev.baeum.runtime.sandbox;

import dev.baeum.base.db.Sql;
import dev.baeum.runtime.engine.ApiCall;
import dev.baeum.runtime.engine.ImageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Docker-lab records in the database: the images each session's engine made, and the API calls its
 * learner's client sent. Calls are written by one background writer, so a learner's {@code docker} command
 * never waits for the database.
 */
public final class EngineRepository implements ImageLedger, ApiCall.Sink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineRepository.class);
    private static final int QUEUE = 10_000;

    /** One call as the API panel lists it. */
    public record CallRow(long id, Instant at, String method, String path, String query, int status, int millis,
                          String kind, boolean refused, String error, String request, String response) {
    }

    /** How often a call failed in a lab, with one of its messages. */
    public record Failure(String method, String path, int status, long count, String error) {
    }

    private final Sql sql;
    private final BlockingQueue<ApiCall> pending = new LinkedBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean closing;
    private volatile boolean writing;

    public EngineRepository(Sql sql) {
        this.sql = sql;
        this.writer = Thread.ofVirtual().name("baeum-engine-calls").start(this::write);
    }

    // ---- images -------------------------------------------------------------------------------------

    @Override
    public void record(String sessionId, String imageId) {
        if (imageId == null || imageId.isBlank()) {
            return;
        }
        try {
            sql.update("INSERT INTO engine_images (session_id, image_id, created_at) VALUES (?, ?, ?)",
                    sessionId, imageId, Instant.now());
        } catch (Sql.DataException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
        }
    }

    @Override
    public Set<String> ids(String sessionId) {
        return new HashSet<>(sql.list("SELECT image_id FROM engine_images WHERE session_id = ?", rs -> rs.getString(1), sessionId));
    }

    @Override
    public void forget(String sessionId, String imageId) {
        sql.update("DELETE FROM engine_images WHERE session_id = ? AND image_id = ?", sessionId, imageId);
    }

    @Override
    public void forgetAll(String sessionId) {
        sql.update("DELETE FROM engine_images WHERE session_id = ?", sessionId);
    }

    /** Runs whose images are recorded, with when the first one was made. */
    public List<String> sessionsWithImages() {
        return sql.list("SELECT DISTINCT session_id FROM engine_images", rs -> rs.getString(1));
    }

    public Instant firstImageAt(String sessionId) {
        return sql.one("SELECT MIN(created_at) AS first_at FROM engine_images WHERE session_id = ?", rs -> Sql.instant(rs, "first_at"), sessionId)
                .orElse(Instant.now());
    }

    // ---- calls --------------------------------------------------------------------------------------

    @Override
    public void record(ApiCall call) {
        if (!pending.offer(call)) {
            log.debug("Engine call log is full; dropped {} {}", call.method(), call.path());
        }
    }

    private void write() {
        List<ApiCall> batch = new ArrayList<>();
        while (!closing || !pending.isEmpty()) {
            try {
                ApiCall first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing = true;
                batch.add(first);
                pending.drainTo(batch, 200);
                for (ApiCall c : batch) {
                    sql.insert("INSERT INTO engine_calls (session_id, user_id, lab_id, at, method, path, query, status, millis, "
                                    + "kind, refused, error, request_excerpt, response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            c.sessionId(), c.userId(), c.labId(), c.at(), c.method(), cut(c.path(), 500), cut(c.query(), 1000),
                            c.status(), c.millis(), c.kind(), c.refused(), cut(c.error(), 1000), cut(c.requestExcerpt(), 4000),
                            cut(c.responseExcerpt(), 4000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Could not record engine calls: {}", e.toString());
            }
            batch.clear();
            writing = false;
        }
    }

    /** The session's calls after {@code afterId}, oldest first. */
    public List<CallRow> calls(String sessionId, long afterId, int limit) {
        return sql.list("SELECT id, at, method, path, query, status, millis, kind, refused, error, request_excerpt, response_excerpt "
                        + "FROM engine_calls WHERE session_id = ? AND id > ? ORDER BY id LIMIT " + Math.max(1, Math.min(limit, 500)),
                rs -> new CallRow(rs.getLong(1), Sql.instant(rs, "at"), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getBoolean(9), rs.getString(10), rs.getString(11),
                        rs.getString(12)), sessionId, afterId);
    }

    /** A lab's failed calls (status 400 and up), newest first, for the dashboard to group. */
    public List<Failure> failedCalls(String labId, int limit) {
        return sql.list("SELECT method, path, status, error FROM engine_calls WHERE lab_id = ? AND status >= 400 "
                        + "ORDER BY id DESC LIMIT " + Math.max(1, Math.min(limit, 10_000)),
                rs -> new Failure(rs.getString(1), rs.getString(2), rs.getInt(3), 1, rs.getString(4)), labId);
    }

    /** Every call of a lab as (method, path, status): the dashboard groups them into docker commands. */
    public List<String[]> callsOf(String labId) {
        return sql.list("SELECT method, path, status, user_id FROM engine_calls WHERE lab_id = ?",
                rs -> new String[]{rs.getString(1), rs.getString(2), String.valueOf(rs.getInt(3)), String.valueOf(rs.getLong(4))}, labId);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Waits until queued calls are written (tests and shutdown). */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((!pending.isEmpty() || writing) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
