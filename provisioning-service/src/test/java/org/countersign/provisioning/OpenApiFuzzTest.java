package org.countersign.provisioning;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(ProvisioningProblem.class);
    }
}
