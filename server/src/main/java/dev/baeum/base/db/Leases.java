package dev.baeum.base.db;

import java.time.Duration;
import java.time.Instant;

/**
 * Leases in the database: one holder at a time per name, until it releases or its time runs out (a holder
 * that was killed cannot release). Every server instance on the database sees the same leases.
 */
public final class Leases {

    private final Sql sql;

    public Leases(Sql sql) {
        this.sql = sql;
    }

    /** Takes (or renews) the lease for {@code holder}; false while another holder's lease is still running. */
    public boolean acquire(String name, String holder, Duration ttl) {
        Instant now = Instant.now();
        int updated = sql.update("UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)",
                holder, now.plus(ttl), name, holder, now);
        if (updated == 1) {
            return true;
        }
        if (sql.dialect() == Dialect.POSTGRESQL) {
            // Without ON CONFLICT, every turn another instance holds the lease is an ERROR line in the server's log.
            return sql.update("INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                    name, holder, now.plus(ttl)) == 1;
        }
        try {
            sql.update("INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)", name, holder, now.plus(ttl));
            return true;
        } catch (Sql.DataException e) {
            if (e.isUniqueViolation()) {
                return false; // another holder has it
            }
            throw e;
        }
    }

    public void release(String name, String holder) {
        sql.update("DELETE FROM leases WHERE name = ? AND holder = ?", name, holder);
    }
}
