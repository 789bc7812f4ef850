package dev.baeum.services.accounts;

import dev.baeum.base.db.Sql;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The api_tokens table: bearer tokens by the SHA-256 of the plain token. */
public final class TokenRepository {

    private final Sql sql;

    public TokenRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(long userId, String name, String tokenHash, Instant createdAt) {
        sql.insert("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                userId, name, tokenHash, createdAt);
    }

    /** The owner of a token, marking it used. */
    public Optional<Long> use(String tokenHash, Instant now) {
        Optional<Long> userId = sql.one("SELECT user_id FROM api_tokens WHERE token_hash = ?", rs -> rs.getLong(1), tokenHash);
        userId.ifPresent(id -> sql.update("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", now, tokenHash));
        return userId;
    }

    public List<ApiTokens.TokenInfo> list(long userId) {
        return sql.list("SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id",
                rs -> new ApiTokens.TokenInfo(rs.getLong("id"), rs.getString("name"), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "last_used_at")), userId);
    }

    public void delete(long userId, long tokenId) {
        sql.update("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", tokenId, userId);
    }
}
