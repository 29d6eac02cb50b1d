package org.countersign.events;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A table of the service that may only keep rows for a while: rows whose {@code timeColumn} is older
 * than {@code retention} (and that match {@code condition}, when given) are deleted by the
 * housekeeping job. A service declares its rules as CDI beans (for example with {@code @Produces}).
 *
 * @param table      the table, in the service's own schema
 * @param timeColumn the timestamp the retention counts from (e.g. {@code expires_at}, {@code closed_at})
 * @param condition  SQL that rows must also match to be deleted, e.g. {@code status IN ('EXPIRED', 'FAILED')};
 *                   a constant of the code, never input
 * @param retention  how long past {@code timeColumn} a row is kept
 */
public record PurgeRule(String table, String timeColumn, String condition, Duration retention) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PurgeRule {
        if (table == null || !NAME.matcher(table).matches() || timeColumn == null || !NAME.matcher(timeColumn).matches()) {
            throw new IllegalArgumentException("A purge rule names a table and a column in lower snake case");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("A purge rule keeps rows for a positive time");
        }
    }

    /** Deletes at most {@code batch} due rows; the one parameter is the cut-off time. */
    String deleteBatchSql(int batch) {
        String due = timeColumn + " < ?" + (condition == null || condition.isBlank() ? "" : " AND (" + condition + ")");
        return "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE " + due + " LIMIT " + batch
                + "))";
    }
}
