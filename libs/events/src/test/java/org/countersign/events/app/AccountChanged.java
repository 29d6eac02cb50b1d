package org.countersign.events.app;

import org.countersign.events.EventType;
import org.countersign.events.Topics;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;

/** The test application's event: an account moved to its next sequence number. */
public record AccountChanged(String accountKey, int seq, String note, SealedValue sealedSecret) {

    public static final EventType TYPE = new EventType("org.countersign.test.account-changed.v1", Topics.REGISTRATIONS);
    /** The test application reads its own events: it seals for itself. */
    public static final String SEALED_FOR = "events";

    /** What {@code sealedSecret} is bound to: its account. */
    public static Binding secretBinding(String accountKey) {
        return Binding.of("test-secret", "account", accountKey);
    }
}
