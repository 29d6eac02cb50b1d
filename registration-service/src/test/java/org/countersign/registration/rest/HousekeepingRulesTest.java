package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.countersign.registration.rest.RegistrationApi.licences;
import static org.countersign.registration.rest.RegistrationApi.mdl;
import static org.countersign.registration.rest.RegistrationApi.offline;
import static org.countersign.registration.rest.RegistrationApi.register;
import static org.countersign.registration.rest.RegistrationApi.token;
import static org.countersign.registration.rest.RegistrationApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.countersign.events.Housekeeping;
import org.countersign.testing.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Registrations that ended without an authenticator are purged after their retention; the rest stay. */
@QuarkusTest
class HousekeepingRulesTest {

    @Inject
    Housekeeping housekeeping;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void cancelledLongAgo_purged_recentAndPendingKept() throws Exception {
        String serial = unique("SN");
        licences(TestTokens.DOMAIN, mdl(serial, "hardware-offline", 3));
        String user = unique("hugo");
        String old = register(TestTokens.DOMAIN, offline(user, serial)).statusCode(201).extract().path("registrationId");
        String recent = register(TestTokens.DOMAIN, offline(user, serial)).statusCode(201).extract().path("registrationId");
        String pending = register(TestTokens.DOMAIN, offline(user, serial)).statusCode(201).extract().path("registrationId");
        for (String rid : new String[] {old, recent}) {
            given().header("Authorization", token(TestTokens.DOMAIN)).when().delete("/api/v1/registrations/" + rid).then()
                    .statusCode(204);
        }
        execute("UPDATE registrations SET closed_at = now() - interval '91 days' WHERE id = '" + old + "'");

        housekeeping.run();

        assertEquals(0, count("SELECT count(*) FROM registrations WHERE id = '" + old + "'"));
        assertEquals(1, count("SELECT count(*) FROM registrations WHERE id = '" + recent + "'"));
        assertEquals(1, count("SELECT count(*) FROM registrations WHERE id = '" + pending + "'"));
    }

    private Connection connection() throws Exception {
        return DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=registration",
                "postgres", "");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(String sql) throws Exception {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
