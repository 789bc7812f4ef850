package dev.baeum.services.limits;

import dev.baeum.base.db.Sql;

import java.time.Instant;

/**
 * Fixed-window counters in the database, so every server instance sharing it counts together.
 * A row is one bucket ({@code login-ip:203.0.113.7}) in one window; old windows are purged.
 */
public final class RateLimitRepository {

    private final Sql sql;

    public RateLimitRepository(Sql sql) {
        this.sql = sql;
    }

    /** Adds one to the bucket's count in this window and returns the new count. */
    public int increment(String bucket, Instant windowStart, Instant windowEnd) {
        if (bump(bucket, windowStart) == 0) {
            try {
                sql.update("INSERT INTO rate_windows (bucket, window_start, expires_at, hits) VALUES (?, ?, ?, 1)",
                        bucket, windowStart, windowEnd);
            } catch (Sql.DataException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
                bump(bucket, windowStart); // another instance inserted it a moment ago
            }
        }
        return count(bucket, windowStart);
    }

    public int count(String bucket, Instant windowStart) {
        return (int) sql.count("SELECT hits FROM rate_windows WHERE bucket = ? AND window_start = ?", bucket, windowStart);
    }

    public void decrement(String bucket, Instant windowStart) {
        sql.update("UPDATE rate_windows SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0",
                bucket, windowStart);
    }

    public void clear(String bucket) {
        sql.update("DELETE FROM rate_windows WHERE bucket = ?", bucket);
    }

    /** Removes windows that have ended; returns how many. */
    public int purge(Instant now) {
        return sql.update("DELETE FROM rate_windows WHERE expires_at < ?", now);
    }

    private int bump(String bucket, Instant windowStart) {
        return sql.update("UPDATE rate_windows SET hits = hits + 1 WHERE bucket = ? AND window_start = ?",
                bucket, windowStart);
    }
}
