package org.countersign.testing.fuzz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every table of a service's schemas, each as its row count and an MD5 of its rows (in the order of
 * their text, which is as good as the primary key for telling whether anything changed and needs no
 * key). Columns that change on their own, such as the outbox's {@code published_at}, are left out.
 */
public record TableSnapshot(Map<String, String> tables) {

    /**
     * @param ignoredColumns per table name, the columns to leave out
     */
    public static TableSnapshot take(Connection connection, List<String> schemas, Map<String, Set<String>> ignoredColumns) {
        return reader(connection, schemas, ignoredColumns).take();
    }

    /**
     * Snapshots of the tables as they are now, each taken with one statement: the tables and their columns are
     * read once (a fuzz run takes hundreds of snapshots and changes no schema; the catalogue's views were most
     * of a snapshot's cost).
     */
    public static Reader reader(Connection connection, List<String> schemas, Map<String, Set<String>> ignoredColumns) {
        try {
            List<String> selects = new ArrayList<>();
            for (String schema : schemas) {
                for (String table : tables(connection, schema)) {
                    List<String> columns = columns(connection, schema, table);
                    columns.removeAll(ignoredColumns.getOrDefault(table, Set.of()));
                    String row = columns.stream().map(TableSnapshot::quote).collect(Collectors.joining(", "));
                    selects.add("SELECT " + literal(schema + "." + table) + ", count(*), coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '')"
                            + " FROM (SELECT ROW(" + row + ")::text AS r FROM " + quote(schema) + "." + quote(table) + ") t");
                }
            }
            return new Reader(connection, selects.isEmpty() ? null : String.join(" UNION ALL ", selects));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the tables of " + schemas, e);
        }
    }

    /** Takes snapshots of a fixed set of tables, each with one statement. */
    public static final class Reader {

        private final Connection connection;
        private final String sql;

        private Reader(Connection connection, String sql) {
            this.connection = connection;
            this.sql = sql;
        }

        public TableSnapshot take() {
            Map<String, String> tables = new TreeMap<>();
            if (sql == null) {
                return new TableSnapshot(tables);
            }
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2) + " rows, md5 " + rs.getString(3));
                }
                return new TableSnapshot(tables);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read the tables", e);
            }
        }
    }

    /** The tables whose rows differ from another snapshot's, each with both states. */
    public List<String> changesSince(TableSnapshot before) {
        List<String> changes = new ArrayList<>();
        for (String table : union(before.tables.keySet(), tables.keySet())) {
            String was = before.tables.get(table);
            String is = tables.get(table);
            if (was == null || !was.equals(is)) {
                changes.add(table + ": " + was + " -> " + is);
            }
        }
        return changes;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> tables(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static List<String> columns(Connection connection, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
