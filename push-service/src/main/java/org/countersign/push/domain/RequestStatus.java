package org.countersign.push.domain;

import java.util.Locale;

/** Where a push request stands. Only PENDING changes, once, to one of the three others. */
public enum RequestStatus {
    PENDING,
    APPROVED,
    DENIED,
    EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != PENDING;
    }
}
