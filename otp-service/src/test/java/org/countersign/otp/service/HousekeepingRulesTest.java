package org.countersign.otp.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Housekeeping;
import org.countersign.otp.OtpTestBase;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** Challenges do not pile up: a week after they expired, the housekeeping job deletes them. */
@QuarkusTest
class HousekeepingRulesTest extends OtpTestBase {

    @Inject
    Housekeeping housekeeping;

    @Test
    void signingChallengeAWeekPastExpiry_purged_freshOneKept() throws Exception {
        String user = freshUser("hal");
        provision(user, "iid-" + UUID.randomUUID().toString().substring(0, 8), "SN-" + UUID.randomUUID().toString().substring(0, 8),
                "totp:sha1:6:30", Secret.random(32), Instant.now());
        String old = challenge(user);
        String fresh = challenge(user);
        execute("UPDATE signature_challenges SET expires_at = now() - interval '8 days' WHERE id = '" + old + "'");

        housekeeping.run();

        assertEquals(0, count("SELECT count(*) FROM signature_challenges WHERE id = '" + old + "'"));
        assertEquals(1, count("SELECT count(*) FROM signature_challenges WHERE id = '" + fresh + "'"));
    }

    private static String challenge(String user) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"message\":\"Pay ACME\",\"fields\":[]}")
                .when().post("/api/v1/signatures/challenges").then().statusCode(201).extract().path("challengeId");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=otp", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
