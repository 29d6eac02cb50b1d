package org.countersign.launcher;

import static org.countersign.launcher.OtpBenchmark.CONNECTIONS;
import static org.countersign.launcher.OtpBenchmark.MEASURE;
import static org.countersign.launcher.OtpTokens.CREDENTIALS;
import static org.countersign.launcher.OtpTokens.POLICY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.countersign.events.Topics;
import org.countersign.events.payload.OtpVerified;

/**
 * The otp benchmark's limit: pgbench on a scratch schema of its own, with the otp-service's
 * credentials table copied by definition (LIKE ... INCLUDING ALL, so the same columns, constraints and
 * indexes; none of its rows) and libs/events' outbox table: per transaction, the conditional UPDATE
 * that accepts a code and the INSERT of an OtpVerified event. Each client moves the counters of rows
 * only it uses; \gset makes a transaction whose UPDATE moved nothing an error.
 *
 * <p><b>Where the script comes from, and what it must match.</b> The launcher cannot depend on a
 * service, so the script is a hand-written model of the writes of one accepted HOTP verification, whose
 * source of truth is otp-service's {@code CheckRepository.ACCEPT_ONE} (and {@code ACCEPT}, the same
 * for a batch): the UPDATE of the credential's replay state under the same conditions, and the outbox
 * row of {@code Outbox.Row}. Whoever changes which columns that statement writes, or its credential
 * conditions, changes {@link #script} with it (CheckRepository says so too). What the model leaves out,
 * on purpose: the user's side (the user's lock and budget, read by index, and {@code lock_count} reset
 * only when it is not 0, so a success writes no user row here), the credential's failure budget and
 * {@code fail_window_start = NULL} (already NULL on a row without failures), and the one-statement
 * form (pgbench sends two statements in a transaction, which if anything costs it a round trip).
 */
final class OtpPgBenchLimit {

    private static final int WARM_UP_SECONDS = 3;

    private OtpPgBenchLimit() {
    }

    static int warmUpSeconds() {
        return WARM_UP_SECONDS;
    }

    static PgBench.Result run(Workspace workspace, PgBench pgbench, String jdbc, String user, String password,
                              ClosedLoop.Window cpu, Map<String, Object> figures) throws Exception {
        byte[] runId = new byte[4];
        new SecureRandom().nextBytes(runId);
        String schema = "bench_otp_" + HexFormat.of().formatHex(runId);
        int rowsPerClient = CREDENTIALS / CONNECTIONS;
        Path script = Files.createTempFile("countersign-bench-otp-", ".sql");
        try (Connection admin = DriverManager.getConnection(jdbc, user, password); Statement s = admin.createStatement()) {
            String serverVersion;
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                serverVersion = rs.getString(1).replaceAll(" .*", "");
            }
            figures.put("pgbench: version, against", pgbench.version() + " (" + pgbench.binary() + "), PostgreSQL " + serverVersion);
            s.execute("CREATE SCHEMA " + schema);
            try {
                s.execute("SET search_path TO " + schema);
                s.execute(Files.readString(workspace.repo().resolve("libs/events/src/main/resources/db/events/R__countersign_events.sql")));
                s.execute("CREATE TABLE " + schema + ".credentials (LIKE otp.credentials INCLUDING ALL)");
                s.execute("INSERT INTO " + schema + ".credentials (id, domain, user_id, serial_number, otp_policy, status, created_at,"
                        + " kind, sealed_secret, last_accepted, drift, source, updated_at)"
                        + " SELECT CAST('00000000-0000-4000-8000-' || lpad(CAST(g AS text), 12, '0') AS uuid), 'bench.example', NULL,"
                        + " 'SN-' || g, '" + POLICY.format() + "', 'ACTIVE', now(), 'HOTP', repeat('A', 96), -1, 0, 'pskc', now()"
                        + " FROM generate_series(1, " + CREDENTIALS + ") g");
                s.execute("ANALYZE " + schema + ".credentials");
                Files.writeString(script, script(schema));
                PgBench.Target target = PgBench.Target.fromJdbc(jdbc, user, password);
                int threads = Math.min(CONNECTIONS, Runtime.getRuntime().availableProcessors());
                List<String> vars = List.of("rows=" + rowsPerClient);
                // Each run starts its counters above everything before it, so that every UPDATE moves one.
                pgbench.run(target, script, CONNECTIONS, threads, WARM_UP_SECONDS, concat(vars, "n=1000000000"));
                s.execute("TRUNCATE " + schema + ".outbox_events");
                cpu.opened();
                PgBench.Result result = pgbench.run(target, script, CONNECTIONS, threads, (int) MEASURE.toSeconds(),
                        concat(vars, "n=2000000000"));
                cpu.closed();
                try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + schema + ".credentials"
                        + " WHERE last_accepted > 2000000000), (SELECT count(*) FROM " + schema + ".outbox_events)")) {
                    rs.next();
                    figures.put("pgbench: rows moved, events / transactions", rs.getLong(1) + " of " + CREDENTIALS + ", "
                            + rs.getLong(2) + " / " + result.transactions());
                }
                figures.put("pgbench: failed transactions", result.failed());
                return result;
            } finally {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** What one accepted verification writes: a model of otp-service's CheckRepository.ACCEPT_ONE (see the class comment). */
    static String script(String schema) {
        String payload = "'{\"userId\":\"user-' || :r || '\",\"domain\":\"bench.example\",\"serialNumber\":\"SN-' || :r"
                + " || '\",\"verifiedAt\":\"' || now() || '\"}'";
        return "\\set n :n + 1\n"
                + "\\set r :client_id * :rows + :n % :rows + 1\n"
                + "BEGIN;\n"
                + "UPDATE " + schema + ".credentials SET last_accepted = :n, drift = 0, updated_at = now(), last_used_at = now(),"
                + " fail_count = 0, lock_count = 0 WHERE id = CAST('00000000-0000-4000-8000-' || lpad(CAST(:r AS text), 12, '0') AS uuid)"
                + " AND last_accepted < :n AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= now())"
                + " RETURNING last_accepted AS accepted \\gset\n"
                + "INSERT INTO " + schema + ".outbox_events (event_id, topic, event_key, event_type, subject, data_schema, occurred_at,"
                + " payload) VALUES (gen_random_uuid(), '" + Topics.AUTHENTICATIONS + "', 'user-' || :r || '@bench.example', '"
                + OtpVerified.TYPE.ceType() + "', 'user/user-' || :r, '" + OtpVerified.TYPE.dataSchema() + "', now(), " + payload + ");\n"
                + "COMMIT;\n";
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }
}
