package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** A service's own keys for its tables: rotating, bound to the row, and never optional. */
class AtRestSealerTest {

    private static final String OLD = "r1:" + Base64.getEncoder().encodeToString(filled(7));
    private static final String NEW = "r2:" + Base64.getEncoder().encodeToString(filled(8));
    private static final Binding INSTANCE_SECRET = Binding.of("instance-secret", "instance", "i-1");

    @Test
    void rotation_oldKeyStillOpens_currentKeySeals() {
        Secret secret = Secret.copyOf(filled(42));
        SealedValue before = sealer(OLD, null).seal(secret, INSTANCE_SECRET);
        assertEquals("r1", before.keyId());

        AtRestSealer rotated = sealer(OLD + "," + NEW, "r2");
        assertArrayEquals(secret.reveal(), rotated.open(before, INSTANCE_SECRET).reveal());
        SealedValue after = rotated.seal(secret, INSTANCE_SECRET);
        assertEquals("r2", after.keyId());
        assertArrayEquals(secret.reveal(), rotated.open(after, INSTANCE_SECRET).reveal());
        assertThrows(Aead.AeadException.class, () -> sealer(NEW, null).open(before, INSTANCE_SECRET));
    }

    @Test
    void purposesAndOwnersStaySeparate() {
        AtRestSealer sealer = sealer(OLD, null);
        Binding otpKeyOfA = Binding.of("otp-key", "credential", "a");
        SealedValue sealed = sealer.seal(Secret.copyOf(filled(1)), otpKeyOfA);
        assertArrayEquals(filled(1), sealer.open(sealed, otpKeyOfA).reveal());
        assertThrows(Aead.AeadException.class, () -> sealer.open(sealed, Binding.of("instance-secret", "credential", "a")));
        assertThrows(Aead.AeadException.class, () -> sealer.open(sealed, Binding.of("otp-key", "credential", "b")));
    }

    @Test
    void withoutAtRestKeys_refusesToSeal_namingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sealer(null, null).seal(Secret.copyOf(filled(1)), INSTANCE_SECRET));
        assertTrue(e.getMessage().contains("countersign.events.sealing.at-rest-keys"), e.getMessage());
    }

    private static AtRestSealer sealer(String atRestKeys, String currentKeyId) {
        return new AtRestSealer(config(atRestKeys, currentKeyId));
    }

    /** Only the sealing keys matter here. */
    private static EventsConfig config(String atRestKeys, String currentKeyId) {
        EventsConfig.Sealing sealing = (EventsConfig.Sealing) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.Sealing.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "privateKeys" -> Optional.empty();
                    case "recipients" -> Map.of();
                    case "atRestKeys" -> Optional.ofNullable(atRestKeys);
                    case "atRestCurrentKeyId" -> Optional.ofNullable(currentKeyId);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (EventsConfig) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(), new Class<?>[] {EventsConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sealing")) {
                        return sealing;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
