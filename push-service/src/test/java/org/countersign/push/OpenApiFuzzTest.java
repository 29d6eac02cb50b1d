package org.countersign.push;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.deviceauth.DeviceAuthProblem;
import org.countersign.push.domain.PushProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(PushProblem.class, DeviceAuthProblem.class);
    }
}
