package dev.baeum.services.accounts;

import dev.baeum.base.db.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class UserRepository {

    private static final String COLUMNS = "id, username, display_name, role, created_at";

    private final Sql sql;

    public UserRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<User> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::map, id);
    }

    public Optional<User> findByUsername(String username) {
        return sql.one("SELECT " + COLUMNS + " FROM users WHERE username = ?", UserRepository::map, username);
    }

    public Optional<String> passwordHash(String username) {
        return sql.one("SELECT password_hash FROM users WHERE username = ?", rs -> rs.getString(1), username);
    }

    public User create(String username, String displayName, String passwordHash, Role role) {
        Instant now = Instant.now();
        long id = sql.insert("INSERT INTO users (username, display_name, password_hash, role, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", username, displayName, passwordHash, role, now);
        return new User(id, username, displayName, role, now);
    }

    public User createGuest() {
        Instant now = Instant.now();
        long id = sql.insert("INSERT INTO users (display_name, role, created_at) VALUES (?, ?, ?)",
                "게스트", Role.GUEST, now);
        sql.update("UPDATE users SET display_name = ? WHERE id = ?", "게스트 " + id, id);
        return new User(id, null, "게스트 " + id, Role.GUEST, now);
    }

    /** A guest who signs up keeps everything recorded so far: the same row becomes a learner. */
    public boolean upgradeGuest(long id, String username, String displayName, String passwordHash) {
        return sql.update("UPDATE users SET username = ?, display_name = ?, password_hash = ?, role = ? "
                + "WHERE id = ? AND role = ?", username, displayName, passwordHash, Role.LEARNER, id, Role.GUEST) == 1;
    }

    public void setRole(long id, Role role) {
        sql.update("UPDATE users SET role = ? WHERE id = ?", role, id);
    }

    static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), Sql.instant(rs, "created_at"));
    }
}
