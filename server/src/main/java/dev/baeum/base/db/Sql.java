package dev.baeum.base.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A thin layer over JDBC: parameterised queries, row mappers and transactions. Inside
 * {@link #transaction} every call runs on the transaction's connection. Statements are common SQL that H2
 * and PostgreSQL both run; where they cannot be, a repository picks by {@link #dialect()}.
 */
public final class Sql {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Sql tx) throws SQLException;
    }

    /** The key {@link #insert} returns: every table with a generated key calls it {@code id}. */
    private static final String[] GENERATED_KEY = {"id"};

    private final DataSource dataSource;
    private final Connection txConnection;
    private final Dialect dialect;

    Sql(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.txConnection = null;
        this.dialect = dialect;
    }

    private Sql(Connection txConnection, Dialect dialect) {
        this.dataSource = null;
        this.txConnection = txConnection;
        this.dialect = dialect;
    }

    /** The database this runs on, for the few statements that differ (see {@link Dialect}). */
    public Dialect dialect() {
        return dialect;
    }

    public <T> List<T> list(String query, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, query, false, params); ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    public <T> Optional<T> one(String query, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(query, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    public long count(String query, Object... params) {
        return one(query, rs -> rs.getLong(1), params).orElse(0L);
    }

    public int update(String query, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, query, false, params)) {
                return ps.executeUpdate();
            }
        });
    }

    /** Runs an INSERT into a table whose generated key is its {@code id} column and returns that key. */
    public long insert(String query, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, query, true, params)) {
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key for: " + query);
                    }
                    return keys.getLong(1); // the one column asked for
                }
            }
        });
    }

    /** Runs work in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T transaction(Work<T> work) {
        if (txConnection != null) {
            return wrap(() -> work.run(this));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(new Sql(c, dialect));
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataException(e);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private interface Body<T> {
        T run() throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        if (txConnection != null) {
            return wrap(() -> work.run(txConnection));
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataException(e);
        }
    }

    private static <T> T wrap(Body<T> body) {
        try {
            return body.run();
        } catch (SQLException e) {
            throw new DataException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String query, boolean keys, Object... params)
            throws SQLException {
        // Named rather than RETURN_GENERATED_KEYS: PostgreSQL's driver would otherwise return the whole row.
        PreparedStatement ps = keys
                ? c.prepareStatement(query, GENERATED_KEY)
                : c.prepareStatement(query);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                // Both databases keep microseconds; truncating here makes them store the same value
                // (left to themselves they may round differently).
                ps.setObject(i + 1, instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            } else if (p instanceof Enum<?> e) {
                ps.setString(i + 1, e.name());
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** A database failure; unchecked so handlers can let the error page deal with it. */
    public static final class DataException extends RuntimeException {
        DataException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        /**
         * SQLState 23505 on H2 and PostgreSQL alike. Catch it only around a statement that runs on its own:
         * inside a PostgreSQL transaction the failed statement aborts the whole transaction, where H2 carries on.
         */
        public boolean isUniqueViolation() {
            return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
        }
    }
}
