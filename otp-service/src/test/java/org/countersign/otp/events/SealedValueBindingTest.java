package org.countersign.otp.events;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.TokenImported;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * A sealed secret opens only for what it was sealed for: someone who knows a secret (his own device's,
 * his own token's) and can write to the internal topic or to this service's tables, but holds no key,
 * cannot make it another user's credential by moving its sealed value. Each of these passed on the code
 * that bound a seal to its purpose alone.
 */
@QuarkusTest
class SealedValueBindingTest extends OtpTestBase {

    private static final String TOTP = "totp:sha1:6:30";
    private static final String HOTP = "hotp:sha1:6";

    @Test
    void provisioned_instanceSecretOfAnotherInstanceOrUser_parked_noCredential() throws Exception {
        String mallory = freshUser("mallory");
        String victim = freshUser("victim");
        String mallorysInstance = "iid-" + UUID.randomUUID();
        String victimsInstance = "iid-" + UUID.randomUUID();
        // Mallory's own device holds its instance secret; its event carried it sealed for his instance.
        Secret known = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        SealedValue sealed = TestSealing.sealFor("otp", known,
                CredentialProvisioned.instanceSecretBinding(DOMAIN, mallory, mallorysInstance));

        String intoVictimsInstance = publishProvisioned(victimsInstance, victim, sealed);
        String readdressedToVictim = publishProvisioned(mallorysInstance, victim, sealed);

        assertParked(intoVictimsInstance);
        assertParked(readdressedToVictim);
        assertEquals(0, count("SELECT count(*) FROM credentials WHERE user_id = '" + victim + "'"), "the victim gets no credential");
        // The consumer goes on, and the value opens in the event it was sealed for.
        publishProvisioned(mallorysInstance, mallory, sealed);
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + mallorysInstance + "' AND user_id = '"
                + mallory + "'") == 1, "Mallory's own credential arrives");
        assertEquals(0, count("SELECT count(*) FROM credentials WHERE user_id = '" + victim + "'"));
    }

    @Test
    void tokenImported_seedOfAnotherSerial_parked_noCredential() throws Exception {
        String knownSerial = "SN" + UUID.randomUUID().toString().substring(0, 8);
        String otherSerial = "SN" + UUID.randomUUID().toString().substring(0, 8);
        SealedValue sealed = TestSealing.sealFor("otp", Secret.copyOf(SEED), TokenImported.seedBinding(DOMAIN, knownSerial));
        String id = UUID.randomUUID().toString();
        publish(Topics.INTERNAL_CREDENTIALS, "licences@" + DOMAIN, TokenImported.TYPE.ceType(), "{\"serialNumber\":\""
                + otherSerial + "\",\"domain\":\"" + DOMAIN + "\",\"otp\":\"" + HOTP + "\",\"counter\":0,\"sealedSeed\":\""
                + sealed.toText() + "\",\"importedAt\":\"" + Instant.now() + "\"}", id);
        assertParked(id);
        assertEquals(0, count("SELECT count(*) FROM credentials WHERE serial_number = '" + otherSerial + "'"));
    }

    @Test
    void credentialRow_sealedSecretSwappedWithAnothers_verifiesNoCode() throws Exception {
        String mallory = freshUser("mallory");
        String victim = freshUser("victim");
        byte[] mallorysSeed = "Mallory knows this!!".getBytes(StandardCharsets.US_ASCII);
        String mallorysToken = token(HOTP, mallory, mallorysSeed);
        String victimsToken = token(HOTP, victim, SEED);
        // Write access to the table, no key: Mallory's sealed seed copied into the victim's row.
        assertEquals(1, count("WITH u AS (UPDATE credentials SET sealed_secret = (SELECT sealed_secret FROM credentials"
                + " WHERE serial_number = '" + mallorysToken + "') WHERE serial_number = '" + victimsToken + "' RETURNING 1)"
                + " SELECT count(*) FROM u"));
        String mallorysCode = Otp.at(OtpPolicy.parse(HOTP), Secret.copyOf(mallorysSeed), 0);

        verify(victim, mallorysCode, victimsToken).body("result", equalTo("rejected"));
        verify(victim, RFC4226[0], victimsToken).body("result", equalTo("rejected"));
        verify(mallory, mallorysCode, mallorysToken).body("result", equalTo("accepted"));
    }

    private String publishProvisioned(String instanceId, String user, SealedValue sealedInstanceSecret) throws Exception {
        String id = UUID.randomUUID().toString();
        publish(Topics.INTERNAL_CREDENTIALS, user + "@" + DOMAIN, CredentialProvisioned.TYPE.ceType(), "{\"instanceId\":\""
                + instanceId + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"SN-M\",\"otp\":\""
                + TOTP + "\",\"sealedInstanceSecret\":\"" + sealedInstanceSecret.toText() + "\",\"provisionedAt\":\""
                + Instant.now() + "\"}", id);
        return id;
    }

    private void assertParked(String eventId) throws Exception {
        ConsumerRecord<String, byte[]> parked = TopicReader.await(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> eventId.equals(TopicReader.header(r, "ce_id")), Duration.ofSeconds(60));
        assertEquals("sealed-value-does-not-open", TopicReader.header(parked, "cs_dlq_reason"));
    }
}
