package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.RecipientKeyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Values on internal topics open with the recipient's private key only: not the producer's, not a third service's. */
class TransportSealerTest {

    private static final String OTP = RecipientKeyring.generateKeyText("otp-1");
    private static final String PROVISIONING = RecipientKeyring.generateKeyText("prov-1");
    private static final Binding IS = Binding.of("instance-secret", "instance", "bank.example", "alice", "i-1");

    @Test
    void sealedForOtp_opensWithOtpsKeysOnly() {
        String otpPublic = RecipientKeyring.parse(OTP).publicKeyText("otp-1");
        // The provisioning-service seals for the otp-service with the otp-service's public key.
        TransportSealer provisioning = sealer(PROVISIONING, Map.of("otp", otpPublic));
        SealedValue sealed = provisioning.seal("otp", Secret.copyOf(new byte[] {1, 2, 3}), IS);

        assertArrayEquals(new byte[] {1, 2, 3}, sealer(OTP, Map.of()).open(sealed, IS).reveal());
        assertThrows(Aead.AeadException.class, () -> provisioning.open(sealed, IS));
        assertThrows(Aead.AeadException.class, () -> sealer(RecipientKeyring.generateKeyText("otp-1"), Map.of()).open(sealed, IS));
    }

    @Test
    void missingKeys_namedInTheMessage() {
        IllegalStateException noRecipient = assertThrows(IllegalStateException.class,
                () -> sealer(PROVISIONING, Map.of()).seal("otp", Secret.copyOf(new byte[] {1}), IS));
        assertTrue(noRecipient.getMessage().contains("countersign.events.sealing.recipients.otp"), noRecipient.getMessage());
        assertTrue(noRecipient.getMessage().contains("COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_OTP"), noRecipient.getMessage());
        SealedValue sealed = new SealedValue("otp-1", new byte[64]);
        IllegalStateException noPrivateKey = assertThrows(IllegalStateException.class, () -> sealer(null, Map.of()).open(sealed, IS));
        assertTrue(noPrivateKey.getMessage().contains("countersign.events.sealing.private-keys"), noPrivateKey.getMessage());
    }

    private static TransportSealer sealer(String privateKeys, Map<String, String> recipients) {
        EventsConfig.Sealing sealing = (EventsConfig.Sealing) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.Sealing.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "privateKeys" -> Optional.ofNullable(privateKeys);
                    case "recipients" -> recipients;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new TransportSealer((EventsConfig) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sealing")) {
                        return sealing;
                    }
                    throw new UnsupportedOperationException(method.getName());
                }));
    }
}
