package dev.baeum.support;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test databases themselves, on the real PostgreSQL: a database a killed server still has connections to
 * (idle, and in the middle of a query) is dropped all the same, by the plain CREATEDB role {@code .ci/postgres}
 * makes.
 */
class DatabasesTest {

    @Test
    void aDatabaseWithConnectionsLeftBehindIsDroppedAllTheSame() throws Exception {
        Databases.TestDatabase db = Databases.create(Databases.Kind.POSTGRES);
        Connection idle = DriverManager.getConnection(db.url(), db.user(), db.password());
        Connection busy = DriverManager.getConnection(db.url(), db.user(), db.password());
        Thread sleeper = Thread.ofVirtual().start(() -> {
            try (Statement s = busy.createStatement()) {
                s.execute("SELECT pg_sleep(60)");
            } catch (Exception terminated) {
                // ended by the drop: what a killed server's query meets too
            }
        });
        try {
            assertTrue(exists(db.postgresName()));
            db.close();
            assertFalse(exists(db.postgresName()), "the database is gone");
        } finally {
            sleeper.join(10_000);
            idle.close();
            busy.close();
        }
    }

    private static boolean exists(String name) throws Exception {
        Databases.Admin admin = Databases.requirePostgres();
        try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            r.next();
            return r.getInt(1) == 1;
        }
    }
}
