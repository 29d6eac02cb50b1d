package org.countersign.provisioning.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import org.countersign.testing.CountersignStackResource;

/**
 * One application for the tests of a deployment short of something: no device CA, and no room for a device call
 * to wait for its registration's event (with a registration-service that answers only whether a registration exists). The tests that use it share one start (each profile is an application of
 * its own); each checks one shortage on a path the other does not reach.
 */
public class DegradedDeployment implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(CountersignStackResource.CA_KEY_KEY, "", CountersignStackResource.CA_CERTIFICATE_KEY, "",
                "countersign.provisioning.device-call-max-waiting", "0",
                "countersign.provisioning.registration.url", FakeRegistrationService.url());
    }
}
