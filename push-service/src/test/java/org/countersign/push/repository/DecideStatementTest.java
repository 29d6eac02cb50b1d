package org.countersign.push.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.PushApproved;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.push.domain.RequestStatus;
import org.junit.jupiter.api.Test;

/**
 * The statement that records an answer decides only for a device still active: the signature is
 * checked off the event loop between reading the device and deciding, and a revocation applied in that
 * gap must win (no approval, no PushApproved, the request still pending for the user's other devices).
 */
@QuarkusTest
class DecideStatementTest extends PushTestBase {

    @Inject
    PushRequestQueries queries;

    @Inject
    Outbox outbox;

    @Test
    void deviceRevokedWhileItsAnswerWasChecked_nothingDecided_thenAnActiveDevicesAnswerIs() throws Exception {
        String user = freshUser("vera");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode request = createRequest(user, "Sign in to Example Bank", null);
        String id = request.path("requestId").asText();

        update("UPDATE devices SET status = 'REVOKED' WHERE instance_id = '" + device.iid() + "'");
        assertFalse(decide(id, user, device, request));
        assertEquals(1, count("SELECT count(*) FROM push_requests WHERE id = '" + id + "' AND status = 'PENDING'"));
        assertEquals(0, count("SELECT count(*) FROM outbox_events WHERE subject = 'push-request/" + id + "'"
                + " AND event_type = '" + PushApproved.TYPE.ceType() + "'"));

        update("UPDATE devices SET status = 'ACTIVE' WHERE instance_id = '" + device.iid() + "'");
        assertTrue(decide(id, user, device, request));
        assertEquals(1, count("SELECT count(*) FROM push_requests WHERE id = '" + id + "' AND status = 'APPROVED'"));
        assertEquals(1, count("SELECT count(*) FROM outbox_events WHERE subject = 'push-request/" + id + "'"
                + " AND event_type = '" + PushApproved.TYPE.ceType() + "'"));
    }

    private boolean decide(String id, String user, TestDevice device, JsonNode request) {
        Instant now = Instant.now();
        Outbox.Row event = outbox.row(new EventDraft(PushApproved.TYPE, EventKey.of(user, DOMAIN), "push-request/" + id,
                new PushApproved(id, user, DOMAIN, device.iid(), dataHash(request), now)));
        return queries.decide(id, RequestStatus.APPROVED, null, device.iid(), now, event).await().indefinitely();
    }
}
