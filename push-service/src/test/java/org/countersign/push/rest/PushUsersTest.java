package org.countersign.push.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.countersign.push.ChannelClient;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.junit.jupiter.api.Test;

/** Seed 000's admin side: push enabled per user or for thousands at once, with Require Biometric. */
@QuarkusTest
class PushUsersTest extends PushTestBase {

    @Test
    void oneUser_setAndRead_eventOnlyWhenSomethingChanged() throws Exception {
        String user = freshUser("petra");
        admin().when().get("/api/v1/push/users/" + user).then().statusCode(200).body("enabled", equalTo(false))
                .body("requireBiometric", equalTo(false)).body("updatedAt", nullValue());
        admin().body("{\"enabled\":true,\"requireBiometric\":true}").when().put("/api/v1/push/users/" + user).then().statusCode(200)
                .body("userId", equalTo(user)).body("enabled", equalTo(true)).body("requireBiometric", equalTo(true));
        admin().body("{\"enabled\":true}").when().put("/api/v1/push/users/" + user).then().statusCode(200)
                .body("requireBiometric", equalTo(true));
        admin().body("{\"enabled\":false}").when().put("/api/v1/push/users/" + user).then().statusCode(200);
        awaitTrue(() -> pushEvents(user).size() == 2, "two changes, two events");
        Thread.sleep(300);
        List<JsonNode> events = pushEvents(user);
        assertEquals(2, events.size());
        assertTrue(events.get(0).path("enabled").asBoolean() && events.get(0).path("requireBiometric").asBoolean());
        assertEquals("admin", events.get(0).path("reason").asText());
        assertTrue(!events.get(1).path("enabled").asBoolean());
        admin().body("{\"requireBiometric\":true}").when().put("/api/v1/push/users/" + user).then().statusCode(400);
        admin(OTHER_DOMAIN).when().get("/api/v1/push/users/" + user).then().statusCode(200).body("enabled", equalTo(false));
    }

    @Test
    void userCalledBulk_readAndSetLikeAnyOther_theBulkCallKeepsItsPost() {
        // "/users/bulk" is the bulk call's path for POST only; GET and PUT there are the user called "bulk".
        admin().body("{\"enabled\":true}").when().put("/api/v1/push/users/bulk").then().statusCode(200)
                .body("userId", equalTo("bulk")).body("enabled", equalTo(true));
        admin().when().get("/api/v1/push/users/bulk").then().statusCode(200).body("userId", equalTo("bulk"))
                .body("enabled", equalTo(true));
        admin().body("{\"enabled\":false}").when().put("/api/v1/push/users/bulk").then().statusCode(200)
                .body("enabled", equalTo(false));
        admin().when().delete("/api/v1/push/users/bulk").then().statusCode(405);
    }

    @Test
    void bulk_tenThousandUsers_inChunks_withProgressAndTheFailuresNamed() throws Exception {
        List<String> ids = new ArrayList<>();
        String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (int i = 0; i < 10_000; i++) {
            ids.add(prefix + i);
        }
        ids.set(17, "not a|user id");
        ids.set(9_999, prefix + "5");
        StringBuilder body = new StringBuilder("{\"enabled\":true,\"requireBiometric\":true,\"userIds\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
        }
        body.append("]}");
        JsonNode accepted = JSON.readTree(admin().body(body.toString()).when().post("/api/v1/push/users/bulk").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/push/users/bulk/")).body("status", equalTo("running"))
                .body("total", equalTo(10_000)).extract().asString());
        String jobId = accepted.path("jobId").asText();
        awaitTrue(() -> "done".equals(admin().when().get("/api/v1/push/users/bulk/" + jobId).then().extract().path("status")),
                "the job finishes");
        admin().when().get("/api/v1/push/users/bulk/" + jobId).then().statusCode(200).body("total", equalTo(10_000))
                .body("done", equalTo(9_998)).body("failed", equalTo(2)).body("failures", hasSize(2))
                .body("failures[0].index", equalTo(17)).body("failures[0].reason", equalTo("invalid-user-id"))
                .body("failures[0].userId", nullValue())
                .body("failures[1].index", equalTo(9_999)).body("failures[1].reason", equalTo("duplicate-user-id"))
                .body("failures[1].userId", equalTo(prefix + "5"));
        admin().when().get("/api/v1/push/users/" + prefix + "4321").then().body("enabled", equalTo(true))
                .body("requireBiometric", equalTo(true));
        assertEquals(9_998, count("SELECT count(*) FROM push_users WHERE user_id LIKE '" + prefix + "%' AND enabled"));
        // One event per user changed, each naming the job.
        awaitTrue(() -> count("SELECT count(*) FROM outbox_events WHERE event_type = 'org.countersign.user.push-enabled-changed.v1'"
                + " AND payload::text LIKE '%" + jobId + "%'") == 9_998, "9,998 events");

        // Again: nothing changes, so nothing is published.
        String again = JSON.readTree(admin().body(body.toString()).when().post("/api/v1/push/users/bulk").then().statusCode(202)
                .extract().asString()).path("jobId").asText();
        awaitTrue(() -> "done".equals(admin().when().get("/api/v1/push/users/bulk/" + again).then().extract().path("status")),
                "the second job finishes");
        assertEquals(0, count("SELECT count(*) FROM outbox_events WHERE payload::text LIKE '%" + again + "%'"));
        // Another domain's admin does not see the job.
        admin(OTHER_DOMAIN).when().get("/api/v1/push/users/bulk/" + jobId).then().statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-bulk-job"));
    }

