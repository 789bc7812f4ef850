package dev.baeum.base.db;

import java.util.Locale;

/**
 * The SQL dialects the platform runs on. The migrations and almost every statement are common SQL; the few
 * statements that differ (upserts) are chosen by repositories through {@link Sql#dialect()}.
 */
public enum Dialect {
    /** The embedded default: an H2 file (or in-memory) database. */
    H2,
    /** The production database: PostgreSQL 13 or newer. */
    POSTGRESQL;

    /** From {@link java.sql.DatabaseMetaData#getDatabaseProductName()}; null for any other database. */
    static Dialect of(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        return null;
    }
}
