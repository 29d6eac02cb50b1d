package org.countersign.push.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/push/requests?userId=&status=pending: what a user's own page (the portal) shows, namely each
 * request still waiting for the user's phone, what it asks and the number to pick there.
 */
@io.quarkus.test.junit.QuarkusTest
class PendingListTest extends PushTestBase {

    private static final String FIELDS = "[{\"name\":\"Amount\",\"value\":\"120.00 EUR\"},{\"name\":\"Payee\",\"value\":\"Zoë's Café\"}]";

    @Test
    void pending_listedAsItsStatusObject_withMessageFieldsAndNumber_newestFirst() throws Exception {
        String user = freshUser("lena");
        onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Pay Zoë's Café", FIELDS);
        String id = created.path("requestId").asText();

        JsonNode listed = list(DOMAIN, user);
        assertEquals(1, listed.size(), listed.toString());
        JsonNode item = listed.get(0);
        assertEquals("pending", item.path("status").asText());
        assertEquals(created.path("displayNumber").asInt(), item.path("displayNumber").asInt(), "the number to pick on the phone");
        assertEquals("Pay Zoë's Café", item.path("message").asText());
        assertEquals(JSON.readTree(FIELDS), item.path("fields"));
        // Beyond what it asks, exactly the status object that GET /{requestId} answers.
        JsonNode status = JSON.readTree(app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).extract().asString());
        ObjectNode statusPart = item.deepCopy();
        statusPart.remove("message");
        statusPart.remove("fields");
        assertEquals(status, statusPart);

