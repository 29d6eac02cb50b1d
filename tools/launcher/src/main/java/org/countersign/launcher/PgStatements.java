package org.countersign.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What PostgreSQL ran over a window, from {@code pg_stat_statements} (the embedded PostgreSQL
 * preloads it; libs/stack) and {@code pg_stat_database}: statements (top-level, so one per round trip
 * a client made, a function's inner statements not counted) and committed transactions, in the
 * suite's database, by every client. Best effort: where the extension cannot be loaded (an external
 * PostgreSQL without it) it reports only transactions, and without a connection nothing.
 */
final class PgStatements implements ClosedLoop.Window {

    /** One statement's share, for the most frequent ones. */
    record Top(long calls, double totalMs, String query) {
    }

    private final String jdbc;
    private final String user;
    private final String password;
    private boolean statements;
    private long startCommits = -1;
    private long calls = -1;
    private long commits = -1;
    private final List<Top> top = new ArrayList<>();
    private Map<String, long[]> startWrites = Map.of();
    private final Map<String, long[]> writes = new TreeMap<>();
    private String problem;

    PgStatements(String jdbc, String user, String password) {
        this.jdbc = jdbc;
        this.user = user;
        this.password = password;
    }

    @Override
    public void opened() {
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement()) {
            try {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
                s.execute("SELECT public.pg_stat_statements_reset()");
                statements = true;
            } catch (SQLException e) {
                problem = "pg_stat_statements not loaded (" + e.getMessage().lines().findFirst().orElse("") + ")";
            }
            startCommits = commits(s);
            startWrites = tableWrites(s);
        } catch (SQLException e) {
            problem = e.getMessage();
        }
    }

    @Override
    public void closed() {
        if (startCommits < 0) {
            return;
        }
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement()) {
            commits = commits(s) - startCommits;
            tableWrites(s).forEach((table, end) -> {
                long[] start = startWrites.getOrDefault(table, new long[3]);
                long[] delta = {end[0] - start[0], end[1] - start[1], end[2] - start[2]};
                if (delta[0] + delta[1] + delta[2] > 0) {
                    writes.put(table, delta);
                }
            });
            if (statements) {
                String mine = " FROM public.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                        + " WHERE datname = current_database()) AND toplevel";
                try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(calls), 0)" + mine)) {
                    rs.next();
                    calls = rs.getLong(1);
                }
                try (ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, query" + mine + " ORDER BY calls DESC LIMIT 12")) {
                    while (rs.next()) {
                        top.add(new Top(rs.getLong(1), rs.getDouble(2), rs.getString(3)));
                    }
                }
            }
        } catch (SQLException e) {
            problem = e.getMessage();
        }
    }

    /** Rows inserted, updated and deleted so far in each table of the database, by "schema.table". */
    private static Map<String, long[]> tableWrites(Statement s) throws SQLException {
        Map<String, long[]> rows = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
            while (rs.next()) {
                rows.put(rs.getString(1) + "." + rs.getString(2), new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)});
            }
        }
        return rows;
    }

    /**
     * The rows each table took over the window (inserted, updated, deleted), by "schema.table", for the
     * tables that took any. PostgreSQL's statistics lag by up to a second or so: read over a window of
     * several seconds.
     */
    Map<String, long[]> tableWrites() {
        return writes;
    }

    private static long commits(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** For example "4.1 statements, 2.0 transactions", per one of {@code done}; "n/a (why)" when not measured. */
    String perOperation(long done) {
        if (done <= 0 || commits < 0) {
            return "n/a" + (problem == null ? "" : " (" + problem + ")");
        }
        String tx = String.format(Locale.ROOT, "%.2f transactions", commits / (double) done);
        return calls < 0 ? tx + " (statements: " + (problem == null ? "n/a" : problem) + ")"
                : String.format(Locale.ROOT, "%.2f statements, %s", calls / (double) done, tx);
    }

    /** The statements run most often, each with its calls per operation, for the docs and --verbose reading. */
    List<String> topPerOperation(long done, int limit) {
        List<String> lines = new ArrayList<>();
        for (Top t : top.subList(0, Math.min(limit, top.size()))) {
            lines.add(String.format(Locale.ROOT, "%.2f x %.3f ms: %s", t.calls() / (double) Math.max(1, done),
                    t.totalMs() / Math.max(1, t.calls()), t.query().replaceAll("\\s+", " ").substring(0, Math.min(140,
                            t.query().replaceAll("\\s+", " ").length()))));
        }
        return lines;
    }
}
