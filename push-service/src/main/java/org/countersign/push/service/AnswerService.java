package org.countersign.push.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.countersign.deviceauth.DeviceIdentity;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.PushApproved;
import org.countersign.events.payload.PushDenied;
import org.countersign.protocol.InvalidSignatureException;
import org.countersign.protocol.P256;
import org.countersign.protocol.PushDecision;
import org.countersign.protocol.PushResponseSignature;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.PushProblem;
import org.countersign.push.domain.PushRequest;
import org.countersign.push.domain.RequestStatus;
import org.countersign.push.repository.PushRequestQueries;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;
import org.jboss.logging.Logger;

/**
 * A device's answer to a push request, over its channel or by POST: checked against the request as
 * it was sent and the device's key, then recorded once. Whatever comes second, late, wrongly signed,
 * from a device that was not sent the request, or from another user or domain, changes nothing.
 */
@ApplicationScoped
public class AnswerService {

    /** A recorded answer: approved, or denied (by the user, or by a wrong number). */
    public record Decided(String requestId, RequestStatus status, String reason) {
    }

    private static final Logger LOG = Logger.getLogger(AnswerService.class);

    private final PushRequestQueries queries;
    private final PushRequestService requestService;
    private final Outbox outbox;
    private final Delivery delivery;
    private final LastSync lastSync;
    private final Vertx vertx;
    private final Clock clock;

    public AnswerService(PushRequestQueries queries, PushRequestService requestService, Outbox outbox, Delivery delivery,
                         LastSync lastSync, Vertx vertx, Clock clock) {
        this.queries = queries;
        this.requestService = requestService;
        this.outbox = outbox;
        this.delivery = delivery;
        this.lastSync = lastSync;
        this.vertx = vertx;
        this.clock = clock;
    }

    /**
     * Checks in this order: the request exists in the device's domain and the device was sent it
     * (404 otherwise, as for no request at all); selectedNumber only with number matching (400); still
     * pending (409) and in time (410); the signature over the request as sent (422). Then the first
     * answer to reach the database decides; an approval with a number other than the app's is a denial.
     */
    public Uni<Decided> answer(DeviceIdentity device, String requestId, String decision, Integer selectedNumber,
                               String signature) {
        lastSync.contact(device.instanceId());
        return queries.findAnswered(device.domain(), requestId, device.instanceId())
                .chain(found -> {
                    if (found == null || found.device() == null || !found.device().wasSent(found.request())
                            || !found.device().certificateInForce(clock.instant())) {
                        throw PushRequestService.unknown(requestId);
                    }
                    PushRequest request = found.request();
                    Device answering = found.device();
                    if (selectedNumber != null && !request.numberMatching()) {
                        throw new ProblemException(ProblemType.VALIDATION,
                                "selectedNumber is only for requests with number matching; this one has none");
                    }
                    Instant now = clock.instant();
                    if (request.status == RequestStatus.EXPIRED) {
                        throw expired(requestId);
                    }
                    if (request.status.isFinal()) {
                        throw answered(request);
                    }
                    if (request.isOverdue(now)) {
                        return requestService.expire(request, now).chain(v -> Uni.createFrom().failure(expired(requestId)));
                    }
                    PushDecision parsed = parseDecision(decision);
                    return verify(answering, request, parsed, selectedNumber, signature)
                            .chain(() -> decide(request, answering, parsed, selectedNumber, now));
                });
    }

    /** protocol.md's choices: a decision other than exactly approve or deny fails as an invalid signature. */
    private static PushDecision parseDecision(String decision) {
        try {
            return PushDecision.fromWire(decision);
        } catch (IllegalArgumentException e) {
            throw invalidSignature();
        }
    }

    private static ProblemException invalidSignature() {
        return new ProblemException(PushProblem.INVALID_PUSH_SIGNATURE, "The signature is not the device key's over"
                + " countersign/v1/push|requestId|challenge|dataHash|decision|selectedNumber|iid, as protocol.md defines it");
    }

    /** The ECDSA check, off the event loop; 422 when it fails. */
    private Uni<Void> verify(Device device, PushRequest request, PushDecision decision, Integer selectedNumber, String signature) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                PushResponseSignature.verify(P256.decodeSpki(device.publicKey), request.id, request.challenge, request.dataHash,
                        decision, selectedNumber, device.instanceId, signature);
                return Boolean.TRUE;
            } catch (InvalidSignatureException e) {
                return Boolean.FALSE;
            }
        }), false).map(valid -> {
            if (!valid) {
                LOG.debugf("Answer to %s from device %s: the signature does not verify", request.id, device.instanceId);
                throw invalidSignature();
            }
            return null;
        });
    }

    private Uni<Decided> decide(PushRequest request, Device device, PushDecision decision, Integer selectedNumber, Instant now) {
        boolean approved = decision == PushDecision.APPROVE
                && (!request.numberMatching() || (selectedNumber != null && selectedNumber.equals(request.displayNumber)));
        RequestStatus status = approved ? RequestStatus.APPROVED : RequestStatus.DENIED;
        String reason = approved ? null : decision == PushDecision.APPROVE ? PushDenied.WRONG_NUMBER : PushDenied.DENIED;
        String key = EventKey.of(request.userId, request.domain);
        String subject = "push-request/" + request.id;
        Object event = approved
                ? new PushApproved(request.id, request.userId, request.domain, device.instanceId, request.dataHash, now)
                : new PushDenied(request.id, request.userId, request.domain, device.instanceId, request.dataHash, reason, now);
        return queries.decide(request.id, status, reason, device.instanceId, now,
                        outbox.row(new EventDraft(approved ? PushApproved.TYPE : PushDenied.TYPE, key, subject, event)))
                .chain(decided -> {
                    if (decided) {
                        return delivery.statusChanged(RequestView.of(request).with(status, now, device.instanceId, reason))
                                .replaceWith(new Decided(request.id, status, reason));
                    }
                    // Another answer won, the time ran out, or the device was revoked, between the checks and the update.
                    return queries.findIn(request.domain, request.id).map(current -> {
                        if (current.status == RequestStatus.PENDING && !current.isOverdue(now)) {
                            // Revoked meanwhile: it may no longer answer, as a device the request was not sent to.
                            throw PushRequestService.unknown(request.id);
                        }
                        if (current.status == RequestStatus.PENDING || current.status == RequestStatus.EXPIRED) {
                            throw expired(request.id);
                        }
                        throw answered(current);
                    });
                });
    }

    private static ProblemException answered(PushRequest request) {
        return new ProblemException(PushProblem.PUSH_REQUEST_ANSWERED, "The push request was answered already ("
                + request.status.wire() + "); this answer changes nothing");
    }

    private static ProblemException expired(String requestId) {
        return new ProblemException(PushProblem.PUSH_REQUEST_EXPIRED, "The push request " + requestId
                + " expired; this answer changes nothing");
    }
}