    @Test
    void bulk_limits() throws Exception {
        StringBuilder body = new StringBuilder("{\"enabled\":true,\"userIds\":[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
        }
        body.append("]}");
        admin().body(body.toString()).when().post("/api/v1/push/users/bulk").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/validation"));
        admin().body("{\"enabled\":true,\"userIds\":[]}").when().post("/api/v1/push/users/bulk").then().statusCode(400);
        // A null entry is not the documented JSON (an array of strings): the whole call is refused, no job is stored.
        int jobsBefore = count("SELECT count(*) FROM bulk_jobs");
        admin().body("{\"enabled\":true,\"userIds\":[\"a\",null]}").when().post("/api/v1/push/users/bulk").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/validation"));
        assertEquals(jobsBefore, count("SELECT count(*) FROM bulk_jobs"));
        String huge = "{\"enabled\":true,\"userIds\":[\"" + "x".repeat(5 * 1024 * 1024) + "\"]}";
        admin().body(huge).when().post("/api/v1/push/users/bulk").then().statusCode(413)
                .body("type", equalTo("https://countersign.org/problems/payload-too-large"));
        // Every other body keeps the 64 KiB limit.
        admin().body("{\"enabled\":true,\"requireBiometric\":false,\"x\":\"" + "y".repeat(70_000) + "\"}").when()
                .put("/api/v1/push/users/someone").then().statusCode(413);
        app().body("{\"enabled\":true,\"userIds\":[\"a\"]}").when().post("/api/v1/push/users/bulk").then().statusCode(403);
    }

    @Test
    void bulk_aJobThatKeepsFailing_givenUpAfterThreeAttempts_andTheJobsBehindItRun() throws Exception {
        String domain = "failing-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        // A job that cannot be applied (an item without a user id, which the API never stores): every chunk fails.
        String broken = UUID.randomUUID().toString();
        update("INSERT INTO bulk_jobs (id, domain, enabled, total, done, failed, status, created_at) VALUES ('" + broken + "', '"
                + domain + "', false, 1, 0, 0, 'RUNNING', now() - interval '1 hour');"
                + " INSERT INTO bulk_job_items (job_id, position, user_id, state) VALUES ('" + broken + "', 0, NULL, 'PENDING')");
        String user = freshUser("behind");
        String behind = JSON.readTree(admin(domain).body("{\"enabled\":true,\"userIds\":[\"" + user + "\"]}").when()
                .post("/api/v1/push/users/bulk").then().statusCode(202).extract().asString()).path("jobId").asText();
        awaitTrue(() -> "done".equals(admin(domain).when().get("/api/v1/push/users/bulk/" + behind).then().extract().path("status")),
                "the job behind the broken one is applied");
        admin(domain).when().get("/api/v1/push/users/" + user).then().body("enabled", equalTo(true));
        admin(domain).when().get("/api/v1/push/users/bulk/" + broken).then().statusCode(200).body("status", equalTo("failed"))
                .body("failureReason", equalTo("apply-failed")).body("done", equalTo(0)).body("finishedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(3, count("SELECT attempts FROM bulk_jobs WHERE id = '" + broken + "'"));
    }

    @Test
    void bulk_oneDomainsManyJobs_doNotHoldUpAnotherDomainsJob() throws Exception {
        String busy = "busy-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        // Ten older jobs of one tenant, 600 users each (enabled false for users without settings: no events to publish).
        StringBuilder inserts = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String job = UUID.randomUUID().toString();
            inserts.append("INSERT INTO bulk_jobs (id, domain, enabled, total, done, failed, status, created_at) VALUES ('").append(job)
                    .append("', '").append(busy).append("', false, 600, 0, 0, 'RUNNING', now() - interval '1 hour' + interval '")
                    .append(i).append(" second');").append(" INSERT INTO bulk_job_items (job_id, position, user_id, state) SELECT '")
                    .append(job).append("', g, '").append(job).append("-' || g, 'PENDING' FROM generate_series(0, 599) g;");
        }
        update(inserts.toString());
        String user = freshUser("fair");
        String other = JSON.readTree(admin().body("{\"enabled\":true,\"userIds\":[\"" + user + "\"]}").when()
                .post("/api/v1/push/users/bulk").then().statusCode(202).extract().asString()).path("jobId").asText();
        awaitTrue(() -> "done".equals(admin().when().get("/api/v1/push/users/bulk/" + other).then().extract().path("status")),
                "the other tenant's job is applied");
        assertTrue(count("SELECT count(*) FROM bulk_jobs WHERE domain = '" + busy + "' AND status = 'RUNNING'") > 0,
                "it did not wait for the busy tenant's ten jobs");
    }

