package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.countersign.events.Topics;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * Resynchronisation asks what a login asks: a user with a server PIN types it before the first code,
 * so a token found or stolen is not enough; and every outcome is published (OtpResyncChecked), never
 * with a code or a PIN.
 */
@QuarkusTest
class ResyncTest extends OtpTestBase {

    private static final String PIN = "246813";
    private static final OtpPolicy HOTP = OtpPolicy.parse("hotp:sha1:6");
    private static final String RESYNC_CHECKED = "org.countersign.authentication.otp-resync-checked.v1";

    @Inject
    MeterRegistry registry;

    @Test
    void resync_userWithPin_needsPinBeforeTheFirstCode_eachOutcomePublished() throws Exception {
        String user = freshUser("rex");
        String serial = token("hotp:sha1:6", user);
        admin().contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        String c30 = code(30);
        String c31 = code(31);
        // The token alone (the two codes without the PIN), or a wrong PIN, moves nothing.
        resync(user, serial, c30, c31).body("result", equalTo("rejected"));
        resync(user, serial, "135797" + c30, c31).body("result", equalTo("rejected"));
        verify(user, PIN + code(32), null).body("result", equalTo("rejected"));
        // PIN and both codes: the counter moves to the second code.
        resync(user, serial, PIN + c30, c31).body("result", equalTo("accepted")).body("serialNumber", equalTo(serial));
        verify(user, PIN + c31, null).body("result", equalTo("rejected"));
        verify(user, PIN + code(33), null).body("result", equalTo("accepted"));

        List<JsonNode> events = resyncEvents(user, 3);
        assertEquals(List.of("rejected", "rejected", "accepted"),
                events.stream().map(e -> e.path("result").asText()).toList(), events.toString());
        assertEquals(List.of("no-match", "no-match", ""),
                events.stream().map(e -> e.path("reason").asText()).toList(), events.toString());
        assertEquals(serial, events.get(2).path("serialNumber").asText());
        for (JsonNode event : events) {
            for (String secret : List.of(PIN, c30, c31)) {
                assertFalse(event.toString().contains(secret), "no event carries a code or the PIN: " + event);
            }
        }
    }

    @Test
    void resync_missesCountLikeLogins_thenLocked_lockedPublished() throws Exception {
        String user = freshUser("rosa");
        String serial = token("hotp:sha1:6", user);
        for (int i = 0; i < 5; i++) {
            resync(user, serial, "000000", "000001").body("result", equalTo("rejected"));
        }
        resync(user, serial, code(30), code(31)).body("result", equalTo("locked"));
        verify(user, RFC4226[0], null).body("result", equalTo("locked"));
        List<JsonNode> events = resyncEvents(user, 6);
        assertEquals("locked", events.get(5).path("reason").asText(), events.toString());
        // A serial number the user does not hold is rejected, and published too, counting nothing.
        resync(user, "NOT-" + serial.substring(2), code(30), code(31)).body("result", equalTo("rejected"));
        assertEquals("NOT-" + serial.substring(2), resyncEvents(user, 7).get(6).path("serialNumber").asText());
    }

    @Test
    void resync_pinPartCostsOneArgon2id_withOrWithoutAPin() throws Exception {
        String withPin = freshUser("rick");
        String withoutPin = freshUser("rita");
        String a = token("hotp:sha1:6", withPin);
        String b = token("hotp:sha1:6", withoutPin);
        admin().contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + withPin + "/pin").then().statusCode(204);
        double before = derivations();
        resync(withPin, a, "135797" + code(30), code(31)).body("result", equalTo("rejected"));
        assertEquals(before + 1, derivations());
        resync(withoutPin, b, "135797" + code(30), code(31)).body("result", equalTo("rejected"));
        assertEquals(before + 2, derivations());
        resync(withoutPin, b, code(30), code(31)).body("result", equalTo("accepted"));
        assertEquals(before + 2, derivations());
    }

    private double derivations() {
        return registry.counter("countersign.otp.pin.derivations").count();
    }

    private List<JsonNode> resyncEvents(String user, int expected) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        awaitTrue(() -> {
            events.clear();
            for (var record : TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key())
                    && RESYNC_CHECKED.equals(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)))) {
                events.add(json.readTree(record.value()));
            }
            return events.size() >= expected;
        }, expected + " OtpResyncChecked events");
        assertEquals(expected, events.size());
        return events;
    }

    /** The token plays its part: the library's HOTP is checked against RFC 4226 on its own. */
    private static String code(long counter) {
        return Otp.at(HOTP, Secret.copyOf(SEED), counter);
    }

    private static ValidatableResponse resync(String user, String serial, String first, String second) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"first\":\"" + first
                        + "\",\"second\":\"" + second + "\"}")
                .when().post("/api/v1/otp/resync").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"));
    }
}
