package org.countersign.events.app;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.EventDraft;
import org.countersign.events.Outbox;
import org.countersign.events.TransportSealer;
import org.countersign.secrets.Secret;

/** A state change with its event, written in one transaction, as every service does it. */
@ApplicationScoped
public class AccountService {

    private final Outbox outbox;
    private final TransportSealer sealer;

    public AccountService(Outbox outbox, TransportSealer sealer) {
        this.outbox = outbox;
        this.sealer = sealer;
    }

    @WithTransaction
    public Uni<Integer> change(String accountKey, String note, Secret secret, boolean failAfterwards) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO accounts (account_key, last_seq) VALUES (?1, 1) ON CONFLICT (account_key)"
                                + " DO UPDATE SET last_seq = accounts.last_seq + 1 RETURNING last_seq", Integer.class)
                .setParameter(1, accountKey).getSingleResult())
                .call(seq -> outbox.add(new EventDraft(AccountChanged.TYPE, accountKey, "account/" + accountKey,
                        new AccountChanged(accountKey, seq, note,
                                secret == null ? null : sealer.seal(AccountChanged.SEALED_FOR, secret, AccountChanged.secretBinding(accountKey))))))
                .invoke(seq -> {
                    if (failAfterwards) {
                        throw new IllegalStateException("the change fails after its event was written");
                    }
                });
    }
}
