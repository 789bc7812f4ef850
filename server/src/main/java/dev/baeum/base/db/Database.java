package dev.baeum.base.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The platform's database: H2 (the embedded default) or PostgreSQL (production), behind one connection pool,
 * with the migrations from {@code db/} applied. Both run the same migrations.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Connections per server instance unless configured ({@code db.pool.size}). */
    public static final int DEFAULT_POOL_SIZE = 16;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final Sql sql;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.sql = new Sql(pool, dialect);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    /** Opens the database and brings its schema up to date. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("baeum-db");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        // Few idle connections: several instances (and many test deployments) share one PostgreSQL.
        config.setMinimumIdle(Math.min(2, poolSize));
        HikariDataSource pool;
        Dialect dialect;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("데이터베이스(" + describe(jdbcUrl) + ")에 연결하지 못했습니다: "
                    + rootMessage(e) + ". db.url, db.user, db.password 설정과 데이터베이스가 실행 중인지 확인하세요.", e);
        }
        try {
            String product;
            String version;
            try (Connection c = pool.getConnection()) {
                product = c.getMetaData().getDatabaseProductName();
                version = c.getMetaData().getDatabaseProductVersion();
            }
            dialect = Dialect.of(product);
            if (dialect == null) {
                throw new UnavailableException("지원하지 않는 데이터베이스입니다: " + product
                        + ". 배움은 H2(기본값)와 PostgreSQL에서 동작합니다.", null);
            }
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            log.info("Database: {} {} at {}", product, version, describe(jdbcUrl));
        } catch (SQLException e) {
            pool.close();
            throw new UnavailableException("데이터베이스(" + describe(jdbcUrl) + ")를 쓸 수 없습니다: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect);
    }

    public Sql sql() {
        return sql;
    }

    public Dialect dialect() {
        return dialect;
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
        pool.close();
    }

    /** The URL without its parameters, which may carry credentials. */
    static String describe(String jdbcUrl) {
        int cut = jdbcUrl.length();
        for (char c : new char[]{'?', ';'}) {
            int i = jdbcUrl.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return jdbcUrl.substring(0, cut);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The database cannot be reached or used; the message says what to check, in Korean, for the operator. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
