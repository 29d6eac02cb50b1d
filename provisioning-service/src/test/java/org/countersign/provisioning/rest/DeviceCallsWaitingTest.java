package org.countersign.provisioning.rest;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.P256;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The device routes take no token, so the calls that wait for a registration's event are bounded per
 * replica (here to none): one more is answered 503 at once instead of holding a call and its looks at
 * the table; a registration already known is not affected.
 */
@QuarkusTest
@TestProfile(DeviceCallsWaitingTest.NoRoomToWait.class)
class DeviceCallsWaitingTest extends ActivationTestBase {

    public static class NoRoomToWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.provisioning.device-call-max-waiting", "0");
        }
    }

    @Test
    void anEnrolmentThatWouldWait_503AtOnceWithRetryAfter_aKnownRegistrationEnrols() throws Exception {
        Registration unknown = new Registration(UUID.randomUUID().toString(), "SN-W", "nobody", Secret.random(20));
        enrol(enrolment(unknown, EnrolmentRequest.create(unknown.ap(), unknown.rid(), unknown.sn(), P256.generateKeyPair())))
                .statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                .body("type", equalTo(PROBLEMS + "device-calls-waiting"));

        Registration known = registered("online", Instant.now().plusSeconds(600));
        enrol(enrolment(known, EnrolmentRequest.create(known.ap(), known.rid(), known.sn(), P256.generateKeyPair())))
                .statusCode(201);
    }
}
