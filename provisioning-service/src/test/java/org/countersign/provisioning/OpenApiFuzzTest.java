package org.countersign.provisioning;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.countersign.deviceauth.DeviceAuthProblem;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/**
 * Malformed requests to every endpoint of this service's OpenAPI (libs/testing {@code OpenApiFuzzTests}),
 * beside a registration-service that knows none of the fuzzer's registrations: a device call for a
 * registration this service has not seen asks registration-service (decision 16), and without one the
 * answer is the 503 of a dependency that is down, which is not what malformed input should show.
 */
@QuarkusTest
@TestProfile(OpenApiFuzzTest.WithRegistrationService.class)
class OpenApiFuzzTest extends OpenApiFuzzTests {

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        // The device's own view (GET /api/v1/devices/me) answers libs/device-auth's invalid-device-token.
        return List.of(ProvisioningProblem.class, DeviceAuthProblem.class);
    }

    public static class WithRegistrationService implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NoRegistrations.class));
        }
    }

    /** A real HTTP server on loopback that answers every registration lookup with 404. */
    public static class NoRegistrations implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            server.start();
            return Map.of("countersign.provisioning.registration.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
