package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.countersign.events.Topics;
import org.countersign.events.payload.CredentialLocked;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * Guessing is throttled on the database's word, before anything is evaluated: an attempt is reserved
 * atomically against the credential's and the user's budgets, so parallel guesses cannot all be
 * checked; the count lives in PostgreSQL, so a Redis flush forgives nothing; and locks escalate
 * instead of locking the owner out for good. The work done is counted through the service's metrics
 * (Argon2id derivations, attempts reserved and refused), never timed.
 */
@QuarkusTest
class ThrottleTest extends OtpTestBase {

    private static final String PIN = "246813";
    private static final OtpPolicy HOTP = OtpPolicy.parse("hotp:sha1:6");

    @Inject
    MeterRegistry registry;

    @Inject
    RedisDataSource redis;

    @Test
    void guessing_twentyWrongPinOtpAtOnce_onlyTheCredentialsBudgetOfFiveEvaluated_restLocked() throws Exception {
        String user = freshUser("paula");
        token("hotp:sha1:6", user);
        setPin(user, PIN);
        double derivations = derivations();
        double reserved = attempts("reserved");
        double refused = attempts("refused");
        List<HttpResponse<String>> answers = postAll("/api/v1/otp/verify", DOMAIN,
                Collections.nCopies(20, "{\"userId\":\"" + user + "\",\"credential\":\"" + PIN + "000000\"}"), "otp");

        assertEquals(5, derivations() - derivations, "exactly the budget was evaluated (one Argon2id each)");
        assertEquals(5, attempts("reserved") - reserved);
        assertEquals(15, attempts("refused") - refused);
        assertEquals(5, answers.stream().filter(a -> a.body().equals("{\"result\":\"rejected\"}")).count(), bodies(answers));
        assertEquals(15, answers.stream().filter(a -> a.body().contains("\"locked\"")).count(), bodies(answers));
        assertTrue(answers.stream().allMatch(a -> a.statusCode() == 200), bodies(answers));
        // The right PIN and code are refused while the lock lasts, and were never consumed.
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("locked"));
        clock.pin(Instant.now().plus(Duration.ofMinutes(1)).plusSeconds(1));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void guessing_thirtyAtOnceOverThreeTokens_onlyTheUsersBudgetOfTenEvaluated() throws Exception {
        String user = freshUser("pablo");
        List<String> bodies = new ArrayList<>();
        for (char seed : new char[]{'d', 'e', 'f'}) {
            String serial = token("hotp:sha1:6", user, String.valueOf(seed).repeat(20).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 10; i++) {
                bodies.add("{\"userId\":\"" + user + "\",\"credential\":\"000000\",\"serialNumber\":\"" + serial + "\"}");
            }
        }
        double reserved = attempts("reserved");
        double refused = attempts("refused");
        List<HttpResponse<String>> answers = postAll("/api/v1/otp/verify", DOMAIN, bodies, "otp");

        // Each token allows 5, the three 15, the user 10: the user's budget decides.
        assertEquals(10, attempts("reserved") - reserved);
        assertEquals(20, attempts("refused") - refused);
        assertEquals(10, answers.stream().filter(a -> a.body().equals("{\"result\":\"rejected\"}")).count(), bodies(answers));
        assertEquals(1, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND locked_until IS NOT NULL"));
    }

    @Test
    void failures_redisFlushedMidway_stillCounted() throws Exception {
        String user = freshUser("flora");
        token("hotp:sha1:6", user);
        for (int i = 0; i < 4; i++) {
            verify(user, "000000", null).body("result", equalTo("rejected"));
        }
        redis.flushall();
        verify(user, "000000", null).body("result", equalTo("rejected"));
        verify(user, RFC4226[0], null).body("result", equalTo("locked"));
    }

    /**
     * 15 wrong codes over about 10 minutes used to lock the credential until an admin came. Now each
     * lock in a row lasts longer (1, 5, 15 minutes by default), and the right code opens it after the
     * third as after the first; the events say until when.
     */
    @Test
    void guessing_fifteenWrongCodesInTenMinutes_locksEscalate_neverForGood() throws Exception {
        String user = freshUser("gus");
        String serial = token("hotp:sha1:6", user);
        Instant start = Instant.now();
        long[] minutes = {1, 5, 15};
        Instant at = start;
        for (long lock : minutes) {
            clock.pin(at);
            for (int i = 0; i < 5; i++) {
                verify(user, "000000", serial).body("result", equalTo("rejected"));
            }
            verify(user, RFC4226[0], serial).body("result", equalTo("locked")).body("retryAfter", equalTo((int) lock * 60));
            at = at.plus(Duration.ofMinutes(lock)).plusSeconds(1);
        }
        admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then()
                .body("[0].status", equalTo("ACTIVE")).body("[0].lockCount", equalTo(3));
        clock.pin(at);
        verify(user, RFC4226[0], serial).body("result", equalTo("accepted"));
        // A success starts the row afresh: the next lock is a short one again.
        admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().body("[0].lockCount", equalTo(0));

        List<String> until = new ArrayList<>();
        awaitTrue(() -> {
            until.clear();
            TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key())
                            && CredentialLocked.TYPE.ceType().equals(new String(r.headers().lastHeader("ce_type").value(),
                            StandardCharsets.UTF_8)))
                    .forEach(r -> until.add(new String(r.value(), StandardCharsets.UTF_8)));
            return until.size() == 3;
        }, "three CredentialLocked events");
        assertTrue(until.stream().allMatch(e -> e.contains("\"lockedUntil\"")), until.toString());
    }

    @Test
    void permanentLocks_optInPerDomain_tenantAdminSetsItsOwnOnly() throws Exception {
        String domain = "bank-settings.test";
        given().header("Authorization", TestTokens.bearer(domain, "otp-admin")).when().get("/api/v1/otp/admin/settings").then()
                .statusCode(200).body("domain", equalTo(domain)).body("permanentLockAfter", nullValue());
        given().header("Authorization", TestTokens.bearer(domain, "otp-admin")).contentType("application/json")
                .body("{\"permanentLockAfter\":1}").when().put("/api/v1/otp/admin/settings").then().statusCode(200);
        // Another domain's tenant admin may not name it; the cross-tenant admin may.
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "otp-admin")).queryParam("domain", domain)
                .when().get("/api/v1/otp/admin/settings").then().statusCode(403)
                .body("type", equalTo("https://countersign.org/problems/forbidden"));
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).queryParam("domain", domain)
                .when().get("/api/v1/otp/admin/settings").then().statusCode(200).body("permanentLockAfter", equalTo(1));
        given().header("Authorization", TestTokens.bearer(domain, "otp")).when().get("/api/v1/otp/admin/settings").then()
                .statusCode(403);
        for (String bad : new String[]{"0", "21", "-1", "\"x\"", "99999999999"}) {
            given().header("Authorization", TestTokens.bearer(domain, "otp-admin")).contentType("application/json")
                    .body("{\"permanentLockAfter\":" + bad + "}").when().put("/api/v1/otp/admin/settings").then().statusCode(400)
                    .contentType("application/problem+json");
        }

        String user = freshUser("perm");
        tokenIn(domain, "hotp:sha1:6", user, SEED);
        for (int i = 0; i < 5; i++) {
            verifyIn(domain, user, "000000", null).statusCode(200).body("result", equalTo("rejected"));
        }
        clock.pin(Instant.now().plus(Duration.ofDays(1)));
        verifyIn(domain, user, RFC4226[0], null).statusCode(200).body("result", equalTo("locked"))
                .body("retryAfter", nullValue());
        // Opting out again does not lift a lock that is permanent already; an admin does.
        given().header("Authorization", TestTokens.bearer(domain, "otp-admin")).contentType("application/json")
                .body("{\"permanentLockAfter\":null}").when().put("/api/v1/otp/admin/settings").then().statusCode(200)
                .body("permanentLockAfter", nullValue());
        verifyIn(domain, user, RFC4226[0], null).statusCode(200).body("result", equalTo("locked"));
    }

    /** The token plays its part: the library's HOTP is checked against RFC 4226 on its own. */
    static String code(byte[] seed, long counter) {
        return Otp.at(HOTP, Secret.copyOf(seed), counter);
    }

    private double derivations() {
        return registry.counter("countersign.otp.pin.derivations").count();
    }

    private double attempts(String result) {
        return registry.counter("countersign.otp.attempts", "result", result).count();
    }

    private static String bodies(List<HttpResponse<String>> answers) {
        return answers.stream().map(a -> a.statusCode() + " " + a.body()).toList().toString();
    }

    private static void setPin(String user, String pin) {
        admin().contentType("application/json").body("{\"pin\":\"" + pin + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"));
    }
}
