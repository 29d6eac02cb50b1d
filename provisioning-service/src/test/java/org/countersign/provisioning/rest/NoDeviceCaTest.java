package org.countersign.provisioning.rest;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.P256;
import org.junit.jupiter.api.Test;

/** A deployment without a device CA starts, does everything else, and refuses online activation with a 503. */
@QuarkusTest
@TestProfile(DegradedDeployment.class)
class NoDeviceCaTest extends ActivationTestBase {

    @Test
    void enrolment_503_noAttemptUsed() throws Exception {
        Registration registration = registered("online", Instant.now().plusSeconds(600));
        enrol(enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(),
                P256.generateKeyPair()))).statusCode(503).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "device-ca-unavailable"));
        state(registration).body("status", equalTo("pending")).body("attemptsLeft", equalTo(5));
    }
}
