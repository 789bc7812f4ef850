package dev.baeum.services.accounts;

import dev.baeum.base.db.Sql;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions live in the database, not in server memory: a restart or a second instance keeps
 * everyone logged in. The cookie carries a random token; the table keeps its SHA-256.
 */
public final class WebSessions {

    public static final Duration LIFETIME = Duration.ofDays(14);

    private final Sql sql;

    public WebSessions(Sql sql) {
        this.sql = sql;
    }

    /** Starts a session and returns the token for the cookie. */
    public String start(long userId) {
        String token = Tokens.random(32);
        Instant now = Instant.now();
        sql.update("INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                Tokens.sha256(token), userId, now, now.plus(LIFETIME));
        return token;
    }

    public Optional<Long> userId(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return sql.one("SELECT user_id FROM web_sessions WHERE token_hash = ? AND expires_at > ?",
                rs -> rs.getLong(1), Tokens.sha256(token), Instant.now());
    }

    public void end(String token) {
        if (token != null) {
            sql.update("DELETE FROM web_sessions WHERE token_hash = ?", Tokens.sha256(token));
        }
    }

    public int purgeExpired() {
        return sql.update("DELETE FROM web_sessions WHERE expires_at <= ?", Instant.now());
    }
}
