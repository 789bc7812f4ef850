package dev.baeum.services.accounts;

import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Bearer tokens for the grading API and CI; the plain token is shown once, at creation. */
public final class ApiTokens {

    public record TokenInfo(long id, String name, Instant createdAt, Instant lastUsedAt) {
    }

    private static final String PREFIX = "baeum_";

    private final Sql sql;
    private final UserRepository users;

    public ApiTokens(Sql sql, UserRepository users) {
        this.sql = sql;
        this.users = users;
    }

    public String create(long userId, String name) {
        String token = PREFIX + Tokens.random(24);
        sql.insert("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                userId, name, Tokens.sha256(token), Instant.now());
        return token;
    }

    public Optional<User> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Tokens.sha256(token);
        Optional<Long> userId = sql.one("SELECT user_id FROM api_tokens WHERE token_hash = ?", rs -> rs.getLong(1), hash);
        userId.ifPresent(id -> sql.update("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", Instant.now(), hash));
        return userId.flatMap(users::find);
    }

    public List<TokenInfo> list(long userId) {
        return sql.list("SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id",
                rs -> new TokenInfo(rs.getLong("id"), rs.getString("name"), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "last_used_at")), userId);
    }

    public void revoke(long userId, long tokenId) {
        sql.update("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", tokenId, userId);
    }
}
