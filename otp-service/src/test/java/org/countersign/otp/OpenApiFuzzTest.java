package org.countersign.otp;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.otp.domain.OfflineDataProblem;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(OtpProblem.class, OfflineDataProblem.class);
    }
}