        // A second open request, older (one created before an operator lowered max-open-per-user to 1): listed after.
        String older = UUID.randomUUID().toString();
        update("INSERT INTO push_requests (id, domain, user_id, message, fields, data_hash, challenge, number_options, display_number,"
                + " require_biometric, status, created_at, expires_at) SELECT '" + older + "', domain, user_id, 'Sign in', '[]', data_hash,"
                + " challenge, NULL, NULL, require_biometric, status, created_at - interval '5 seconds', expires_at FROM push_requests"
                + " WHERE id = '" + id + "'");
        listed = list(DOMAIN, user);
        assertEquals(2, listed.size(), listed.toString());
        assertEquals(id, listed.get(0).path("requestId").asText(), "newest first");
        assertEquals(older, listed.get(1).path("requestId").asText());
        assertEquals("Sign in", listed.get(1).path("message").asText());
        assertEquals(0, listed.get(1).path("fields").size(), "fields are always there, [] when none");
        assertEquals(true, listed.get(1).path("displayNumber").isMissingNode(), "no number without number matching");
    }

    @Test
    void approvedDeniedAndExpired_notListed() throws Exception {
        String user = freshUser("mick");
        TestDevice device = onlineDevice(user);
        enable(user);
        assertEquals(0, list(DOMAIN, user).size(), "none yet: an empty array");

        JsonNode approved = createRequest(user, "Sign in", null);
        JsonNode sent = polled(device, approved.path("requestId").asText());
        answer(device, sent, "approve", approved.path("displayNumber").asInt()).statusCode(200).body("status", equalTo("approved"));
        assertEquals(0, list(DOMAIN, user).size(), "approved");

        JsonNode denied = createRequest(user, "Sign in", null);
        answer(device, polled(device, denied.path("requestId").asText()), "deny", null).statusCode(200);
        assertEquals(0, list(DOMAIN, user).size(), "denied");

        JsonNode wrongNumber = createRequest(user, "Sign in", null);
        JsonNode wrongSent = polled(device, wrongNumber.path("requestId").asText());
        int wrong = 0;
        for (JsonNode option : wrongSent.path("numberOptions")) {
            if (option.asInt() != wrongNumber.path("displayNumber").asInt()) {
                wrong = option.asInt();
            }
        }
        answer(device, wrongSent, "approve", wrong).statusCode(200).body("reason", equalTo("wrong-number"));
        assertEquals(0, list(DOMAIN, user).size(), "denied for the wrong number");

        String expired = JSON.readTree(app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\",\"ttlSeconds\":10}").when()
                .post("/api/v1/push/requests").then().statusCode(201).extract().asString()).path("requestId").asText();
        assertEquals(1, list(DOMAIN, user).size(), "pending while in time");
        // The sweep cannot record the expiry while this holds the row (it skips locked rows); the list must still
        // leave out a request that is past its time.
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=push", "postgres", "")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                 ResultSet locked = s.executeQuery("SELECT status FROM push_requests WHERE id = '" + expired + "' FOR UPDATE")) {
                locked.next();
                assertEquals("PENDING", locked.getString(1));
            }
            clock.advance(Duration.ofSeconds(11));
            assertEquals(0, list(DOMAIN, user).size(), "past its expiry, though not recorded as expired yet");
            try (Statement s = c.createStatement();
                 ResultSet still = s.executeQuery("SELECT status FROM push_requests WHERE id = '" + expired + "'")) {
                still.next();
                assertEquals("PENDING", still.getString(1), "the expiry was not recorded meanwhile: the list itself left it out");
            }
            c.rollback();
        }
        awaitTrue(() -> "EXPIRED".equals(sql("SELECT status FROM push_requests WHERE id = '" + expired + "'")),
                "the sweep expires it once the row is free");
        assertEquals(0, list(DOMAIN, user).size(), "expired");
    }

    @Test
    void anotherDomain_seesNothing_adminWithDomainSees_scopesAsForTheStatus() throws Exception {
        String user = freshUser("nina");
        onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();

        app(OTHER_DOMAIN).when().get("/api/v1/push/requests?userId=" + user + "&status=pending").then().statusCode(200)
                .body("", hasSize(0));
        RestAssured.given().header("Authorization", TestTokens.bearer(OTHER_DOMAIN, "admin")).when()
                .get("/api/v1/push/requests?userId=" + user + "&status=pending&domain=" + DOMAIN).then().statusCode(200)
                .body("", hasSize(1)).body("[0].requestId", equalTo(id));
        RestAssured.given().header("Authorization", TestTokens.bearer(OTHER_DOMAIN, "admin")).when()
                .get("/api/v1/push/requests?userId=" + user + "&status=pending").then().statusCode(200).body("", hasSize(0));
        admin().when().get("/api/v1/push/requests?userId=" + user + "&status=pending").then().statusCode(403)
                .contentType("application/problem+json");
        RestAssured.given().when().get("/api/v1/push/requests?userId=" + user + "&status=pending").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void badInput_400Problems() {
        String validation = "https://countersign.org/problems/validation";
        app().queryParam("status", "pending").when().get("/api/v1/push/requests").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(validation))
                .body("errors[0].field", containsString("userId"));
        for (String userId : new String[] {"a|b", "a b", "u".repeat(256), ""}) {
            app().queryParam("userId", userId).queryParam("status", "pending").when().get("/api/v1/push/requests").then()
                    .statusCode(400).contentType("application/problem+json").body("type", equalTo(validation))
                    .body("errors[0].field", containsString("userId"));
        }
        // Without status, or with an empty one (which JAX-RS reads as none): what is wanted must be said.
        app().queryParam("userId", "ola").when().get("/api/v1/push/requests").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(validation))
                .body("errors[0].field", containsString("status"));
        app().queryParam("userId", "ola").queryParam("status", "").when().get("/api/v1/push/requests").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(validation))
                .body("errors[0].field", containsString("status"));
        for (String status : new String[] {"approved", "denied", "expired", "PENDING", "all"}) {
            app().queryParam("userId", "ola").queryParam("status", status).when().get("/api/v1/push/requests").then()
                    .statusCode(400).contentType("application/problem+json").body("type", equalTo(validation))
                    .body("errors[0].field", containsString("status"))
                    .body("errors[0].message", equalTo("only pending requests are listed"));
        }
    }

    private static JsonNode list(String domain, String userId) throws Exception {
        return JSON.readTree(app(domain).when().get("/api/v1/push/requests?userId=" + userId + "&status=pending").then()
                .statusCode(200).contentType("application/json").extract().asString());
    }
}
