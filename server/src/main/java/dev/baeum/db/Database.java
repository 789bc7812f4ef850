package dev.baeum.db;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The platform's database: an H2 connection pool with the migrations from {@code db/} applied. */
public final class Database implements AutoCloseable {

    private final JdbcConnectionPool pool;
    private final Sql sql;

    private Database(JdbcConnectionPool pool) {
        this.pool = pool;
        this.sql = new Sql(pool);
    }

    /** Opens the database and brings its schema up to date. */
    public static Database open(String jdbcUrl, String user, String password) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(jdbcUrl, user, password);
        pool.setMaxConnections(32);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return new Database(pool);
    }

    public Sql sql() {
        return sql;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** True when a trivial query answers; used by {@code /healthz}. */
    public boolean ping() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
