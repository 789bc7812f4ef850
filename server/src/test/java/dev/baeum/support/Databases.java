package dev.baeum.support;

import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.base.db.Database;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The databases tests run against: H2 (in memory or a file, as in development) and a real PostgreSQL.
 * Database-touching test classes are {@code @ParameterizedClass}es over {@link Kind} and get a fresh, empty
 * database per class from {@link #create}.
 *
 * <p>PostgreSQL comes from {@value #URL_ENV} (a JDBC URL of a database the role may connect to, e.g. the one
 * {@code .ci/postgres start} prints) with {@value #USER_ENV} and {@value #PASSWORD_ENV}; the role needs
 * CREATEDB. Without it the PostgreSQL half is skipped on a developer's machine and fails with {@code CI=true}.
 */
public final class Databases {

    public static final String URL_ENV = "BAEUM_TEST_POSTGRES_URL";
    public static final String USER_ENV = "BAEUM_TEST_POSTGRES_USER";
    public static final String PASSWORD_ENV = "BAEUM_TEST_POSTGRES_PASSWORD";
    /** {@code h2} (default) or {@code postgres}: the database of every {@link TestApp} not given one. */
    public static final String DEFAULT_ENV = "BAEUM_TEST_DATABASE";

    /** jdbc:postgresql://host:port/ + database + ?parameters (host part optional, as the driver allows). */
    private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql:(?://[^/?]*/)?)([^?]*)(\\?.*)?$");

    public enum Kind { H2, POSTGRES }

    private static volatile boolean skipAnnounced;

    private Databases() {
    }

    /** The database for tests that do not choose: {@value #DEFAULT_ENV}, H2 unless it says postgres. */
    public static Kind defaultKind() {
        String value = System.getenv(DEFAULT_ENV);
        if (value == null || value.isBlank() || value.equalsIgnoreCase("h2")) {
            return Kind.H2;
        }
        if (value.toLowerCase(Locale.ROOT).startsWith("postgres")) {
            return Kind.POSTGRES;
        }
        throw new IllegalStateException(DEFAULT_ENV + " must be h2 or postgres, not " + value);
    }

    /** A fresh, empty database: a private in-memory H2, or a new database on the test PostgreSQL. */
    public static TestDatabase create(Kind kind) {
        return switch (kind) {
            case H2 -> new TestDatabase(kind, "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", null, null);
            case POSTGRES -> createPostgres(null);
        };
    }

    /**
     * A fresh database that outlives a server in {@code dataDir}: H2 as a file there (the platform's own
     * default, {@code db.url} empty), or a new PostgreSQL database. For restart tests.
     */
    public static TestDatabase createDurable(Kind kind, Path dataDir) {
        return switch (kind) {
            case H2 -> new TestDatabase(kind, "", "sa", "", null, dataDir);
            case POSTGRES -> createPostgres(dataDir);
        };
    }

    /** The test PostgreSQL's URL, user and password; skips (or, with CI=true, fails) the test without one. */
    public static Admin requirePostgres() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            String reason = URL_ENV + " is not set, so there is no PostgreSQL to test against. Start one with "
                    + "eval \"$(bash .ci/postgres start)\" (see README) or set it to a database whose role has CREATEDB.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + reason);
            }
            if (!skipAnnounced) { // a skipped class invocation is not counted by surefire: say it once, plainly
                skipAnnounced = true;
                System.err.println("[baeum tests] SKIPPING every PostgreSQL test: " + reason);
            }
            Assumptions.abort(reason);
        }
        if (!PG_URL.matcher(url).matches()) {
            Assertions.fail(URL_ENV + " is not a jdbc:postgresql: URL: " + url);
        }
        return new Admin(url, envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, ""));
    }

    private static TestDatabase createPostgres(Path dataDir) {
        Admin admin = requirePostgres();
        String name = "baeum_t_" + UUID.randomUUID().toString().replace("-", "");
        admin.execute("CREATE DATABASE " + name);
        Matcher m = PG_URL.matcher(admin.url());
        if (!m.matches()) {
            throw new IllegalStateException(admin.url());
        }
        String url = m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
        return new TestDatabase(Kind.POSTGRES, url, admin.user(), admin.password(), name, dataDir);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** The connection tests use to create and drop their databases. */
    public record Admin(String url, String user, String password) {

        public void execute(String statement) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw new AssertionError("PostgreSQL at " + url + " as " + user + ": " + statement + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * One test database. {@link #settings} point a server at it; {@link #close} removes it (a PostgreSQL
     * database is dropped, an in-memory H2 shut down).
     */
    public record TestDatabase(Kind kind, String url, String user, String password, String postgresName, Path dataDir)
            implements AutoCloseable {

        /** The settings that point a server at this database. */
        public Map<Setting, String> settings() {
            Map<Setting, String> values = new EnumMap<>(Setting.class);
            values.put(Setting.DB_URL, url);
            values.put(Setting.DB_USER, user);
            values.put(Setting.DB_PASSWORD, password);
            if (dataDir != null) {
                values.put(Setting.DATA_DIR, dataDir.toString());
            }
            return values;
        }

        /** These settings plus others (which cannot move the server to another database). */
        public Map<Setting, String> with(Map<Setting, String> overrides) {
            Map<Setting, String> values = new EnumMap<>(Setting.class);
            values.putAll(overrides);
            values.putAll(settings());
            return values;
        }

        /** The same settings as environment variables, for a server started as a child process. */
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            settings().forEach((setting, value) -> env.put(setting.env(), value));
            return env;
        }

        /** Opens it (running the migrations) directly, without a server. */
        public Database open() {
            return Database.open(jdbcUrl(), user, password);
        }

        /** The JDBC URL a server computes from {@link #settings()}. */
        public String jdbcUrl() {
            return url.isEmpty() ? Settings.of(settings()).jdbcUrl() : url;
        }

        @Override
        public void close() {
            if (kind == Kind.POSTGRES) {
                // A server killed by a test may have left connections behind: ours go first. Not WITH (FORCE): it also
                // tries to end an autovacuum worker busy in the database, which a role without pg_signal_backend may
                // not, and fails; a plain DROP asks the worker to stop and waits up to 5 s for every backend to exit.
                Admin admin = requirePostgres();
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + postgresName
                        + "' AND usename = current_user AND pid <> pg_backend_pid()");
                admin.execute("DROP DATABASE IF EXISTS " + postgresName);
            } else if (url.startsWith("jdbc:h2:mem:")) {
                try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    throw new AssertionError("H2 " + url + ": " + e.getMessage(), e);
                }
            }
        }

        @Override
        public String toString() {
            return kind + " " + (url.isEmpty() ? jdbcUrl() : url);
        }
    }
}
