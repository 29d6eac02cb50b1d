package org.countersign.provisioning.rest;

import static org.hamcrest.Matchers.equalTo;

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
 * the table; a registration already known is not held by the bound.
 */
@QuarkusTest
@TestProfile(DegradedDeployment.class)
class DeviceCallsWaitingTest extends ActivationTestBase {

    @Test
    void anEnrolmentThatWouldWait_503AtOnceWithRetryAfter_aKnownRegistrationPassesTheBound() throws Exception {
        Registration unknown = new Registration(UUID.randomUUID().toString(), "SN-W", "nobody", Secret.random(20));
        enrol(enrolment(unknown, EnrolmentRequest.create(unknown.ap(), unknown.rid(), unknown.sn(), P256.generateKeyPair())))
                .statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                .body("type", equalTo(PROBLEMS + "device-calls-waiting"));

        // The profile has no device CA either: a known registration passes the bound and gets as far as the CA.
        Registration known = registered("online", Instant.now().plusSeconds(600));
        enrol(enrolment(known, EnrolmentRequest.create(known.ap(), known.rid(), known.sn(), P256.generateKeyPair())))
                .statusCode(503).body("type", equalTo(PROBLEMS + "device-ca-unavailable"));
    }
}
