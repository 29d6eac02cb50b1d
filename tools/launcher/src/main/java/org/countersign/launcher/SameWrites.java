package org.countersign.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The database's own limit for the rows one operation of the suite writes, measured with pgbench,
 * without retyping the services' SQL: which tables an operation writes and how many rows of each it
 * inserts and updates come from PostgreSQL's statistics over the benchmark's own window
 * ({@link PgStatements#tableWrites()}, every writer counted: services, consumers, outbox relays). Each
 * of those tables is copied by definition into a scratch schema ({@code LIKE ... INCLUDING ALL}: the
 * same columns, defaults, constraints and indexes; the outbox's NOTIFY trigger too), and pgbench then
 * writes, per transaction of its script, that many copies of a row the services wrote (its unique
 * columns given fresh values) and that many updates of them, one database transaction per service
 * schema, as each service commits its own.
 *
 * <p>What it cannot copy: which columns an update changes. Each update here sets every column to its
 * value, so PostgreSQL may keep it on the page (HOT) where the service's update of an indexed column
 * (a status) cannot: if anything, the limit comes out higher than the services' writes could reach.
 */
final class SameWrites {

    /** One table's share of an operation: rows inserted and updated per operation, rounded. */
    record TableShare(String table, int inserts, int updates) {
        String schema() {
            return table.substring(0, table.indexOf('.'));
        }

        String name() {
            return table.substring(table.indexOf('.') + 1);
        }
    }

    /** What was measured, and the tables and rows the script wrote per transaction. */
    record Result(PgBench.Result pgbench, String script, long rowsPerTransaction) {
    }

    private static final Set<String> NOT_THE_SUITE = Set.of("public", "pg_catalog", "information_schema");

    private SameWrites() {
    }

    /**
     * The rows per operation from a window's table writes, for the tables written at least once per
     * two operations; deletes are left out (clean-ups, not the operation's work).
     */
    static List<TableShare> perOperation(Map<String, long[]> writes, long operations) {
        List<TableShare> shares = new ArrayList<>();
        if (operations <= 0) {
            return shares;
        }
        new TreeMap<>(writes).forEach((table, rows) -> {
            String schema = table.substring(0, table.indexOf('.'));
            if (NOT_THE_SUITE.contains(schema) || schema.startsWith("bench_")) {
                return;
            }
            int inserts = (int) Math.round(rows[0] / (double) operations);
            int updates = (int) Math.round(rows[1] / (double) operations);
            if (inserts + updates > 0) {
                shares.add(new TableShare(table, inserts, updates));
            }
        });
        return shares;
    }

    /** For example "registration.registrations 1+1, provisioning.outbox_events 3+3" (inserted + updated rows). */
    static String describe(List<TableShare> shares) {
        StringJoiner out = new StringJoiner(", ");
        shares.forEach(s -> out.add(s.table() + " " + s.inserts() + "+" + s.updates()));
        return out.toString();
    }

    /**
     * Builds the scratch schema, runs pgbench on it (a warm-up, then the measured run, {@code window}
     * told around it) and drops the schema.
     */
    static Result measure(PgBench pgbench, String jdbc, String user, String password, List<TableShare> shares, int clients,
                          int warmUpSeconds, int seconds, ClosedLoop.Window window) throws Exception {
        if (shares.isEmpty()) {
            throw new IllegalStateException("No table took rows in the measured window: nothing to give pgbench");
        }
        byte[] runId = new byte[4];
        new SecureRandom().nextBytes(runId);
        String scratch = "bench_writes_" + HexFormat.of().formatHex(runId);
        Path file = Files.createTempFile("countersign-bench-writes-", ".sql");
        try (Connection admin = DriverManager.getConnection(jdbc, user, password); Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA " + scratch);
            try {
                Map<String, StringBuilder> transactions = new LinkedHashMap<>();
                long rows = 0;
                for (TableShare share : shares) {
                    String script = prepare(admin, scratch, share, clients);
                    if (script != null) {
                        transactions.computeIfAbsent(share.schema(), k -> new StringBuilder()).append(script);
                        rows += share.inserts() + share.updates();
                    }
                }
                StringBuilder script = new StringBuilder();
                transactions.values().forEach(body -> script.append("BEGIN;\n").append(body).append("COMMIT;\n"));
                Files.writeString(file, script.toString());
                PgBench.Target target = PgBench.Target.fromJdbc(jdbc, user, password);
                int threads = Math.min(clients, Runtime.getRuntime().availableProcessors());
                pgbench.run(target, file, clients, threads, warmUpSeconds, List.of());
                window.opened();
                PgBench.Result result;
                try {
                    result = pgbench.run(target, file, clients, threads, seconds, List.of());
                } finally {
                    window.closed();
                }
                return new Result(result, script.toString(), rows);
            } finally {
                s.execute("DROP SCHEMA " + scratch + " CASCADE");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private record Column(String name, String type, boolean unique) {
    }

    /**
     * Copies one table's definition and one of its rows into the scratch schema and returns the
     * script lines that write one operation's share of it; null (and the table skipped) when the
     * table has no row to copy, or has only updates and no single-column primary key to find a
     * client's own row by.
     */
    private static String prepare(Connection admin, String scratch, TableShare share, int clients) throws SQLException {
        String copy = scratch + "." + share.schema() + "__" + share.name();
        String template = copy + "__row";
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE " + copy + " (LIKE " + share.table() + " INCLUDING ALL)");
            if (share.name().equals("outbox_events")) {
                try {
                    s.execute("CREATE TRIGGER outbox_events_notify AFTER INSERT ON " + copy
                            + " FOR EACH STATEMENT EXECUTE FUNCTION " + share.schema() + ".countersign_outbox_notify()");
                } catch (SQLException e) {
                    // A schema without libs/events' trigger function: its outbox wakes nobody anyway.
                }
            }
            s.execute("CREATE TABLE " + template + " AS SELECT * FROM " + share.table() + " LIMIT 1");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + template)) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return null;
                }
            }
        }
        List<Column> columns = columns(admin, copy);
        List<String> names = columns.stream().map(Column::name).toList();
        String list = String.join(", ", names);
        String var = "r_" + share.schema() + "_" + share.name();
        StringBuilder out = new StringBuilder();
        String set = String.join(", ", columns.stream().filter(c -> !c.unique()).map(c -> c.name() + " = " + c.name()).toList());
        if (set.isEmpty()) {
            set = names.get(0) + " = " + names.get(0);
        }
        if (share.inserts() > 0) {
            String values = String.join(", ", columns.stream().map(c -> c.unique() ? fresh(c) : c.name()).toList());
            for (int i = 0; i < share.inserts(); i++) {
                out.append("INSERT INTO ").append(copy).append(" (").append(list).append(") SELECT ").append(values)
                        .append(" FROM ").append(template).append(" RETURNING CAST(ctid AS text) AS ").append(var).append(i)
                        .append(" \\gset\n");
            }
            // Updates go round the rows inserted; each follows its row's newest version.
            for (int u = 0; u < share.updates(); u++) {
                String row = var + (u % share.inserts());
                out.append("UPDATE ").append(copy).append(" SET ").append(set).append(" WHERE ctid = CAST(:").append(row)
                        .append(" AS tid) RETURNING CAST(ctid AS text) AS ").append(row).append(" \\gset\n");
            }
            return out.toString();
        }
        // Only updates (a licence's books): each pgbench client updates a row of its own, found by its primary key.
        Column key = primaryKey(admin, copy, columns);
        if (key == null) {
            return null;
        }
        String values = String.join(", ", columns.stream().map(c -> c.name().equals(key.name()) ? ownKey(key, "g")
                : c.unique() ? fresh(c) : c.name()).toList());
        try (Statement s = admin.createStatement()) {
            s.execute("INSERT INTO " + copy + " (" + list + ") SELECT " + values + " FROM " + template + ", generate_series(0, "
                    + (clients - 1) + ") g");
            s.execute("ANALYZE " + copy);
        }
        for (int u = 0; u < share.updates(); u++) {
            out.append("UPDATE ").append(copy).append(" SET ").append(set).append(" WHERE ").append(key.name()).append(" = ")
                    .append(ownKey(key, ":client_id")).append(";\n");
        }
        return out.toString();
    }

    /** The columns a copy is written with (not identity or generated ones), and whether a unique index holds each. */
    private static List<Column> columns(Connection admin, String table) throws SQLException {
        Set<String> unique = new LinkedHashSet<>();
        try (PreparedStatement p = admin.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = CAST(? AS regclass) AND i.indisunique")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    unique.add(rs.getString(1));
                }
            }
        }
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement p = admin.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped AND attidentity = ''"
                + " AND attgenerated = '' ORDER BY attnum")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(quote(rs.getString(1)), rs.getString(2), unique.contains(rs.getString(1))));
                }
            }
        }
        return columns;
    }

    private static Column primaryKey(Connection admin, String table, List<Column> columns) throws SQLException {
        try (PreparedStatement p = admin.prepareStatement("SELECT array_agg(a.attname) FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next() || rs.getArray(1) == null) {
                    return null;
                }
                String[] key = (String[]) rs.getArray(1).getArray();
                if (key.length != 1) {
                    return null;
                }
                return columns.stream().filter(c -> c.name().equals(quote(key[0]))).findFirst().orElse(null);
            }
        }
    }

    /** A value no other row holds, of the column's type. */
    private static String fresh(Column c) {
        String type = c.type().toLowerCase(Locale.ROOT);
        if (type.equals("uuid")) {
            return "gen_random_uuid()";
        }
        if (type.startsWith("character varying") || type.equals("text")) {
            return "CAST(gen_random_uuid() AS text)";
        }
        if (type.equals("bigint")) {
            return "CAST(random() * 9e18 AS bigint)";
        }
        if (type.equals("integer")) {
            return "CAST(random() * 2e9 AS integer)";
        }
        return c.name();
    }

    /** Client n's own row's key, from {@code n} (an SQL expression: the setup's series, or pgbench's :client_id). */
    private static String ownKey(Column key, String n) {
        String type = key.type().toLowerCase(Locale.ROOT);
        if (type.equals("uuid")) {
            return "CAST('00000000-0000-4000-8000-' || lpad(CAST(" + n + " AS text), 12, '0') AS uuid)";
        }
        if (type.equals("bigint") || type.equals("integer")) {
            return "CAST(" + n + " AS " + type + ")";
        }
        return "'bench-client-' || " + n;
    }

    private static String quote(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_]*") ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
