package org.countersign.registration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.testing.TestTokens;
import org.countersign.testing.fuzz.TableSnapshot;
import org.countersign.web.ProblemKind;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing {@code OpenApiFuzzTests}). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    /** A seed that passed on the tree that set it (OpenApiFuzzTests#ciSeed; -Dcountersign.fuzz.seed=random explores). */
    @Override
    protected long ciSeed() {
        return 2063143745473227565L;
    }

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(RegistrationProblem.class);
    }

    /** The fuzzer's "no table changed" can fail: a valid write shows in the snapshot, a refused one does not. */
    @Test
    void tableSnapshot_seesAValidWrite_notARefusedOne() throws Exception {
        Config config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"), "")) {
            Map<String, Set<String>> ignored = Map.of("outbox_events", Set.of("published_at"));
            TableSnapshot before = TableSnapshot.take(connection, List.of("registration"), ignored);
            given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                    .when().put("/api/v1/users/a|b").then().statusCode(400);
            assertEquals(List.of(), TableSnapshot.take(connection, List.of("registration"), ignored).changesSince(before));
            given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                    .when().put("/api/v1/users/snapshot-" + System.nanoTime()).then().statusCode(200);
            List<String> changes = TableSnapshot.take(connection, List.of("registration"), ignored).changesSince(before);
            assertTrue(changes.stream().anyMatch(c -> c.startsWith("registration.users:")), changes.toString());
        }
    }
}
