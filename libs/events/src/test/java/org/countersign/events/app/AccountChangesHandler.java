package org.countersign.events.app;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.TransportSealer;
import org.countersign.secrets.Secret;

/** Applies AccountChanged and notes whether each key's events arrived in order. */
@ApplicationScoped
public class AccountChangesHandler implements EventHandler {

    /** The note that makes the handler stall, followed by milliseconds. */
    public static final String STALL = "stall-ms:";
    /** The note that makes the handler fail every time, as a bug would (not a retriable failure). */
    public static final String FAIL = "fail";

    private final TransportSealer sealer;

    public AccountChangesHandler(TransportSealer sealer) {
        this.sealer = sealer;
    }

    @Override
    public String name() {
        return "account-changes";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(AccountChanged.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        AccountChanged change = event.data(AccountChanged.class);
        String secretHash = change.sealedSecret() == null ? null
                : sha256(sealer.open(change.sealedSecret(), AccountChanged.secretBinding(change.accountKey())));
        if (FAIL.equals(change.note())) {
            return Uni.createFrom().failure(new IllegalStateException("this change can never be applied"));
        }
        // A test hook: "stall-ms:N" holds the handler (inside its transaction) for N ms, as a stuck one would.
        Uni<Void> stall = change.note() != null && change.note().startsWith(STALL)
                ? Uni.createFrom().voidItem().onItem().delayIt()
                        .by(java.time.Duration.ofMillis(Long.parseLong(change.note().substring(STALL.length()))))
                : Uni.createFrom().voidItem();
        return stall.chain(() -> Panache.getSession()).chain(session -> session.createNativeQuery(
                        "INSERT INTO applied_changes (event_id, account_key, seq, in_order, secret_hash) VALUES (?1, ?2, ?3,"
                                + " ?3 = 1 + coalesce((SELECT max(seq) FROM applied_changes WHERE account_key = ?2), 0), ?4)")
                .setParameter(1, event.id()).setParameter(2, change.accountKey()).setParameter(3, change.seq())
                .setParameter(4, secretHash)
                .executeUpdate()).replaceWithVoid();
    }

    static String sha256(Secret secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.reveal()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
