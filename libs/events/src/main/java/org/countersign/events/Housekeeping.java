package org.countersign.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletes what the service no longer needs: consumers' de-duplication records past their retention,
 * and whatever each {@link PurgeRule} of the service names (expired challenges, closed registrations).
 * Every replica schedules it, but a run first takes a PostgreSQL advisory lock of the service's schema,
 * so only one replica works at a time and the others skip their turn. Deletes go in small batches,
 * each its own short transaction, so no long lock is ever held on a busy table.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final int BATCH = 1000;
    private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext(current_schema() || '.countersign-housekeeping'))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext(current_schema() || '.countersign-housekeeping'))";

    private final AgroalDataSource dataSource;
    private final Instance<PurgeRule> rules;
    private final EventsConfig config;
    private final Clock clock;

    public Housekeeping(AgroalDataSource dataSource, Instance<PurgeRule> rules, EventsConfig config, Instance<Clock> clock) {
        this.dataSource = dataSource;
        this.rules = rules;
        this.config = config;
        // The service's clock when it has one (rows carry its times); UTC otherwise.
        this.clock = clock.isResolvable() ? clock.get() : Clock.systemUTC();
    }

    @Scheduled(every = "${countersign.events.housekeeping.interval:10m}", delayed = "${countersign.events.housekeeping.delay:2m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (SQLException e) {
            LOG.warnf("Housekeeping skipped (%s); it runs again at its next turn", e.getClass().getSimpleName());
        }
    }

    /**
     * Runs once now. Answers the rows deleted per table, or an empty map when another replica holds the
     * lock (this run did nothing).
     */
    public Map<String, Integer> run() throws SQLException {
        List<PurgeRule> all = new ArrayList<>();
        all.add(new PurgeRule("processed_events", "processed_at", null, config.consumers().dedupRetention()));
        rules.forEach(all::add);
        Map<String, Integer> deleted = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!locked(connection)) {
                return deleted;
            }
            try {
                for (PurgeRule rule : all) {
                    deleted.merge(rule.table(), purge(connection, rule), Integer::sum);
                }
            } finally {
                try (Statement unlock = connection.createStatement()) {
                    unlock.execute(UNLOCK);
                }
            }
        }
        deleted.forEach((table, rows) -> {
            if (rows > 0) {
                LOG.infof("Housekeeping deleted %d rows of %s", rows, table);
            }
        });
        return deleted;
    }

    private int purge(Connection connection, PurgeRule rule) throws SQLException {
        Timestamp cutOff = Timestamp.from(clock.instant().minus(rule.retention()));
        int total = 0;
        try (PreparedStatement delete = connection.prepareStatement(rule.deleteBatchSql(BATCH))) {
            delete.setTimestamp(1, cutOff);
            int rows;
            do {
                rows = delete.executeUpdate();
                total += rows;
            } while (rows == BATCH);
        }
        return total;
    }

    private static boolean locked(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(LOCK)) {
            return result.next() && result.getBoolean(1);
        }
    }
}
