package org.countersign.provisioning.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.UUID;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.P256;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The device routes take no token, so the calls that wait for a registration's event are bounded per
 * replica (here to none): one more is answered 503 at once instead of holding a call and its looks at
 * the table; a registration already known is not held by the bound. A made-up registration id never
 * gets as far as the bound: registration-service, asked first, does not know it, and it is a 404 at once.
 */
@QuarkusTest
@TestProfile(DegradedDeployment.class)
class DeviceCallsWaitingTest extends ActivationTestBase {

    @Test
    void madeUpRegistrationIds_404AtOnce_neverHoldAWait() throws Exception {
        int askedBefore = FakeRegistrationService.asked();
        for (int i = 0; i < 5; i++) {
            Registration madeUp = new Registration(UUID.randomUUID().toString(), "SN-M", "nobody", Secret.random(20));
            // With no room to wait, a call that tried to wait would be the 503 below.
            enrol(enrolment(madeUp, EnrolmentRequest.create(madeUp.ap(), madeUp.rid(), madeUp.sn(), P256.generateKeyPair())))
                    .statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "unknown-registration"));
            confirm(madeUp, "{\"instanceId\":\"" + UUID.randomUUID() + "\",\"code\":\"12345678\",\"signature\":\"AAAA\"}")
                    .statusCode(404).body("type", equalTo(PROBLEMS + "unknown-registration"));
        }
        assertEquals(10, FakeRegistrationService.asked() - askedBefore, "registration-service was asked once a call");
    }

    @Test
    void anEnrolmentThatWouldWait_503AtOnceWithRetryAfter_aKnownRegistrationPassesTheBound() throws Exception {
        // registration-service has it, its event has not come: the call would wait, and there is no room.
        Registration early = new Registration(UUID.randomUUID().toString(), "SN-W", "nobody", Secret.random(20));
        FakeRegistrationService.known(early.rid());
        enrol(enrolment(early, EnrolmentRequest.create(early.ap(), early.rid(), early.sn(), P256.generateKeyPair())))
                .statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                .body("type", equalTo(PROBLEMS + "device-calls-waiting"));

        // The profile has no device CA either: a known registration passes the bound and gets as far as the CA.
        Registration known = registered("online", Instant.now().plusSeconds(600));
        enrol(enrolment(known, EnrolmentRequest.create(known.ap(), known.rid(), known.sn(), P256.generateKeyPair())))
                .statusCode(503).body("type", equalTo(PROBLEMS + "device-ca-unavailable"));
    }
}
