package org.countersign.portal.domain;

import java.time.Instant;

/** A push request waiting for the user's phone, and the number to pick there (with number matching). */
public record PendingApproval(String requestId, Integer displayNumber, Instant expiresAt) {
}
