package org.countersign.otp;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.testing.ServiceContractTests;

@QuarkusTest
class ServiceContractTest extends ServiceContractTests {

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Reactive PostgreSQL connections health check", "Redis connection health check", "Kafka connection health check");
    }
}
