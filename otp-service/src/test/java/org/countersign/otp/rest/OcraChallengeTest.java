package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.countersign.events.Topics;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.TokenImported;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Ocra;
import org.countersign.protocol.OcraInput;
import org.countersign.protocol.OcraSuite;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * OCRA challenge-response (RFC 6287) on the real stack: tokens arrive as a PSKC import sends them
 * (TokenImported with an ocraSuite and the RFC 6287 Appendix C keys), the token side is libs/protocol's
 * Ocra, and every check goes through the API.
 */
@QuarkusTest
class OcraChallengeTest extends OtpTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAIN = "OCRA-1:HOTP-SHA1-6:QN08";
    /** RFC 6287 C.1 has this counter suite without a PIN. */
    private static final String COUNTER = "OCRA-1:HOTP-SHA512-8:C-QN08";
    /** RFC 6287 C.1 and C.3 use T1M. */
    private static final String TIME = "OCRA-1:HOTP-SHA512-8:QN08-T1M";
    private static final byte[] KEY20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY64 = "1234567890123456789012345678901234567890123456789012345678901234"
            .getBytes(StandardCharsets.US_ASCII);
    private static final String PROBLEMS = "https://countersign.org/problems/";

    @TestHTTPResource("/api/v1/otp/challenges/verify")
    URI verifyUri;

    /** A user holding an imported OCRA token whose key the test knows. */
    private record Token(String user, String serial, OcraSuite suite, byte[] key) {

        String respond(String question, Long counter, Long timeStep) {
            OcraInput.Builder input = OcraInput.builder().question(question);
            if (counter != null) {
                input.counter(counter);
            }
            if (timeStep != null) {
                input.timeStep(timeStep);
            }
            return Ocra.response(suite, Secret.copyOf(key), input.build());
        }

        String respond(String question) {
            return respond(question, null, null);
        }
    }

    private Token ocraToken(String name, String suite, byte[] key) throws Exception {
        return ocraToken(freshUser(name), suite, key, true);
    }

    /** Imports an OCRA token as the registration-service's PSKC import sends it, and assigns it to the user. */
    private Token ocraToken(String user, String suite, byte[] key, boolean unused) throws Exception {
        String serial = "OC" + UUID.randomUUID().toString().substring(0, 8);
        boolean counter = suite.contains(":C-");
        String imported = "{\"serialNumber\":\"" + serial + "\",\"domain\":\"" + DOMAIN + "\",\"ocraSuite\":\"" + suite + "\","
                + (counter ? "\"counter\":0," : "") + "\"sealedSeed\":\"" + TestSealing.sealFor("otp", Secret.copyOf(key), TokenImported.seedBinding(DOMAIN, serial)).toText()
                + "\",\"importedAt\":\"2026-11-23T10:00:00Z\"}";
        String assigned = "{\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"userId\":\"" + user
                + "\",\"authenticatorType\":\"hardware-token\",\"assignedAt\":\"2026-11-23T10:00:00Z\"}";
        publish(Topics.INTERNAL_CREDENTIALS, "licences@" + DOMAIN, TokenImported.TYPE.ceType(), imported);
        publish(Topics.REGISTRATIONS, user + "@" + DOMAIN, LicenceAssigned.TYPE.ceType(), assigned);
        awaitTrue(() -> count("SELECT count(*) FROM credentials c JOIN licence_owners o ON o.domain = c.domain"
                + " AND o.serial_number = c.serial_number WHERE c.serial_number = '" + serial + "' AND c.kind = 'OCRA'") == 1,
                "the token arrives");
        OcraSuite parsed;
        try {
            parsed = OcraSuite.parse(suite);
        } catch (IllegalArgumentException e) {
            parsed = null; // a suite libs/protocol refuses: imported all the same
        }
        return new Token(user, serial, parsed, key);
    }

    private static ValidatableResponse challenge(String tokenDomain, String body) {
        return given().header("Authorization", TestTokens.bearer(tokenDomain, "otp")).contentType("application/json").body(body)
                .when().post("/api/v1/otp/challenges").then();
    }

    private static String body(String user, String serial, Integer ttl) {
        ObjectNode body = JSON.createObjectNode().put("userId", user);
        if (serial != null) {
            body.put("serialNumber", serial);
        }
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        return body.toString();
    }

    /** challengeId and question of a new challenge for the user's token. */
    private static String[] ask(Token token) {
        var created = challenge(DOMAIN, body(token.user(), null, null)).statusCode(201)
                .contentType("application/json")
                .body("suite", equalTo(token.suite().format())).body("serialNumber", equalTo(token.serial()))
                .body("expiresAt", notNullValue()).extract();
        String question = created.path("challenge");
        assertTrue(question.matches("[0-9]{8}"), question);
        return new String[] {created.path("challengeId"), question};
    }

    private static ValidatableResponse verifyOcra(String tokenDomain, String challengeId, String response, String userId) {
        ObjectNode body = JSON.createObjectNode().put("challengeId", challengeId).put("response", response);
        if (userId != null) {
            body.put("userId", userId);
        }
        return given().header("Authorization", TestTokens.bearer(tokenDomain, "otp")).contentType("application/json")
                .body(body.toString()).when().post("/api/v1/otp/challenges/verify").then();
    }

    private static ValidatableResponse answer(String challengeId, String response) {
        return verifyOcra(DOMAIN, challengeId, response, null).statusCode(200);
    }

    private static String wrong(String right) {
        char last = right.charAt(right.length() - 1);
        return right.substring(0, right.length() - 1) + (last == '0' ? '1' : '0');
    }

    @Test
    void plainSuite_rightResponseAcceptedOnce_secondUseRejected_neverStored() throws Exception {
        Token token = ocraToken("ocra-ok", PLAIN, KEY20);
        // The token side is RFC 6287's: C.1, OCRA-1:HOTP-SHA1-6:QN08, Q=00000000.
        assertEquals("237653", token.respond("00000000"));
        String[] challenge = ask(token);
        String response = token.respond(challenge[1]);
        answer(challenge[0], response).body("result", equalTo("accepted"));
        answer(challenge[0], response).body("result", equalTo("rejected"));
        assertEquals(1, count("SELECT count(*) FROM ocra_challenges WHERE id = '" + challenge[0] + "' AND status = 'ACCEPTED'"
                + " AND challenge = '" + challenge[1] + "' AND suite = '" + PLAIN + "'"));
        String mine = " WHERE event_key = '" + token.user() + "@" + DOMAIN + "'";
        assertEquals(1, count("SELECT count(*) FROM outbox_events" + mine
                + " AND event_type = 'org.countersign.authentication.otp-verified.v1' AND payload LIKE '%" + token.serial() + "%'"));
        assertEquals(1, count("SELECT count(*) FROM outbox_events" + mine
                + " AND event_type = 'org.countersign.authentication.otp-rejected.v1'"));
        assertEquals(0, count("SELECT count(*) FROM outbox_events" + mine + " AND payload LIKE '%" + response + "%'"));
    }

    @Test
    void wrongResponse_rejected_challengeStaysOpen_guessingLocksLikeOtps() throws Exception {
        Token token = ocraToken("ocra-wrong", PLAIN, KEY20);
        String[] challenge = ask(token);
        String response = token.respond(challenge[1]);
        answer(challenge[0], wrong(response)).body("result", equalTo("rejected"));
        // A response of another length is a wrong response, not a 400.
        answer(challenge[0], response + "0").body("result", equalTo("rejected"));
        answer(challenge[0], response).body("result", equalTo("accepted"));

        String[] next = ask(token);
        String right = token.respond(next[1]);
        for (int i = 0; i < 5; i++) {
            answer(next[0], wrong(right)).body("result", equalTo("rejected"));
        }
        answer(next[0], right).body("result", equalTo("locked")).body("retryAfter", notNullValue());
    }

    @Test
    void expired_rightResponseRejected() throws Exception {
        Token token = ocraToken("ocra-expired", PLAIN, KEY20);
        Instant now = Instant.now();
        clock.pin(now);
        var created = challenge(DOMAIN, body(token.user(), null, 30)).statusCode(201).extract();
        assertEquals(now.plusSeconds(30).truncatedTo(ChronoUnit.SECONDS), Instant.parse(created.path("expiresAt")));
        clock.pin(now.plusSeconds(31));
        answer(created.path("challengeId"), token.respond(created.path("challenge"))).body("result", equalTo("rejected"));
    }

    @Test
    void tokenDisabledAfterTheChallenge_rightResponseRejected_countsNothing() throws Exception {
        Token token = ocraToken("ocra-disabled", PLAIN, KEY20);
        String[] challenge = ask(token);
        assertEquals(1, count("WITH u AS (UPDATE credentials SET status = 'DISABLED' WHERE serial_number = '" + token.serial()
                + "' RETURNING 1) SELECT count(*) FROM u"));
        answer(challenge[0], token.respond(challenge[1])).body("result", equalTo("rejected"));
        assertEquals(1, count("SELECT count(*) FROM ocra_challenges WHERE id = '" + challenge[0] + "' AND status = 'PENDING'"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + token.serial()
                + "' AND fail_count = 0 AND last_used_at IS NULL"));
        // Nothing to challenge any more.
        challenge(DOMAIN, body(token.user(), null, null)).statusCode(404).body("type", equalTo(PROBLEMS + "unknown-credential"));
    }

    @Test
    void anotherDomain_unknown_adminActsForTheDomainItNames() throws Exception {
        Token token = ocraToken("ocra-domain", PLAIN, KEY20);
        String[] challenge = ask(token);
        String response = token.respond(challenge[1]);
        verifyOcra(TestTokens.OTHER_DOMAIN, challenge[0], response, null).statusCode(404)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unknown-challenge"));
        verifyOcra(DOMAIN, UUID.randomUUID().toString(), response, null).statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-challenge"));
        challenge(TestTokens.OTHER_DOMAIN, body(token.user(), null, null)).statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-credential"));
        // The other domain's attempt consumed nothing; an admin may act for the domain it names.
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).contentType("application/json")
                .body("{\"challengeId\":\"" + challenge[0] + "\",\"response\":\"" + response + "\"}")
                .when().post("/api/v1/otp/challenges/verify?domain=" + DOMAIN).then().statusCode(200)
                .body("result", equalTo("accepted"));
    }

    @Test
    void anotherUsersChallenge_unknownWhenTheUserIsNamed() throws Exception {
        Token alice = ocraToken("ocra-alice", PLAIN, KEY20);
        Token bob = ocraToken("ocra-bob", PLAIN, KEY64);
        String[] bobs = ask(bob);
        verifyOcra(DOMAIN, bobs[0], bob.respond(bobs[1]), alice.user()).statusCode(404)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unknown-challenge"));
        // Alice's token (another key) cannot answer Bob's challenge.
        answer(bobs[0], alice.respond(bobs[1])).body("result", equalTo("rejected"));
        verifyOcra(DOMAIN, bobs[0], bob.respond(bobs[1]), bob.user()).statusCode(200).body("result", equalTo("accepted"));
    }

    @Test
    void counterSuite_eachCounterAcceptedOnce_lookAhead_oldCounterRejected() throws Exception {
        Token token = ocraToken("ocra-counter", COUNTER, KEY64);
        // RFC 6287 C.1, OCRA-1:HOTP-SHA512-8:C-QN08, C=00000 Q=00000000.
        assertEquals("07016083", token.respond("00000000", 0L, null));
        String[] first = ask(token);
        answer(first[0], token.respond(first[1], 0L, null)).body("result", equalTo("accepted"));
        assertEquals(1, count("SELECT count(*) FROM ocra_challenges WHERE id = '" + first[0] + "' AND moving_factor = 0"));
        String[] second = ask(token);
        // Counter 0 is spent: a response over it is wrong, and the challenge stays open.
        answer(second[0], token.respond(second[1], 0L, null)).body("result", equalTo("rejected"));
        answer(second[0], token.respond(second[1], 1L, null)).body("result", equalTo("accepted"));
        String[] third = ask(token);
        // The token was used without the service (counters 2 to 6): within the look-ahead.
        answer(third[0], token.respond(third[1], 7L, null)).body("result", equalTo("accepted"));
        String[] fourth = ask(token);
        answer(fourth[0], token.respond(fourth[1], 5L, null)).body("result", equalTo("rejected"));
        answer(fourth[0], token.respond(fourth[1], 19L, null)).body("result", equalTo("rejected"));
        answer(fourth[0], token.respond(fourth[1], 8L, null)).body("result", equalTo("accepted"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + token.serial()
                + "' AND last_accepted = 8"));
    }

    @Test
    void counterSuite_sameResponseTwentyTimesAtOnce_acceptedOnce_twoChallengesOneCounter_oneWins() throws Exception {
        Token token = ocraToken("ocra-race", COUNTER, KEY64);
        String[] challenge = ask(token);
        String body = "{\"challengeId\":\"" + challenge[0] + "\",\"response\":\"" + token.respond(challenge[1], 0L, null) + "\"}";
        assertEquals(1, accepted(List.of(body, body, body, body, body, body, body, body, body, body, body, body, body, body,
                body, body, body, body, body, body)));
        assertEquals(1, count("SELECT count(*) FROM outbox_events WHERE event_key = '" + token.user() + "@" + DOMAIN
                + "' AND event_type = 'org.countersign.authentication.otp-verified.v1'"));

        // The 19 repeats of the right answer counted as no guess: four wrong answers now leave the token
        // one short of its lock, and the right answer is still accepted.
        String[] next = ask(token);
        for (int i = 0; i < 4; i++) {
            answer(next[0], wrong(token.respond(next[1], 1L, null)))
                    .body("result", equalTo("rejected"));
        }
        answer(next[0], token.respond(next[1], 1L, null)).body("result", equalTo("accepted"));

        // Two challenges answered over the same counter at once: the counter is accepted once, and the
        // challenge that lost stays open (nothing half-written).
        String[] a = ask(token);
        String[] b = ask(token);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add("{\"challengeId\":\"" + a[0] + "\",\"response\":\"" + token.respond(a[1], 2L, null) + "\"}");
            bodies.add("{\"challengeId\":\"" + b[0] + "\",\"response\":\"" + token.respond(b[1], 2L, null) + "\"}");
        }
        assertEquals(1, accepted(bodies));
        assertEquals(1, count("SELECT count(*) FROM ocra_challenges WHERE id IN ('" + a[0] + "', '" + b[0]
                + "') AND status = 'PENDING' AND closed_at IS NULL AND moving_factor IS NULL"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + token.serial()
                + "' AND last_accepted = 2"));
    }

    private int accepted(List<String> bodies) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String body : bodies) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(verifyUri).header("Authorization", TestTokens.bearer(DOMAIN, "otp"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int accepted = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertEquals(200, response.statusCode(), response.body());
            accepted += response.body().contains("\"accepted\"") ? 1 : 0;
        }
        return accepted;
    }

    @Test
    void timeSuite_plusMinusOneStep_stepNeverGoesBack() throws Exception {
        Token token = ocraToken("ocra-time", TIME, KEY64);
        // RFC 6287 C.1, OCRA-1:HOTP-SHA512-8:QN08-T1M, Q=00000000, T=132d0b6.
        assertEquals("95209754", token.respond("00000000", null, 0x132d0b6L));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30);
        long step = token.suite().timeStep(now.getEpochSecond());
        clock.pin(now);
        String[] late = ask(token);
        // A token clock a step behind is accepted, two steps behind is not.
        answer(late[0], token.respond(late[1], null, step - 2)).body("result", equalTo("rejected"));
        answer(late[0], token.respond(late[1], null, step - 1)).body("result", equalTo("accepted"));
        String[] ahead = ask(token);
        answer(ahead[0], token.respond(ahead[1], null, step + 2)).body("result", equalTo("rejected"));
        answer(ahead[0], token.respond(ahead[1], null, step + 1)).body("result", equalTo("accepted"));
        assertEquals(1, count("SELECT count(*) FROM ocra_challenges WHERE id = '" + ahead[0] + "' AND moving_factor = " + (step + 1)));
        // The same step again, for another challenge, is fine; an older one never is.
        String[] again = ask(token);
        answer(again[0], token.respond(again[1], null, step)).body("result", equalTo("rejected"));
        answer(again[0], token.respond(again[1], null, step + 1)).body("result", equalTo("accepted"));
        // A minute later the window moved with the clock.
        clock.pin(now.plusSeconds(60));
        String[] later = ask(token);
        answer(later[0], token.respond(later[1], null, step + 2)).body("result", equalTo("accepted"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + token.serial()
                + "' AND last_accepted = " + (step + 2)));
    }

    @Test
    void credentialChoice_404_409_andUnsupportedSuites() throws Exception {
        challenge(DOMAIN, body(freshUser("ocra-nobody"), null, null)).statusCode(404)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unknown-credential"));
        // An HOTP/TOTP token does no challenge-response.
        String totpUser = freshUser("ocra-totp");
        String totpSerial = token("totp:sha1:6:30", totpUser);
        challenge(DOMAIN, body(totpUser, null, null)).statusCode(409)
                .body("type", equalTo(PROBLEMS + "challenge-response-not-supported"));
        // A suite with a PIN (RFC 6287's own counter suite), or session information: refused, nothing written.
        Token pin = ocraToken("ocra-pin", "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", KEY64);
        challenge(DOMAIN, body(pin.user(), null, null)).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "ocra-suite-not-supported"));
        Token session = ocraToken("ocra-session", "OCRA-1:HOTP-SHA1-6:QN08-S064", KEY20);
        challenge(DOMAIN, body(session.user(), null, null)).statusCode(409)
                .body("type", equalTo(PROBLEMS + "ocra-suite-not-supported"));
        Token garbled = ocraToken("ocra-garbled", "OCRA-1:HOTP-SHA1-0:QN08", KEY20);
        challenge(DOMAIN, body(garbled.user(), null, null)).statusCode(409)
                .body("type", equalTo(PROBLEMS + "ocra-suite-not-supported"));
        assertEquals(0, count("SELECT count(*) FROM ocra_challenges WHERE user_id IN ('" + pin.user() + "', '" + session.user()
                + "', '" + garbled.user() + "', '" + totpUser + "')"));

        // Two OCRA tokens (and a TOTP one): name one.
        Token first = ocraToken(totpUser, PLAIN, KEY20, true);
        challenge(DOMAIN, body(totpUser, totpSerial, null)).statusCode(409)
                .body("type", equalTo(PROBLEMS + "challenge-response-not-supported"));
        Token second = ocraToken(totpUser, COUNTER, KEY64, true);
        challenge(DOMAIN, body(totpUser, null, null)).statusCode(409).body("type", equalTo(PROBLEMS + "ambiguous-credential"));
        challenge(DOMAIN, body(totpUser, "NO-SUCH", null)).statusCode(404).body("type", equalTo(PROBLEMS + "unknown-credential"));
        var created = challenge(DOMAIN, body(totpUser, second.serial(), null)).statusCode(201)
                .body("suite", equalTo(COUNTER)).extract();
        answer(created.path("challengeId"), second.respond(created.path("challenge"), 0L, null)).body("result", equalTo("accepted"));
        created = challenge(DOMAIN, body(totpUser, first.serial(), null)).statusCode(201).body("suite", equalTo(PLAIN)).extract();
        answer(created.path("challengeId"), first.respond(created.path("challenge"))).body("result", equalTo("accepted"));
    }

    @Test
    void badInput_400Problems_nothingWritten() throws Exception {
        Token token = ocraToken("ocra-limits", PLAIN, KEY20);
        String validation = PROBLEMS + "validation";
        challenge(DOMAIN, body(token.user(), null, 29)).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(validation));
        challenge(DOMAIN, body(token.user(), null, 3601)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(token.user(), "bad serial", null)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, "{\"userId\":\"\"}").statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, "{}").statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, "{\"userId\":\"" + token.user() + "\",\"ttl\":60}").statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, "{\"userId\":\"" + token.user() + "\",\"ttlSeconds\":\"soon\"}").statusCode(400)
                .body("type", equalTo(validation));
        assertEquals(0, count("SELECT count(*) FROM ocra_challenges WHERE user_id = '" + token.user() + "'"));
        String[] challenge = ask(token);
        verifyOcra(DOMAIN, "not a cid", "123456", null).statusCode(400).body("type", equalTo(validation));
        verifyOcra(DOMAIN, challenge[0], "123", null).statusCode(400).body("type", equalTo(validation));
        verifyOcra(DOMAIN, challenge[0], "12345678901", null).statusCode(400).body("type", equalTo(validation));
        verifyOcra(DOMAIN, challenge[0], "12a456", null).statusCode(400).body("type", equalTo(validation));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"response\":\"123456\"}").when().post("/api/v1/otp/challenges/verify").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(validation));
        // Without the otp or admin scope.
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).contentType("application/json")
                .body(body(token.user(), null, null)).when().post("/api/v1/otp/challenges").then().statusCode(403);
        // None of that touched the challenge: the right response is still accepted.
        answer(challenge[0], token.respond(challenge[1])).body("result", equalTo("accepted"));
    }
}
