package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The housekeeping job on the real database: what it deletes, what it keeps, and one replica at a time. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void dedupRecordsPastTheirRetention_deleted_recentOnesKept() throws Exception {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        execute("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('housekeeping-test', '" + old
                + "', now() - interval '31 days'), ('housekeeping-test', '" + recent + "', now() - interval '29 days')");

        Map<String, Integer> deleted = housekeeping.run();

        assertTrue(deleted.getOrDefault("processed_events", 0) >= 1, "it says what it deleted: " + deleted);
        assertEquals(0, count("SELECT count(*) FROM processed_events WHERE event_id = '" + old + "'"));
        assertEquals(1, count("SELECT count(*) FROM processed_events WHERE event_id = '" + recent + "'"));
    }

    @Test
    void anotherReplicaHoldsTheLock_thisRunDoesNothing() throws Exception {
        String old = UUID.randomUUID().toString();
        execute("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('housekeeping-test', '" + old
                + "', now() - interval '40 days')");
        try (Connection replica = dataSource.getConnection(); Statement statement = replica.createStatement()) {
            try (ResultSet locked = statement.executeQuery(
                    "SELECT pg_try_advisory_lock(hashtext(current_schema() || '.countersign-housekeeping'))")) {
                assertTrue(locked.next() && locked.getBoolean(1));
            }
            assertEquals(Map.of(), housekeeping.run());
            assertEquals(1, count("SELECT count(*) FROM processed_events WHERE event_id = '" + old + "'"));
            statement.execute("SELECT pg_advisory_unlock(hashtext(current_schema() || '.countersign-housekeeping'))");
        }
        housekeeping.run();
        assertEquals(0, count("SELECT count(*) FROM processed_events WHERE event_id = '" + old + "'"));
    }

    @Test
    void purgeRule_refusesNamesThatAreNotPlainIdentifiers() {
        for (String table : new String[] {"t; DROP TABLE x", "Users", "", "a.b"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new PurgeRule(table, "created_at", null, java.time.Duration.ofDays(1)));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PurgeRule("t", "created_at", null, java.time.Duration.ZERO));
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }
}
