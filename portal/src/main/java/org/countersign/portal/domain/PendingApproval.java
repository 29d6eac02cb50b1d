package org.countersign.portal.domain;

import java.time.Instant;
import java.util.List;

/**
 * A push request waiting for the user's phone, as the push-service lists it: what it asks (message and
 * fields) and, with number matching, the number to pick there.
 */
public record PendingApproval(String requestId, String message, List<Field> fields, Integer displayNumber, Instant expiresAt) {

    /** A named value the phone shows with the message, in order. */
    public record Field(String name, String value) {
    }
}
