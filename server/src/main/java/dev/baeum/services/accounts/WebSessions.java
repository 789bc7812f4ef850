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

    private final SessionRepository sessions;

    public WebSessions(Sql sql) {
        this.sessions = new SessionRepository(sql);
    }

    /** Starts a session and returns the token for the cookie. */
    public String start(long userId) {
        String token = Tokens.random(32);
        Instant now = Instant.now();
        sessions.insert(Tokens.sha256(token), userId, now, now.plus(LIFETIME));
        return token;
    }

    public Optional<Long> userId(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return sessions.userId(Tokens.sha256(token), Instant.now());
    }

    public void end(String token) {
        if (token != null) {
            sessions.delete(Tokens.sha256(token));
        }
    }

    public int purgeExpired() {
        return sessions.deleteExpired(Instant.now());
    }
}
