package org.countersign.otp;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.countersign.otp.domain.OfflineDataProblem;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    /** A seed that passed on the tree that set it (OpenApiFuzzTests#ciSeed; -Dcountersign.fuzz.seed=random explores). */
    @Override
    protected long ciSeed() {
        return 6451292736928095430L;
    }

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(OtpProblem.class, OfflineDataProblem.class);
    }

    /**
     * Offline data is issued after a PIN+OTP check made exactly as at a login: a wrong one is recorded
     * (OtpRejected, the failure count towards a lock) and then refused with credential-rejected.
     */
    @Override
    protected Set<ProblemKind> auditedRefusals() {
        return Set.of(OfflineDataProblem.CREDENTIAL_REJECTED);
    }
}
