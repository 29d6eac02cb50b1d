package org.countersign.events.app;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.events.EventType;
import org.countersign.events.PoisonEventException;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.Topics;

/**
 * Applies AccountChanged on the reactive SQL client, from a topic of its own (the tests send to it
 * directly), and notes whether each key's events arrived in order.
 */
@ApplicationScoped
public class SqlAccountChangesHandler implements SqlEventHandler {

    /** AccountChanged, read from a topic the Hibernate handler does not read. */
    public static final EventType TYPE = new EventType(AccountChanged.TYPE.ceType(), Topics.ACTIVATIONS);

    /**
     * Changes ("key/seq") that fail as a database away would (retried with backoff), after their row was
     * written in the transaction: a test holds them to see what a retry leaves, and releases them.
     */
    public static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    /** Changes ("key/seq") that fail for good once their row was written (a bug, say): parked on the dead-letter topic. */
    public static final Set<String> POISONED = ConcurrentHashMap.newKeySet();
    /** The prefix of account keys this handler passes over. */
    public static final String ELSEWHERE = "elsewhere-";
    /** The prefix of account keys whose changes cannot even be told to be this handler's or not: parked. */
    public static final String UNDECIDABLE = "undecidable-";
    /** Whether a request waits for this handler's events ({@link #awaited}), as the test says. */
    public static volatile boolean awaited;
    /** How many times a held change was attempted. */
    public static final AtomicInteger HELD_ATTEMPTS = new AtomicInteger();

    @Override
    public String name() {
        return "sql-account-changes";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(TYPE);
    }

    @Override
    public boolean awaited() {
        return awaited;
    }

    /** Changes of accounts kept elsewhere are none of this handler's business ({@link #ELSEWHERE}). */
    @Override
    public boolean concerns(ReceivedEvent event) {
        String accountKey = event.data(AccountChanged.class).accountKey();
        if (accountKey.startsWith(UNDECIDABLE)) {
            throw new PoisonEventException("undecidable: " + accountKey);
        }
        return !accountKey.startsWith(ELSEWHERE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event, SqlConnection tx) {
        AccountChanged change = event.data(AccountChanged.class);
        return tx.preparedQuery("INSERT INTO sql_applied_changes (event_id, account_key, seq, in_order) VALUES ($1, CAST($2 AS text), $3,"
                        + " $3 = 1 + coalesce((SELECT max(seq) FROM sql_applied_changes WHERE account_key = CAST($2 AS text)), 0))")
                .execute(Tuple.of(event.id(), change.accountKey(), change.seq()))
                .chain(() -> {
                    if (HELD.contains(change.accountKey() + "/" + change.seq())) {
                        HELD_ATTEMPTS.incrementAndGet();
                        return Uni.createFrom().failure(new TimeoutException("held by the test"));
                    }
                    if (POISONED.contains(change.accountKey() + "/" + change.seq())) {
                        return Uni.createFrom().failure(new PoisonEventException("poisoned by the test"));
                    }
                    return Uni.createFrom().voidItem();
                });
    }
}
