package org.countersign.push.service;

import java.time.Instant;
import org.countersign.push.domain.PushRequest;
import org.countersign.push.domain.RequestStatus;

/**
 * A push request as apps see it, and as a status change travels between replicas (with its domain and
 * user, so that a replica can tell the user's other connected devices).
 *
 * @param reason for a denial: denied or wrong-number
 */
public record RequestView(String requestId, String domain, String userId, RequestStatus status, Instant createdAt,
                          Instant expiresAt, Instant decidedAt, String instanceId, String dataHash, String reason,
                          Integer displayNumber) {

    public static RequestView of(PushRequest request) {
        return new RequestView(request.id, request.domain, request.userId, request.status, request.createdAt, request.expiresAt,
                request.decidedAt, request.instanceId, request.dataHash, request.denyReason, request.displayNumber);
    }

    /** The same, ended at another moment than planned (push switched off for the user ends a request now). */
    public RequestView withExpiresAt(Instant endedAt) {
        return new RequestView(requestId, domain, userId, status, createdAt, endedAt, decidedAt, instanceId, dataHash, reason,
                displayNumber);
    }

    public RequestView with(RequestStatus status, Instant decidedAt, String instanceId, String reason) {
        return new RequestView(requestId, domain, userId, status, createdAt, expiresAt, decidedAt, instanceId, dataHash, reason,
                displayNumber);
    }
}
