package dev.baeum.base.db;

import java.util.Optional;
import java.util.function.Supplier;

/** Values generated once per deployment and shared by every instance through the database. */
public final class Secrets {

    private final Sql sql;

    public Secrets(Sql sql) {
        this.sql = sql;
    }

    /** The stored value, or a newly generated one if none exists yet (the first instance to store wins). */
    public String get(String name, Supplier<String> generator) {
        Optional<String> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            sql.update("INSERT INTO app_secrets (name, secret) VALUES (?, ?)", name, generator.get());
        } catch (Sql.DataException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
        }
        return find(name).orElseThrow();
    }

    private Optional<String> find(String name) {
        return sql.one("SELECT secret FROM app_secrets WHERE name = ?", rs -> rs.getString(1), name);
    }
}
