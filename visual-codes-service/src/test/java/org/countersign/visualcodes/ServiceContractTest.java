package org.countersign.visualcodes;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.testing.ServiceContractTests;

@QuarkusTest
class ServiceContractTest extends ServiceContractTests {

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of();
    }
}
