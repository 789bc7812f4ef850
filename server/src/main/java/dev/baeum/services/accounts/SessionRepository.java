package dev.baeum.services.accounts;

import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.Optional;

/** The web_sessions table: login sessions by the SHA-256 of their cookie token. */
public final class SessionRepository {

    private final Sql sql;

    public SessionRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(String tokenHash, long userId, Instant createdAt, Instant expiresAt) {
        sql.update("INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                tokenHash, userId, createdAt, expiresAt);
    }

    public Optional<Long> userId(String tokenHash, Instant now) {
        return sql.one("SELECT user_id FROM web_sessions WHERE token_hash = ? AND expires_at > ?",
                rs -> rs.getLong(1), tokenHash, now);
    }

    public void delete(String tokenHash) {
        sql.update("DELETE FROM web_sessions WHERE token_hash = ?", tokenHash);
    }

    public int deleteExpired(Instant now) {
        return sql.update("DELETE FROM web_sessions WHERE expires_at <= ?", now);
    }
}
