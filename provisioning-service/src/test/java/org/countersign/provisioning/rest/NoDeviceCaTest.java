package org.countersign.provisioning.rest;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.Map;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.P256;
import org.countersign.testing.CountersignStackResource;
import org.junit.jupiter.api.Test;

/** A deployment without a device CA starts, does everything else, and refuses online activation with a 503. */
@QuarkusTest
@TestProfile(NoDeviceCaTest.WithoutCa.class)
class NoDeviceCaTest extends ActivationTestBase {

    public static class WithoutCa implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(CountersignStackResource.CA_KEY_KEY, "", CountersignStackResource.CA_CERTIFICATE_KEY, "");
        }
    }

    @Test
    void enrolment_503_noAttemptUsed() throws Exception {
        Registration registration = registered("online", Instant.now().plusSeconds(600));
        enrol(enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(),
                P256.generateKeyPair()))).statusCode(503).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "device-ca-unavailable"));
        state(registration).body("status", equalTo("pending")).body("attemptsLeft", equalTo(5));
    }
}
