package org.countersign.otp.events;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.LicenceReleased;
import org.countersign.events.payload.TokenImported;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.otp.OtpTestBase;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.junit.jupiter.api.Test;

/**
 * Licences changing hands, with events in the orders the topics allow: licence changes are keyed by
 * licence, deactivations by user, and events written before that key was used may come in any order.
 */
@QuarkusTest
class LicenceOwnershipTest extends OtpTestBase {

    private static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T10:05:00Z");
    private static final Instant T3 = Instant.parse("2026-11-23T10:10:00Z");

    @Test
    void reassigned_olderAssignmentAndReleaseArriveLast_newOwnerKeepsTheToken() throws Exception {
        String alice = freshUser("alice");
        String bob = freshUser("bob");
        String serial = importHotpToken();
        String key = "licence:" + serial + "@" + DOMAIN;
        String last = UUID.randomUUID().toString();
        publish(Topics.REGISTRATIONS, key, LicenceAssigned.TYPE.ceType(), assigned(serial, bob, T3));
        publish(Topics.REGISTRATIONS, key, LicenceAssigned.TYPE.ceType(), assigned(serial, alice, T1));
        publish(Topics.REGISTRATIONS, key, LicenceReleased.TYPE.ceType(), "{\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\""
                + serial + "\",\"userId\":\"" + alice + "\",\"releasedAt\":\"" + T2 + "\"}", last);
        awaitProcessed(last);

        verify(alice, RFC4226[0], null).body("result", equalTo("rejected"));
        verify(bob, RFC4226[0], null).body("result", equalTo("accepted")).body("serialNumber", equalTo(serial));
    }

    @Test
    void ownerDeactivatedBeforeTheAssignmentArrives_tokenStartsDisabled() throws Exception {
        String carol = freshUser("carol");
        String serial = importHotpToken();
        String last = UUID.randomUUID().toString();
        publish(Topics.REGISTRATIONS, carol + "@" + DOMAIN, UserDeactivated.TYPE.ceType(), "{\"userId\":\"" + carol
                + "\",\"domain\":\"" + DOMAIN + "\",\"deactivatedAt\":\"" + T2 + "\"}");
        publish(Topics.REGISTRATIONS, carol + "@" + DOMAIN, LicenceAssigned.TYPE.ceType(), assigned(serial, carol, T1), last);
        awaitProcessed(last);

        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + serial + "' AND status = 'DISABLED'"));
        verify(carol, RFC4226[0], null).body("result", equalTo("rejected"));
    }

    /** RFC 4226's seed as an imported HOTP token of a fresh serial, assigned to nobody yet. */
    private String importHotpToken() throws Exception {
        String serial = "SN" + UUID.randomUUID().toString().substring(0, 8);
        String sealedSeed = TestSealing.sealFor("otp", Secret.copyOf(SEED), TokenImported.seedBinding(DOMAIN, serial)).toText();
        publish(Topics.INTERNAL_CREDENTIALS, "licences@" + DOMAIN, TokenImported.TYPE.ceType(), "{\"serialNumber\":\"" + serial
                + "\",\"domain\":\"" + DOMAIN + "\",\"otp\":\"hotp:sha1:6\",\"counter\":0,\"sealedSeed\":\"" + sealedSeed
                + "\",\"importedAt\":\"" + T1 + "\"}");
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE serial_number = '" + serial + "'") == 1, "the token arrives");
        return serial;
    }

    private static String assigned(String serial, String user, Instant at) {
        return "{\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"userId\":\"" + user
                + "\",\"authenticatorType\":\"hardware-token\",\"assignedAt\":\"" + at + "\"}";
    }

    private void awaitProcessed(String eventId) throws Exception {
        awaitTrue(() -> count("SELECT count(*) FROM processed_events WHERE event_id = '" + eventId + "'") == 1,
                "the last event is applied, and with it every one before it on its partition");
    }
}
