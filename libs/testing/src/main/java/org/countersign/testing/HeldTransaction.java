package org.countersign.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A transaction of the test's own on the service's database, left open while the service is driven: it plays a
 * writer applying something at the same moment (another topic's consumer) that holds a lock, so that a test can
 * see the service wait for it and then see what it committed. Closed without a commit, it rolls back.
 */
public final class HeldTransaction implements AutoCloseable {

    private final Connection connection;

    private HeldTransaction(Connection connection) {
        this.connection = connection;
    }

    /** A transaction as the database's owner, in {@code schema}. */
    public static HeldTransaction open(String jdbcUrl, String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl + "?currentSchema=" + schema, "postgres", "");
        connection.setAutoCommit(false);
        return new HeldTransaction(connection);
    }

    /** Runs one statement in the transaction, its {@code ?} bound to {@code parameters} in order. */
    public void execute(String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    public void commit() throws SQLException {
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** How many sessions of the database wait for an advisory lock: a service's transaction blocked behind ours. */
    public static int waitingForAnAdvisoryLock(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
