package org.countersign.launcher;

import static org.countersign.launcher.BenchHttp.expect;
import static org.countersign.launcher.BenchHttp.send;
import static org.countersign.launcher.BenchSupport.progress;
import static org.countersign.launcher.OtpTokens.CREDENTIALS;
import static org.countersign.launcher.OtpTokens.POLICY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Brings the otp benchmark's tokens in as a real deployment gets them, through the public API: PSKC
 * documents imported by the registration-service, one user per token and the token assigned to it;
 * the otp-service takes both from Kafka.
 */
final class OtpTokenImport {

    private static final int PSKC_BATCH = 1024;
    private static final Duration SEED_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private OtpTokenImport() {
    }

    /**
     * Imports the tokens as PSKC documents, creates their users and assigns each token to its user,
     * then waits until the otp-service lists every one as the user's active credential.
     */
    static void seed(String registration, String otp, String auth, OtpTokens tokens) throws Exception {
        progress("seeding: " + CREDENTIALS + " HOTP tokens imported as PSKC through registration-service...");
        for (int from = 0; from < CREDENTIALS; from += PSKC_BATCH) {
            byte[] document = pskc(tokens, from, Math.min(CREDENTIALS, from + PSKC_BATCH));
            BenchHttp.Reply reply = send("POST", registration + "/api/v1/licences/pskc", auth, "application/pskc+xml", document, 120_000);
            expect(reply, 201, "importing the PSKC document");
        }
        progress("seeding: " + CREDENTIALS + " users, each assigned a token...");
        EachToken.inParallel(i -> {
            String user = tokens.user(i);
            expect(send("PUT", registration + "/api/v1/users/" + user, auth, null, null, 30_000), 200, "creating " + user);
            byte[] body = ("{\"userId\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8);
            expect(send("PUT", registration + "/api/v1/licences/" + tokens.serial(i) + "/assignment", auth, "application/json", body,
                    30_000), 200, "assigning " + tokens.serial(i));
        });
        progress("seeding: waiting until otp-service has every token (admin API)...");
        long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
        EachToken.inParallel(i -> {
            String url = otp + "/api/v1/otp/admin/users/" + tokens.user(i) + "/credentials";
            while (true) {
                BenchHttp.Reply reply = send("GET", url, auth, null, null, 30_000);
                if (reply.status() == 200 && holds(reply.body(), tokens.serial(i))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("otp-service did not have token " + tokens.serial(i) + " of " + tokens.user(i)
                            + " within " + SEED_TIMEOUT.toMinutes() + " min (last answer " + reply.status() + " " + reply.body()
                            + "); see ./countersign logs otp");
                }
                Thread.sleep(200);
            }
        });
    }

    /** RFC 6030 KeyPackages with plain secrets, counters at 0 and 6-digit decimal codes. */
    private static byte[] pskc(OtpTokens tokens, int from, int to) {
        StringBuilder xml = new StringBuilder(600 * (to - from))
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">\n");
        for (int i = from; i < to; i++) {
            xml.append("  <KeyPackage>\n")
                    .append("    <DeviceInfo><Manufacturer>Countersign bench</Manufacturer><SerialNo>").append(tokens.serial(i))
                    .append("</SerialNo></DeviceInfo>\n")
                    .append("    <Key Id=\"").append(tokens.serial(i)).append("\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:hotp\">\n")
                    .append("      <AlgorithmParameters><ResponseFormat Length=\"").append(POLICY.digits())
                    .append("\" Encoding=\"DECIMAL\"/></AlgorithmParameters>\n")
                    .append("      <Data><Secret><PlainValue>").append(Base64.getEncoder().encodeToString(tokens.keys[i].reveal()))
                    .append("</PlainValue></Secret><Counter><PlainValue>0</PlainValue></Counter></Data>\n")
                    .append("    </Key>\n")
                    .append("  </KeyPackage>\n");
        }
        return xml.append("</KeyContainer>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the admin API lists the token as an active HOTP credential of the user. */
    private static boolean holds(String body, String serial) throws IOException {
        for (JsonNode credential : JSON.readTree(body)) {
            if (serial.equals(credential.path("serialNumber").asText()) && "ACTIVE".equals(credential.path("status").asText())
                    && "HOTP".equals(credential.path("kind").asText())) {
                return true;
            }
        }
        return false;
    }
}
