package dev.baeum.base.db;

import dev.baeum.support.Databases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same migrations make the same schema on H2 and PostgreSQL: tables, columns (type, size, nullability,
 * identity), primary keys, unique constraints, foreign keys and the migration history, read from JDBC
 * metadata after migrating a fresh database of each.
 */
class SchemaParityTest {

    private static final String HISTORY = "flyway_schema_history";

    @Test
    void theMigrationsMakeTheSameSchemaOnBoth() throws SQLException {
        Databases.requirePostgres();
        Schema h2 = schemaOf(Databases.Kind.H2);
        Schema postgres = schemaOf(Databases.Kind.POSTGRES);

        assertTrue(h2.tables().containsKey("users") && h2.tables().size() >= 15, "the migrations ran: " + h2.tables().keySet());
        assertEquals(h2.tables().keySet(), postgres.tables().keySet(), "tables");
        for (String table : h2.tables().keySet()) {
            assertEquals(h2.tables().get(table), postgres.tables().get(table), "columns of " + table);
        }
        assertTrue(h2.tables().get("users").contains("id bigint not null identity"), h2.tables().get("users").toString());
        assertTrue(h2.tables().values().stream().flatMap(List::stream).noneMatch(c -> c.contains("unknown type")), h2.tables().toString());
        assertTrue(h2.uniques().containsAll(Set.of("users[username]", "api_tokens[token_hash]", "lab_sessions[active_key]")),
                h2.uniques().toString());
        assertTrue(h2.foreignKeys().contains("web_sessions.user_id -> users.id on delete " + DatabaseMetaData.importedKeyCascade),
                h2.foreignKeys().toString());
        assertEquals(h2.primaryKeys(), postgres.primaryKeys(), "primary keys");
        assertEquals(h2.uniques(), postgres.uniques(), "unique constraints");
        assertEquals(h2.foreignKeys(), postgres.foreignKeys(), "foreign keys");
        assertEquals(h2.migrations(), postgres.migrations(), "applied migrations (version, checksum, success)");
    }

    /** Everything compared, with names in lower case: H2 reports unquoted identifiers upper-cased, PostgreSQL lower. */
    record Schema(Map<String, List<String>> tables, Set<String> primaryKeys, Set<String> uniques, Set<String> foreignKeys,
                  List<String> migrations) {
    }

    private static Schema schemaOf(Databases.Kind kind) throws SQLException {
        try (Databases.TestDatabase db = Databases.create(kind); Database database = db.open();
             Connection c = database.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String schema = c.getSchema();
            Map<String, List<String>> tables = new TreeMap<>();
            try (ResultSet rs = meta.getTables(null, schema, "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME");
                    if (!table.equalsIgnoreCase(HISTORY)) {
                        tables.put(lower(table), new ArrayList<>());
                    }
                }
            }
            Set<String> primaryKeys = new TreeSet<>();
            Set<String> uniques = new TreeSet<>();
            Set<String> foreignKeys = new TreeSet<>();
            for (String table : tables.keySet()) {
                String name = metaName(meta, table);
                try (ResultSet rs = meta.getColumns(null, schema, name, "%")) {
                    while (rs.next()) {
                        tables.get(table).add(lower(rs.getString("COLUMN_NAME")) + " " + type(rs)
                                + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : "")
                                + ("YES".equals(rs.getString("IS_AUTOINCREMENT")) ? " identity" : ""));
                    }
                }
                Set<String> pkColumns = new TreeSet<>();
                try (ResultSet rs = meta.getPrimaryKeys(null, schema, name)) {
                    while (rs.next()) {
                        pkColumns.add(lower(rs.getString("COLUMN_NAME")));
                    }
                }
                primaryKeys.add(table + pkColumns);
                // Unique indexes other than the primary key's, by their columns (index names differ by vendor).
                Map<String, Set<String>> indexes = new TreeMap<>();
                try (ResultSet rs = meta.getIndexInfo(null, schema, name, true, false)) {
                    while (rs.next()) {
                        if (rs.getString("COLUMN_NAME") != null) {
                            indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeSet<>()).add(lower(rs.getString("COLUMN_NAME")));
                        }
                    }
                }
                indexes.values().stream().filter(cols -> !cols.equals(pkColumns)).forEach(cols -> uniques.add(table + cols));
                try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
                    while (rs.next()) {
                        foreignKeys.add(table + "." + lower(rs.getString("FKCOLUMN_NAME")) + " -> "
                                + lower(rs.getString("PKTABLE_NAME")) + "." + lower(rs.getString("PKCOLUMN_NAME"))
                                + " on delete " + rs.getShort("DELETE_RULE"));
                    }
                }
            }
            // Versioned migrations only: on H2 Flyway also records a "<< Flyway Schema Creation >>" row.
            List<String> migrations = database.sql().list("SELECT \"version\", \"checksum\", \"success\" FROM \""
                    + HISTORY + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"",
                    rs -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getBoolean(3));
            return new Schema(tables, primaryKeys, uniques, foreignKeys, migrations);
        }
    }

    /** The name as this database keeps it, for metadata lookups. */
    private static String metaName(DatabaseMetaData meta, String lower) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? lower.toUpperCase(Locale.ROOT) : lower;
    }

    /**
     * A vendor-neutral type: the drivers name the same SQL types differently (H2 "CHARACTER VARYING",
     * PostgreSQL "varchar"; PostgreSQL's driver reports BOOLEAN as BIT and TIMESTAMP WITH TIME ZONE as TIMESTAMP).
     */
    private static String type(ResultSet rs) throws SQLException {
        String name = rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
        return switch (name) {
            case "character varying", "varchar" -> "varchar(" + rs.getInt("COLUMN_SIZE") + ")";
            case "bigint", "int8", "bigserial" -> "bigint";
            case "integer", "int4", "serial" -> "integer";
            case "boolean", "bool" -> "boolean";
            case "double precision", "float8" -> "double";
            case "timestamp with time zone", "timestamptz" -> "timestamptz";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            default -> "unknown type " + name;
        };
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