    @Test
    void bulk_domainWithThreeRunningJobs_aFourthIsRefused429() throws Exception {
        String domain = "capped-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
        StringBuilder body = new StringBuilder("{\"enabled\":false,\"userIds\":[");
        for (int i = 0; i < 5_000; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append('"');
        }
        body.append("]}");
        // A domain's jobs run one after the other (the oldest first), so the second and third are still running.
        for (int i = 0; i < 3; i++) {
            admin(domain).body(body.toString()).when().post("/api/v1/push/users/bulk").then().statusCode(202);
        }
        admin(domain).body(body.toString()).when().post("/api/v1/push/users/bulk").then().statusCode(429)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("type", equalTo("https://countersign.org/problems/too-many-bulk-jobs")).header("Retry-After", "10");
        assertEquals(3, count("SELECT count(*) FROM bulk_jobs WHERE domain = '" + domain + "'"));
        // Another domain is not affected.
        admin(OTHER_DOMAIN).body("{\"enabled\":false,\"userIds\":[\"" + prefix + "x\"]}").when().post("/api/v1/push/users/bulk")
                .then().statusCode(202);
    }

    @Test
    void userIdsWithLoneSurrogates_refused_soTwoIdsNeverShareAKey() throws Exception {
        String user = freshUser("whole");
        // JSON escapes of two different lone UTF-16 halves: both would reach PostgreSQL as "x?y".
        String body = "{\"enabled\":true,\"userIds\":[\"x\\ud800y\",\"x\\udc00y\",\"" + user + "\",\"\\ud83d\\ude00" + user
                + "\"]}";
        String job = JSON.readTree(admin().body(body).when().post("/api/v1/push/users/bulk").then().statusCode(202).extract()
                .asString()).path("jobId").asText();
        awaitTrue(() -> "done".equals(admin().when().get("/api/v1/push/users/bulk/" + job).then().extract().path("status")),
                "the job finishes");
        admin().when().get("/api/v1/push/users/bulk/" + job).then().body("done", equalTo(2)).body("failed", equalTo(2))
                .body("failures[0].reason", equalTo("invalid-user-id")).body("failures[1].reason", equalTo("invalid-user-id"));
        // A well-formed pair (an emoji) is a user id like any other.
        admin().when().get("/api/v1/push/users/\ud83d\ude00" + user).then().statusCode(200).body("enabled", equalTo(true));
        app().body("{\"userId\":\"x\\ud800y\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/validation"));
    }

    @Test
    void pushSwitchedOff_pendingRequestExpires_theDevicesApprovalIsRefused() throws Exception {
        String user = freshUser("dora");
        TestDevice device = onlineDevice(user);
        enable(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            JsonNode created = createRequest(user, "Sign in", null);
            String id = created.path("requestId").asText();
            JsonNode request = channel.next("push-request");
            admin().body("{\"enabled\":false}").when().put("/api/v1/push/users/" + user).then().statusCode(200);
            // The connected device is told at once, as when a request's time is up.
            JsonNode closed = channel.next("push-closed");
            assertEquals(id, closed.path("requestId").asText());
            assertEquals("expired", closed.path("status").asText());
            answer(device, request, "approve", created.path("displayNumber").asInt()).statusCode(410)
                    .body("type", equalTo("https://countersign.org/problems/push-request-expired"));
            app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).body("status", equalTo("expired"));
            assertEquals(1, count("SELECT count(*) FROM push_requests WHERE id = '" + id + "' AND message IS NULL AND fields IS NULL"));
        }
        awaitTrue(() -> pushEventTypes(user).contains("push.push-expired"), "PushExpired is published");
    }

    @Test
    void pushSwitchedOffInBulk_pendingRequestExpires_theDevicesApprovalIsRefused() throws Exception {
        String user = freshUser("bea");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode request = polled(device, id);
        String job = JSON.readTree(admin().body("{\"enabled\":false,\"userIds\":[\"" + user + "\"]}").when()
                .post("/api/v1/push/users/bulk").then().statusCode(202).extract().asString()).path("jobId").asText();
        awaitTrue(() -> "done".equals(admin().when().get("/api/v1/push/users/bulk/" + job).then().extract().path("status")),
                "the job finishes");
        answer(device, request, "approve", created.path("displayNumber").asInt()).statusCode(410)
                .body("type", equalTo("https://countersign.org/problems/push-request-expired"));
        app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).body("status", equalTo("expired"));
        awaitTrue(() -> pushEventTypes(user).contains("push.push-expired"), "PushExpired is published");
    }
}
