package org.countersign.provisioning;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.countersign.deviceauth.DeviceAuthProblem;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(ProvisioningProblem.class, DeviceAuthProblem.class);
    }

    /** registration-service, asked about registrations whose event has not arrived, does not run in these tests. */
    @Override
    protected Set<ProblemKind> dependencyOutages() {
        return Set.of(ProvisioningProblem.REGISTRATION_UNAVAILABLE);
    }
}
