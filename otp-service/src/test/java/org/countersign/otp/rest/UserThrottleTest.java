package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Guessing across a user's credentials: each credential allows 5 failures per 5 minutes, the user
 * 10 whatever credential they name. Three tokens make 4 + 4 + 2 failures: no credential reaches
 * its limit, the user does.
 */
@QuarkusTest
class UserThrottleTest extends OtpTestBase {

    private static final OtpPolicy HOTP = OtpPolicy.parse("hotp:sha1:6");
    private static final byte[][] SEEDS = {seed('a'), seed('b'), seed('c')};

    @Test
    void user_failuresSpreadOverThreeCredentials_userLockedNotTheCredentials() throws Exception {
        String user = freshUser("uri");
        String[] serials = tokens(user);
        guess(user, serials);
        verify(user, code(2, 0), serials[2]).body("result", equalTo("locked"))
                .body("retryAfter", allOf(greaterThan(0), lessThanOrEqualTo(300)));
        verify(user, code(0, 0), null).body("result", equalTo("locked"));
        // The credentials themselves are not locked: this is the user's lock.
        admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().statusCode(200)
                .body("lockCount", everyItem(equalTo(0))).body("lockedUntil", everyItem(nullValue()));
        // Resynchronisation is refused while the user is locked.
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serials[0] + "\",\"first\":\"" + code(0, 0)
                        + "\",\"second\":\"" + code(0, 1) + "\"}")
                .when().post("/api/v1/otp/resync").then().statusCode(200).body("result", equalTo("locked"));
        // The lock lasts its duration, then the right code is accepted (it was never consumed).
        clock.pin(Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(1));
        verify(user, code(2, 0), serials[2]).body("result", equalTo("accepted"));
    }

    @Test
    void user_lockedThenAdminUnlocks_opensAtOnce() throws Exception {
        String user = freshUser("ulla");
        String[] serials = tokens(user);
        guess(user, serials);
        verify(user, code(1, 0), null).body("result", equalTo("locked"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).when()
                .post("/api/v1/otp/admin/users/" + user + "/unlock").then().statusCode(403);
        // Another domain's admin unlocks its own user of that name, not ours.
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).when()
                .post("/api/v1/otp/admin/users/" + user + "/unlock").then().statusCode(204);
        verify(user, code(1, 0), null).body("result", equalTo("locked"));
        admin().when().post("/api/v1/otp/admin/users/" + user + "/unlock").then().statusCode(204);
        verify(user, code(1, 0), null).body("result", equalTo("accepted"));
    }

    @Test
    void user_whileRedisIsDown_stillCountedAndLockedThroughPostgres() throws Exception {
        String user = freshUser("ursa");
        String[] serials = tokens(user);
        SharedStack.get().stopRedis();
        try {
            guess(user, serials);
            assertEquals(1, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND locked_until > now()"));
            verify(user, code(0, 0), serials[0]).body("result", equalTo("locked"));
        } finally {
            SharedStack.get().restartRedis();
        }
        verify(user, code(0, 0), serials[0]).body("result", equalTo("locked"));
    }

    @Test
    void user_successDoesNotForgiveFailures_ofThePeriod() throws Exception {
        String user = freshUser("uwe");
        String[] serials = tokens(user);
        for (int i = 0; i < 4; i++) {
            verify(user, "000000", serials[0]).body("result", equalTo("rejected"));
            verify(user, "000000", serials[1]).body("result", equalTo("rejected"));
        }
        verify(user, code(2, 0), serials[2]).body("result", equalTo("accepted"));
        verify(user, "000000", serials[2]).body("result", equalTo("rejected"));
        verify(user, "000000", serials[2]).body("result", equalTo("rejected"));
        verify(user, code(2, 1), serials[2]).body("result", equalTo("locked"));
    }

    private void guess(String user, String[] serials) {
        int[] misses = {4, 4, 2};
        for (int t = 0; t < serials.length; t++) {
            for (int i = 0; i < misses[t]; i++) {
                verify(user, "000000", serials[t]).body("result", equalTo("rejected"));
            }
        }
    }

    private String[] tokens(String user) throws Exception {
        String[] serials = new String[SEEDS.length];
        for (int i = 0; i < SEEDS.length; i++) {
            serials[i] = token("hotp:sha1:6", user, SEEDS[i]);
        }
        for (int i = 0; i < SEEDS.length; i++) {
            for (int counter = 0; counter <= 12; counter++) {
                // A miss must be a miss for every token: no seed may show 000000 within reach.
                if (code(i, counter).equals("000000")) {
                    throw new IllegalStateException("pick other seeds");
                }
            }
        }
        return serials;
    }

    /** The token plays its part: the library's HOTP is checked against RFC 4226 on its own. */
    private static String code(int token, long counter) {
        return Otp.at(HOTP, Secret.copyOf(SEEDS[token]), counter);
    }

    private static byte[] seed(char c) {
        return String.valueOf(c).repeat(20).getBytes(StandardCharsets.US_ASCII);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"));
    }
}
