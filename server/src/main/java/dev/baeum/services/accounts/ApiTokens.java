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

    private final TokenRepository tokens;
    private final UserRepository users;

    public ApiTokens(Sql sql, UserRepository users) {
        this.tokens = new TokenRepository(sql);
        this.users = users;
    }

    public String create(long userId, String name) {
        String token = PREFIX + Tokens.random(24);
        tokens.insert(userId, name, Tokens.sha256(token), Instant.now());
        return token;
    }

    public Optional<User> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return tokens.use(Tokens.sha256(token), Instant.now()).flatMap(users::find);
    }

    public List<TokenInfo> list(long userId) {
        return tokens.list(userId);
    }

    public void revoke(long userId, long tokenId) {
        tokens.delete(userId, tokenId);
    }
}
