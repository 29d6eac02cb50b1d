package org.countersign.provisioning.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * An activation password opens only in the event it was sealed for: someone who registered himself
 * (and so knows his own activation password) and can write to the internal topic cannot open an
 * activation for another user with it. And what this service seals for the otp-service opens only
 * there. Both passed on the code that bound a seal to its purpose alone, under one key for all services.
 */
@QuarkusTest
class SealedValueBindingTest extends ActivationTestBase {

    @Inject
    TransportSealer transport;

    @Test
    void pending_activationPasswordOfAnotherRegistrationOrUser_parked_noActivation() throws Exception {
        String mallory = "mallory-" + UUID.randomUUID().toString().substring(0, 8);
        String victim = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        String mallorysRegistration = UUID.randomUUID().toString();
        String victimsRegistration = UUID.randomUUID().toString();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(15));
        SealedValue known = TestSealing.sealFor("provisioning", Secret.random(20),
                RegistrationPending.activationPasswordBinding(DOMAIN, mallory, mallorysRegistration));

        publishPending(victimsRegistration, "SN-V", "offline", null, null, victim, expiresAt, known);
        publishPending(mallorysRegistration, "SN-M", "offline", null, null, victim, expiresAt, known);

        assertParked(victim, victimsRegistration);
        assertParked(victim, mallorysRegistration);
        assertEquals("0", sql("SELECT count(*) FROM activations WHERE user_id = '" + victim + "'"), "nothing opens for the victim");
        // The consumer goes on, and the value opens in the event it was sealed for.
        publishPending(mallorysRegistration, "SN-M", "offline", null, null, mallory, expiresAt, known);
        await(() -> {
            try {
                return "1".equals(sql("SELECT count(*) FROM activations WHERE registration_id = '" + mallorysRegistration
                        + "' AND user_id = '" + mallory + "'"));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** What this service seals for the otp-service, it cannot open again: only the otp-service's private key does. */
    @Test
    void sealedForTheOtpService_thisServicesKeysDoNotOpenIt() {
        Secret instanceSecret = Secret.random(32);
        Binding binding = CredentialProvisioned.instanceSecretBinding(DOMAIN, "alice", "iid-" + UUID.randomUUID());
        SealedValue sealed = transport.seal(CredentialProvisioned.SEALED_FOR, instanceSecret, binding);
        assertTrue(TestSealing.openAs("otp", sealed, binding).sameAs(instanceSecret));
        assertThrows(Aead.AeadException.class, () -> transport.open(sealed, binding));
    }

    private void assertParked(String user, String registrationId) throws Exception {
        ConsumerRecord<String, byte[]> parked = TopicReader.await(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> (user + "@" + DOMAIN).equals(r.key()) && new String(r.value(), StandardCharsets.UTF_8).contains(registrationId),
                Duration.ofSeconds(60));
        assertEquals("sealed-value-does-not-open", TopicReader.header(parked, "cs_dlq_reason"));
    }
}
