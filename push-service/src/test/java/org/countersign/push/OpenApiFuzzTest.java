package org.countersign.push;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.countersign.deviceauth.DeviceAuthProblem;
import org.countersign.push.domain.PushProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
@TestProfile(OpenApiFuzzTest.BulkJobsWait.class)
class OpenApiFuzzTest extends OpenApiFuzzTests {

    /** A seed that passed on the tree that set it (OpenApiFuzzTests#ciSeed; -Dcountersign.fuzz.seed=random explores). */
    @Override
    protected long ciSeed() {
        return 3618120614447760343L;
    }

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(PushProblem.class, DeviceAuthProblem.class);
    }

    /**
     * An accepted bulk job is applied by a worker later, between the fuzzer's table probes, where it would
     * look like a refused request's change; here accepted jobs wait (PushUsersTest covers the worker), and
     * as many as the fuzzer sends may wait at once (PushUsersTest covers the per-domain cap).
     */
    public static class BulkJobsWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.push.bulk.poll-interval", "1h", "countersign.push.bulk.max-running-per-domain", "100000");
        }
    }
}
